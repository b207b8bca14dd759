"""Who may do what with an opportunity: create, manage, see it, act on it as the hiring
side, and decide its business case (R6). The workflow engine asks these predicates
who each actor of the opportunity and business-case machines is.
"""

from datetime import date

from portal.models.opportunities import Audience, Opportunity, OpportunityKind
from portal.models.opportunities import OpportunityStatus as S
from portal.roles import Permission
from portal.services.opportunities.rules import is_open
from portal.workflow import BUSINESS_CASE, OPPORTUNITY, allowed_actions


def may_create(user) -> bool:
    """People Services, or a manager (line manager or head) in the offering department."""
    if user.can(Permission.MANAGE_ANY_OPPORTUNITY):
        return True
    return user.can(Permission.CREATE_OPPORTUNITY) and user.department_id is not None


def may_manage(user, opportunity: Opportunity) -> bool:
    """Its creator and People Services look after an opportunity."""
    return (user.can(Permission.MANAGE_ANY_OPPORTUNITY)
            or opportunity.created_by_id == user.id)


def may_decide_case(user, opportunity: Opportunity) -> bool:
    """Resources Board members decide, but never on a case they had a hand in: as the
    opportunity's creator, its contact, or the one who put the case forward (R6)."""
    involved = {opportunity.created_by_id, opportunity.contact_id}
    if opportunity.business_case is not None:
        involved.add(opportunity.business_case.submitted_by_id)
    return user.can(Permission.DECIDE_BUSINESS_CASE) and user.id not in involved


def may_view(user, opportunity: Opportunity, today: date | None = None) -> bool:
    """Whether this person may know the opportunity exists at all."""
    if may_manage(user, opportunity):
        return True
    if (opportunity.status == S.AWAITING_APPROVAL
            and user.can(Permission.DECIDE_BUSINESS_CASE)):
        return True
    if opportunity.audience == Audience.NAMED_REQUEST:
        return False  # R1: never on the board
    if is_for_partners(opportunity):
        return False  # R2: for people from other organisations, on the partner feed
    return user.can(Permission.VIEW_BOARD) and is_open(opportunity, today)


def is_for_partners(opportunity: Opportunity) -> bool:
    """An incoming secondment is for people from other organisations (R2): staff cannot
    apply, so it is advertised on the public partner page and feeds, not the board."""
    return opportunity.kind == OpportunityKind.INCOMING


def on_partner_page(opportunity: Opportunity, today: date | None = None) -> bool:
    """Shown to anyone on the partner page: open, incoming, and advertised (R1, R2)."""
    return (is_for_partners(opportunity) and opportunity.audience != Audience.NAMED_REQUEST
            and is_open(opportunity, today))


def is_selector(user, opportunity: Opportunity) -> bool:
    """The hiring side: the opportunity's creator or contact, or People Services."""
    return (user.can(Permission.MANAGE_ANY_OPPORTUNITY)
            or opportunity.created_by_id == user.id or opportunity.contact_id == user.id)


def may_act(user, opportunity: Opportunity, actor: str) -> bool:
    if actor == "board":
        return may_decide_case(user, opportunity)
    if actor == "selector":
        return is_selector(user, opportunity)
    return actor == "manager" and may_manage(user, opportunity)


OPPORTUNITY.actors_from(may_act)
# A business case is acted on as its opportunity is: by its manager or the Board.
BUSINESS_CASE.actors_from(lambda user, case, actor: may_act(user, case.opportunity, actor))


def available_actions(user, opportunity: Opportunity) -> list[str]:
    return allowed_actions(OPPORTUNITY, opportunity, user)
