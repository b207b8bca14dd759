"""Reading the board's filters from the query string: unknown or malformed values are
ignored rather than failing the page."""

from portal.models.opportunities import OpportunityKind
from portal.services.opportunities import BoardFilters

DURATION_CHOICES = [(3, "Up to 3 months"), (6, "Up to 6 months"), (12, "Up to 12 months"),
                    (24, "Up to 24 months")]
CLOSING_CHOICES = [(7, "Closing within 7 days"), (14, "Closing within 14 days"),
                   (30, "Closing within 30 days")]


def _int(value):
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if number > 0 else None


def board_filters_from(args) -> BoardFilters:
    kinds = tuple(k for k in args.getlist("kind") if k in OpportunityKind.__members__.values())
    max_months = _int(args.get("duration"))
    closing = _int(args.get("closing"))
    return BoardFilters(
        keyword=(args.get("q") or "").strip()[:100],
        kinds=kinds,
        department_id=_int(args.get("department")),
        host_organisation_id=_int(args.get("host")),
        grade=(args.get("grade") or "").strip()[:50],
        location=(args.get("location") or "").strip()[:100],
        max_months=max_months if max_months in dict(DURATION_CHOICES) else None,
        part_time=args.get("part_time") == "yes",
        closing_within_days=closing if closing in dict(CLOSING_CHOICES) else None,
        sort="newest" if args.get("sort") == "newest" else "closing",
        page=_int(args.get("page")) or 1,
    )
