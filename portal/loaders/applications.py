"""Applications, appeals and decision letters, for the people they concern."""

from flask import abort
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from portal.extensions import db
from portal.models.applications import Appeal, Application, Decision
from portal.services import applications as rules
from portal.workflow import APPLICATION


def application_to_view(user, application_id: int) -> Application:
    """The applicant, their deciders, the hiring side once released, People Services."""
    application = db.session.get(Application, application_id,
                                 options=[joinedload(Application.opportunity)])
    if application is None or not rules.may_view(user, application):
        abort(404)
    return application


def _acting_as(user, application_id: int, *actors: str) -> Application:
    application = application_to_view(user, application_id)
    if not any(rules.may_act(user, application, actor) for actor in actors):
        abort(403)
    return application


def application_for_applicant(user, application_id: int) -> Application:
    """The applicant's own pages on it (the equality questions, the confirmation)."""
    return _acting_as(user, application_id, "applicant")


def application_for_action(user, application_id: int, action: str) -> Application:
    """For the one who takes `action` (edit, submit, withdraw, appeal, accept…): the
    table says who that is."""
    actors = {step.actor for (_, name), step in APPLICATION.table.items() if name == action}
    if not actors:
        raise ValueError(f"no action {action!r} in the application's table")
    return _acting_as(user, application_id, *actors)


def application_to_decide(user, application_id: int) -> Application:
    """The line manager or the head of department who decides on it."""
    return _acting_as(user, application_id, "line_manager", "head")


def appeal_to_decide(user, application_id: int) -> Appeal:
    """The latest appeal on an application, for a People Services officer who may decide
    it: 404 when there is none, 403 for the officer whose refusal is appealed."""
    application = _acting_as(user, application_id, "people_services")
    appeal = db.session.scalar(
        select(Appeal).where(Appeal.application_id == application.id)
        .order_by(Appeal.lodged_at.desc(), Appeal.id.desc()).limit(1))
    if appeal is None:
        abort(404)
    return appeal


def decision_letter_for(user, decision_id: int) -> Decision:
    """A decision whose letter this person may read; 404 for anyone else, since even
    that a letter exists is private (a refusal's grounds can be personal)."""
    decision = db.session.get(Decision, decision_id)
    if decision is None or not rules.may_read_letter(user, decision):
        abort(404)
    return decision


def candidate_to_select(opportunity, application_id: int) -> tuple[int, Application]:
    """An application that has reached selection for `opportunity` (already loaded for
    its hiring side), with its number on the candidates' list: 404 otherwise."""
    for number, application in enumerate(rules.for_selection(opportunity), start=1):
        if application.id == application_id:
            return number, application
    abort(404)
