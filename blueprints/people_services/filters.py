"""Reading the list's filters from the query string: a value the list cannot use
filters nothing and is shown as an error next to its filter, never failing the page."""

from dataclasses import dataclass

from blueprints.people_services.presenters import STATUS_NAMES
from portal.querystring import FilterReader


@dataclass(frozen=True)
class ApplicationFilters:
    status: str = ""
    opportunity_id: int | None = None
    search: str = ""  # a reference, or words of an opportunity's title
    page: int = 1


def application_filters_from(args) -> tuple[ApplicationFilters, FilterReader]:
    read = FilterReader(args)
    filters = ApplicationFilters(
        status=read.choice("status", STATUS_NAMES, "Select a status from the list") or "",
        opportunity_id=read.record_id("opportunity",
                                      "Search for the opportunity by its title instead"),
        search=read.text("search", 100),
        page=read.page())
    return filters, read
