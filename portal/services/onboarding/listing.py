"""The lists of checklist items (R9, R13): each owner's tasks across every placement,
overdue first, and People Services' dashboard of every open checklist with its CSV
export.

Each reads a constant number of queries whatever the number of placements and items:
the dashboard counts in SQL, grouped by placement, for the page's placements only, and
the export streams one query a batch at a time.
"""

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import and_, case, func, or_, select
from sqlalchemy.orm import joinedload

from portal.extensions import db
from portal.models import User
from portal.models.onboarding import OPEN_STATUSES, ChecklistItem, ItemStatus, Phase
from portal.models.onboarding import OwnerType as O
from portal.models.placements import OpportunityKind, Placement, PlacementStatus
from portal.services.onboarding.owners import owned_by
from portal.services.opportunities import london_today
from portal.services.paging import ResultPage
from portal.services.placements.listing import safe_cell, with_organisation

TASKS_PER_PAGE = 25
CHECKLISTS_PER_PAGE = 25
STARTS_WITHIN = (7, 14, 30, 60, 90)
EXPORT_BATCH = 1000
# Placements whose checklists are still worked on, in the lists and the reminders: from
# set-up until the placement ends (a cancelled one's items are nobody's work any more).
LIVE_PLACEMENTS = (PlacementStatus.PROPOSED, PlacementStatus.WITH_BOARD,
                   PlacementStatus.WITH_LEGAL, PlacementStatus.SIGNING, PlacementStatus.READY,
                   PlacementStatus.ACTIVE, PlacementStatus.EXTENDED)
# Who owns an item, as the dashboard's owner filter offers it.
OWNERS = {o.value: o.label for o in O}


def _is_open():
    return ChecklistItem.status.in_(OPEN_STATUSES)


# --- each owner's tasks ---------------------------------------------------------------

@dataclass(frozen=True)
class Task:
    item: ChecklistItem
    overdue: bool


def _owned(person, query):
    """`query` (of items) narrowed to those `person` owns on live placements."""
    return (query.join(Placement, ChecklistItem.placement_id == Placement.id)
            .where(owned_by(person), Placement.status.in_(LIVE_PLACEMENTS)))


def tasks_for(person, *, page: int = 1, include_closed: bool = False) -> ResultPage:
    """The items `person` owns on live placements, open ones by due date (so overdue
    first), or, with `include_closed`, the ones they have finished too. The page's
    items are chosen by id before they are read with the people they name, so only
    the page's 25 are joined to them, not every item the person owns."""
    query = _owned(person, select(ChecklistItem.id))
    if not include_closed:
        query = query.where(_is_open())
    total = db.session.scalar(query.with_only_columns(func.count(ChecklistItem.id))) or 0
    page = max(1, page)
    order = (_is_open().desc(), ChecklistItem.due_date, ChecklistItem.id)
    chosen = (query.order_by(*order).limit(TASKS_PER_PAGE)
              .offset((page - 1) * TASKS_PER_PAGE).scalar_subquery())
    items = db.session.scalars(
        select(ChecklistItem).where(ChecklistItem.id.in_(chosen))
        .options(joinedload(ChecklistItem.placement).options(
            joinedload(Placement.secondee), joinedload(Placement.host_manager),
            joinedload(Placement.substantive_manager)),
            joinedload(ChecklistItem.owner_person))
        .order_by(*order)).unique().all()
    today = london_today()
    return ResultPage(items=[Task(i, i.is_open and i.due_date < today) for i in items],
                      total=total, page=page, per_page=TASKS_PER_PAGE)


@dataclass(frozen=True)
class TaskCount:
    open: int
    overdue: int
    next_due: date | None


def task_count(person) -> TaskCount:
    """How many open items `person` owns, how many overdue, and the nearest due date:
    what their home page says. One query."""
    today = london_today()
    row = db.session.execute(_owned(person, select(
        func.count(ChecklistItem.id),
        func.count(case((ChecklistItem.due_date < today, ChecklistItem.id))),
        func.min(ChecklistItem.due_date))).where(_is_open())).one()
    return TaskCount(row[0] or 0, row[1] or 0, row[2])


# --- People Services' dashboard ---------------------------------------------------------

@dataclass(frozen=True)
class ChecklistFilters:
    kind: str = ""
    department_id: int | None = None
    organisation_id: int | None = None
    organisation_name: str = ""
    owner: str = ""
    starts_within: int | None = None
    page: int = 1


@dataclass
class ChecklistRow:
    placement: Placement
    total: int
    done: int
    overdue: int
    blocking_open: int
    # Owner label -> how many of their items are overdue, most first.
    overdue_by_owner: list[tuple[str, int]] = field(default_factory=list)

    @property
    def secondee(self) -> str:
        p = self.placement
        return p.secondee.name if p.secondee else p.secondee_name


def _placements(filters: ChecklistFilters, today: date):
    """The live placements the filters select that still have an open item (of the
    chosen owner, when one is chosen)."""
    open_items = select(ChecklistItem.id).where(
        ChecklistItem.placement_id == Placement.id, _is_open())
    if filters.owner:
        open_items = open_items.where(ChecklistItem.owner_type == filters.owner)
    query = select(Placement).where(Placement.status.in_(LIVE_PLACEMENTS),
                                    open_items.exists())
    if filters.kind:
        query = query.where(Placement.kind == filters.kind)
    if filters.department_id:
        query = query.where(or_(Placement.home_department_id == filters.department_id,
                                Placement.host_department_id == filters.department_id))
    query = with_organisation(query, filters.organisation_id, filters.organisation_name)
    if filters.starts_within:
        query = query.where(Placement.start_date >= today,
                            Placement.start_date <= today + timedelta(days=filters.starts_within))
    return query


def _counts(placement_ids, today: date, owner: str = "") -> dict[int, tuple[int, int, int, int]]:
    """placement id -> (items, done, overdue, blocking open), in one grouped query."""
    is_open = _is_open()
    query = (select(ChecklistItem.placement_id, func.count(ChecklistItem.id),
                    func.count(case((~is_open, ChecklistItem.id))),
                    func.count(case((and_(is_open, ChecklistItem.due_date < today),
                                     ChecklistItem.id))),
                    func.count(case((and_(is_open, ChecklistItem.blocking.is_(True)),
                                     ChecklistItem.id))))
             .where(ChecklistItem.placement_id.in_(placement_ids))
             .group_by(ChecklistItem.placement_id))
    if owner:
        query = query.where(ChecklistItem.owner_type == owner)
    return {row[0]: tuple(row[1:]) for row in db.session.execute(query)}


def _overdue_by_owner(placement_ids, today: date, owner: str = "") -> dict[int, list]:
    query = (select(ChecklistItem.placement_id, ChecklistItem.owner_type,
                    func.count(ChecklistItem.id))
             .where(ChecklistItem.placement_id.in_(placement_ids), _is_open(),
                    ChecklistItem.due_date < today)
             .group_by(ChecklistItem.placement_id, ChecklistItem.owner_type))
    if owner:
        query = query.where(ChecklistItem.owner_type == owner)
    found: dict[int, list] = {}
    for placement_id, owner_type, count in db.session.execute(query):
        found.setdefault(placement_id, []).append((OWNERS[owner_type], count))
    for counts in found.values():
        counts.sort(key=lambda pair: (-pair[1], pair[0]))
    return found


_NAMED = (joinedload(Placement.secondee), joinedload(Placement.host_organisation),
          joinedload(Placement.home_organisation), joinedload(Placement.host_department))


def open_checklists(filters: ChecklistFilters) -> ResultPage:
    """A page of the open checklists, soonest start first, with their counts."""
    today = london_today()
    query = _placements(filters, today)
    total = db.session.scalar(query.with_only_columns(func.count(Placement.id))) or 0
    page = max(1, filters.page)
    ids = db.session.scalars(query.with_only_columns(Placement.id)
                             .order_by(Placement.start_date, Placement.id)
                             .limit(CHECKLISTS_PER_PAGE)
                             .offset((page - 1) * CHECKLISTS_PER_PAGE)).all()
    if not ids:
        return ResultPage(items=[], total=total, page=page, per_page=CHECKLISTS_PER_PAGE)
    placements = db.session.scalars(
        select(Placement).where(Placement.id.in_(ids)).options(*_NAMED)
        .order_by(Placement.start_date, Placement.id)).unique().all()
    counts = _counts(ids, today, filters.owner)
    overdue = _overdue_by_owner(ids, today, filters.owner)
    rows = [ChecklistRow(p, *counts.get(p.id, (0, 0, 0, 0)),
                         overdue_by_owner=overdue.get(p.id, [])) for p in placements]
    return ResultPage(items=rows, total=total, page=page, per_page=CHECKLISTS_PER_PAGE)


# --- the CSV export: every item of the checklists the dashboard selects ---------------

EXPORT_COLUMNS = ("Secondee", "Placement", "Kind", "Start date", "Item", "Phase", "Owner",
                  "Due date", "Status", "Blocks the start", "Overdue", "Recorded")


@dataclass(frozen=True)
class ExportRow:
    secondee: str
    placement: str
    kind: str
    start_date: date
    item: str
    phase: str
    owner: str
    due_date: date
    status: str
    blocking: bool
    overdue: bool
    recorded: str


def export_rows(filters: ChecklistFilters) -> Iterator[ExportRow]:
    """One row per item (of the chosen owner, when one is chosen) of every checklist the
    dashboard's filters select, every page of them, in its order: one query, streamed a
    batch at a time, the names it needs selected as columns rather than loaded as
    objects, so memory stays the same however many rows there are."""
    today = london_today()
    chosen = _placements(filters, today).with_only_columns(Placement.id).scalar_subquery()
    query = (select(Placement.title, Placement.kind, Placement.start_date,
                    Placement.secondee_name, User.name, ChecklistItem.title,
                    ChecklistItem.phase, ChecklistItem.owner_type, ChecklistItem.due_date,
                    ChecklistItem.status, ChecklistItem.blocking, ChecklistItem.recorded_date,
                    ChecklistItem.recorded_reference)
             .join(Placement, ChecklistItem.placement_id == Placement.id)
             .outerjoin(User, User.id == Placement.secondee_id)
             .where(ChecklistItem.placement_id.in_(chosen))
             .order_by(Placement.start_date, Placement.id, ChecklistItem.position,
                       ChecklistItem.id)
             .execution_options(yield_per=EXPORT_BATCH))
    if filters.owner:
        query = query.where(ChecklistItem.owner_type == filters.owner)
    for (title, kind, start, secondee_name, secondee, item, phase, owner, due, status,
         blocking, recorded_date, reference) in db.session.execute(query):
        state = ItemStatus(status)
        yield ExportRow(
            secondee=secondee or secondee_name, placement=title,
            kind=OpportunityKind(kind).short_label, start_date=start, item=item,
            phase=Phase(phase).label, owner=OWNERS[owner], due_date=due,
            status=state.label, blocking=blocking,
            overdue=not state.closed and due < today,
            recorded=recorded_date.isoformat() if recorded_date else reference or "")


def export_cells(row: ExportRow) -> list[str]:
    return [safe_cell(v) for v in (
        row.secondee, row.placement, row.kind, row.start_date.isoformat(), row.item,
        row.phase, row.owner, row.due_date.isoformat(), row.status,
        "Yes" if row.blocking else "No", "Yes" if row.overdue else "No", row.recorded)]
