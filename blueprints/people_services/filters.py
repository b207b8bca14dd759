"""Reading the list's filters from the query string: unknown or malformed values are
ignored rather than failing the page."""

from dataclasses import dataclass

from blueprints.people_services.presenters import STATUS_NAMES


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
