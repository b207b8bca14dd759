"""The daily onboarding reminders (R9), run by `flask send-reminders` from cron.

Each person who owns open checklist items due within REMINDER_WORKING_DAYS working days
(counted with the bank holidays of each placement's nation), or overdue, gets one digest
of them all: overdue first, then due soon. People Services' digest has a section of its
own for the visa and right-to-work expiry dates recorded on completed items that fall
within EXPIRY_WARNING_DAYS days or have passed, so they too get at most one a day.

At most one digest per person per day, however often it runs and from however many
hosts at once: the digest's row (`ReminderDigest`, unique on recipient and day) is
inserted with ON CONFLICT DO NOTHING in the same transaction as its outbox message, so
a second run, or a concurrent one that waits on the first's row and then finds it
there, skips that person instead of failing or telling them twice.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from flask import current_app
from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import contains_eager, joinedload

from portal import notifications
from portal.extensions import db
from portal.models import Placement, RoleAssignment, User
from portal.models.onboarding import (
    OPEN_STATUSES,
    ChecklistItem,
    ItemStatus,
    Nation,
    RecordKind,
    ReminderDigest,
)
from portal.models.onboarding import OwnerType as O
from portal.roles import Role
from portal.services.onboarding.generation import checklist_link, nation_of
from portal.services.onboarding.items import EXPIRY_WARNING_DAYS
from portal.services.onboarding.listing import LIVE_PLACEMENTS
from portal.services.onboarding.owners import effective_owner_type, owner_addresses
from portal.services.onboarding.workdays import working_days_from
from portal.services.opportunities import london_today
from portal.urls import external_url

REMINDER_WORKING_DAYS = 5


UK_NATIONS = (Nation.ENGLAND_AND_WALES, Nation.SCOTLAND, Nation.NORTHERN_IRELAND)

_INSERT = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}


@dataclass
class ReminderRun:
    """What one run did: digests queued, people skipped as already reminded today, and
    expiry dates put in People Services' digest."""

    queued: int = 0
    skipped: int = 0
    expiry_warnings: int = 0


@dataclass
class _Digest:
    overdue: list
    due_soon: list
    expiring: list

    @property
    def size(self) -> int:
        return len(self.overdue) + len(self.due_soon) + len(self.expiring)


def send_reminders(today: date | None = None) -> ReminderRun:
    """Queue today's digest for everyone with onboarding items overdue or due soon (and
    People Services' for expiry dates coming up), skipping whoever has had theirs today.
    Commits once."""
    today = today or london_today()
    due = _due_items(today)
    expiring = _expiring_items(today)
    addresses = _Addresses(due)

    digests: dict[str, _Digest] = defaultdict(lambda: _Digest([], [], []))
    for item in due:
        for address in addresses.of(item):
            digest = digests[address]
            (digest.overdue if item.due_date < today else digest.due_soon).append(item)
    if expiring:
        people_services = current_app.config["PEOPLE_SERVICES_EMAIL"].strip().lower()
        digests[people_services].expiring.extend(expiring)

    run = ReminderRun()
    if not digests:
        return run
    recorded = _record_digests(today, {a: d.size for a, d in digests.items()})
    your_tasks = external_url("onboarding.your_tasks")
    for address in sorted(digests):
        row = recorded.get(address)
        if row is None:
            run.skipped += 1
            continue
        digest = digests[address]
        links = {item.placement_id: checklist_link(item.placement)
                 for item in digest.overdue + digest.due_soon + digest.expiring}
        notifications.send([address], "checklist_reminder", about=row, today=today,
                           overdue=digest.overdue, due_soon=digest.due_soon,
                           expiring=digest.expiring, links=links, link=your_tasks,
                           working_days=REMINDER_WORKING_DAYS,
                           warning_days=EXPIRY_WARNING_DAYS)
        run.queued += 1
        run.expiry_warnings += len(digest.expiring)
    db.session.commit()
    return run


def _order(item: ChecklistItem) -> tuple:
    return (item.due_date, item.placement.secondee_name, item.placement_id, item.position)


def _live_items():
    """Checklist items with their placements, the placements' people and organisations,
    in the one query (what the owners, the nation and the digest's lines read)."""
    placement = contains_eager(ChecklistItem.placement)
    return (select(ChecklistItem).join(ChecklistItem.placement)
            .where(Placement.status.in_(LIVE_PLACEMENTS))
            .options(placement.joinedload(Placement.secondee),
                     placement.joinedload(Placement.host_manager),
                     placement.joinedload(Placement.substantive_manager),
                     placement.joinedload(Placement.home_organisation),
                     placement.joinedload(Placement.host_organisation),
                     joinedload(ChecklistItem.owner_person)))


def _due_items(today: date) -> list[ChecklistItem]:
    """Open items overdue or due within REMINDER_WORKING_DAYS working days of `today` in
    their placement's nation. The query is bounded by the latest such day of the UK's
    nations (a place with fewer bank holidays reaches its 5th working day sooner); each
    item is then held to its own nation's."""
    bound = max(working_days_from(today, REMINDER_WORKING_DAYS, nation)
                for nation in UK_NATIONS)
    items = db.session.scalars(_live_items().where(
        ChecklistItem.status.in_(OPEN_STATUSES),
        ChecklistItem.due_date <= bound)).unique()
    last_day: dict[str, date] = {}
    due = []
    for item in items:
        nation = nation_of(item.placement)
        if nation not in last_day:
            last_day[nation] = working_days_from(today, REMINDER_WORKING_DAYS, nation)
        if item.due_date <= last_day[nation]:
            due.append(item)
    return sorted(due, key=_order)


def _expiring_items(today: date) -> list[ChecklistItem]:
    """Completed items whose recorded expiry date (a visa, a right to work) is within
    EXPIRY_WARNING_DAYS days or has passed: the rule of `items.expiring`, for every live
    placement at once."""
    items = db.session.scalars(_live_items().where(
        ChecklistItem.records == RecordKind.EXPIRY,
        ChecklistItem.status == ItemStatus.DONE,
        ChecklistItem.recorded_date.is_not(None),
        ChecklistItem.recorded_date <= today + timedelta(days=EXPIRY_WARNING_DAYS))).unique()
    return sorted(items, key=lambda i: (i.recorded_date, i.placement.secondee_name,
                                        i.placement_id, i.position))


class _Addresses:
    """Whom each item's reminder goes to: `owners.owner_addresses`, with IT's holders and
    the other organisations' host contacts asked once for the whole run instead of once
    per item (the same people owner_addresses names)."""

    def __init__(self, items: list[ChecklistItem]):
        owners = [(item, effective_owner_type(item, item.placement)) for item in items]
        self.it: list[str] = []
        self.contacts: dict[int, list[str]] = defaultdict(list)
        if any(owner == O.IT for _item, owner in owners):
            self.it = list(db.session.scalars(_enabled_holders(Role.IT, User.email)))
        organisations = {item.placement.external_organisation_id
                         for item, owner in owners if owner == O.HOST_CONTACT}
        if organisations:
            for organisation_id, email in db.session.execute(
                    _enabled_holders(Role.HOST_CONTACT, User.organisation_id, User.email)
                    .where(User.organisation_id.in_(organisations))):
                self.contacts[organisation_id].append(email)

    def of(self, item: ChecklistItem) -> list[str]:
        owner = effective_owner_type(item, item.placement)
        if owner == O.IT:
            found = self.it
        elif owner == O.HOST_CONTACT:
            found = self.contacts.get(item.placement.external_organisation_id, [])
        else:
            found = owner_addresses(item)
        return sorted({a.strip().lower() for a in found if a and a.strip()})


def _enabled_holders(role: Role, *columns):
    return select(*columns).join(RoleAssignment, RoleAssignment.user_id == User.id).where(
        RoleAssignment.role == role, User.is_enabled.is_(True)).distinct()


def _record_digests(today: date, sizes: dict[str, int]) -> dict[str, ReminderDigest]:
    """Insert today's digest row for each address that has none yet, in one statement,
    and return the rows inserted by address. A row already there (an earlier run today,
    or a concurrent run's, waited for until it commits) is left alone and not returned.
    The addresses go in sorted, so two runs at once take their rows in the same order
    and never wait on each other in a circle."""
    insert = _INSERT[db.session.get_bind().dialect.name]
    statement = (insert(ReminderDigest)
                 .values([{"recipient": address, "day": today, "items": sizes[address]}
                          for address in sorted(sizes)])
                 .on_conflict_do_nothing(index_elements=["recipient", "day"])
                 .returning(ReminderDigest))
    return {row.recipient: row for row in db.session.scalars(statement)}
