"""Opportunities, for seeing, looking after, deciding a business case, and selecting."""

from flask import abort
from sqlalchemy.orm import joinedload

from portal.extensions import db
from portal.models.opportunities import Opportunity
from portal.services import opportunities as rules


def _load(opportunity_id: int) -> Opportunity | None:
    return db.session.get(
        Opportunity, opportunity_id,
        options=[joinedload(Opportunity.business_case),
                 joinedload(Opportunity.offering_department),
                 joinedload(Opportunity.host_organisation)])


def _visible(user, opportunity_id: int) -> Opportunity:
    opportunity = _load(opportunity_id)
    if opportunity is None or not rules.may_view(user, opportunity):
        abort(404)
    return opportunity


def advert_to_view(user, opportunity_id: int) -> tuple[Opportunity, bool]:
    """The staff advert, and whether it is instead the partners' to read: an open
    incoming secondment is not advertised to staff but is public on the partner page,
    so staff following an old link are sent there rather than told it does not exist."""
    opportunity = _load(opportunity_id)
    if opportunity is not None and rules.may_view(user, opportunity):
        return opportunity, False
    if opportunity is not None and rules.on_partner_page(opportunity):
        return opportunity, True
    abort(404)


def opportunity_to_view(user, opportunity_id: int) -> Opportunity:
    """The advert: for whoever may know the opportunity exists."""
    return _visible(user, opportunity_id)


def opportunity_for_partners(opportunity_id: int) -> Opportunity:
    """A public advert: an open incoming secondment, for anyone. Anything else (a
    draft, a closed one, a named request, one for staff) is not found."""
    opportunity = rules.partner_advert(opportunity_id)
    if opportunity is None:
        abort(404)
    return opportunity


def opportunity_to_manage(user, opportunity_id: int) -> Opportunity:
    """Its creator and People Services look after it."""
    opportunity = _visible(user, opportunity_id)
    if not rules.may_manage(user, opportunity):
        abort(403)
    return opportunity


def opportunity_to_decide(user, opportunity_id: int) -> Opportunity:
    """A Resources Board member deciding its business case; an opportunity with no case
    has nothing to decide (404)."""
    opportunity = _visible(user, opportunity_id)
    if opportunity.business_case is None:
        abort(404)
    if not rules.may_decide_case(user, opportunity):
        abort(403)
    return opportunity


def opportunity_to_select(user, opportunity_id: int) -> Opportunity:
    """The hiring side (creator, contact, People Services). The contact of a closed
    opportunity is still a selector, which seeing the advert would not allow."""
    opportunity = db.session.get(Opportunity, opportunity_id)
    selector = opportunity is not None and rules.is_selector(user, opportunity)
    if opportunity is None or not (selector or rules.may_view(user, opportunity)):
        abort(404)
    if not selector:
        abort(403)
    return opportunity
