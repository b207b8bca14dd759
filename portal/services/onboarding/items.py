"""Moving a checklist item (R9): its owner (or People Services) starts it, marks it
"cannot start yet" (saying what it waits on), completes it (with the date or reference
it records, when it records one), marks it not applicable (with the reason), or reopens
it. Every step goes through the workflow engine, which audits it and commits once.

A placement cannot start while one of its blocking items is open: a guard on the
placement's "start" says which, and who owns them.
"""

from datetime import date

from portal.models.base import utcnow
from portal.models.onboarding import OPEN_STATUSES, ChecklistItem, ItemStatus, RecordKind
from portal.models.placements import Placement
from portal.services.errors import RuleError
from portal.services.onboarding.owners import owner_label
from portal.services.opportunities import london_today
from portal.workflow import CHECKLIST_ITEM, PLACEMENT, allowed_actions, check, transition

# How far from today a recorded date (not an expiry) may be, either way.
DATE_WITHIN_DAYS = 366
ACTIONS = ("start", "wait", "complete", "not_applicable", "reopen")
ACTION_LABELS = {"start": "In progress", "wait": "Cannot start yet",
                 "complete": "Completed", "not_applicable": "Not applicable",
                 "reopen": "Not yet started (reopen it)"}


def available(person, item: ChecklistItem) -> list[str]:
    return allowed_actions(CHECKLIST_ITEM, item, person)


def record_problems(item: ChecklistItem, action: str, *, recorded_date: date | None,
                    recorded_reference: str, reason: str) -> dict[str, str]:
    """What the step needs that the form did not give, field by field."""
    errors = {}
    if action == "complete":
        label = (item.record_label or "the date").lower()
        if item.records in (RecordKind.DATE, RecordKind.EXPIRY) and recorded_date is None:
            errors["recorded_date"] = f"Enter the {label}"
        elif item.records == RecordKind.EXPIRY and recorded_date <= london_today():
            errors["recorded_date"] = f"The {label} must be in the future"
        elif item.records == RecordKind.DATE and abs(
                (recorded_date - london_today()).days) > DATE_WITHIN_DAYS:
            # A date done or booked (an induction is booked ahead): near today either way.
            errors["recorded_date"] = f"The {label} must be within a year of today"
        if item.records == RecordKind.REFERENCE and not recorded_reference.strip():
            errors["recorded_reference"] = f"Enter the {(item.record_label or 'reference').lower()}"
    if action == "not_applicable" and not reason.strip():
        errors["reason"] = "Say why this does not apply to this placement"
    if action == "wait" and not reason.strip():
        errors["reason"] = "Say what this is waiting for"
    return errors


def update(person, item: ChecklistItem, action: str, *, expected_version: int | None,
           recorded_date: date | None = None, recorded_reference: str = "",
           reason: str = "") -> None:
    check(CHECKLIST_ITEM, item, action, person, expected_version=expected_version)
    errors = record_problems(item, action, recorded_date=recorded_date,
                             recorded_reference=recorded_reference, reason=reason)
    if errors:
        raise RuleError(errors)
    details = ""
    if action == "complete":
        item.completed_by_id = person.id
        item.completed_at = utcnow()
        item.reason = ""
        if item.records in (RecordKind.DATE, RecordKind.EXPIRY):
            item.recorded_date = recorded_date
            details = f"{item.record_label}: {recorded_date:%-d %B %Y}"
        if item.records == RecordKind.REFERENCE:
            item.recorded_reference = recorded_reference.strip()
            details = f"{item.record_label}: {item.recorded_reference}"
    elif action in ("not_applicable", "wait"):
        item.reason = reason.strip()
        details = item.reason
    elif action == "reopen":
        item.completed_by_id = None
        item.completed_at = None
    transition(CHECKLIST_ITEM, item, action, person, expected_version=None,
               details=f"{item.title}{': ' + details if details else ''}")


def open_blocking(placement: Placement) -> list[ChecklistItem]:
    return [item for item in sorted(placement.checklist_items, key=lambda i: i.position)
            if item.blocking and item.status in OPEN_STATUSES]


@PLACEMENT.guard("start")
def _blocking_items_done(placement: Placement, action: str) -> list[str]:
    # R9: the placement cannot go active while a blocking item is open.
    return [f"Onboarding item not done yet: {item.title} (owned by {owner_label(item)})"
            for item in open_blocking(placement)]


EXPIRY_WARNING_DAYS = 60


def expiring(placement: Placement, *, within_days: int = EXPIRY_WARNING_DAYS,
             today: date | None = None) -> list[ChecklistItem]:
    """Completed items whose recorded expiry date (a visa, a right to work) falls within
    `within_days` (or has passed): what the placement page shows and People Services
    are reminded of."""
    today = today or london_today()
    # Only a completed check: a reopened one keeps the date it recorded, no longer vouched for.
    return [item for item in placement.checklist_items
            if item.records == RecordKind.EXPIRY and item.status == ItemStatus.DONE
            and item.recorded_date is not None
            and (item.recorded_date - today).days <= within_days]
