"""Extensions of a running placement (R3, 001 §5.6-5.7, 002 §1.3): `rules` (its length
in total, every extension counted; what it needs), `proposing` (who proposes, and the
proposal), `deciding` (the substantive manager's and the host's agreement, the
Resources Board beyond 24 months, the placement's end date moving)."""

from portal.services.extensions import deciding, proposing, rules
from portal.services.extensions.deciding import (
    agree,
    available_actions,
    decide_board,
    refuse,
    withdraw,
)
from portal.services.extensions.proposing import may_propose, propose, propose_problems
from portal.services.extensions.rules import (
    needs_board,
    needs_return_considered,
    open_extension,
    over_12_months,
    over_24_months,
    warnings,
)

__all__ = ["agree", "available_actions", "decide_board", "deciding", "may_propose",
           "needs_board", "needs_return_considered", "open_extension", "over_12_months",
           "over_24_months", "propose", "propose_problems", "proposing", "refuse", "rules",
           "warnings", "withdraw"]
