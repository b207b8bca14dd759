"""How an application is shown: summary-list rows for the check page and the
application's own page, and what the advert says to someone who may apply."""

from dataclasses import dataclass, field

from flask import current_app, url_for
from flask_login import current_user
from markupsafe import Markup, escape

from blueprints.applications import bp
from portal.models.applications import Application, ApplicationStatus
from portal.permissions import Permission
from portal.services import applications as service

QUESTIONS = {
    "motivation": "Why you want it and what you would bring",
    "evidence": "Evidence against the skills sought",
    "learning_objectives": "Learning objectives",
    "cover_plan": "How your work could be covered",
    "discussed_with_manager": "Discussed with your line manager",
    "has_conflict": "Conflict of interest or prior connection with the host",
    "conflict_details": "The conflict or connection",
}


def _lines(text: str) -> Markup:
    """The applicant's own words, escaped, with their line breaks kept."""
    return Markup("<br>").join(escape(line) for line in text.strip().splitlines())


def _row(application: Application, name: str, value, change: bool) -> dict:
    if isinstance(value, str) and value.strip():
        shown = {"html": _lines(value)}
    else:
        shown = {"text": value if value not in (None, "") else "Not answered"}
    row = {"key": {"text": QUESTIONS[name]}, "value": shown}
    if change:
        href = url_for("applications.edit_application", application_id=application.id)
        row["actions"] = {"items": [{"href": f"{href}#{name}", "text": "Change",
                                     "visuallyHiddenText": QUESTIONS[name].lower()}]}
    return row


@bp.app_template_global()
def application_rows(application: Application, change: bool = False) -> list[dict]:
    """The answers, with Change links on the check page."""
    a = application
    rows = [_row(a, name, getattr(a, name), change)
            for name in ("motivation", "evidence", "learning_objectives", "cover_plan")]
    rows.append(_row(a, "discussed_with_manager",
                     "Yes" if a.discussed_with_manager else "No", change))
    rows.append(_row(a, "has_conflict",
                     {True: "Yes", False: "No"}.get(a.has_conflict), change))
    if a.has_conflict:
        rows.append(_row(a, "conflict_details", a.conflict_details, change))
    return rows


@dataclass
class ApplyStart:
    """What the advert offers a person who may apply: their application if they have
    one, otherwise why they cannot apply (nothing when they can)."""

    application: Application | None = None
    problems: list[str] = field(default_factory=list)
    actions: list[str] = field(default_factory=list)  # what they can do with theirs


@bp.app_template_global()
def application_start(opportunity) -> ApplyStart | None:
    if not (current_user.is_authenticated and current_user.can(Permission.APPLY)):
        return None
    existing = service.existing_application(current_user, opportunity)
    if existing is not None:
        return ApplyStart(application=existing,
                          actions=service.available_actions(current_user, existing))
    return ApplyStart(problems=service.apply_problems(current_user, opportunity))


@bp.app_template_global()
def decision_letter_url(decision) -> str | None:
    """The printable letter, once the decisions feature that serves it is there."""
    if "decisions.decision_letter" not in current_app.view_functions:
        return None
    return url_for("decisions.decision_letter", decision_id=decision.id)


OUTCOME_WORDS = {"supported": "Supported", "approved": "Release approved",
                 "refused": "Refused", "upheld": "Appeal decided: the refusal stands",
                 "overturned": "Appeal decided: the refusal is overturned"}


@bp.app_template_global()
def decision_outcome(decision) -> str:
    return OUTCOME_WORDS.get(decision.outcome, decision.outcome.capitalize())


@dataclass(frozen=True)
class WithdrawWords:
    """How withdrawing is put at one stage: the link, the question, the button, what
    happens, and the message once done."""

    link: str
    question: str
    button: str
    what_happens: str
    done: str


_WITHDRAW_APPLICATION = WithdrawWords(
    "Withdraw your application", "Are you sure you want to withdraw your application?",
    "Withdraw your application",
    "Your application will not be decided. Your line manager is told that you have "
    "withdrawn.", "You have withdrawn your application.")
_WITHDRAW_FROM_SELECTION = WithdrawWords(
    "Withdraw from the selection", "Are you sure you want to withdraw from the selection?",
    "Withdraw from the selection",
    "You will not be considered for this secondment any further. Your line manager is "
    "told that you have withdrawn.", "You have withdrawn from the selection.")
WITHDRAW_WORDS = {
    ApplicationStatus.SUBMITTED: _WITHDRAW_APPLICATION,
    ApplicationStatus.ENDORSED: _WITHDRAW_APPLICATION,
    ApplicationStatus.RELEASED: _WITHDRAW_FROM_SELECTION,
    ApplicationStatus.SHORTLISTED: _WITHDRAW_FROM_SELECTION,
    ApplicationStatus.APPEALED: WithdrawWords(
        "Withdraw your appeal", "Are you sure you want to withdraw your appeal?",
        "Withdraw your appeal",
        "Your appeal will not be decided and the refusal stands: your application ends "
        "here. Your line manager is told that you have withdrawn.",
        "You have withdrawn your appeal. The refusal stands."),
}


@bp.app_template_global()
def withdraw_words(application: Application) -> WithdrawWords:
    """The words for withdrawing at the application's stage (only the stages where the
    table allows it; anything else reads as withdrawing the application)."""
    return WITHDRAW_WORDS.get(application.status_enum, _WITHDRAW_APPLICATION)
