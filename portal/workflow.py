"""Declared state machines and the one engine that moves them.

A machine is declared once: its states (an enum with labels), its table of
(state, action) -> (next state, actor, verb), the predicates that say who each actor is
for a record, and guards that say, in the users' words, what stops an action now.
Services register the predicates and guards for their own machine (`@MACHINE.actor`,
`@MACHINE.guard`), so this module needs nothing of theirs.

`transition()` checks the table, the actor, the guards and the record's version, in that
order; then sets the state, writes the audit event, runs the effects other services
registered for the step, queues the e-mails and commits once. Nothing else in the
portal assigns a status (a test reads the source to hold that).
`allowed_actions()` is what pages show buttons from.
"""

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy.orm.attributes import flag_modified

from portal.extensions import db
from portal.models.applications import ApplicationStatus as A
from portal.models.extensions import ExtensionStatus as X
from portal.models.onboarding import ItemStatus as I
from portal.models.opportunities import CaseStatus as C
from portal.models.opportunities import OpportunityStatus as S
from portal.models.placements import AgreementStatus as G
from portal.models.placements import PlacementStatus as P
from portal.services import audit
from portal.services.errors import StaleRecord


class TransitionRefused(Exception):
    """An action that is not allowed now. `problems` says why, in the users' words."""

    def __init__(self, problems: list[str] | str):
        self.problems = [problems] if isinstance(problems, str) else list(problems)
        super().__init__("; ".join(self.problems))


@dataclass(frozen=True)
class Transition:
    target: str
    # Who may take it. Opportunities: its "manager" (creator or People Services), its
    # "selector" (the hiring side: creator, contact or People Services) or the "board"
    # (Resources Board). Business cases: the "manager" or the "board". Applications:
    # the "applicant", their "line_manager", the "head" of department, the "selector"
    # (the opportunity's contact, creator or People Services) or "people_services"
    # (appeals).
    actor: str
    verb: str   # how the audit trail and pages say it


OPPORTUNITY_TRANSITIONS: dict[tuple[str, str], Transition] = {
    (S.DRAFT, "edit"): Transition(S.DRAFT, "manager", "edited"),
    (S.DRAFT, "submit_case"): Transition(S.AWAITING_APPROVAL, "manager",
                                         "sent to the Resources Board"),
    (S.DRAFT, "publish"): Transition(S.PUBLISHED, "manager", "published"),
    (S.AWAITING_APPROVAL, "approve_case"): Transition(S.AWAITING_APPROVAL, "board",
                                                      "business case approved"),
    (S.AWAITING_APPROVAL, "reject_case"): Transition(S.DRAFT, "board",
                                                     "business case rejected"),
    (S.AWAITING_APPROVAL, "publish"): Transition(S.PUBLISHED, "manager", "published"),
    (S.PUBLISHED, "extend_closing_date"): Transition(S.PUBLISHED, "manager",
                                                     "closing date extended"),
    (S.PUBLISHED, "close"): Transition(S.CLOSED, "manager", "closed early"),
    (S.PUBLISHED, "mark_filled"): Transition(S.FILLED, "manager", "marked as filled"),
    (S.CLOSED, "mark_filled"): Transition(S.FILLED, "manager", "marked as filled"),
    (S.DRAFT, "withdraw"): Transition(S.WITHDRAWN, "manager", "withdrawn"),
    (S.AWAITING_APPROVAL, "withdraw"): Transition(S.WITHDRAWN, "manager", "withdrawn"),
    (S.PUBLISHED, "withdraw"): Transition(S.WITHDRAWN, "manager", "withdrawn"),
    (S.CLOSED, "withdraw"): Transition(S.WITHDRAWN, "manager", "withdrawn"),
    # From here names are shown (where shortlisting was anonymised) and offers made.
    (S.PUBLISHED, "fix_shortlist"): Transition(S.PUBLISHED, "selector", "shortlist fixed"),
    (S.CLOSED, "fix_shortlist"): Transition(S.CLOSED, "selector", "shortlist fixed"),
}

# Withdrawing means something while the application is still being decided: a draft is
# deleted instead (nobody has seen it), an offer is declined, and a refusal has already
# ended it (the applicant appeals it or lets it stand).
_WITHDRAWABLE = (A.SUBMITTED, A.ENDORSED, A.RELEASED, A.SHORTLISTED, A.APPEALED)

APPLICATION_TRANSITIONS: dict[tuple[str, str], Transition] = {
    (A.DRAFT, "edit"): Transition(A.DRAFT, "applicant", "saved"),
    (A.DRAFT, "submit"): Transition(A.SUBMITTED, "applicant", "submitted"),
    # The draft goes (the service removes it; the audit trail keeps that it did).
    (A.DRAFT, "delete"): Transition(A.DRAFT, "applicant", "draft deleted"),
    (A.SUBMITTED, "support"): Transition(A.ENDORSED, "line_manager",
                                         "supported by the line manager"),
    (A.SUBMITTED, "refuse"): Transition(A.REFUSED, "line_manager",
                                        "refused by the line manager"),
    (A.ENDORSED, "approve_release"): Transition(A.RELEASED, "head",
                                                "release approved by the head of department"),
    (A.ENDORSED, "refuse_release"): Transition(A.REFUSED, "head",
                                               "release refused by the head of department"),
    (A.REFUSED, "appeal"): Transition(A.APPEALED, "applicant", "appealed"),
    (A.APPEALED, "confirm_refusal"): Transition(A.REFUSED, "people_services",
                                                "appeal decided: refusal confirmed"),
    # An overturned refusal reopens the application where the refusal stopped it.
    (A.APPEALED, "overturn_manager_refusal"): Transition(
        A.ENDORSED, "people_services", "appeal decided: line manager's refusal overturned"),
    (A.APPEALED, "overturn_release_refusal"): Transition(
        A.RELEASED, "people_services", "appeal decided: refusal of release overturned"),
    (A.RELEASED, "shortlist"): Transition(A.SHORTLISTED, "selector", "shortlisted"),
    (A.RELEASED, "reject"): Transition(A.UNSUCCESSFUL, "selector", "not shortlisted"),
    (A.SHORTLISTED, "record_assessment"): Transition(A.SHORTLISTED, "selector",
                                                     "assessment recorded"),
    (A.SHORTLISTED, "offer"): Transition(A.OFFERED, "selector", "offered"),
    (A.SHORTLISTED, "reject"): Transition(A.UNSUCCESSFUL, "selector", "unsuccessful"),
    (A.OFFERED, "accept"): Transition(A.ACCEPTED, "applicant", "offer accepted"),
    (A.OFFERED, "decline"): Transition(A.DECLINED, "applicant", "offer declined"),
    # The applicant may answer after the reply-by date until the hiring side withdraws
    # the offer, which they may do only once that date has passed.
    (A.OFFERED, "withdraw_offer"): Transition(A.UNSUCCESSFUL, "selector",
                                              "offer withdrawn: not answered in time"),
    **{(state, "withdraw"): Transition(A.WITHDRAWN, "applicant", "withdrawn")
       for state in _WITHDRAWABLE},
    # When the opportunity is filled, everyone still in the running is told.
    **{(state, "close_unsuccessful"): Transition(A.UNSUCCESSFUL, "selector",
                                                 "unsuccessful: the opportunity was filled")
       for state in (A.SUBMITTED, A.ENDORSED, A.RELEASED, A.SHORTLISTED, A.OFFERED)},
}


# A business case (R6): put to the Resources Board with the opportunity, decided by a
# member who had no hand in it, put again after a rejection.
CASE_TRANSITIONS: dict[tuple[str, str], Transition] = {
    (C.SUBMITTED, "approve"): Transition(C.APPROVED, "board", "approved"),
    (C.SUBMITTED, "reject"): Transition(C.REJECTED, "board", "rejected"),
    (C.REJECTED, "resubmit"): Transition(C.SUBMITTED, "manager", "put to the Board again"),
}


# A placement (R7, R10-R12, 003 §3): its terms are agreed while it is proposed; over 24
# months it goes to the Resources Board first (R3); legal ratify its agreement; every
# party signs the ratified version, the last signature executing it; informal
# arrangements (004) are approved by People Services instead. Actors: "people_services",
# the "board", "legal", a signing "party" of the current version, the external
# organisation's contact ("host") and, informally, either "manager". Once it runs: the
# "extension_approver" whose decision completes an extension (the substantive manager,
# the host, or the Board beyond 24 months: R3), the "overall_manager" (the substantive
# manager, R10, or People Services) who ends it early.
_BEFORE_START = (P.PROPOSED, P.WITH_BOARD, P.WITH_LEGAL, P.SIGNING, P.READY)
_RUNNING = (P.ACTIVE, P.EXTENDED)

PLACEMENT_TRANSITIONS: dict[tuple[str, str], Transition] = {
    (P.PROPOSED, "edit"): Transition(P.PROPOSED, "people_services", "terms changed"),
    (P.PROPOSED, "confirm_details"): Transition(
        P.PROPOSED, "host", "details confirmed by the host organisation"),
    (P.PROPOSED, "propose_corrections"): Transition(
        P.PROPOSED, "host", "corrections proposed by the host organisation"),
    (P.PROPOSED, "ask_board"): Transition(P.WITH_BOARD, "people_services",
                                          "sent to the Resources Board (over 24 months)"),
    (P.WITH_BOARD, "approve_duration"): Transition(P.PROPOSED, "board",
                                                   "duration approved by the Resources Board"),
    (P.WITH_BOARD, "reject_duration"): Transition(P.PROPOSED, "board",
                                                  "duration refused by the Resources Board"),
    (P.PROPOSED, "send_to_legal"): Transition(P.WITH_LEGAL, "people_services",
                                              "agreement sent to legal"),
    (P.WITH_LEGAL, "ratify"): Transition(P.SIGNING, "legal", "agreement ratified by legal"),
    (P.WITH_LEGAL, "return"): Transition(P.PROPOSED, "legal",
                                         "agreement returned by legal with comments"),
    (P.SIGNING, "sign"): Transition(P.SIGNING, "party", "agreement signed"),
    # The last party's signature executes the agreement: the placement may then start.
    (P.SIGNING, "execute"): Transition(P.READY, "party",
                                       "agreement signed by every party and executed"),
    # Changing terms once legal have them makes a new version and voids signatures.
    (P.WITH_LEGAL, "amend"): Transition(P.PROPOSED, "people_services",
                                        "terms reopened: a new agreement version follows"),
    (P.SIGNING, "amend"): Transition(P.PROPOSED, "people_services",
                                     "terms reopened: a new agreement version follows"),
    (P.READY, "amend"): Transition(P.PROPOSED, "people_services",
                                   "terms reopened: a new agreement version follows"),
    (P.PROPOSED, "agree_informal"): Transition(P.PROPOSED, "manager",
                                               "informal arrangement agreed by a manager"),
    (P.PROPOSED, "approve_informal"): Transition(
        P.READY, "people_services", "informal arrangement approved in principle"),
    (P.READY, "start"): Transition(P.ACTIVE, "people_services", "started"),
    **{(state, "cancel"): Transition(P.CANCELLED, "people_services", "cancelled")
       for state in _BEFORE_START},
    # R3, 001 §5.6: an agreed extension moves the end date, the right of return kept.
    **{(state, "extend"): Transition(P.EXTENDED, "extension_approver",
                                     "extended: the end date moved")
       for state in _RUNNING},
    # 002 §8: ended before its end date, with a reason and the placement's notice.
    **{(state, "end_early"): Transition(P.ENDED_EARLY, "overall_manager", "ended early")
       for state in _RUNNING},
    # R11: back in the substantive post and grade, on or after the end date.
    **{(state, "return"): Transition(P.RETURNED, "people_services",
                                     "returned to the substantive post")
       for state in _RUNNING},
}

# One version of a placement's agreement, from legal to execution.
AGREEMENT_TRANSITIONS: dict[tuple[str, str], Transition] = {
    (G.WITH_LEGAL, "ratify"): Transition(G.RATIFIED, "legal", "ratified"),
    (G.WITH_LEGAL, "return"): Transition(G.RETURNED, "legal", "returned with comments"),
    (G.RATIFIED, "sign"): Transition(G.RATIFIED, "party", "signed"),
    (G.RATIFIED, "execute"): Transition(G.EXECUTED, "party", "signed by every party"),
    **{(state, "supersede"): Transition(G.SUPERSEDED, "people_services",
                                        "superseded by a new version")
       for state in (G.WITH_LEGAL, G.RATIFIED, G.EXECUTED)},
}


# An onboarding checklist item (R9): its "owner" (or People Services) moves it.
_OPEN_ITEM = (I.NOT_STARTED, I.IN_PROGRESS, I.CANNOT_START)
CHECKLIST_ITEM_TRANSITIONS: dict[tuple[str, str], Transition] = {
    **{(state, "start"): Transition(I.IN_PROGRESS, "owner", "started")
       for state in (I.NOT_STARTED, I.CANNOT_START)},
    **{(state, "wait"): Transition(I.CANNOT_START, "owner", "marked as cannot start yet")
       for state in (I.NOT_STARTED, I.IN_PROGRESS)},
    **{(state, "complete"): Transition(I.DONE, "owner", "completed") for state in _OPEN_ITEM},
    **{(state, "not_applicable"): Transition(I.NOT_APPLICABLE, "owner",
                                             "marked as not applicable")
       for state in _OPEN_ITEM},
    **{(state, "reopen"): Transition(I.NOT_STARTED, "owner", "reopened")
       for state in (I.DONE, I.NOT_APPLICABLE)},
}


# An extension (R3, 001 §5.7): the "substantive_manager" and the "host" (the host
# manager, or the external host organisation's contact) each agree; the last agreement
# concludes it, or sends it to the "board" beyond 24 months in total. Either refuses.
# Its "proposer" (or the substantive manager or People Services, who end the placement
# early) withdraws it. The "approver" is whichever of the two agrees last.
EXTENSION_TRANSITIONS: dict[tuple[str, str], Transition] = {
    (X.PROPOSED, "agree_substantive"): Transition(X.PROPOSED, "substantive_manager",
                                                  "agreed by the substantive manager"),
    (X.PROPOSED, "agree_host"): Transition(X.PROPOSED, "host", "agreed by the host"),
    (X.PROPOSED, "conclude"): Transition(X.AGREED, "approver",
                                         "agreed by both: the end date moves"),
    (X.PROPOSED, "refer_to_board"): Transition(
        X.WITH_BOARD, "approver", "sent to the Resources Board (over 24 months in total)"),
    (X.PROPOSED, "refuse"): Transition(X.REFUSED, "substantive_manager",
                                       "refused by the substantive manager"),
    (X.PROPOSED, "decline"): Transition(X.REFUSED, "host", "refused by the host"),
    (X.WITH_BOARD, "approve"): Transition(X.AGREED, "board",
                                          "approved by the Resources Board"),
    (X.WITH_BOARD, "reject"): Transition(X.REFUSED, "board",
                                         "refused by the Resources Board"),
    **{(state, "withdraw"): Transition(X.WITHDRAWN, "proposer", "withdrawn")
       for state in (X.PROPOSED, X.WITH_BOARD)},
}


class Machine:
    """One lifecycle: its states, its table, who its actors are, what guards it."""

    def __init__(self, name: str, states: type[StrEnum], table: dict, audit_name: str):
        self.name, self.states, self.table, self.audit_name = name, states, table, audit_name
        self.actors: dict[str, Callable] = {}
        self.guards: list[tuple[frozenset[str], Callable]] = []
        self.effects: list[tuple[frozenset[str], Callable]] = []

    def actor(self, name: str):
        """Register `predicate(person, record) -> bool` for the actor called `name`."""
        def register(predicate):
            self.actors[name] = predicate
            return predicate
        return register

    def actors_from(self, may_act: Callable) -> None:
        """Register every actor of the table through one `may_act(person, record,
        actor)` that knows them all."""
        for name in {step.actor for step in self.table.values()}:
            self.actor(name)(lambda person, record, name=name: may_act(person, record, name))

    def guard(self, *actions: str):
        """Register `guard(record, action) -> list[str]`: the problems that stop one of
        `actions` now, in the users' words (empty when nothing does)."""
        def register(function):
            self.guards.append((frozenset(actions), function))
            return function
        return register

    def effect(self, *actions: str):
        """Register `effect(record, person)`: what else changes, in the same transaction,
        when one of `actions` is taken (filling an opportunity closes its remaining
        applications). Another service registers it, so this machine's own service
        needs nothing of that one's."""
        def register(function):
            self.effects.append((frozenset(actions), function))
            return function
        return register

    def step(self, state: str, action: str) -> Transition:
        """The table's entry, or the engine's refusal in words: never a KeyError or a
        ValueError for a state or an action the table does not know."""
        try:
            return self.table[(state, action)]
        except (KeyError, TypeError):
            try:
                known = self.states(state)
                # Said to whoever acts, so not in the applicant's own words ("your").
                label = getattr(known, "staff_label", known.label).lower()
            except ValueError:
                label = "in a state the portal does not know"
            raise TransitionRefused(f"This cannot be done while the {self.name} is {label}"
                                    ) from None

    def is_actor(self, person, record, actor: str) -> bool:
        predicate = self.actors.get(actor)
        return bool(person is not None and predicate and predicate(person, record))

    def problems(self, record, action: str) -> list[str]:
        return [problem for actions, guard in self.guards if action in actions
                for problem in guard(record, action)]


APPLICATION = Machine("application", A, APPLICATION_TRANSITIONS, "application")
OPPORTUNITY = Machine("opportunity", S, OPPORTUNITY_TRANSITIONS, "opportunity")
BUSINESS_CASE = Machine("business case", C, CASE_TRANSITIONS, "business_case")
PLACEMENT = Machine("placement", P, PLACEMENT_TRANSITIONS, "placement")
AGREEMENT = Machine("agreement", G, AGREEMENT_TRANSITIONS, "agreement")
CHECKLIST_ITEM = Machine("checklist item", I, CHECKLIST_ITEM_TRANSITIONS, "checklist_item")
EXTENSION = Machine("extension", X, EXTENSION_TRANSITIONS, "extension")
MACHINES = (APPLICATION, OPPORTUNITY, BUSINESS_CASE, PLACEMENT, AGREEMENT, CHECKLIST_ITEM,
            EXTENSION)


def check(machine: Machine, record, action: str, person, *,
          expected_version: int | None = None) -> Transition:
    """Whether `person` may take `action` on `record` now: the table, the actor, the
    guards, then the version the page was shown with, in that order. Refuses with
    TransitionRefused (in words), PermissionError or StaleRecord. Services call it
    before changing anything, so that a refusal leaves nothing half-done."""
    step = machine.step(record.status, action)
    if not machine.is_actor(person, record, step.actor):
        raise PermissionError(action)
    problems = machine.problems(record, action)
    if problems:
        raise TransitionRefused(problems)
    if expected_version is not None and expected_version != getattr(record, "version", None):
        raise StaleRecord()
    return step


def refusal(machine: Machine, record, action: str, person) -> list[str]:
    """Why `person` cannot take `action` on `record` now, in words ([] when they can).
    Someone who is not the action's actor at all is refused with PermissionError."""
    try:
        check(machine, record, action, person)
    except TransitionRefused as refused:
        return refused.problems
    return []


def transition(machine: Machine, record, action: str, person, *,
               expected_version: int | None = None, details: str = "",
               tell: Callable[[], None] | None = None, commit: bool = True) -> Transition:
    """Take `action` on `record` for `person`: check the table, the actor, the guards and
    the version the page was shown with; set the state; write the audit event; queue
    the e-mails `tell()` writes (in the state just reached); commit once (or leave it
    to the caller, with `commit=False`, when one change moves several records)."""
    step = check(machine, record, action, person, expected_version=expected_version)
    record.status = step.target
    # Every transition raises the record's version, a same-state one (approving a
    # business case, recording an assessment) too: a page loaded before it is then out
    # of date, and a decision racing it finds the row changed.
    flag_modified(record, "status")
    audit.record(f"{machine.audit_name}.{action}", actor=person, obj=record,
                 summary=(f"{step.verb}: {details}" if details else step.verb)[:2000])
    for actions, effect in machine.effects:
        if action in actions:
            effect(record, person)
    if tell is not None:
        tell()
    if commit:
        db.session.commit()
    return step


def blocked_actions(machine: Machine, record, person) -> dict[str, list[str]]:
    """The actions `person` could take in this state that a guard stops now, with the
    problems in words: what pages explain instead of offering a button."""
    return {action: problems for (state, action), step in machine.table.items()
            if state == record.status and machine.is_actor(person, record, step.actor)
            and (problems := machine.problems(record, action))}


def allowed_actions(machine: Machine, record, person) -> list[str]:
    """What `person` can do to `record` now: what pages show buttons for."""
    return [action for (state, action), step in machine.table.items()
            if state == record.status and machine.is_actor(person, record, step.actor)
            and not machine.problems(record, action)]
