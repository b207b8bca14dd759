"""Reading the board's filters from the query string: unknown or malformed values are
ignored rather than failing the page."""

from portal.models.opportunities import OpportunityKind
from portal.querystring import page_number, positive_id, search_text
from portal.services.opportunities import BoardFilters

DURATION_CHOICES = [(3, "Up to 3 months"), (6, "Up to 6 months"), (12, "Up to 12 months"),
                    (24, "Up to 24 months")]
CLOSING_CHOICES = [(7, "Closing within 7 days"), (14, "Closing within 14 days"),
                   (30, "Closing within 30 days")]



def board_filters_from(args) -> BoardFilters:
    kinds = tuple(k for k in args.getlist("kind") if k in OpportunityKind.__members__.values())
    max_months = positive_id(args.get("duration"))
    closing = positive_id(args.get("closing"))
    return BoardFilters(
        keyword=search_text(args.get("q"), 100),
        kinds=kinds,
        department_id=positive_id(args.get("department")),
        host_organisation_id=positive_id(args.get("host")),
        grade=search_text(args.get("grade"), 50),
        location=search_text(args.get("location"), 100),
        max_months=max_months if max_months in dict(DURATION_CHOICES) else None,
        part_time=args.get("part_time") == "yes",
        closing_within_days=closing if closing in dict(CLOSING_CHOICES) else None,
        sort="newest" if args.get("sort") == "newest" else "closing",
        page=page_number(args.get("page")),
    )
