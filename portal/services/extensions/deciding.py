"""Deciding an extension (R3, R10, 001 §5.7, 002 §1.3): the substantive manager and the
host each agree, or refuse with a reason; beyond 12 months in total each confirms, as
they agree, that they considered the return; the last agreement concludes it, or
beyond 24 months in total sends it to the Resources Board, who approve or refuse with a
reason. Concluded, the placement's end date moves, the placement takes its "extend"
step (the reviews follow, through their effect) and everyone is told. A secondee never
decides on their own extension, whatever else they are.

Every step goes through the workflow engine (its EXTENSION machine), which audits it;
the page's version of the extension is checked before anything changes.
"""

from flask import current_app

from portal import notifications
from portal.extensions import db
from portal.models.base import utcnow
from portal.models.extensions import Extension, ExtensionStatus
from portal.models.placements import Placement
from portal.models.placements import PlacementStatus as P
from portal.roles import Permission
from portal.services.errors import RuleError
from portal.services.extensions import rules
from portal.services.extensions.proposing import deciders
from portal.services.placements.access import is_host_side
from portal.services.placements.lifecycle import link
from portal.workflow import EXTENSION, PLACEMENT, allowed_actions, check, transition

RETURN_CONSIDERED = ("Confirm you have considered whether the secondee can still return "
                     "well to their post: the placement would last more than 12 months in "
                     "total")


def may_act(person, extension: Extension, actor: str) -> bool:
    placement = extension.placement
    if actor == "proposer":
        # Its proposer withdraws it; the overall manager (R10) or People Services when
        # they end the placement early.
        return (person.id in (extension.proposed_by_id, placement.substantive_manager_id)
                or person.can(Permission.MANAGE_PLACEMENTS))
    if person.id == placement.secondee_id:
        return False   # R3: a secondee cannot approve their own extension
    if actor == "substantive_manager":
        return person.id == placement.substantive_manager_id
    if actor == "host":
        return is_host_side(person, placement)
    if actor == "approver":
        return person.id == placement.substantive_manager_id or is_host_side(person, placement)
    if actor == "board":
        # R3, as for a placement's length: never one who had a hand in it.
        return person.can(Permission.DECIDE_BUSINESS_CASE) and person.id not in (
            extension.proposed_by_id, extension.substantive_agreed_by_id,
            extension.host_agreed_by_id, placement.created_by_id)
    return False


EXTENSION.actors_from(may_act)


@EXTENSION.guard("agree_substantive", "agree_host", "conclude", "refer_to_board", "approve")
def _placement_unchanged(extension: Extension, action: str) -> list[str]:
    placement = extension.placement
    if not P(placement.status).running:
        return ["The placement is no longer running: it cannot be extended"]
    if placement.end_date != extension.previous_end_date:
        return [f"The placement's end date has changed to {placement.end_date:%-d %B %Y} "
                "since this extension was proposed: propose it again"]
    return []


@EXTENSION.guard("agree_substantive")
def _substantive_not_yet(extension: Extension, action: str) -> list[str]:
    return (["The substantive manager has already agreed this extension"]
            if extension.substantive_agreed_at else [])


@EXTENSION.guard("agree_host")
def _host_not_yet(extension: Extension, action: str) -> list[str]:
    return ["The host has already agreed this extension"] if extension.host_agreed_at else []


@EXTENSION.guard("conclude", "refer_to_board")
def _agreed_by_both(extension: Extension, action: str) -> list[str]:
    problems = []
    if not extension.agreed_by_both:
        problems.append("The substantive manager and the host must both agree it first")
    elif rules.needs_return_considered(extension) and not extension.considered_return:
        # 001 §5.7
        problems.append("Both must confirm they considered the return: it lasts more than "
                        "12 months in total")
    if action == "conclude" and rules.needs_board(extension):
        problems.append("It lasts more than 24 months in total: the Resources Board decides")
    if action == "refer_to_board" and not rules.needs_board(extension):
        problems.append("Only an extension beyond 24 months in total goes to the Resources "
                        "Board")
    return problems


@PLACEMENT.guard("extend")
def _an_agreed_extension_to_take(placement: Placement, action: str) -> list[str]:
    # R3: the end date moves only by an extension both sides agreed, and the Board
    # approved beyond 24 months in total.
    if any(e.status == ExtensionStatus.AGREED and e.applied_at is None
           for e in placement.extensions):
        return []
    return ["A placement is extended only once the substantive manager and the host have "
            "agreed an extension (and the Resources Board approved it beyond 24 months in "
            "total)"]


@PLACEMENT.guard("return")
def _no_extension_waiting(placement: Placement, action: str) -> list[str]:
    if not P(placement.status).running:
        return []   # legal's "return" of an agreement, before the start
    pending = rules.open_extension(placement)
    return ([f"An extension to {pending.new_end_date:%-d %B %Y} is waiting for a decision: "
             "decide it or withdraw it first"] if pending else [])


@PLACEMENT.effect("end_early")
def _withdraw_when_ending_early(placement: Placement, person) -> None:
    pending = rules.open_extension(placement)
    if pending is not None:
        _close(person, pending, "withdraw", "The placement is ending early")


def available_actions(person, extension: Extension) -> list[str]:
    """What `person` may do to the extension now (the automatic steps left out)."""
    return [a for a in allowed_actions(EXTENSION, extension, person)
            if a not in ("conclude", "refer_to_board")]


def agree(person, extension: Extension, *, considered_return: bool = False,
          expected_version: int | None) -> Extension:
    """The substantive manager or the host's side agrees (both, for someone who is both).
    The last agreement concludes it or sends it to the Board."""
    placement = extension.placement
    actions = [a for a, side in (("agree_substantive", "substantive_manager"),
                                 ("agree_host", "host"))
               if EXTENSION.is_actor(person, extension, side)
               and not (extension.substantive_agreed_at if side == "substantive_manager"
                        else extension.host_agreed_at)]
    if not actions:
        check(EXTENSION, extension, "agree_substantive"
              if EXTENSION.is_actor(person, extension, "substantive_manager")
              else "agree_host", person, expected_version=expected_version)
    for action in actions:
        check(EXTENSION, extension, action, person, expected_version=expected_version)
    if rules.needs_return_considered(extension) and not considered_return:
        raise RuleError({"considered_return": RETURN_CONSIDERED})   # 001 §5.7
    now = utcnow()
    for action in actions:
        # The step first: its guard asks whether this side has agreed yet.
        transition(EXTENSION, extension, action, person, commit=False,
                   details=f"to {extension.new_end_date:%-d %B %Y}"
                           + ("; the return considered" if considered_return else ""))
        if action == "agree_substantive":
            extension.substantive_agreed_at, extension.substantive_agreed_by_id = now, person.id
            extension.substantive_considered_return = bool(considered_return)
        else:
            extension.host_agreed_at, extension.host_agreed_by_id = now, person.id
            extension.host_considered_return = bool(considered_return)
    if not extension.agreed_by_both:
        db.session.commit()
    elif rules.needs_board(extension):
        transition(EXTENSION, extension, "refer_to_board", person, tell=lambda: (
            notifications.send([current_app.config["RESOURCES_BOARD_EMAIL"]],
                               "extension_to_board", about=extension, placement=placement,
                               extension=extension, link=link(placement))))
    else:
        _conclude(person, extension, "conclude")
    return extension


def refuse(person, extension: Extension, *, reason: str,
           expected_version: int | None) -> Extension:
    """The substantive manager (R10) or the host refuses it, with the reason."""
    action = ("refuse" if EXTENSION.is_actor(person, extension, "substantive_manager")
              else "decline")
    check(EXTENSION, extension, action, person, expected_version=expected_version)
    if not reason.strip():
        raise RuleError({"reason": "Give the reason for refusing the extension"})
    _close(person, extension, action, reason.strip())
    db.session.commit()
    return extension


def withdraw(person, extension: Extension, *, reason: str = "",
             expected_version: int | None) -> Extension:
    check(EXTENSION, extension, "withdraw", person, expected_version=expected_version)
    _close(person, extension, "withdraw", reason.strip())
    db.session.commit()
    return extension


def decide_board(member, extension: Extension, *, approve: bool, reason: str,
                 expected_version: int | None) -> Extension:
    """R3: the Resources Board approves an extension beyond 24 months in total, or
    refuses it; either way with the reason."""
    action = "approve" if approve else "reject"
    check(EXTENSION, extension, action, member, expected_version=expected_version)
    if not reason.strip():
        raise RuleError({"reason": "Give the reason for the Board's decision"})
    extension.board_approved, extension.board_reason = approve, reason.strip()
    extension.board_decided_by_id, extension.board_decided_at = member.id, utcnow()
    if approve:
        _conclude(member, extension, "approve", reason.strip())
    else:
        _close(member, extension, "reject", reason.strip())
        db.session.commit()
    return extension


def _conclude(person, extension: Extension, action: str, details: str = "") -> None:
    """Agreed (and approved where it must be): the placement's end date moves and it
    takes its "extend" step, in one commit with the e-mails."""
    placement = extension.placement
    previous = placement.end_date
    transition(EXTENSION, extension, action, person, commit=False, details=details)
    placement.end_date = extension.new_end_date
    transition(PLACEMENT, placement, "extend", person, commit=False,
               details=f"from {previous:%-d %B %Y} to {placement.end_date:%-d %B %Y}: "
                       f"{extension.reason}")
    extension.applied_at = utcnow()
    _tell(extension, "agreed", by=None)
    db.session.commit()


def _close(person, extension: Extension, action: str, reason: str) -> None:
    extension.closed_by_id, extension.closed_at = person.id, utcnow()
    extension.closed_reason = reason
    transition(EXTENSION, extension, action, person, commit=False, details=reason)
    _tell(extension, "withdrawn" if action == "withdraw" else "refused", by=person,
          reason=reason)


def _tell(extension: Extension, outcome: str, *, by, reason: str = "") -> None:
    placement = extension.placement
    notifications.send([*deciders(placement), placement.secondee or placement.secondee_email,
                        extension.proposed_by], "extension_decided", about=extension,
                       placement=placement, extension=extension, outcome=outcome,
                       decided_by=getattr(by, "name", ""), reason=reason, link=link(placement))
