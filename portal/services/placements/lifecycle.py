"""A placement's steps other than its agreement's: the other organisation's contact
confirming the details or proposing corrections, the Resources Board deciding a
placement over 24 months (R3), the informal route (004), starting and cancelling.
Every step goes through the workflow engine, which audits it and commits once; the
e-mails it sends are queued in the same transaction (the outbox).

A step that records something besides the status compares the page's version in its
first `check`, before it changes anything: once a value is set, any query (the actor's
roles, the guards) flushes it and raises the row's version, so the engine's second look
would see a version the page never had. The row's own version column still refuses a
change racing it at commit."""

from flask import current_app

from portal import notifications
from portal.models.base import utcnow
from portal.models.placements import Placement
from portal.services.errors import RuleError
from portal.services.opportunities import london_today
from portal.services.placements.rules import needs_board
from portal.urls import external_url
from portal.workflow import PLACEMENT, TransitionRefused, check, transition
from portal.workflow import allowed_actions as workflow_allowed
from portal.workflow import blocked_actions as workflow_blocked


def link(placement: Placement) -> str:
    return external_url("placements.view_placement", placement_id=placement.id)


def available_actions(person, placement: Placement) -> list[str]:
    return workflow_allowed(PLACEMENT, placement, person)


def blocked_actions(person, placement: Placement) -> dict[str, list[str]]:
    """What `person` could do here but cannot yet, and why: only the steps this
    placement's route has (a placement of two years never goes to the Board; a formal
    one is not approved informally), so the page explains nothing that does not apply."""
    return {action: problems
            for action, problems in workflow_blocked(PLACEMENT, placement, person).items()
            if applies(placement, action)}


def applies(placement: Placement, action: str) -> bool:
    """Whether `action` is a step of this placement's route at all."""
    if action == "ask_board":
        return needs_board(placement)           # R3
    if action in ("agree_informal", "approve_informal"):
        return placement.informal               # 004
    if action == "send_to_legal":
        return not placement.informal           # R7: formal placements only
    if action == "extend":
        return False    # R3: taken by the extension's last decision, never asked for itself
    return True


def check_action(person, placement: Placement, action: str) -> None:
    """Refuse, in words (TransitionRefused), an action the placement's state or guards do
    not allow now: a page asking for it says why instead of showing a form."""
    check(PLACEMENT, placement, action, person)


def people_services() -> str:
    return current_app.config["PEOPLE_SERVICES_EMAIL"]


# --- the other organisation's contact ---------------------------------------------------

def confirm_details(contact, placement: Placement, *, host_manager_name: str,
                    host_manager_email: str, expected_version: int | None) -> None:
    """The contact confirms the start date, location and host manager, naming the host
    manager at their organisation (a person there, not an account here) when their
    organisation hosts; the sending organisation of an incoming secondee names nobody
    (the host manager is here)."""
    errors = {}
    if not placement.partner_hosts:
        host_manager_name = host_manager_email = ""
    elif placement.host_manager_id is None or host_manager_name.strip():
        if not host_manager_name.strip():
            errors["host_manager_name"] = "Enter the name of the host manager"
        if not host_manager_email.strip():
            errors["host_manager_email"] = "Enter the host manager's e-mail address"
    check(PLACEMENT, placement, "confirm_details", contact, expected_version=expected_version)
    if errors:
        raise RuleError(errors)
    if host_manager_name.strip():
        placement.host_manager_name = host_manager_name.strip()
        placement.host_manager_email = host_manager_email.strip()
    placement.host_confirmed_at = utcnow()
    placement.host_confirmed_by_id = contact.id
    placement.host_comment = ""
    transition(PLACEMENT, placement, "confirm_details", contact,
               expected_version=None,
               details=f"host manager {placement.host_manager_name or '(staff)'}",
               tell=lambda: notifications.send(
                   [people_services()], "placement_confirmed", about=placement,
                   placement=placement, contact=contact, link=link(placement)))


def propose_corrections(contact, placement: Placement, comment: str, *,
                        expected_version: int | None) -> None:
    """The contact asks for corrections instead of confirming: People Services are told."""
    comment = comment.strip()
    check(PLACEMENT, placement, "propose_corrections", contact,
          expected_version=expected_version)
    if not comment:
        raise RuleError({"comment": "Say what needs correcting"})
    placement.host_comment = comment
    placement.host_confirmed_at = None
    placement.host_confirmed_by_id = None
    transition(PLACEMENT, placement, "propose_corrections", contact,
               expected_version=None, details=comment,
               tell=lambda: notifications.send(
                   [people_services()], "placement_corrections", about=placement,
                   placement=placement, contact=contact, comment=comment,
                   link=link(placement)))


# --- the Resources Board (R3) -----------------------------------------------------------

@PLACEMENT.guard("ask_board")
def _over_24_months(placement: Placement, action: str) -> list[str]:
    # R3: only a placement over 24 months goes to the Board, and only until it approves.
    if not needs_board(placement):
        return ["Only a placement over 24 months goes to the Resources Board"]
    if placement.board_approved:
        return ["The Resources Board has already approved this length"]
    return []


def ask_board(officer, placement: Placement, *, expected_version: int | None) -> None:
    transition(PLACEMENT, placement, "ask_board", officer, expected_version=expected_version,
               tell=lambda: notifications.send(
                   [current_app.config["RESOURCES_BOARD_EMAIL"]], "placement_to_board",
                   about=placement, placement=placement, link=link(placement)))


def decide_duration(member, placement: Placement, *, approve: bool, reason: str,
                    expected_version: int | None) -> None:
    action = "approve_duration" if approve else "reject_duration"
    check(PLACEMENT, placement, action, member, expected_version=expected_version)
    if not reason.strip():
        raise RuleError({"reason": "Give the reason for the Board's decision"})
    placement.board_approved = approve
    placement.board_reason = reason.strip()
    placement.board_decided_by_id = member.id
    placement.board_decided_at = utcnow()
    transition(PLACEMENT, placement, action, member, expected_version=None,
               details=reason.strip(), tell=lambda: notifications.send(
                   [people_services()], "placement_board_decided", about=placement,
                   placement=placement, approved=approve, reason=reason.strip(),
                   link=link(placement)))


# --- the informal route (004) -----------------------------------------------------------

def agree_informal(manager, placement: Placement, *, expected_version: int | None) -> None:
    """Either manager agrees the informal arrangement; People Services approve it next."""
    check(PLACEMENT, placement, "agree_informal", manager, expected_version=expected_version)
    if not placement.informal:
        raise TransitionRefused("Only an informal arrangement is agreed by its managers")
    if manager.id == placement.substantive_manager_id:
        placement.home_manager_agreed_at = placement.home_manager_agreed_at or utcnow()
    if manager.id == placement.host_manager_id:
        placement.host_manager_agreed_at = placement.host_manager_agreed_at or utcnow()
    transition(PLACEMENT, placement, "agree_informal", manager,
               expected_version=None)


@PLACEMENT.guard("agree_informal")
def _informal_only(placement: Placement, action: str) -> list[str]:
    return [] if placement.informal else ["Only an informal arrangement is agreed by its "
                                          "managers"]


@PLACEMENT.guard("approve_informal")
def _both_managers_agreed(placement: Placement, action: str) -> list[str]:
    if not placement.informal:
        return ["Only an informal arrangement is approved without an agreement"]
    problems = []
    if placement.substantive_manager_id and placement.home_manager_agreed_at is None:
        problems.append("The substantive manager has not agreed the arrangement yet")
    if placement.host_manager_id and placement.host_manager_agreed_at is None:
        problems.append("The host manager has not agreed the arrangement yet")
    if not placement.substantive_manager_id or not placement.host_manager_id:
        problems.append("Name both managers before approving the arrangement")
    return problems


def approve_informal(officer, placement: Placement, *, expected_version: int | None) -> None:
    """People Services approve in principle; the written arrangements go to everyone."""
    recipients = [placement.secondee_email, placement.substantive_manager,
                  placement.host_manager, people_services()]
    transition(PLACEMENT, placement, "approve_informal", officer,
               expected_version=expected_version, tell=lambda: notifications.send(
                   recipients, "informal_arrangement", about=placement,
                   placement=placement, link=link(placement)))


# --- starting and cancelling ------------------------------------------------------------

@PLACEMENT.guard("start")
def _start_date_reached(placement: Placement, action: str) -> list[str]:
    if placement.start_date > london_today():
        return [f"It starts on {placement.start_date:%-d %B %Y}"]
    return []


def start(officer, placement: Placement, *, expected_version: int | None) -> None:
    transition(PLACEMENT, placement, "start", officer, expected_version=expected_version)


def cancel(officer, placement: Placement, reason: str, *,
           expected_version: int | None) -> None:
    check(PLACEMENT, placement, "cancel", officer, expected_version=expected_version)
    if not reason.strip():
        raise RuleError({"reason": "Give the reason for cancelling the placement"})
    placement.cancel_reason = reason.strip()
    recipients = [placement.secondee_email, placement.substantive_manager,
                  placement.host_manager, placement.host_manager_email]
    transition(PLACEMENT, placement, "cancel", officer, expected_version=None,
               details=reason.strip(), tell=lambda: notifications.send(
                   recipients, "placement_cancelled", about=placement,
                   placement=placement, reason=reason.strip(), link=link(placement)))
