"""People Services' list of every placement (R13, 001 §6.1): filtered by status, kind,
the other organisation, a department and how soon it starts, soonest start first, a
page at a time or every row at once for the CSV export, each row with what it waits for
and on whom.

Both read a constant number of queries whatever the number of placements: the people
and organisations a row names come in the placements' own query, and the agreements and
their signatures (what "waiting on" needs while a placement is being signed) in one
query each for the page, or for every placement the export lists.
"""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import func, or_, select
from sqlalchemy.orm import joinedload, selectinload
from sqlalchemy.orm.attributes import set_committed_value

from portal.extensions import db
from portal.models import Department, Organisation
from portal.models.placements import AgreementVersion, OpportunityKind, Placement
from portal.services.opportunities import london_today
from portal.services.paging import ResultPage
from portal.services.placements.access import waiting_on

PER_PAGE = 25
# "Starting within": the choices offered, in days.
STARTING_WITHIN = (7, 14, 30, 60, 90, 180)
# Up to this many external organisations the filter is a select of them all; past it,
# a typed part of the organisation's name.
ORGANISATION_SELECT_LIMIT = 300
# Rows read from the database at a time while the export streams.
EXPORT_BATCH = 500
ORDERS = {"start": "Soonest start first", "-start": "Latest start first"}


@dataclass(frozen=True)
class PlacementFilters:
    status: str = ""
    kind: str = ""
    organisation_id: int | None = None
    organisation_name: str = ""
    department_id: int | None = None
    starting_within: int | None = None
    order: str = "start"
    page: int = 1


@dataclass(frozen=True)
class PlacementRow:
    """A placement as the list shows it, and as the export writes it."""

    id: int
    secondee: str
    title: str
    kind: str
    host: str
    start_date: date
    status: str
    status_label: str
    tag_colour: str
    waiting: str


def _row(placement: Placement) -> PlacementRow:
    status = placement.status_enum
    return PlacementRow(
        id=placement.id,
        secondee=placement.secondee.name if placement.secondee else placement.secondee_name,
        title=placement.title, kind=OpportunityKind(placement.kind).short_label,
        host=host_of(placement),
        start_date=placement.start_date, status=status.value, status_label=status.label,
        tag_colour=status.tag_colour,
        waiting="; ".join(f"{w.who}: {w.what}" for w in waiting_on(placement)))


def host_of(placement: Placement) -> str:
    """Where the secondee works during the placement: the organisation, and the
    department when it has one."""
    name = placement.host_organisation.name
    department = placement.host_department
    return f"{name}, {department.name}" if department else name


def _query(filters: PlacementFilters, today: date):
    query = select(Placement)
    if filters.status:
        query = query.where(Placement.status == filters.status)
    if filters.kind:
        query = query.where(Placement.kind == filters.kind)
    query = with_organisation(query, filters.organisation_id, filters.organisation_name)
    if filters.department_id:
        query = query.where(or_(Placement.home_department_id == filters.department_id,
                                Placement.host_department_id == filters.department_id))
    if filters.starting_within:
        query = query.where(Placement.start_date >= today,
                            Placement.start_date <= today + timedelta(
                                days=filters.starting_within))
    return query


def with_organisation(query, organisation_id: int | None, organisation_name: str = ""):
    """Placements whose other organisation (the host for someone going out, the sending
    organisation for someone coming in) is the one chosen, or one whose name holds the
    text typed."""
    if organisation_id:
        return query.where(or_(Placement.host_organisation_id == organisation_id,
                               Placement.home_organisation_id == organisation_id))
    if organisation_name:
        named = select(Organisation.id).where(
            Organisation.is_own.is_(False),
            func.lower(Organisation.name).contains(organisation_name.lower(), autoescape=True))
        return query.where(or_(Placement.host_organisation_id.in_(named),
                               Placement.home_organisation_id.in_(named)))
    return query


def _ordered(query, order: str):
    if order == "-start":
        return query.order_by(Placement.start_date.desc(), Placement.id.desc())
    return query.order_by(Placement.start_date, Placement.id)


# Everything a row names, in the placements' own query.
_NAMED = (joinedload(Placement.secondee), joinedload(Placement.signatory),
          joinedload(Placement.substantive_manager), joinedload(Placement.host_manager),
          joinedload(Placement.host_organisation), joinedload(Placement.home_organisation),
          joinedload(Placement.host_department))


def list_placements(filters: PlacementFilters) -> ResultPage:
    """A page of the placements the filters select, as rows."""
    query = _query(filters, london_today())
    total = db.session.scalar(
        select(func.count()).select_from(query.with_only_columns(Placement.id).subquery())
    ) or 0
    page = max(1, filters.page)
    # The page's ids first, sorted on their own narrow rows; then those rows in full
    # with everything they name.
    ids = db.session.scalars(_ordered(query.with_only_columns(Placement.id), filters.order)
                             .limit(PER_PAGE).offset((page - 1) * PER_PAGE)).all()
    placements = db.session.scalars(
        _ordered(select(Placement).where(Placement.id.in_(ids)), filters.order)
        .options(*_NAMED, selectinload(Placement.agreements)
                 .selectinload(AgreementVersion.signatures))).unique().all() if ids else []
    return ResultPage(items=[_row(p) for p in placements], total=total, page=page,
                      per_page=PER_PAGE)


def export_rows(filters: PlacementFilters) -> Iterator[PlacementRow]:
    """Every placement the filters select, every page of them, in the list's order:
    the agreements first (two queries), then the placements streamed a batch at a time
    from one query."""
    query = _query(filters, london_today())
    chosen = query.with_only_columns(Placement.id).scalar_subquery()
    agreements: dict[int, list[AgreementVersion]] = {}
    for agreement in db.session.scalars(
            select(AgreementVersion).where(AgreementVersion.placement_id.in_(chosen))
            .options(selectinload(AgreementVersion.signatures))
            .order_by(AgreementVersion.placement_id, AgreementVersion.number)):
        agreements.setdefault(agreement.placement_id, []).append(agreement)
    rows = db.session.scalars(_ordered(query, filters.order).options(*_NAMED)
                              .execution_options(yield_per=EXPORT_BATCH))
    for placement in rows:
        set_committed_value(placement, "agreements", agreements.get(placement.id, []))
        yield _row(placement)


# --- the filters' choices ---------------------------------------------------------------

def external_organisations() -> list[Organisation] | None:
    """The organisations to choose from, or None when there are too many for a select
    (the filter is then typed)."""
    found = db.session.scalars(
        select(Organisation).where(Organisation.is_own.is_(False))
        .order_by(Organisation.name).limit(ORGANISATION_SELECT_LIMIT + 1)).all()
    return None if len(found) > ORGANISATION_SELECT_LIMIT else list(found)


def departments() -> list[Department]:
    """The portal's own organisation's departments."""
    return list(db.session.scalars(
        select(Department).join(Organisation, Department.organisation_id == Organisation.id)
        .where(Organisation.is_own.is_(True)).order_by(Department.name)))


# --- the CSV export ---------------------------------------------------------------------

EXPORT_COLUMNS = ("Secondee", "Placement", "Kind", "Host", "Start date", "Status",
                  "Waiting on")
# A spreadsheet reads a cell starting with one of these as a formula (CSV injection).
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value) -> str:
    """A cell a spreadsheet shows as text: one that would start a formula is prefixed
    with an apostrophe."""
    text = "" if value is None else str(value)
    return f"'{text}" if text.startswith(_FORMULA_STARTS) else text


def export_cells(row: PlacementRow) -> list[str]:
    return [safe_cell(v) for v in (row.secondee, row.title, row.kind, row.host,
                                   row.start_date.isoformat(), row.status_label,
                                   row.waiting)]
