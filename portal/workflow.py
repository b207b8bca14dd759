"""Declared state machines: (state, action) -> (next state, who may act).

Nothing else assigns `.status`: services call `transition()`, which checks the table,
the person's right to act on this record, and the rule guards, then writes the audit
event and commits once.
"""

from collections.abc import Callable
from dataclasses import dataclass

from portal.models.applications import ApplicationStatus as A
from portal.models.opportunities import OpportunityStatus as S


class TransitionRefused(Exception):
    """An action that is not allowed now. `problems` says why, in the users' words."""

    def __init__(self, problems: list[str] | str):
        self.problems = [problems] if isinstance(problems, str) else list(problems)
        super().__init__("; ".join(self.problems))


@dataclass(frozen=True)
class Transition:
    target: str
    # Who may take it. Opportunities: its "manager" (creator or People Services) or the
    # "board" (Resources Board). Applications: the "applicant", their "line_manager",
    # the "head" of department, the "selector" (the opportunity's contact, creator or
    # People Services) or "people_services" (appeals).
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
}

_WITHDRAWABLE = (A.DRAFT, A.SUBMITTED, A.ENDORSED, A.RELEASED, A.SHORTLISTED, A.OFFERED,
                 A.REFUSED, A.APPEALED)

APPLICATION_TRANSITIONS: dict[tuple[str, str], Transition] = {
    (A.DRAFT, "edit"): Transition(A.DRAFT, "applicant", "saved"),
    (A.DRAFT, "submit"): Transition(A.SUBMITTED, "applicant", "submitted"),
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
    **{(state, "withdraw"): Transition(A.WITHDRAWN, "applicant", "withdrawn")
       for state in _WITHDRAWABLE},
    # When the opportunity is filled, everyone still in the running is told.
    **{(state, "close_unsuccessful"): Transition(A.UNSUCCESSFUL, "selector",
                                                 "unsuccessful: the opportunity was filled")
       for state in (A.SUBMITTED, A.ENDORSED, A.RELEASED, A.SHORTLISTED, A.OFFERED)},
}


def find_transition(table, state: str, action: str) -> Transition:
    try:
        return table[(state, action)]
    except KeyError:
        label = (S(state).label if table is OPPORTUNITY_TRANSITIONS
                 else A(state).label).lower()
        thing = "opportunity" if table is OPPORTUNITY_TRANSITIONS else "application"
        raise TransitionRefused(f"This cannot be done while the {thing} is {label}") from None


def allowed_actions(table, state: str, may_act: Callable[[str], bool]) -> list[str]:
    """Actions open from `state` to someone for whom `may_act(actor)` holds."""
    return [action for (source, action), t in table.items()
            if source == state and may_act(t.actor)]
