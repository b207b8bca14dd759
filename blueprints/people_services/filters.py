"""Reading the list's filters from the query string: unknown or malformed values are
ignored rather than failing the page."""

from dataclasses import dataclass

from sqlalchemy import select

from blueprints.people_services.presenters import STATUS_NAMES
from portal.extensions import db
from portal.models import Application, Opportunity
from portal.models.applications import ApplicationStatus as A


@dataclass(frozen=True)
class ApplicationFilters:
    status: str = ""
    opportunity_id: int | None = None
    page: int = 1


def _positive(value) -> int | None:
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if number > 0 else None


def application_filters_from(args) -> ApplicationFilters:
    status = args.get("status") or ""
    return ApplicationFilters(status=status if status in STATUS_NAMES else "",
                              opportunity_id=_positive(args.get("opportunity")),
                              page=_positive(args.get("page")) or 1)


def opportunity_choices() -> list[tuple[int, str]]:
    """The opportunities that have had an application: one query, for the select."""
    rows = db.session.execute(
        select(Opportunity.id, Opportunity.title)
        .where(Opportunity.id.in_(select(Application.opportunity_id)
                                  .where(Application.status != A.DRAFT)))
        .order_by(Opportunity.title, Opportunity.id))
    return [(opportunity_id, title) for opportunity_id, title in rows]
