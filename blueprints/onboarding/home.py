"""What the onboarding checklists put on each person's home page: the items they own,
overdue ones counted, with the nearest due date (R9)."""

from flask import url_for

from portal.services.home import Item, waiting
from portal.services.onboarding import listing


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


@waiting(order=35, shown_to=lambda person: True)
def checklist_tasks(person) -> list[Item]:
    count = listing.task_count(person)
    if not count.open:
        return []
    overdue = f", {count.overdue} overdue" if count.overdue else ""
    return [Item(f"Onboarding: {_plural(count.open, 'checklist item')} to do{overdue}",
                 url_for("onboarding.your_tasks"), count.next_due)]
