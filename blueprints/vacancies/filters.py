"""Reading the board's filters from the query string: a value the board cannot use
filters nothing and is shown as an error next to its filter, never failing the page.
The filters in use are listed above the results, each with a link that removes it."""

from dataclasses import dataclass

from flask import url_for

from portal.models.opportunities import OpportunityKind
from portal.querystring import FilterReader
from portal.services.opportunities import BoardFilters

DURATION_CHOICES = [(3, "Up to 3 months"), (6, "Up to 6 months"), (12, "Up to 12 months"),
                    (24, "Up to 24 months")]
CLOSING_CHOICES = [(7, "Closing within 7 days"), (14, "Closing within 14 days"),
                   (30, "Closing within 30 days")]
# Incoming secondments are for people from other organisations: not on the staff board.
BOARD_KINDS = [kind for kind in OpportunityKind if kind != OpportunityKind.INCOMING]


def board_filters_from(args) -> tuple[BoardFilters, FilterReader]:
    """The board's filters, and the reader that noted any value it could not use."""
    read = FilterReader(args)
    kinds = read.choices("kind", {kind.value for kind in BOARD_KINDS},
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


@dataclass
class SelectedFilter:
    category: str
    label: str
    remove_href: str


def selected_filters(args, filters: BoardFilters, choices: dict) -> list[SelectedFilter]:
    """Each filter in use, in the panel's order, with the board's address without it
    (the other filters and the order kept, back to the first page): plain links that
    work without JavaScript."""
    departments, hosts = dict(choices["departments"]), dict(choices["hosts"])
    kinds = {kind.value: kind.short_label for kind in OpportunityKind}
    in_use = [
        ("q", filters.keyword, "Keyword", f"‘{filters.keyword}’"),
        *(("kind", kind, "Kind", kinds[kind]) for kind in filters.kinds),
        ("department", filters.department_id, "Department",
         departments.get(filters.department_id, "A department with nothing open")),
        ("host", filters.host_organisation_id, "Host organisation",
         hosts.get(filters.host_organisation_id, "An organisation with nothing open")),
        ("grade", filters.grade, "Grade", filters.grade),
        ("location", filters.location, "Location or country", filters.location),
        ("duration", filters.max_months, "Duration",
         dict(DURATION_CHOICES).get(filters.max_months)),
        ("closing", filters.closing_within_days, "Closing",
         dict(CLOSING_CHOICES).get(filters.closing_within_days)),
        ("part_time", filters.part_time, "Hours", "Part time only"),
    ]
    selected = []
    for name, value, category, label in in_use:
        if not value:
            continue
        remaining = {key: [v for v in args.getlist(key)
                           if not (key == name and (name != "kind" or v == value))]
                     for key in args if key != "page"}
        selected.append(SelectedFilter(
            category, label,
            url_for("vacancies.board", **{k: v for k, v in remaining.items() if v})))
    return selected
