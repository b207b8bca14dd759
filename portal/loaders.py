"""Loading a record for a person: 404 when it does not exist or its existence is
private to them, 403 when they may see it but not do what they asked."""

from flask import abort
from sqlalchemy.orm import joinedload

from portal.extensions import db
from portal.models.applications import Application, Decision
from portal.models.opportunities import Opportunity
from portal.services import applications as application_rules
from portal.services import opportunities as service
from portal.workflow import APPLICATION_TRANSITIONS


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
    if purpose == "decide" and opportunity.business_case is None:
        # Nothing to decide: an opportunity that needs no business case has none.
        abort(404)
    if purpose == "manage" and not service.may_manage(user, opportunity):
        abort(403)
    if purpose == "decide" and not service.may_decide_case(user, opportunity):
        abort(403)
    return opportunity


def application_for(user, application_id: int, purpose: str = "view") -> Application:
    """An application, for a person and a purpose.

    `purpose` is "view" (the applicant, their deciders, the hiring side once released,
    People Services), an action of the application's transition table ("edit",
    "submit", "withdraw", "appeal", "accept", "support", ...), one of the table's actors
    ("applicant", "line_manager", "head", "selector", "people_services"), or "decide"
    (the line manager or the head of department). 404 when the application does not
    exist or is private from this person, 403 when they are not the one who takes the
    action. Whether the action is open *now* is for the service to say, in words."""
    application = db.session.get(Application, application_id,
                                 options=[joinedload(Application.opportunity)])
    if application is None or not application_rules.may_view(user, application):
        abort(404)
    if purpose == "view":
        return application
    actors = {t.actor for t in APPLICATION_TRANSITIONS.values()}
    by_action = {action: t.actor for (_, action), t in APPLICATION_TRANSITIONS.items()}
    if purpose == "decide":
        wanted = ("line_manager", "head")
    elif purpose in actors:
        wanted = (purpose,)
    elif purpose in by_action:
        wanted = (by_action[purpose],)
    else:
        raise ValueError(f"unknown purpose {purpose!r}")
    if not any(application_rules.may_act(user, application, actor) for actor in wanted):
        abort(403)
    return application


def decision_letter_for(user, decision_id: int) -> Decision:
    """A decision whose letter this person may read; 404 for anyone else, since even
    that a letter exists is private (a refusal's grounds can be personal)."""
    decision = db.session.get(Decision, decision_id)
    if decision is None or not application_rules.may_read_letter(user, decision):
        abort(404)
    return decision
