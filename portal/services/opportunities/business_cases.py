"""The business case put to the Resources Board (R6): submitted with a complete draft,
decided with reasons by a member who had no hand in it, put again after a rejection.
"""

from sqlalchemy import select

from portal.extensions import db
from portal.models import User
from portal.models.base import utcnow
from portal.models.opportunities import (
    STRATEGIC_PRIORITIES,
    BusinessCase,
    CaseStatus,
    Opportunity,
)
from portal.services.errors import RuleError
from portal.services.opportunities.rules import board_approval_reasons, publication_problems
from portal.workflow import BUSINESS_CASE, OPPORTUNITY, TransitionRefused, transition


def submit_business_case(opportunity: Opportunity, actor: User, *, skills: str,
                         priorities: list[str], costs: str, cover: str) -> BusinessCase:
    """R6: put the case to the Resources Board. The draft must otherwise be complete."""
    # Sent twice at once, the second waits here for the first, then finds the case
    # already with the Board and is refused as a later repeat would be.
    db.session.execute(select(Opportunity.id).where(Opportunity.id == opportunity.id)
                       .with_for_update())
    db.session.refresh(opportunity)
    if not board_approval_reasons(opportunity):
        raise TransitionRefused("This opportunity does not need the Resources Board")
    problems = [p for p in publication_problems(opportunity)
                if not p.startswith("The Resources Board")]
    if problems:
        raise TransitionRefused(problems)
    unknown = [p for p in priorities if p not in STRATEGIC_PRIORITIES]
    if unknown or not priorities:
        raise RuleError({"priorities": "Select the strategic priorities it serves"})
    case = opportunity.business_case
    if case is None:
        case = BusinessCase(status=CaseStatus.SUBMITTED)  # a new case starts with the Board
        db.session.add(case)
        case.opportunity = opportunity
    else:
        transition(BUSINESS_CASE, case, "resubmit", actor, commit=False)
    case.skills, case.costs, case.cover = skills, costs, cover
    case.priorities = ",".join(priorities)
    case.submitted_by_id, case.submitted_at = actor.id, utcnow()
    case.decided_by_id, case.decided_at, case.decision_reason = None, None, ""
    transition(OPPORTUNITY, opportunity, "submit_case", actor)
    return case


def decide_business_case(opportunity: Opportunity, actor: User, *, approve: bool,
                         reason: str) -> None:
    """The Resources Board approves or rejects, always with its reasons."""
    if not reason.strip():
        raise RuleError({"reason": "Enter the reasons for the decision"})
    case = opportunity.business_case
    if case is None or case.status != CaseStatus.SUBMITTED:
        raise TransitionRefused("There is no business case waiting for a decision")
    case.decided_by_id, case.decided_at, case.decision_reason = actor.id, utcnow(), reason
    transition(BUSINESS_CASE, case, "approve" if approve else "reject", actor,
               details=reason, commit=False)
    transition(OPPORTUNITY, opportunity, "approve_case" if approve else "reject_case", actor,
               details=reason)
