"""Reading the board's filters from the query string: a value the board cannot use
filters nothing and is shown as an error next to its filter, never failing the page."""

from portal.models.opportunities import OpportunityKind
from portal.querystring import FilterReader
from portal.services.opportunities import BoardFilters

DURATION_CHOICES = [(3, "Up to 3 months"), (6, "Up to 6 months"), (12, "Up to 12 months"),
                    (24, "Up to 24 months")]
CLOSING_CHOICES = [(7, "Closing within 7 days"), (14, "Closing within 14 days"),
                   (30, "Closing within 30 days")]


def board_filters_from(args) -> tuple[BoardFilters, FilterReader]:
    """The board's filters, and the reader that noted any value it could not use."""
    read = FilterReader(args)
    kinds = read.choices("kind", set(OpportunityKind.__members__.values()),
                         "Select kinds of secondment from the list")
    filters = BoardFilters(
        keyword=read.text("q", 100),
        kinds=kinds,
        department_id=read.record_id("department", "Select a department from the list"),
        host_organisation_id=read.record_id("host",
                                            "Select a host organisation from the list"),
        grade=read.text("grade", 50),
        location=read.text("location", 100),
        max_months=read.choice("duration", dict(DURATION_CHOICES),
                               "Select a duration from the list", convert=int),
        part_time=args.get("part_time") == "yes",
        closing_within_days=read.choice("closing", dict(CLOSING_CHOICES),
                                        "Select when it closes from the list", convert=int),
        sort=read.choice("sort", ("closing", "newest"),
                         "Select an order from the list") or "closing",
        page=read.page(),
    )
    return filters, read
