"""What People Services monitor (R8, R13, 001 §6.1): the conflicts register and the
actions taken on it, every application, the lists each person works from, and the
equality report in aggregate only."""

from dataclasses import dataclass

from sqlalchemy import func, or_, select, union_all
from sqlalchemy.orm import joinedload

from portal.cache import kept_for
from portal.extensions import db
from portal.models import Opportunity
from portal.models.applications import (
    EQUALITY_FIELDS,
    Application,
    ApplicationStatus,
    ConflictAction,
    ConflictDeclaration,
    EqualityResponse,
)
from portal.roles import Permission
from portal.services import audit
from portal.services.applications.rules import may_act
from portal.services.errors import RuleError

A = ApplicationStatus


# --- conflicts of interest (R8) -------------------------------------------------------

def record_conflict_action(declaration: ConflictDeclaration, officer, action: str
                           ) -> ConflictAction:
    if not officer.can(Permission.VIEW_CONFLICTS):
        raise PermissionError("conflict action")
    if not action.strip():
        raise RuleError({"action": "Describe the action taken"})
    entry = ConflictAction(declaration=declaration, recorded_by_id=officer.id,
                           action=action.strip())
    db.session.add(entry)
    audit.record("conflict.action_recorded", actor=officer, obj=declaration,
                 summary=action.strip())
    db.session.commit()
    return entry


# --- lists ------------------------------------------------------------------------------

@dataclass
class ApplicationPage:
    items: list
    total: int
    page: int
    per_page: int = 25

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


def _count(query) -> int:
    return db.session.scalar(
        select(func.count()).select_from(query.order_by(None).subquery())) or 0


def _page(query, page: int, per_page: int = 25, total: int | None = None) -> ApplicationPage:
    """A page of `query`'s applications and how many there are in all (`total`, when
    the caller knows it already)."""
    total = _count(query) if total is None else total
    page = max(1, page)
    items = db.session.scalars(
        query.options(joinedload(Application.opportunity),
                      joinedload(Application.applicant),
                      # Whether an accepted offer's placement is set up yet.
                      joinedload(Application.placement))
        .limit(per_page).offset((page - 1) * per_page)).unique().all()
    return ApplicationPage(items=list(items), total=total or 0, page=page, per_page=per_page)


def applications_of(user, page: int = 1, per_page: int = 25) -> ApplicationPage:
    return _page(select(Application).where(Application.applicant_id == user.id)
                 .order_by(Application.created_at.desc(), Application.id.desc()), page,
                 per_page)


def waiting_for(user, page: int = 1, per_page: int = 25) -> ApplicationPage:
    """Applications waiting for this person's decision as line manager or head, the
    longest waiting first, a page at a time: two queries whatever the number. Each
    role's applications are read as an index range up to this page, then merged, rather
    than one scan of everything the person ever managed filtered by either."""
    page = max(1, page)
    as_manager = (Application.line_manager_id == user.id, Application.status == A.SUBMITTED)
    as_head = (Application.head_of_department_id == user.id,
               Application.status == A.ENDORSED)

    def earliest(conditions):
        ranked = (select(Application.id, Application.submitted_at).where(*conditions)
                  .order_by(Application.submitted_at, Application.id)
                  .limit(page * per_page).subquery())
        return select(ranked.c.id, ranked.c.submitted_at)

    def counted(conditions):
        return select(func.count(Application.id)).where(*conditions).scalar_subquery()

    total = db.session.scalar(select(counted(as_manager) + counted(as_head)))
    waiting = union_all(earliest(as_manager), earliest(as_head)).subquery()
    return _page(select(Application).join(waiting, waiting.c.id == Application.id)
                 .order_by(waiting.c.submitted_at, waiting.c.id), page, per_page, total=total or 0)


def appeals_waiting(user) -> list[Application]:
    rows = db.session.scalars(
        select(Application).where(Application.status == A.APPEALED)
        .options(joinedload(Application.opportunity), joinedload(Application.applicant),
                 joinedload(Application.decisions))
        .order_by(Application.updated_at)).unique().all()
    return [a for a in rows if may_act(user, a, "people_services")]


def for_selection(opportunity: Opportunity) -> list[Application]:
    """Applications the hiring side sees: released by the applicant's department."""
    return list(db.session.scalars(
        select(Application).where(
            Application.opportunity_id == opportunity.id,
            Application.status.in_([A.RELEASED, A.SHORTLISTED, A.OFFERED, A.ACCEPTED,
                                    A.DECLINED, A.UNSUCCESSFUL]))
        .options(joinedload(Application.applicant))
        .order_by(Application.submitted_at, Application.id)).unique())


def all_applications(*, status: str = "", opportunity_id: int | None = None,
                     search: str = "", page: int = 1) -> ApplicationPage:
    """People Services' view of every application in every state (001 §6.1). `search`
    finds an application by its reference, or by words of its opportunity's title. The
    rows are read live; their number, a count over every application, is kept by each
    worker for LIST_COUNT_SECONDS."""
    query = _all_applications_query(status, opportunity_id, search)
    return _page(query.order_by(Application.submitted_at.desc(), Application.id.desc()),
                 page, total=_all_applications_count(status, opportunity_id, search))


@kept_for("LIST_COUNT_SECONDS")
def _all_applications_count(status: str, opportunity_id: int | None, search: str) -> int:
    return _count(_all_applications_query(status, opportunity_id, search))


def _all_applications_query(status: str, opportunity_id: int | None, search: str):
    query = select(Application).where(Application.status != A.DRAFT)
    if status in A.__members__.values():
        query = query.where(Application.status == status)
    if opportunity_id:
        query = query.where(Application.opportunity_id == opportunity_id)
    if search:
        titled = select(Opportunity.id).where(
            func.lower(Opportunity.title).contains(search.lower(), autoescape=True))
        query = query.where(or_(Application.reference == search.upper(),
                                Application.opportunity_id.in_(titled)))
    return query


def opportunity_title(opportunity_id: int | None) -> str | None:
    """The title of the opportunity a list is filtered by, or None if there is none."""
    if not opportunity_id:
        return None
    return db.session.scalar(select(Opportunity.title).where(Opportunity.id == opportunity_id))


def conflict_register() -> list[ConflictDeclaration]:
    return list(db.session.scalars(
        select(ConflictDeclaration)
        .options(joinedload(ConflictDeclaration.application)
                 .joinedload(Application.opportunity),
                 joinedload(ConflictDeclaration.declared_by),
                 joinedload(ConflictDeclaration.actions).joinedload(ConflictAction.recorded_by))
        .order_by(ConflictDeclaration.declared_at.desc())).unique())


# Counts below this are shown as "fewer than 5", so that no one can be singled out.
SMALL_NUMBER = 5


def equality_report() -> dict[str, list[tuple[str, str, str]]]:
    """For each question: answer -> (applied, offered), small numbers suppressed."""
    offered_states = [A.OFFERED, A.ACCEPTED, A.DECLINED]
    report = {}
    for field in EQUALITY_FIELDS:
        column = getattr(EqualityResponse, field)
        # Grouped by the column itself: PostgreSQL does not see coalesce(column, $1) in
        # SELECT and coalesce(column, $3) in GROUP BY as the same expression.
        counted = db.session.execute(
            select(column, func.count(EqualityResponse.id),
                   func.count(Application.id).filter(Application.status.in_(offered_states)))
            .join(Application, Application.id == EqualityResponse.application_id)
            .group_by(column)).all()
        rows = sorted(((answer or "Not answered", applied, offered)
                       for answer, applied, offered in counted),
                      key=lambda row: (row[0] == "Not answered", row[0]))
        applied = _suppress_column([row[1] for row in rows])
        offered = _suppress_column([row[2] for row in rows])
        report[field] = list(zip([row[0] for row in rows], applied, offered, strict=True))
    return report


WITHHELD = "withheld"


def _suppress(count: int) -> str:
    if count == 0:
        return "0"
    return "fewer than 5" if count < SMALL_NUMBER else str(count)


def _suppress_column(counts: list[int]) -> list[str]:
    """Every question's answers add up to the same total, so one hidden count could be
    worked out from the others by subtraction: the smallest count shown beside it is
    withheld too."""
    shown = [_suppress(count) for count in counts]
    hidden = [i for i, count in enumerate(counts) if 0 < count < SMALL_NUMBER]
    visible = [i for i, count in enumerate(counts) if count >= SMALL_NUMBER]
    if len(hidden) == 1 and visible:
        shown[min(visible, key=lambda i: counts[i])] = WITHHELD
    return shown
