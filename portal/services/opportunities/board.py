"""Lists of opportunities: the vacancies board with its filters, what a person looks
after, the cases waiting for the Resources Board and the intranet feeds. Each is a
bounded number of queries whatever the number of rows.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import exists, func, or_, select
from sqlalchemy.orm import joinedload

from portal.cache import kept_for
from portal.extensions import db
from portal.models import Department, Organisation
from portal.models.opportunities import (
    BOARD_SEARCH_TEXT,
    Audience,
    CaseStatus,
    Opportunity,
    OpportunityKind,
    WorkingPattern,
)
from portal.models.opportunities import OpportunityStatus as S
from portal.roles import Permission
from portal.services.grades import in_list_order
from portal.services.opportunities.access import may_decide_case
from portal.services.opportunities.rules import london_today
from portal.services.paging import ResultPage


@dataclass
class BoardFilters:
    keyword: str = ""
    kinds: tuple[str, ...] = ()
    department_id: int | None = None
    host_organisation_id: int | None = None
    grade: str = ""
    location: str = ""
    max_months: int | None = None
    part_time: bool = False
    closing_within_days: int | None = None
    sort: str = "closing"  # or "newest"
    page: int = 1

PER_PAGE = 20


def contains_pattern(words: str) -> str:
    """A LIKE pattern finding `words` anywhere, lower-cased, with `%`, `_` and the escape
    character itself matched as typed."""
    escaped = words.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _advertised_to_staff(today: date) -> list:
    """Open and advertised on the staff board: never a named request (R1), and never an
    incoming secondment, which is for people from other organisations (R2) and goes to
    the partner feed instead."""
    return [Opportunity.status == S.PUBLISHED,
            Opportunity.audience != Audience.NAMED_REQUEST,
            Opportunity.kind != OpportunityKind.INCOMING,
            Opportunity.closing_date >= today]


def _for_partners(today: date) -> list:
    """Open incoming secondments advertised to other organisations (R2): never a named
    request (R1)."""
    return [Opportunity.status == S.PUBLISHED,
            Opportunity.audience != Audience.NAMED_REQUEST,
            Opportunity.kind == OpportunityKind.INCOMING,
            Opportunity.closing_date >= today]


def _board_conditions(filters: BoardFilters, today: date):
    conditions = _advertised_to_staff(today)
    if filters.keyword:
        conditions.append(BOARD_SEARCH_TEXT.like(contains_pattern(filters.keyword),
                                                 escape="\\"))
    if filters.kinds:
        conditions.append(Opportunity.kind.in_(filters.kinds))
    if filters.department_id:
        conditions.append(Opportunity.offering_department_id == filters.department_id)
    if filters.host_organisation_id:
        conditions.append(Opportunity.host_organisation_id == filters.host_organisation_id)
    if filters.grade:
        conditions.append(Opportunity.grade == filters.grade)
    if filters.location:
        like = f"%{filters.location.lower()}%"
        conditions.append(or_(func.lower(Opportunity.location).like(like),
                              func.lower(Opportunity.country).like(like)))
    if filters.max_months:
        conditions.append(Opportunity.duration_months <= filters.max_months)
    if filters.part_time:
        conditions.append(Opportunity.working_pattern == WorkingPattern.PART_TIME)
    if filters.closing_within_days is not None:
        conditions.append(
            Opportunity.closing_date <= today + timedelta(days=filters.closing_within_days))
    return conditions


def board(filters: BoardFilters, today: date | None = None) -> ResultPage:
    """Open opportunities advertised to staff: two queries whatever the number of rows
    (one when nothing is filtered and the number of open ones is kept)."""
    today = today or london_today()
    conditions = _board_conditions(filters, today)
    if filters == BoardFilters(sort=filters.sort, page=filters.page):  # nothing filtered
        total = _open_count(today)
    else:
        total = db.session.scalar(select(func.count(Opportunity.id)).where(*conditions))
    order = ([Opportunity.published_at.desc(), Opportunity.id.desc()]
             if filters.sort == "newest"
             else [Opportunity.closing_date.asc(), Opportunity.id.asc()])
    page = max(1, filters.page)
    # The page's ids first, counted out in the board's partial index alone however far
    # down the list the page is; then only those rows are read.
    ids = (select(Opportunity.id).where(*conditions).order_by(*order)
           .limit(PER_PAGE).offset((page - 1) * PER_PAGE).subquery())
    items = db.session.scalars(
        select(Opportunity).join(ids, ids.c.id == Opportunity.id)
        .options(joinedload(Opportunity.offering_department),
                 joinedload(Opportunity.host_organisation))
        .order_by(*order)
    ).all()
    return ResultPage(items=list(items), total=total or 0, page=page, per_page=PER_PAGE)


def managed_by(user, *, named_only: bool = False, page: int = 1) -> ResultPage:
    """Opportunities this person looks after (People Services: all of them), any state."""
    conditions = []
    if not user.can(Permission.MANAGE_ANY_OPPORTUNITY):
        conditions.append(Opportunity.created_by_id == user.id)
    if named_only:
        conditions.append(Opportunity.audience == Audience.NAMED_REQUEST)
    total = db.session.scalar(select(func.count(Opportunity.id)).where(*conditions))
    items = db.session.scalars(
        select(Opportunity).where(*conditions)
        .options(joinedload(Opportunity.offering_department),
                 joinedload(Opportunity.host_organisation),
                 joinedload(Opportunity.business_case),
                 joinedload(Opportunity.requested_person))
        .order_by(Opportunity.created_at.desc(), Opportunity.id.desc())
        .limit(PER_PAGE).offset((max(1, page) - 1) * PER_PAGE)
    ).all()
    return ResultPage(items=list(items), total=total or 0, page=max(1, page), per_page=PER_PAGE)


def managed_counts(user) -> dict[str, int]:
    """How many opportunities this person looks after, by state."""
    query = select(Opportunity.status, func.count(Opportunity.id)).group_by(Opportunity.status)
    if not user.can(Permission.MANAGE_ANY_OPPORTUNITY):
        query = query.where(Opportunity.created_by_id == user.id)
    return dict(db.session.execute(query).all())


def cases_awaiting_decision(user) -> list[Opportunity]:
    """Business cases waiting for the Resources Board, that this member may decide."""
    rows = db.session.scalars(
        select(Opportunity).where(Opportunity.status == S.AWAITING_APPROVAL)
        .options(joinedload(Opportunity.business_case),
                 joinedload(Opportunity.offering_department),
                 joinedload(Opportunity.host_organisation))
        .order_by(Opportunity.id)
    ).all()
    return [o for o in rows if o.business_case and o.business_case.status == CaseStatus.SUBMITTED
            and may_decide_case(user, o)]


def feed_items(limit: int = 50, today: date | None = None) -> list[Opportunity]:
    """Open opportunities advertised to all staff, newest first, for the intranet feeds."""
    today = today or london_today()
    return list(db.session.scalars(
        select(Opportunity).where(
            *_advertised_to_staff(today), Opportunity.audience == Audience.ALL_STAFF,
        ).order_by(Opportunity.published_at.desc(), Opportunity.id.desc()).limit(limit)
    ))


def partner_opportunities(page: int = 1, today: date | None = None) -> ResultPage:
    """Open incoming secondments for the organisation's website and partner
    organisations, soonest closing first: two queries whatever the number of rows."""
    today = today or london_today()
    conditions = _for_partners(today)
    page = max(1, page)
    total = db.session.scalar(select(func.count(Opportunity.id)).where(*conditions))
    items = db.session.scalars(
        select(Opportunity).where(*conditions)
        .options(joinedload(Opportunity.offering_department),
                 joinedload(Opportunity.host_organisation))
        .order_by(Opportunity.closing_date.asc(), Opportunity.id.asc())
        .limit(PER_PAGE).offset((page - 1) * PER_PAGE)).all()
    return ResultPage(items=list(items), total=total or 0, page=page, per_page=PER_PAGE)


def partner_feed_items(limit: int = 50, today: date | None = None) -> list[Opportunity]:
    """Open incoming secondments, newest first, for the partners' Atom and JSON feeds."""
    today = today or london_today()
    return list(db.session.scalars(
        select(Opportunity).where(*_for_partners(today))
        .options(joinedload(Opportunity.offering_department),
                 joinedload(Opportunity.host_organisation))
        .order_by(Opportunity.published_at.desc(), Opportunity.id.desc()).limit(limit)))


def partner_advert(opportunity_id: int, today: date | None = None) -> Opportunity | None:
    """An open incoming secondment as the public sees it, or None: anything else (a
    draft, a closed one, a named request, one for staff) is not found."""
    today = today or london_today()
    return db.session.scalar(
        select(Opportunity).where(Opportunity.id == opportunity_id, *_for_partners(today))
        .options(joinedload(Opportunity.offering_department),
                 joinedload(Opportunity.host_organisation)))


def open_count() -> int:
    """How many opportunities the board shows unfiltered, kept by each worker for
    BOARD_FILTERS_SECONDS: what home says, without reading a page of them."""
    return _open_count(london_today())


@kept_for("BOARD_FILTERS_SECONDS")
def _open_count(today: date) -> int:
    return db.session.scalar(select(func.count(Opportunity.id)).where(
        *_board_conditions(BoardFilters(), today))) or 0


def filter_choices() -> dict:
    """Departments, host organisations and grades that appear on the board, kept by
    each worker for BOARD_FILTERS_SECONDS."""
    return _filter_choices(london_today())


@kept_for("BOARD_FILTERS_SECONDS")
def _filter_choices(today: date) -> dict:
    advertised = _advertised_to_staff(today)
    # One probe per department or host (few) rather than a join over every open row.
    departments = db.session.execute(
        select(Department.id, Department.name).where(exists().where(
            Opportunity.offering_department_id == Department.id, *advertised))
        .order_by(Department.name, Department.id)).all()
    hosts = db.session.execute(
        select(Organisation.id, Organisation.name).where(exists().where(
            Opportunity.host_organisation_id == Organisation.id, *advertised))
        .order_by(Organisation.name, Organisation.id)).all()
    grades = db.session.scalars(select(Opportunity.grade).where(*advertised).distinct())
    # In the order of the organisation's list of grades ("Band 2" before "Band 10").
    return {"departments": [tuple(row) for row in departments],
            "hosts": [tuple(row) for row in hosts],
            "grades": in_list_order(g for g in grades if g)}
