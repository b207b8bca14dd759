"""What a person's home page shows: sections, and the things waiting for them, each
contributed by the feature it belongs to.

A feature registers its own section (`@section(...)`) or its own source of things waiting
for a person (`@waiting(...)`) where it lives; this module knows none of them, so a new
feature adds its lines without editing the others. The page shows every section and
every source whose `shown_to(person)` holds, in the order they declare.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date


@dataclass(frozen=True)
class Item:
    text: str
    href: str
    # The last day to do it, when there is one: "Things to do" lists the nearest first.
    due: date | None = None


def more(shown: int, total: int, text: str, href: str) -> list[Item]:
    """The line that says a bounded list left some out, and where they all are:
    "And 3 more: <text>" ([] when nothing was left out)."""
    if total <= shown:
        return []
    return [Item(f"And {total - shown} more: {text}", href)]


@dataclass
class Section:
    heading: str
    empty_text: str
    items: list[Item] = field(default_factory=list)


@dataclass
class HomePage:
    sections: list[Section]
    roles: list[str]


@dataclass(frozen=True)
class _Source:
    order: int
    shown_to: Callable
    items: Callable
    heading: str = ""
    empty_text: str = ""
    # What this source lists, for the "nothing is waiting" text: a phrase, or a
    # function of the person giving one ("" for none).
    describes: str | Callable = ""

    def description(self, person) -> str:
        return self.describes(person) if callable(self.describes) else self.describes


_SECTIONS: list[_Source] = []
_WAITING: list[_Source] = []

THINGS_TO_DO = "Things to do"
NOTHING_WAITING = "Nothing is waiting for you."


def section(heading: str, *, order: int, empty_text: str, shown_to: Callable):
    """Register `items(person) -> list[Item]` as a section of the home page, shown to
    those for whom `shown_to(person)` holds, with `empty_text` when it has no items."""
    def register(items):
        _SECTIONS.append(_Source(order, shown_to, items, heading, empty_text))
        return items
    return register


def waiting(*, order: int, shown_to: Callable, describes: str | Callable = ""):
    """Register `items(person) -> list[Item]`: things waiting for the person, listed
    under "Things to do"."""
    def register(items):
        _WAITING.append(_Source(order, shown_to, items, describes=describes))
        return items
    return register


def _shown(sources: list[_Source], person) -> list[_Source]:
    return [s for s in sorted(sources, key=lambda s: s.order) if s.shown_to(person)]


def home_page_for(person) -> HomePage:
    sections = [Section(s.heading, s.empty_text, s.items(person))
                for s in _shown(_SECTIONS, person)]
    sources = _shown(_WAITING, person)
    things = [item for source in sources for item in source.items(person)]
    # The nearest deadline first, across features; those without one keep their
    # feature's order after them (a sort that keeps equal items in place).
    things.sort(key=lambda item: (item.due is None, item.due or date.min))
    described = [text for text in (s.description(person) for s in sources) if text]
    if described:
        empty = f"{NOTHING_WAITING} This is where you will find {'; '.join(described)}."
    else:
        # Nothing the portal does today waits on this person: promise nothing more.
        empty = NOTHING_WAITING
    sections.append(Section(THINGS_TO_DO, empty, things))
    return HomePage(sections=sections, roles=person.role_names)
