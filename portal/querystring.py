"""Reading values from a query string or a path the way every page does: a value that
cannot name a record, a page or a search is treated as absent, never passed on to the
database to fail there (PostgreSQL refuses NUL bytes, and numbers past what an id
column holds)."""

import re

from werkzeug.routing import IntegerConverter

# The largest id a record can have: the id columns are INTEGER, 32 bits on PostgreSQL,
# which refuses a larger number in a query outright (SQLite would look and find nothing).
LARGEST_ID = 2**31 - 1
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
    """`<int:...>` in every route: a number no id column can hold is no record, so the
    route does not match and the answer is 404."""

    def __init__(self, map, *args, **kwargs):
        kwargs.setdefault("max", LARGEST_ID)
        super().__init__(map, *args, **kwargs)


class FilterReader:
    """Reads a list's filters from the query string, the way a form reads its fields.

    A value that is present but cannot be one of its filter's choices (not a number, a
    number past LARGEST_ID, a kind or order the list does not offer) filters nothing and
    is noted in `errors` (filter name -> messages). `errors` has the shape of a form's,
    so the page shows it in its error summary and next to the filter, and its title
    starts "Error:".
    """

    _fields: dict = {}  # no WTForms fields: the summary links to the filters' own ids

    def __init__(self, args):
        self.args = args
        self.errors: dict[str, list[str]] = {}

    def _present(self, name: str) -> str | None:
        value = self.args.get(name)
        return value if value else None

    def _refuse(self, name: str, message: str) -> None:
        self.errors.setdefault(name, []).append(message)

    def record_id(self, name: str, message: str) -> int | None:
        """The id of a record to filter by (`?department=3`)."""
        value = self._present(name)
        if value is None:
            return None
        number = positive_id(value)
        if number is None:
            self._refuse(name, message)
        return number

    def choice(self, name: str, allowed, message: str, convert=str):
        """One of a fixed list of choices (`?duration=12`, `?status=submitted`)."""
        value = self._present(name)
        if value is None:
            return None
        try:
            chosen = convert(value)
        except ValueError:
            chosen = None
        if chosen not in allowed:
            self._refuse(name, message)
            return None
        return chosen

    def choices(self, name: str, allowed, message: str) -> tuple:
        """Any number of a fixed list of choices (`?kind=internal&kind=outgoing`)."""
        values = [v for v in dict.fromkeys(self.args.getlist(name)) if v]
        if any(v not in allowed for v in values):
            self._refuse(name, message)
        return tuple(v for v in values if v in allowed)

    def text(self, name: str, limit: int) -> str:
        return search_text(self.args.get(name), limit)

    def page(self) -> int:
        return page_number(self.args.get("page"))
