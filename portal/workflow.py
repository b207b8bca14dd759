"""Declared state machines: (state, action) -> (next state, who may act).

Nothing else assigns `.status`: services call `transition()`, which checks the table,
the person's right to act on this record, and the rule guards, then writes the audit
event and commits once.
"""

from collections.abc import Callable
from dataclasses import dataclass

from portal.models.opportunities import OpportunityStatus as S


class TransitionRefused(Exception):
    """An action that is not allowed now. `problems` says why, in the users' words."""

    def __init__(self, problems: list[str] | str):
        self.problems = [problems] if isinstance(problems, str) else list(problems)
        super().__init__("; ".join(self.problems))


@dataclass(frozen=True)
class Transition:
    target: str
    actor: str  # who may take it: "manager" of the record or "board" (Resources Board)
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

OPPORTUNITY_ACTIONS = sorted({action for _, action in OPPORTUNITY_TRANSITIONS})


def find_transition(table, state: str, action: str) -> Transition:
    try:
        return table[(state, action)]
    except KeyError:
        raise TransitionRefused(
            f"This cannot be done while the opportunity is {S(state).label.lower()}"
        ) from None


def allowed_actions(table, state: str, may_act: Callable[[str], bool]) -> list[str]:
    """Actions open from `state` to someone for whom `may_act(actor)` holds."""
    return [action for (source, action), t in table.items()
            if source == state and may_act(t.actor)]
