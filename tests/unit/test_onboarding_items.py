"""Onboarding checklist items (R9) through their service and the workflow engine: every
(state, action) pair, what completing an item records, who owns and may move each item
(and `owned_by`, the same rule in SQL, agreeing with `is_owner`), the placement that
cannot start while a blocking item is open, expiry dates coming up, the audit trail and
a stale page. Dates and generation: test_onboarding_core.py."""

from datetime import timedelta
from types import SimpleNamespace

import pytest
from sqlalchemy import func, select

from portal.extensions import db
from portal.models import AuditEvent
from portal.models.onboarding import ChecklistItem, ItemStatus
from portal.models.onboarding import OwnerType as O
from portal.models.placements import Placement
from portal.models.placements import PlacementStatus as P
from portal.permissions import Role
from portal.services import placements
from portal.services.errors import RuleError, StaleRecord
from portal.services.onboarding import items
from portal.services.onboarding.owners import is_owner, owned_by, visible_items
from portal.services.opportunities import london_today
from portal.workflow import (
    CHECKLIST_ITEM,
    CHECKLIST_ITEM_TRANSITIONS,
    PLACEMENT,
    TransitionRefused,
    blocked_actions,
    check,
    refusal,
)
from tests.factories import make_organisation, make_placement, make_user, placement_terms

ABROAD = dict(country="France", location="Paris", accommodation="A flat, paid by the host.",
              subsistence="A daily allowance.", travel="Return train fares.",
              insurance="The host's health cover.")
TODAY = london_today()


@pytest.fixture
def cast(app):
    lakes = make_organisation("Lakes National Park Authority")
    ridings = make_organisation("Ridings Water")
    manager = make_user("Mo Manager")
    return SimpleNamespace(
        lakes=lakes, ridings=ridings, manager=manager,
        officer=make_user("Pat People", roles=[Role.STAFF, Role.PEOPLE_SERVICES]),
        it=make_user("Ida Tech", roles=[Role.STAFF, Role.IT]),
        secondee=make_user("Sam Secondee", line_manager=manager),
        host=make_user("Hal Host-Manager"),
        incomer=make_user("Ina Coming"),
        named=make_user("Nia Named"),
        stranger=make_user("Stu Stranger"),
        contact=make_user("Hana Host", organisation=lakes, roles=[Role.HOST_CONTACT]),
        gone=make_user("Gil Gone", organisation=lakes, roles=[Role.HOST_CONTACT],
                       enabled=False),
        other=make_user("Rhi Ridings", organisation=ridings, roles=[Role.HOST_CONTACT]))


def outgoing(cast, **overrides) -> Placement:
    return make_placement(cast.officer, cast.secondee, partner=cast.lakes, **overrides)


def item_titled(placement: Placement, title: str) -> ChecklistItem:
    return next(i for i in placement.checklist_items if i.title == title)


def audit_rows(item: ChecklistItem) -> list[AuditEvent]:
    return list(db.session.scalars(select(AuditEvent).where(
        AuditEvent.object_type == "ChecklistItem", AuditEvent.object_id == str(item.id))
        .order_by(AuditEvent.id)))


# --- the machine: every (state, action) pair --------------------------------------------

@pytest.mark.parametrize("state", list(ItemStatus))
def test_every_checklist_item_pair_through_the_engine(cast, state):
    placement = outgoing(cast)
    item = item_titled(placement, "Handover of current work")   # the substantive manager's
    assert item.records == "" and item.owner_type == O.SUBSTANTIVE_MANAGER
    wrong = []
    for action in items.ACTIONS:
        item.status = state   # set up as found, not moved: the engine is what is tested
        db.session.commit()
        step = CHECKLIST_ITEM_TRANSITIONS.get((state, action))
        offered = {who: action in items.available(person, item) for who, person in (
            ("owner", cast.manager), ("officer", cast.officer), ("stranger", cast.stranger))}
        if offered != {"owner": step is not None, "officer": step is not None,
                       "stranger": False}:
            wrong.append(f"{state} {action}: offered {offered}")
        if step is not None:
            with pytest.raises(PermissionError):
                check(CHECKLIST_ITEM, item, action, cast.stranger)
        before = len(audit_rows(item))
        try:
            items.update(cast.manager, item, action, expected_version=item.version,
                         reason="Waiting for the cover to be agreed")
        except TransitionRefused as refused:
            db.session.rollback()
            if step is not None:
                wrong.append(f"{state} {action}: refused {refused.problems}")
            elif refused.problems != [
                    "This cannot be done while the checklist item is "
                    f"{ItemStatus(state).label.lower()}"]:
                wrong.append(f"{state} {action}: refused in other words {refused.problems}")
            db.session.expire_all()
            if item.status != state or len(audit_rows(item)) != before:
                wrong.append(f"{state} {action}: refused but changed")
            continue
        if step is None:
            wrong.append(f"{state} {action}: allowed")
            continue
        db.session.expire_all()
        rows = audit_rows(item)
        if item.status != step.target or len(rows) != before + 1:
            wrong.append(f"{state} {action}: now {item.status}, {len(rows) - before} rows")
        elif (rows[-1].action, rows[-1].actor_id) != (f"checklist_item.{action}",
                                                      cast.manager.id):
            wrong.append(f"{state} {action}: audited as {rows[-1].action}")
        elif not rows[-1].summary.startswith(f"{step.verb}: Handover of current work"):
            wrong.append(f"{state} {action}: summary {rows[-1].summary!r}")
    assert wrong == []


def test_the_table_opens_closes_and_reopens_items():
    closed = {ItemStatus.DONE, ItemStatus.NOT_APPLICABLE}
    for (state, action), step in CHECKLIST_ITEM_TRANSITIONS.items():
        assert step.actor == "owner"
        assert (action == "reopen") is (state in closed)
        assert (step.target in closed) is (action in ("complete", "not_applicable"))
    assert {a for _, a in CHECKLIST_ITEM_TRANSITIONS} == set(items.ACTIONS)


# --- what completing records ------------------------------------------------------------

def refused_with(person, item, action, **record) -> dict[str, str]:
    version, status, rows = item.version, item.status, len(audit_rows(item))
    with pytest.raises(RuleError) as refused:
        items.update(person, item, action, expected_version=item.version, **record)
    db.session.rollback()
    assert (item.version, item.status, len(audit_rows(item))) == (version, status, rows)
    return refused.value.errors


def test_a_date_is_recorded_within_a_year_of_today_either_way(cast):
    placement = make_placement(cast.officer, cast.incomer, kind="incoming",
                               partner=cast.lakes, secondee_name="Ina Coming",
                               not_contractor=True)
    checks = item_titled(placement, "Onboarding and identity checks")
    assert refused_with(cast.officer, checks, "complete") == {
        "recorded_date": "Enter the date the checks were completed"}
    for far in (TODAY + timedelta(days=367), TODAY - timedelta(days=367)):
        assert refused_with(cast.officer, checks, "complete", recorded_date=far) == {
            "recorded_date": "The date the checks were completed must be within a year of "
                             "today"}
    items.update(cast.officer, checks, "complete", expected_version=checks.version,
                 recorded_date=TODAY)
    assert (checks.status, checks.recorded_date) == (ItemStatus.DONE, TODAY)
    assert (checks.completed_by_id, checks.completed_at is not None) == (cast.officer.id, True)
    assert audit_rows(checks)[-1].summary == (
        f"completed: Onboarding and identity checks: Date the checks were completed: "
        f"{TODAY:%-d %B %Y}")
    # A reference is recorded trimmed, and a blank one refused.
    equipment = item_titled(placement, "Equipment ready")
    assert refused_with(cast.it, equipment, "complete", recorded_reference="   ") == {
        "recorded_reference": "Enter the equipment asset tag"}
    items.update(cast.it, equipment, "complete", expected_version=equipment.version,
                 recorded_reference="  TAG-042 ")
    assert equipment.recorded_reference == "TAG-042"
    assert audit_rows(equipment)[-1].summary.endswith("Equipment asset tag: TAG-042")


def test_an_expiry_date_must_be_in_the_future(cast):
    placement = outgoing(cast, kind="international", **ABROAD)
    visa = item_titled(placement, "Visa and right to work")
    assert refused_with(cast.officer, visa, "complete") == {
        "recorded_date": "Enter the visa or right to work expiry date"}
    for day in (TODAY, TODAY - timedelta(days=1)):
        assert refused_with(cast.officer, visa, "complete", recorded_date=day) == {
            "recorded_date": "The visa or right to work expiry date must be in the future"}
    items.update(cast.officer, visa, "complete", expected_version=visa.version,
                 recorded_date=TODAY + timedelta(days=1))
    assert visa.recorded_date == TODAY + timedelta(days=1)


def test_not_applicable_and_waiting_need_a_reason(cast):
    placement = outgoing(cast)
    pay = item_titled(placement, "Pay and expenses arranged")
    for blank in ("", "   "):
        assert refused_with(cast.officer, pay, "not_applicable", reason=blank) == {
            "reason": "Say why this does not apply to this placement"}
        assert refused_with(cast.officer, pay, "wait", reason=blank) == {
            "reason": "Say what this is waiting for"}
    items.update(cast.officer, pay, "wait", expected_version=pay.version,
                 reason=" The host's invoice address ")
    assert (pay.status, pay.reason) == (ItemStatus.CANNOT_START, "The host's invoice address")
    items.update(cast.officer, pay, "not_applicable", expected_version=pay.version,
                 reason="The host pays directly.")
    assert (pay.status, pay.reason) == (ItemStatus.NOT_APPLICABLE, "The host pays directly.")
    items.update(cast.officer, pay, "reopen", expected_version=pay.version)
    items.update(cast.officer, pay, "complete", expected_version=pay.version)
    assert (pay.status, pay.reason) == (ItemStatus.DONE, "")   # the reason no longer holds
    items.update(cast.officer, pay, "reopen", expected_version=pay.version)
    assert (pay.status, pay.completed_by_id, pay.completed_at) == (
        ItemStatus.NOT_STARTED, None, None)
    assert [row.action for row in audit_rows(pay)] == [
        "checklist_item.wait", "checklist_item.not_applicable", "checklist_item.reopen",
        "checklist_item.complete", "checklist_item.reopen"]


def test_a_step_from_a_stale_page_is_refused(cast):
    placement = outgoing(cast)
    handover = item_titled(placement, "Handover of current work")
    shown = handover.version
    items.update(cast.manager, handover, "start", expected_version=shown)
    assert handover.version == shown + 1
    with pytest.raises(StaleRecord):
        items.update(cast.manager, handover, "complete", expected_version=shown)
    db.session.rollback()
    assert handover.status == ItemStatus.IN_PROGRESS
    assert [row.action for row in audit_rows(handover)] == ["checklist_item.start"]


# --- owners ---------------------------------------------------------------------------

EVERYONE = ("officer", "it", "secondee", "manager", "host", "incomer", "named", "stranger",
            "contact", "gone", "other")


def incoming_with_account(cast) -> Placement:
    """From Lakes, hosted by Hal, the secondee's account linked as People Services do."""
    placement = make_placement(cast.officer, cast.incomer, kind="incoming",
                               partner=cast.lakes, secondee_name="Ina Coming",
                               not_contractor=True, host_manager_staff_email=cast.host.email)
    placements.update_terms(cast.officer, placement,
                            {"secondee_account_email": cast.incomer.email},
                            expected_version=placement.version)
    assert placement.secondee_id == cast.incomer.id
    return placement


def owner_cases(cast) -> list[tuple[Placement, dict[str, set[str]]]]:
    """Placements of every shape, each with an item of every owner type, and who owns
    each type there (People Services may move all of them besides)."""
    start = placement_terms()["start_date"]
    short = dict(start_date=start, end_date=start + timedelta(days=60))
    shapes = [
        (make_placement(cast.officer, cast.secondee, kind="internal",
                        host_manager_staff_email=cast.host.email),
         {O.SECONDEE: {"secondee"}, O.HOST_MANAGER: {"host"}, O.SUBSTANTIVE_MANAGER:
          {"manager"}, O.HOST_CONTACT: {"host"}}),   # no other organisation: its manager
        (make_placement(cast.officer, cast.secondee, kind="internal"),
         {O.SECONDEE: {"secondee"}, O.HOST_MANAGER: set(), O.SUBSTANTIVE_MANAGER:
          {"manager"}, O.HOST_CONTACT: set()}),
        # The host manager has no account here: their items fall to Lakes' contacts.
        (outgoing(cast),
         {O.SECONDEE: {"secondee"}, O.HOST_MANAGER: {"contact"}, O.SUBSTANTIVE_MANAGER:
          {"manager"}, O.HOST_CONTACT: {"contact"}}),
        (incoming_with_account(cast),
         {O.SECONDEE: {"incomer"}, O.HOST_MANAGER: {"host"}, O.SUBSTANTIVE_MANAGER: set(),
          O.HOST_CONTACT: {"contact"}}),
        (make_placement(cast.officer, cast.incomer, kind="incoming", partner=cast.ridings,
                        secondee_name="Ina Coming", not_contractor=True),
         # Coming in with no host manager named yet: People Services stand in for one
         # (the host is this organisation, not the sending one).
         {O.SECONDEE: set(), O.HOST_MANAGER: {"officer"}, O.SUBSTANTIVE_MANAGER: set(),
          O.HOST_CONTACT: {"other"}}),
        (make_placement(cast.officer, cast.secondee, kind="informal",
                        host_manager_staff_email=cast.host.email, **short),
         {O.SECONDEE: {"secondee"}, O.HOST_MANAGER: {"host"}, O.SUBSTANTIVE_MANAGER:
          {"manager"}, O.HOST_CONTACT: {"host"}}),
    ]
    cases = []
    for placement, owners in shapes:
        source = placement.checklist_items[0]
        for position, owner in enumerate(O, start=100):
            db.session.add(ChecklistItem(
                placement=placement, template_version_id=source.template_version_id,
                position=position, title=f"An item for {owner.label}", owner_type=owner,
                owner_person_id=cast.named.id if owner == O.PERSON else None,
                offset_days=-1, due_date=placement.start_date, phase="before_start"))
        cases.append((placement, owners | {O.PEOPLE_SERVICES: {"officer"}, O.IT: {"it"},
                                           O.PERSON: {"named"}}))
    db.session.commit()
    return cases


def test_an_owner_moves_only_their_own_items_and_people_services_any(cast):
    wrong = []
    for placement, owners in owner_cases(cast):
        for item in placement.checklist_items:
            expected = owners[item.owner_type]
            for who in EVERYONE:
                person = getattr(cast, who)
                if is_owner(person, item) is not (who in expected):
                    wrong.append(f"{placement.kind} {item.title}: is_owner({who})")
                try:
                    check(CHECKLIST_ITEM, item, "start", person)
                    moves = True
                except PermissionError:
                    moves = False
                if moves is not (who in expected or who == "officer"):
                    wrong.append(f"{placement.kind} {item.title}: {who} moves it: {moves}")
    assert wrong == []


def test_owned_by_in_sql_agrees_with_is_owner_for_every_item(cast):
    cases = owner_cases(cast)
    every_item = [item for placement, _ in cases for item in placement.checklist_items]
    assert len(every_item) > 6 * len(O)
    for who in EVERYONE:
        person = getattr(cast, who)
        found = set(db.session.scalars(select(ChecklistItem.id).join(
            Placement, Placement.id == ChecklistItem.placement_id).where(owned_by(person))))
        assert found == {item.id for item in every_item if is_owner(person, item)}, who
    # Something for each to own, bar the stranger and the disabled contact.
    assert all(any(is_owner(getattr(cast, who), item) for item in every_item)
               for who in EVERYONE if who not in ("stranger", "gone"))


def test_a_host_contact_sees_and_moves_only_their_own_organisations_items(cast):
    placement = outgoing(cast)
    assert [i.title for i in visible_items(cast.contact, placement)] == [
        "Host organisation's details confirmed", "Host induction booked"]
    assert visible_items(cast.other, placement) == []
    assert len(visible_items(cast.secondee, placement)) == len(placement.checklist_items)
    details = item_titled(placement, "Host organisation's details confirmed")
    for outsider in (cast.other, cast.gone, cast.secondee):
        with pytest.raises(PermissionError):
            items.update(outsider, details, "complete", expected_version=details.version)
        db.session.rollback()
    assert details.status == ItemStatus.NOT_STARTED and audit_rows(details) == []
    items.update(cast.contact, details, "complete", expected_version=details.version)
    assert (details.status, details.completed_by_id) == (ItemStatus.DONE, cast.contact.id)
    pay = item_titled(placement, "Pay and expenses arranged")
    with pytest.raises(PermissionError):
        items.update(cast.contact, pay, "start", expected_version=pay.version)


# --- the placement's start --------------------------------------------------------------

def ready_today(cast) -> Placement:
    placement = outgoing(cast, start_date=TODAY)
    placement.status = P.READY   # set up as found: the start's guard is what is tested
    db.session.commit()
    return placement


def test_a_placement_cannot_start_while_a_blocking_item_is_open(cast):
    placement = ready_today(cast)
    waiting = ["Onboarding item not done yet: Host organisation's details confirmed (owned "
               "by The host organisation's contact)",
               "Onboarding item not done yet: Pay and expenses arranged (owned by People "
               "Services)"]
    assert refusal(PLACEMENT, placement, "start", cast.officer) == waiting
    assert blocked_actions(PLACEMENT, placement, cast.officer) == {"start": waiting}
    with pytest.raises(TransitionRefused):
        placements.start(cast.officer, placement, expected_version=placement.version)
    db.session.rollback()
    details = item_titled(placement, "Host organisation's details confirmed")
    pay = item_titled(placement, "Pay and expenses arranged")
    # Started, or waiting on something, is still not done.
    items.update(cast.contact, details, "start", expected_version=details.version)
    items.update(cast.officer, pay, "wait", expected_version=pay.version, reason="Payroll")
    assert refusal(PLACEMENT, placement, "start", cast.officer) == waiting
    items.update(cast.contact, details, "complete", expected_version=details.version)
    assert refusal(PLACEMENT, placement, "start", cast.officer) == waiting[1:]
    items.update(cast.officer, pay, "not_applicable", expected_version=pay.version,
                 reason="The host pays the secondee directly.")
    # Done or not applicable: the start may go ahead, the other items still open.
    assert refusal(PLACEMENT, placement, "start", cast.officer) == []
    assert any(item.is_open for item in placement.checklist_items)
    # Reopened, it stops the start again.
    items.update(cast.officer, pay, "reopen", expected_version=pay.version)
    assert refusal(PLACEMENT, placement, "start", cast.officer) == waiting[1:]
    items.update(cast.officer, pay, "complete", expected_version=pay.version)
    placements.start(cast.officer, placement, expected_version=placement.version)
    assert db.session.get(Placement, placement.id).status == P.ACTIVE


def test_the_start_names_each_blocking_items_owner(cast):
    placement = make_placement(cast.officer, cast.incomer, kind="incoming",
                               partner=cast.lakes, secondee_name="Ina Coming",
                               not_contractor=True, start_date=TODAY)
    placement.status = P.READY
    db.session.commit()
    assert refusal(PLACEMENT, placement, "start", cast.officer) == [
        "Onboarding item not done yet: Onboarding and identity checks (owned by People "
        "Services)",
        "Onboarding item not done yet: New-starter paperwork (owned by People Services)",
        "Onboarding item not done yet: Equipment ready (owned by IT services)",
        "Onboarding item not done yet: Access to systems (owned by IT services)"]


# --- expiry dates coming up -------------------------------------------------------------

def test_expiring_lists_completed_expiry_dates_within_60_days(cast):
    placement = outgoing(cast, kind="international", **ABROAD)
    visa = item_titled(placement, "Visa and right to work")
    briefing = item_titled(placement, "Political and security briefing")
    items.update(cast.officer, briefing, "complete", expected_version=briefing.version,
                 recorded_date=TODAY)   # a date, not an expiry: never listed
    assert items.expiring(placement) == []
    items.update(cast.officer, visa, "complete", expected_version=visa.version,
                 recorded_date=TODAY + timedelta(days=61))
    assert items.expiring(placement) == []
    assert items.expiring(placement, today=TODAY + timedelta(days=1)) == [visa]
    assert items.expiring(placement, within_days=61) == [visa]
    # Passed already: still listed.
    assert items.expiring(placement, today=TODAY + timedelta(days=100)) == [visa]
    items.update(cast.officer, visa, "reopen", expected_version=visa.version)
    items.update(cast.officer, visa, "complete", expected_version=visa.version,
                 recorded_date=TODAY + timedelta(days=60))
    assert items.expiring(placement) == [visa]
    # Reopened, it is no longer a completed check: its old date is not listed.
    items.update(cast.officer, visa, "reopen", expected_version=visa.version)
    assert items.expiring(placement) == []


def test_each_step_writes_one_audit_row(cast):
    placement = outgoing(cast)
    handover = item_titled(placement, "Handover of current work")
    steps = [("start", {}), ("wait", {"reason": "The cover"}), ("start", {}),
             ("complete", {}), ("reopen", {}), ("not_applicable", {"reason": "Covered"})]
    for action, record in steps:
        items.update(cast.manager, handover, action, expected_version=handover.version,
                     **record)
    rows = audit_rows(handover)
    assert [(r.action, r.actor_id) for r in rows] == [
        (f"checklist_item.{action}", cast.manager.id) for action, _ in steps]
    assert rows[1].summary == ("marked as cannot start yet: Handover of current work: "
                               "The cover")
    assert db.session.scalar(select(func.count(AuditEvent.id)).where(
        AuditEvent.action.like("checklist_item.%"))) == len(steps)
