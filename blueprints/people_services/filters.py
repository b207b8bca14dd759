"""Reading the list's filters from the query string: unknown or malformed values are
ignored rather than failing the page."""

from dataclasses import dataclass

from blueprints.people_services.presenters import STATUS_NAMES
from portal.querystring import page_number, positive_id


@dataclass(frozen=True)
class ApplicationFilters:
    status: str = ""
    opportunity_id: int | None = None
    page: int = 1



def application_filters_from(args) -> ApplicationFilters:
    status = args.get("status") or ""
    return ApplicationFilters(status=status if status in STATUS_NAMES else "",
                              opportunity_id=positive_id(args.get("opportunity")),
                              page=page_number(args.get("page")))
