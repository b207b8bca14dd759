"""Demo onboarding checklists (R9) at every stage, each item moved by its owner through
the service the checklist pages use (`portal.services.onboarding.items.update`), so the
audit trail says who did what:

- not begun: Visitor data analyst and Estates planning adviser (their hosts have not
  confirmed the details yet), Three-season peatland programme (for the Resources
  Board), Shadowing the budget monitoring team (for Priya to agree) and Payroll
  analyst (just set up from Grace's offer);
- under way: items in progress, items that cannot start yet with what they wait on
  (Maria waits for her corrections to be agreed; Sam for the Board's decision), items
  done with the date or reference they record (an equipment asset tag, an insurance
  policy), items that do not apply with the reason (Tom knows the Finance team
  already; Owen's exchange works in English);
- overdue: items still open past their due date, the due dates following the start
  date: on the Ranger service placement that starts today Priya's handover (in
  progress) and Omar's host induction (not started); on Owen's exchange in Iceland,
  which starts in a month, Sam's pay and relocation (in progress) and accommodation
  (waiting for the host);
- done: the active informal secondment, every item completed by its owner.

Owen's exchange in Iceland is the demo's international placement: his visa is recorded
as expiring within 60 days (`EXPIRES_IN_DAYS`), which the placement page warns of.

IT services' items (equipment, access) are moved by Sam: no demo persona is in IT, and
People Services may move any item.

Safe to run again: a step is taken only on an item never moved (still "not yet started"
at its first version), so a second run, or a run after someone has tried the demo,
moves nothing twice.
"""

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import select

from portal.extensions import db
from portal.models import User
from portal.models.onboarding import ChecklistItem, ItemStatus, RecordKind
from portal.models.placements import Placement
from portal.services.onboarding import items
from portal.services.opportunities import london_today

# The visa on the demo's international placement runs out this many days from the day
# the demo is seeded: within the 60 days the placement page warns of.
EXPIRES_IN_DAYS = 45
# The placements the demo's placements module sets up for the checklists (by title).
ABROAD = "Peatland restoration exchange, Reykjavik"
INCOMING = "Health impact adviser (incoming)"

PEOPLE = {
    "sam": "sam.whitfield@example.org",        # People Services
    "priya": "priya.shah@example.org",         # the secondees' substantive manager
    "george": "george.evans@example.org",      # internal host manager
    "maria": "maria.lopez@northshire-nhs.example",  # Northshire's contact
    "omar": "omar.haddad@lakes-npa.example",   # Lakes National Park Authority's contact
    "owen": "owen.price@example.org",          # a secondee
}


@dataclass(frozen=True)
class Step:
    placement: str   # the placement's title
    item: str        # the item's title
    who: str         # a key of PEOPLE: the item's owner (or People Services)
    action: str      # items.ACTIONS
    reason: str = ""      # what it waits on, or why it does not apply
    reference: str = ""   # what completing it records, for a reference item


STEPS = (
    # Corrections Maria proposed: her item and Sam's wait on them being agreed.
    Step("Health and planning liaison", "Host organisation's details confirmed", "maria",
         "wait", "We proposed corrections to the host manager and the start date: waiting "
         "for People Services to agree them."),
    Step("Health and planning liaison", "Pay and expenses arranged", "sam", "wait",
         "Waiting for the start date Northshire proposed to be agreed before payroll "
         "is told."),
    # With legal: Omar confirmed the details; pay and the handover under way.
    Step("Peatland restoration planner", "Host organisation's details confirmed", "omar",
         "complete"),
    Step("Peatland restoration planner", "Pay and expenses arranged", "sam", "start"),
    Step("Peatland restoration planner", "Handover of current work", "priya", "start"),
    # Returned by legal (internal).
    Step("Budget analyst (internal)", "Local induction", "george", "not_applicable",
         "Tom knows the team and its systems: he covered budget monitoring with us last "
         "year."),
    Step("Budget analyst (internal)", "Handover of current work", "priya", "wait",
         "Waiting for the agreement legal returned to be settled before Tom's casework "
         "moves."),
    # Being signed: Maria confirmed; pay arranged; the handover and induction under way.
    Step("Planning and health partnership officer", "Host organisation's details confirmed",
         "maria", "complete"),
    Step("Planning and health partnership officer", "Pay and expenses arranged", "sam",
         "complete"),
    Step("Planning and health partnership officer", "Handover of current work", "priya",
         "start"),
    Step("Planning and health partnership officer", "Host induction booked", "maria",
         "start"),
    # Starts today (its blocking items done): Priya's handover is late, in progress;
    # Omar's host induction, late, is not started.
    Step("Ranger service improvement lead", "Handover of current work", "priya", "start"),
    # Active: the last item done, the whole checklist complete.
    Step("Finance systems shadowing", "Introduction to the host team", "george", "complete"),
    # With the Resources Board.
    Step("Long-term estates secondment", "Pay and expenses arranged", "sam", "wait",
         "Waiting for the Resources Board to decide on a placement over 24 months."),
    # Both managers agreed the informal arrangement.
    Step("Shadowing the planning enforcement team",
         "Arrangement confirmed with both managers", "priya", "complete"),
    # Abroad (Iceland), starting in a month: the visa done, expiring soon.
    Step(ABROAD, "Host organisation's details confirmed", "omar", "complete"),
    Step(ABROAD, "Visa and right to work", "sam", "complete"),
    Step(ABROAD, "Health cover and insurance", "sam", "complete",
         reference="LNPA-HC-2207"),
    Step(ABROAD, "Political and security briefing", "sam", "complete"),
    Step(ABROAD, "Pay, relocation payments and pension", "sam", "start"),
    Step(ABROAD, "Accommodation and subsistence agreed", "sam", "wait",
         "The Icelandic partners to confirm the flat they offer near their "
         "Reykjavik office."),
    Step(ABROAD, "Pay and expenses arranged", "sam", "start"),
    Step(ABROAD, "Liaison with the host and the embassy", "omar", "start"),
    Step(ABROAD, "Language training", "owen", "not_applicable",
         "The exchange works in English with the Icelandic partners."),
    Step(ABROAD, "Handover of current work", "priya", "start"),
    # Incoming from Northshire, its secondee without an account yet.
    Step(INCOMING, "Onboarding and identity checks", "sam", "complete"),
    Step(INCOMING, "New-starter paperwork", "sam", "wait",
         "Waiting for Northshire to send Dr Boateng's signed confidentiality undertaking."),
    Step(INCOMING, "Equipment ready", "sam", "complete", reference="LAP-04127"),
    Step(INCOMING, "Access to systems", "sam", "start"),
    Step(INCOMING, "Induction booked", "priya", "start"),
)


def _item(placement_title: str, item_title: str) -> ChecklistItem | None:
    return db.session.scalar(
        select(ChecklistItem).join(Placement, ChecklistItem.placement_id == Placement.id)
        .where(Placement.title == placement_title, ChecklistItem.title == item_title)
        .order_by(Placement.id, ChecklistItem.position).limit(1))


def never_moved(item: ChecklistItem) -> bool:
    return item.status == ItemStatus.NOT_STARTED and item.version == 1


def seed_demo_checklists() -> int:
    """Take the steps not taken yet; returns how many were taken."""
    people = {key: db.session.scalar(select(User).where(User.email == email))
              for key, email in PEOPLE.items()}
    today = london_today()
    taken = 0
    for step in STEPS:
        item = _item(step.placement, step.item)
        if item is None or not never_moved(item):
            continue
        recorded = None
        if step.action == "complete" and item.records == RecordKind.EXPIRY:
            recorded = today + timedelta(days=EXPIRES_IN_DAYS)
        elif step.action == "complete" and item.records == RecordKind.DATE:
            recorded = today
        items.update(people[step.who], item, step.action, expected_version=item.version,
                     recorded_date=recorded, recorded_reference=step.reference,
                     reason=step.reason)
        taken += 1
    return taken
