"""Reading values from a query string or a path the way every page does: a value that
cannot name a record, a page or a search is treated as absent, never passed on to the
database to fail there (PostgreSQL refuses NUL bytes and integers past 64 bits)."""

import re

from werkzeug.routing import IntegerConverter

# The largest value a 64-bit id column holds.
LARGEST_ID = 2**63 - 1
# Far past the last page of any list; keeps the offset within what a database accepts.
LAST_PAGE_READ = 100_000

_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def positive_id(value) -> int | None:
    """An id from a filter (`?opportunity=`, `?department=`), or None."""
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if 0 < number <= LARGEST_ID else None


def page_number(value) -> int:
    """`?page=`: 1 when missing or malformed, never further than LAST_PAGE_READ."""
    number = positive_id(value) or 1
    return min(number, LAST_PAGE_READ)


def search_text(value, limit: int) -> str:
    """A search or filter text without control characters, trimmed to `limit`."""
    return _CONTROL.sub("", value or "").strip()[:limit]


class IdConverter(IntegerConverter):
    """`<int:...>` in every route: a number no 64-bit column can hold is no record, so
    the route does not match and the answer is 404."""

    def __init__(self, map, *args, **kwargs):
        kwargs.setdefault("max", LARGEST_ID)
        super().__init__(map, *args, **kwargs)
