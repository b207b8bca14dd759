"""Loading a record for a person: 404 when it does not exist or its existence is
private to them, 403 when they may see it but not do what they asked."""

from flask import abort
from sqlalchemy.orm import joinedload

from portal.extensions import db
from portal.models.opportunities import Opportunity
from portal.services import opportunities as service


def opportunity_for(user, opportunity_id: int, purpose: str = "view") -> Opportunity:
    """`purpose` is "view" (the advert), "manage" (creator or People Services) or
    "decide" (a Resources Board member deciding its business case)."""
    opportunity = db.session.get(
        Opportunity, opportunity_id,
        options=[joinedload(Opportunity.business_case),
                 joinedload(Opportunity.offering_department),
                 joinedload(Opportunity.host_organisation)])
    if opportunity is None or not service.may_view(user, opportunity):
        abort(404)
    if purpose == "manage" and not service.may_manage(user, opportunity):
        abort(403)
    if purpose == "decide" and not service.may_decide_case(user, opportunity):
        abort(403)
    return opportunity
