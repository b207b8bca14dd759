"""Extensions (R3, 001 §5.6-5.7, 002 §1.3) and the end of a running placement (R11, 002
§8): who proposes, the substantive manager's and the host's agreement, the return
considered beyond 12 months in total and the Resources Board beyond 24 months in total,
every extension counted together; a secondee who never approves their own; the end date
moving with the reviews; ending early with notice and the return on or after the end
date, each guard in words; audit rows, e-mails and stale pages."""

from datetime import date, timedelta
from types import SimpleNamespace

import pytest
from flask import current_app
from sqlalchemy import select

from portal.extensions import db
from portal.models import AuditEvent, OutboxMessage, RoleAssignment
from portal.models.extensions import Extension
from portal.models.extensions import ExtensionStatus as X
from portal.models.placements import Placement
from portal.models.placements import PlacementStatus as P
from portal.models.reviews import ReviewKind as R
from portal.permissions import Role
from portal.services import extensions, placements
from portal.services.errors import RuleError, StaleRecord
from portal.services.opportunities import london_today
from portal.services.placements.rules import add_months
from portal.services.reviews import scheduling
from portal.workflow import EXTENSION, PLACEMENT, TransitionRefused, refusal, transition
from tests.factories import make_organisation, make_placement, make_user

TODAY = london_today()


@pytest.fixture
def cast(app):
    lakes = make_organisation("Lakes National Park Authority")
    ridings = make_organisation("Ridings Water")
    manager = make_user("Mo Manager")
    return SimpleNamespace(
        lakes=lakes, ridings=ridings, manager=manager,
        officer=make_user("Pat People", roles=[Role.STAFF, Role.PEOPLE_SERVICES]),
        board=make_user("Bo Board", roles=[Role.STAFF, Role.RESOURCES_BOARD]),
        secondee=make_user("Sam Secondee", line_manager=manager),
        host=make_user("Hal Host-Manager"), stranger=make_user("Stu Stranger"),
        contact=make_user("Hana Host", organisation=lakes, roles=[Role.HOST_CONTACT]),
        other=make_user("Rhi Ridings", organisation=ridings, roles=[Role.HOST_CONTACT]))


def running(cast, *, months: int, started_days_ago: int = 100, outgoing: bool = True,
            status: str = P.ACTIVE) -> Placement:
    """A running placement of `months` months (to the day before), its reviews
    scheduled: outgoing to Lakes (whose contact is the host), or internal with a host
    manager here."""
    placement = (make_placement(cast.officer, cast.secondee, partner=cast.lakes)
                 if outgoing else make_placement(cast.officer, cast.secondee,
                                                 kind="internal",
                                                 host_manager_staff_email=cast.host.email))
    start = TODAY - timedelta(days=started_days_ago)
    placement.start_date, placement.status = start, status
    placement.end_date = add_months(start, months) - timedelta(days=1)
    scheduling.schedule(placement)
    db.session.commit()
    return placement


def months_on(placement: Placement, months: int, days: int = -1) -> date:
    """The day `months` after its start, less one: a placement of exactly that long."""
    return add_months(placement.start_date, months) + timedelta(days=days)


def propose(cast, placement, new_end, by=None, **values) -> Extension:
    return extensions.propose(by or cast.secondee, placement, new_end_date=new_end,
                              reason=values.get("reason", "The project runs on."),
                              funding=values.get("funding", "The host's budget."),
                              expected_version=placement.version)


def agree_both(cast, extension, **values) -> Extension:
    extensions.agree(cast.manager, extension, expected_version=extension.version, **values)
    return extensions.agree(cast.contact, extension, expected_version=extension.version,
                            **values)


def events(prefix: str) -> list[tuple[str, int]]:
    return [(e.action, e.actor_id) for e in db.session.scalars(
        select(AuditEvent).where(AuditEvent.action.like(f"{prefix}.%"),
                                 AuditEvent.action != "placement.create")
        .order_by(AuditEvent.id))]


# --- proposing --------------------------------------------------------------------------

def test_the_secondee_or_either_manager_proposes_and_nobody_else(cast):
    outgoing = running(cast, months=6)
    inside = running(cast, months=6, outgoing=False)
    for placement, who in ((outgoing, {"secondee", "manager", "contact"}),
                           (inside, {"secondee", "manager", "host"})):
        people = {name: getattr(cast, name) for name in (
            "secondee", "manager", "host", "contact", "other", "officer", "board",
            "stranger")}
        assert {n for n, p in people.items() if extensions.may_propose(p, placement)} == who
    with pytest.raises(PermissionError):
        propose(cast, outgoing, months_on(outgoing, 8), by=cast.officer)


def test_a_proposal_needs_a_later_date_a_reason_and_the_funding(cast):
    placement = running(cast, months=6)
    cases = [
        (dict(new_end=placement.end_date), {"new_end_date": (
            "The new end date must be after the current end date, "
            f"{placement.end_date:%-d %B %Y}")}),
        (dict(new_end=None), {"new_end_date": "Enter the new end date"}),
        (dict(new_end=months_on(placement, 61)),
         {"new_end_date": "A placement can last up to 60 months in total"}),
        (dict(new_end=months_on(placement, 8), reason=" ", funding=""),
         {"reason": "Give the reason for the extension",
          "funding": "Say how the extension is funded"}),
        (dict(new_end=months_on(placement, 8), reason="x" * 2001),
         {"reason": "The reason must be 2,000 characters or fewer"}),
    ]
    for values, errors in cases:
        with pytest.raises(RuleError) as refused:
            propose(cast, placement, values.pop("new_end"), **values)
        assert refused.value.errors == errors
    assert placement.extensions == []


def test_an_incoming_or_informal_placement_keeps_its_limit_in_total(cast):
    incoming = make_placement(cast.officer, make_user("Ina Coming"), kind="incoming",
                              partner=cast.ridings, secondee_name="Ina Coming",
                              not_contractor=True, host_manager_staff_email=cast.host.email)
    informal = make_placement(cast.officer, cast.secondee, kind="informal",
                              host_manager_staff_email=cast.host.email,
                              end_date=TODAY + timedelta(days=60))
    for placement in (incoming, informal):
        placement.status, placement.start_date = P.ACTIVE, TODAY - timedelta(days=10)
    db.session.commit()
    with pytest.raises(RuleError) as refused:    # R2 (002 §4.1)
        extensions.propose(cast.host, incoming, new_end_date=months_on(incoming, 24, 0),
                           reason="r", funding="f", expected_version=incoming.version)
    assert "up to 24 months in total" in refused.value.errors["new_end_date"]
    with pytest.raises(RuleError) as refused:    # 004
        propose(cast, informal, months_on(informal, 6, 0))
    assert "up to 6 months in total" in refused.value.errors["new_end_date"]
    assert propose(cast, informal, months_on(informal, 6)).status == X.PROPOSED


def test_only_a_running_placement_is_extended_and_one_extension_at_a_time(cast):
    placement = running(cast, months=6)
    first = propose(cast, placement, months_on(placement, 8))
    with pytest.raises(TransitionRefused) as refused:
        propose(cast, placement, months_on(placement, 9), by=cast.manager)
    assert refused.value.problems == [f"An extension to {first.new_end_date:%-d %B %Y} is "
                                      "already waiting for a decision"]
    db.session.rollback()
    for state in (P.READY, P.RETURNED, P.ENDED_EARLY):
        later = running(cast, months=6, status=state)
        assert extensions.propose_problems(later) == ["Only a running placement can be "
                                                      "extended"]


def test_a_proposal_from_a_stale_page_is_refused(cast):
    placement = running(cast, months=6)
    shown = placement.version
    propose(cast, placement, months_on(placement, 8))
    extension = placement.extensions[0]
    extensions.withdraw(cast.secondee, extension, expected_version=extension.version)
    with pytest.raises(StaleRecord):
        extensions.propose(cast.manager, placement, new_end_date=months_on(placement, 9),
                           reason="r", funding="f", expected_version=shown)


# --- agreeing: 12 months in total --------------------------------------------------------

def test_agreed_by_both_the_end_date_moves_and_the_reviews_follow(cast):
    placement = running(cast, months=6)
    end_review = next(r for r in placement.reviews if r.kind == R.END_REVIEW)
    extension = propose(cast, placement, months_on(placement, 9))
    assert extensions.available_actions(cast.manager, extension) == [
        "agree_substantive", "refuse", "withdraw"]
    extensions.agree(cast.manager, extension, expected_version=extension.version)
    assert (extension.status, placement.status) == (X.PROPOSED, P.ACTIVE)
    assert "agree_substantive" not in extensions.available_actions(cast.manager, extension)
    extensions.agree(cast.contact, extension, expected_version=extension.version)
    db.session.expire_all()
    placement = db.session.get(Placement, placement.id)
    assert placement.status == P.EXTENDED
    assert placement.end_date == months_on(placement, 9)
    assert placement.extensions[0].status == X.AGREED
    assert placement.extensions[0].applied_at is not None
    end_review = db.session.get(type(end_review), end_review.id)
    assert end_review.due_date == placement.end_date - timedelta(weeks=2)
    assert end_review.note.startswith("Due date moved from")
    assert events("extension") == [
        ("extension.propose", cast.secondee.id), ("extension.agree_substantive",
                                                  cast.manager.id),
        ("extension.agree_host", cast.contact.id), ("extension.conclude", cast.contact.id)]
    assert events("placement") == [("placement.extend", cast.contact.id)]
    told = {m.template: m.recipients for m in db.session.scalars(select(OutboxMessage))}
    assert cast.manager.email in told["extension_proposed"]
    assert cast.contact.email in told["extension_proposed"]
    assert cast.secondee.email in told["extension_decided"]


def test_beyond_12_months_in_total_each_side_confirms_they_considered_the_return(cast):
    placement = running(cast, months=10)
    # 12 months exactly, in total: nothing more to confirm.
    first = propose(cast, placement, months_on(placement, 12))
    assert extensions.warnings(placement, first.new_end_date) == []
    agree_both(cast, first)
    assert placement.status == P.EXTENDED
    # One day more is beyond 12 months in total, though this extension is one day long.
    second = propose(cast, placement, months_on(placement, 12, 0))
    assert extensions.needs_return_considered(second)
    assert len(extensions.warnings(placement, second.new_end_date)) == 1
    for person in (cast.manager, cast.contact):
        with pytest.raises(RuleError) as refused:
            extensions.agree(person, second, expected_version=second.version)
        assert list(refused.value.errors) == ["considered_return"]
        db.session.rollback()
    extensions.agree(cast.manager, second, considered_return=True,
                     expected_version=second.version)
    extensions.agree(cast.contact, second, considered_return=True,
                     expected_version=second.version)
    assert second.status == X.AGREED and second.considered_return
    assert placement.end_date == months_on(placement, 12, 0)


def test_the_conclusion_waits_for_both_confirmations_of_the_return(cast):
    placement = running(cast, months=11)
    extension = propose(cast, placement, months_on(placement, 14))
    extensions.agree(cast.manager, extension, considered_return=True,
                     expected_version=extension.version)
    extension.host_agreed_at = extension.proposed_at   # agreed, as found, unconfirmed
    assert refusal(EXTENSION, extension, "conclude", cast.contact) == [
        "Both must confirm they considered the return: it lasts more than 12 months in total"]
    extension.host_considered_return = True
    assert refusal(EXTENSION, extension, "conclude", cast.contact) == []
    assert refusal(EXTENSION, extension, "refer_to_board", cast.contact) == [
        "Only an extension beyond 24 months in total goes to the Resources Board"]
    extension.new_end_date = months_on(placement, 24, 0)
    assert refusal(EXTENSION, extension, "conclude", cast.contact) == [
        "It lasts more than 24 months in total: the Resources Board decides"]
    assert refusal(EXTENSION, extension, "refer_to_board", cast.contact) == []


# --- the Resources Board: 24 months in total --------------------------------------------

def test_beyond_24_months_in_total_the_board_decides(cast):
    placement = running(cast, months=20, started_days_ago=500)
    first = propose(cast, placement, months_on(placement, 24))
    agree_both(cast, first, considered_return=True)
    assert first.status == X.AGREED      # 24 months exactly: no Board
    second = propose(cast, placement, months_on(placement, 24, 0), by=cast.manager)
    assert len(extensions.warnings(placement, second.new_end_date)) == 2
    agree_both(cast, second, considered_return=True)
    assert second.status == X.WITH_BOARD
    assert placement.end_date == months_on(placement, 24)          # not moved yet
    assert extensions.available_actions(cast.manager, second) == ["withdraw"]
    assert extensions.available_actions(cast.board, second) == ["approve", "reject"]
    with pytest.raises(RuleError) as refused:
        extensions.decide_board(cast.board, second, approve=True, reason=" ",
                                expected_version=second.version)
    assert refused.value.errors == {"reason": "Give the reason for the Board's decision"}
    db.session.rollback()
    extensions.decide_board(cast.board, second, approve=True, reason="Knowledge transfer.",
                            expected_version=second.version)
    assert second.status == X.AGREED and second.board_approved
    assert placement.end_date == months_on(placement, 24, 0)
    assert placement.status == P.EXTENDED
    assert db.session.scalar(select(OutboxMessage.recipients).where(
        OutboxMessage.template == "extension_to_board")) == current_app.config[
        "RESOURCES_BOARD_EMAIL"]


def test_the_board_may_refuse_and_the_end_date_stays(cast):
    placement = running(cast, months=23, started_days_ago=600)
    end = placement.end_date
    extension = propose(cast, placement, months_on(placement, 30))
    agree_both(cast, extension, considered_return=True)
    extensions.decide_board(cast.board, extension, approve=False, reason="Too long away.",
                            expected_version=extension.version)
    assert (extension.status, extension.board_approved) == (X.REFUSED, False)
    assert (placement.end_date, placement.status) == (end, P.ACTIVE)
    assert events("extension")[-1] == ("extension.reject", cast.board.id)


def test_no_one_who_had_a_hand_in_it_decides_for_the_board(cast):
    placement = running(cast, months=23, started_days_ago=600)
    proposer = make_user("Pro Poser", roles=[Role.STAFF, Role.RESOURCES_BOARD])
    placement.substantive_manager_id = proposer.id
    db.session.commit()
    extension = propose(cast, placement, months_on(placement, 30), by=proposer)
    extensions.agree(proposer, extension, considered_return=True,
                     expected_version=extension.version)
    extensions.agree(cast.contact, extension, considered_return=True,
                     expected_version=extension.version)
    assert extension.status == X.WITH_BOARD
    with pytest.raises(PermissionError):
        extensions.decide_board(proposer, extension, approve=True, reason="Mine.",
                                expected_version=extension.version)


# --- a secondee never approves their own ------------------------------------------------

def test_a_secondee_cannot_approve_their_own_extension_whatever_else_they_are(cast):
    placement = running(cast, months=23, started_days_ago=600)
    # The secondee sits on the Resources Board and is named, wrongly, as their own
    # substantive manager and host manager.
    cast.secondee.role_assignments.append(RoleAssignment(
        role=Role.RESOURCES_BOARD, source=RoleAssignment.SOURCE_BACK_OFFICE))
    placement.substantive_manager_id = placement.host_manager_id = cast.secondee.id
    db.session.commit()
    extension = propose(cast, placement, months_on(placement, 30))
    assert extensions.available_actions(cast.secondee, extension) == ["withdraw"]
    with pytest.raises(PermissionError):
        extensions.agree(cast.secondee, extension, considered_return=True,
                         expected_version=extension.version)
    with pytest.raises(PermissionError):
        extensions.refuse(cast.secondee, extension, reason="No.",
                          expected_version=extension.version)
    # Agreed by the host organisation's contact and, as found, the substantive side.
    extensions.agree(cast.contact, extension, considered_return=True,
                     expected_version=extension.version)
    extension.substantive_agreed_at = extension.proposed_at
    extension.substantive_considered_return = True
    transition(EXTENSION, extension, "refer_to_board", cast.contact)
    with pytest.raises(PermissionError):
        extensions.decide_board(cast.secondee, extension, approve=True, reason="Mine.",
                                expected_version=extension.version)
    assert not PLACEMENT.is_actor(cast.secondee, placement, "extension_approver")


# --- refusing, withdrawing, stale pages ---------------------------------------------------

def test_the_substantive_manager_or_the_host_refuses_with_a_reason(cast):
    placement = running(cast, months=6)
    for refuser, action in ((cast.manager, "refuse"), (cast.contact, "decline")):
        extension = propose(cast, placement, months_on(placement, 8))
        with pytest.raises(RuleError) as refused:
            extensions.refuse(refuser, extension, reason="", expected_version=extension.version)
        assert refused.value.errors == {"reason": "Give the reason for refusing the extension"}
        db.session.rollback()
        extensions.refuse(refuser, extension, reason="The work is done.",
                          expected_version=extension.version)
        assert (extension.status, extension.closed_reason) == (X.REFUSED, "The work is done.")
        assert events("extension")[-1] == (f"extension.{action}", refuser.id)
    assert placement.status == P.ACTIVE and placement.end_date == months_on(placement, 6)
    with pytest.raises(PermissionError):
        extension = propose(cast, placement, months_on(placement, 8))
        extensions.refuse(cast.stranger, extension, reason="No.",
                          expected_version=extension.version)


def test_a_decision_from_a_stale_page_is_refused(cast):
    placement = running(cast, months=6)
    extension = propose(cast, placement, months_on(placement, 8))
    shown = extension.version
    extensions.agree(cast.manager, extension, expected_version=shown)
    for step in (lambda: extensions.agree(cast.contact, extension, expected_version=shown),
                 lambda: extensions.refuse(cast.contact, extension, reason="No.",
                                           expected_version=shown)):
        with pytest.raises(StaleRecord):
            step()
        db.session.rollback()
    assert extension.status == X.PROPOSED and extension.host_agreed_at is None


def test_an_extension_of_an_end_date_that_has_since_moved_is_not_agreed(cast):
    placement = running(cast, months=6)
    extension = propose(cast, placement, months_on(placement, 8))
    placement.end_date = months_on(placement, 7)       # as found
    db.session.commit()
    with pytest.raises(TransitionRefused) as refused:
        extensions.agree(cast.manager, extension, expected_version=extension.version)
    assert refused.value.problems == [
        f"The placement's end date has changed to {placement.end_date:%-d %B %Y} since this "
        "extension was proposed: propose it again"]


def test_the_placement_is_extended_only_by_an_agreed_extension(cast):
    placement = running(cast, months=6)
    assert refusal(PLACEMENT, placement, "extend", cast.manager) == [
        "A placement is extended only once the substantive manager and the host have agreed "
        "an extension (and the Resources Board approved it beyond 24 months in total)"]


# --- ending early ------------------------------------------------------------------------

def test_ending_early_runs_to_the_end_of_the_notice_unless_later(cast):
    placement = running(cast, months=12)
    notice_end = TODAY + timedelta(weeks=4)
    with pytest.raises(PermissionError):
        placements.end_early(cast.contact, placement, reason="r",
                             expected_version=placement.version)
    cases = [
        (dict(reason=" "), {"reason": "Give the reason for ending the placement early"}),
        (dict(reason="r", end_on=notice_end - timedelta(days=1)),
         {"end_on": "The placement's notice is 4 weeks: it can end on "
                    f"{notice_end:%-d %B %Y} at the earliest"}),
        (dict(reason="r", end_on=placement.end_date),
         {"end_on": f"The new end date must be before its end date of "
                    f"{placement.end_date:%-d %B %Y}"}),
    ]
    for values, errors in cases:
        with pytest.raises(RuleError) as refused:
            placements.end_early(cast.manager, placement, expected_version=placement.version,
                                 **values)
        assert refused.value.errors == errors
    placements.end_early(cast.manager, placement, reason="Needed back at home.",
                         expected_version=placement.version)
    assert (placement.status, placement.end_date) == (P.ENDED_EARLY, notice_end)
    assert (placement.end_reason, placement.ended_by_id) == ("Needed back at home.",
                                                             cast.manager.id)
    assert events("placement") == [("placement.end_early", cast.manager.id)]
    assert db.session.scalar(select(OutboxMessage.template)) == "placement_ended_early"
    later = running(cast, months=12)
    placements.end_early(cast.officer, later, reason="Restructure.",
                         end_on=notice_end + timedelta(days=10),
                         expected_version=later.version)
    assert later.end_date == notice_end + timedelta(days=10)


def test_a_placement_whose_notice_runs_past_its_end_is_not_ended_early(cast):
    placement = running(cast, months=4, started_days_ago=110)
    assert refusal(PLACEMENT, placement, "end_early", cast.officer) == [
        f"Its notice of 4 weeks runs to {TODAY + timedelta(weeks=4):%-d %B %Y}, on or after "
        f"its end date of {placement.end_date:%-d %B %Y}: it ends then"]


def test_ending_early_withdraws_an_open_extension_and_cancels_unreached_reviews(cast):
    placement = running(cast, months=12, started_days_ago=20)
    extension = propose(cast, placement, months_on(placement, 14))
    four = next(r for r in placement.reviews if r.kind == R.FOUR_MONTH)
    placements.end_early(cast.officer, placement, reason="Funding ended.",
                         expected_version=placement.version)
    assert extension.status == X.WITHDRAWN
    assert extension.closed_reason == "The placement is ending early"
    assert four.cancelled
    end_review = next(r for r in placement.reviews if r.kind == R.END_REVIEW)
    assert end_review.due_date == placement.end_date - timedelta(weeks=2)
    assert ("extension.withdraw", cast.officer.id) in events("extension")


# --- the return --------------------------------------------------------------------------

def test_the_return_is_recorded_by_people_services_on_or_after_the_end_date(cast):
    placement = running(cast, months=6)
    assert refusal(PLACEMENT, placement, "return", cast.officer) == [
        f"It ends on {placement.end_date:%-d %B %Y}: the return is recorded on or after "
        "that day"]
    placement.end_date = TODAY - timedelta(days=2)      # as found: its end has come
    db.session.commit()
    for person in (cast.manager, cast.secondee, cast.contact):
        with pytest.raises(PermissionError):
            placements.record_return(person, placement, expected_version=placement.version)
    with pytest.raises(RuleError) as refused:
        placements.record_return(cast.officer, placement, returned_on=TODAY - timedelta(days=3),
                                 expected_version=placement.version)
    assert list(refused.value.errors) == ["returned_on"]
    with pytest.raises(RuleError):
        placements.record_return(cast.officer, placement, returned_on=TODAY + timedelta(days=1),
                                 expected_version=placement.version)
    with pytest.raises(StaleRecord):
        placements.record_return(cast.officer, placement,
                                 expected_version=placement.version - 1)
    placements.record_return(cast.officer, placement, returned_on=TODAY - timedelta(days=1),
                             expected_version=placement.version)
    assert (placement.status, placement.returned_on) == (P.RETURNED,
                                                         TODAY - timedelta(days=1))
    assert events("placement") == [("placement.return", cast.officer.id)]


def test_an_extension_waiting_for_a_decision_stops_the_return(cast):
    placement = running(cast, months=6)
    extension = propose(cast, placement, months_on(placement, 8))
    placement.end_date = extension.previous_end_date = TODAY
    db.session.commit()
    assert refusal(PLACEMENT, placement, "return", cast.officer) == [
        f"An extension to {extension.new_end_date:%-d %B %Y} is waiting for a decision: "
        "decide it or withdraw it first"]
    extensions.withdraw(cast.secondee, extension, reason="Not needed.",
                        expected_version=extension.version)
    assert refusal(PLACEMENT, placement, "return", cast.officer) == []
