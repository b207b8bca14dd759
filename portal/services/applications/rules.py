"""Who is who on an application, and the engine's transition for it: the rules every
other part of the applications service stands on."""

from portal.models import User
from portal.models.applications import (
    Application,
    ApplicationStatus,
    Decision,
    DecisionStage,
)
from portal.roles import Permission
from portal.services.opportunities.access import is_selector
from portal.urls import external_url
from portal.workflow import APPLICATION, allowed_actions, transition
from portal.workflow import blocked_actions as workflow_blocked
from portal.workflow import refusal as workflow_refusal

A = ApplicationStatus


# --- who is who on an application -----------------------------------------------------

def may_act(user, application: Application, actor: str) -> bool:
    """Whether `user` is the `actor` the transition table names. Nobody decides on
    their own application."""
    if actor == "applicant":
        return application.applicant_id == user.id
    if application.applicant_id == user.id:
        return False
    if actor == "line_manager":
        return application.line_manager_id == user.id
    if actor == "head":
        return application.head_of_department_id == user.id
    if actor == "selector":
        return is_selector(user, application.opportunity)
    if actor == "people_services":
        # The manager's or head's refusal under appeal, not the officer's own decision
        # that confirms it (which `_transition` sees in the session when it checks again).
        refusals = [d for d in application.decisions if d.outcome == "refused"]
        refused_by = refusals[-1] if refusals else None
        return (user.can(Permission.DECIDE_APPEALS)
                and (refused_by is None or refused_by.decided_by_id != user.id))
    return False


APPLICATION.actors_from(may_act)


def may_view(user, application: Application) -> bool:
    """The applicant, their deciders, the hiring side once released, People Services."""
    if application.applicant_id == user.id:
        return True
    if application.status == A.DRAFT:
        return False
    if user.can(Permission.VIEW_ALL_APPLICATIONS):
        return True
    if user.id in (application.line_manager_id, application.head_of_department_id):
        return True
    reached_selection = application.status in (
        A.RELEASED, A.SHORTLISTED, A.OFFERED, A.ACCEPTED, A.DECLINED, A.UNSUCCESSFUL)
    return reached_selection and is_selector(user, application.opportunity)


def may_read_letter(user, decision: Decision) -> bool:
    """A decision letter is for the people it concerns: the applicant, the deciders of
    the application (line manager, head of department, appeal officer) and People
    Services. Not the hiring side, who may see a released application: a refusal's
    grounds can be personal (a formal procedure)."""
    application = decision.application
    deciders = {d.decided_by_id for d in application.decisions
                if d.stage != DecisionStage.SELECTION}
    readers = deciders | {application.applicant_id, application.line_manager_id,
                          application.head_of_department_id}
    return user.id in readers or user.can(Permission.VIEW_ALL_APPLICATIONS)


def refusal(user, application: Application, action: str) -> list[str]:
    """Why this person cannot take `action` now, in words ([] when they can)."""
    return workflow_refusal(APPLICATION, application, action, user)


def blocked_actions(user, application: Application) -> dict[str, list[str]]:
    """What this person could do in this state but a guard stops now, and why."""
    return workflow_blocked(APPLICATION, application, user)


def available_actions(user, application: Application) -> list[str]:
    """What this person can do now: the table's actions for this state and actor that
    no guard stops (an appeal out of time, an offer before the shortlist is fixed)."""
    return allowed_actions(APPLICATION, application, user)


def _transition(application: Application, action: str, actor: User, summary: str = "",
                tell=None, expected_version: int | None = None):
    transition(APPLICATION, application, action, actor, details=summary, tell=tell,
               expected_version=expected_version)


def _link(application: Application, endpoint: str = "applications.view_application") -> str:
    return external_url(endpoint, application_id=application.id)


def _letter_link(decision: Decision) -> str:
    return external_url("decisions.decision_letter", decision_id=decision.id)
