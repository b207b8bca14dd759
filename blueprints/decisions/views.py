"""Decisions in writing (R5): the line manager's endorsement, the head of department's
release, the decision letters, and People Services' decisions on appeals."""


from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy.orm.exc import StaleDataError

from blueprints.decisions import bp, forms, presenters
from portal.extensions import db
from portal.forms import add_errors
from portal.loaders import appeal_to_decide, application_to_decide, decision_letter_for
from portal.permissions import Permission, requires
from portal.querystring import page_number
from portal.services import applications as service
from portal.services import documents
from portal.services.errors import RuleError, StaleRecord
from portal.workflow import TransitionRefused

# The decision due from someone, by the action of the transition table that takes it:
# the form, the service function and its yes/no keyword.
STEPS = {
    "support": (forms.EndorsementForm, service.decide_endorsement, "support"),
    "approve_release": (forms.ReleaseForm, service.decide_release, "approve"),
}



def stale_page(application, form):
    """Someone else changed the application since this page was loaded: nothing is
    saved, theirs stands, and what this person wrote is shown back to them."""
    db.session.rollback()
    unsaved = [(getattr(form, name).data or "").strip() for name in ("rationale", "comments")
               if name in form]
    return render_template("decisions/stale.html", a=application,
                           unsaved="\n".join(u for u in unsaved if u)), 409


def refused_page(problems: list[str], endpoint: str):
    db.session.rollback()
    for problem in problems:
        flash(problem, "error")
    return redirect(url_for(endpoint))


def check_page(application, form, **shown):
    """The answers to check before the letter goes (presenters say what is shown)."""
    page = presenters.decision_to_check(application, form, **shown)
    return render_template("decisions/check.html", form=form, a=application, **page)


# --- loading -------------------------------------------------------------------------

def _step_due(application) -> str | None:
    """The decision this person takes on the application now, if any."""
    actions = service.available_actions(current_user, application)
    return next((action for action in STEPS if action in actions), None)


# --- the line manager and the head of department -------------------------------------

@bp.get("/decisions")
@requires(Permission.DECIDE_APPLICATIONS)
def to_decide():
    return render_template("decisions/to_decide.html", results=service.waiting_for(
        current_user, page=page_number(request.args.get("page"))))


@bp.get("/decisions/taken")
@requires(Permission.DECIDE_APPLICATIONS)
def decisions_taken():
    return render_template("decisions/taken.html", results=service.decisions_taken_by(
        current_user, page=page_number(request.args.get("page"))))


@bp.route("/decisions/<int:application_id>", methods=["GET", "POST"])
@requires(Permission.DECIDE_APPLICATIONS)
def decide_application(application_id: int):
    """Three steps on one address, each a post of the same answers: the form, the
    answers to check ("Change" posts them back to the form), then the decision recorded
    and its letter sent. The version shown with the form travels through all three."""
    application = application_to_decide(current_user, application_id)
    step = _step_due(application)
    form_class, decide, yes = STEPS[step or "support"]
    form = form_class(version=application.version)
    if request.form.get("change") and step:  # back from checking, the answers as they were
        return render_template("decisions/decide.html", form=form, a=application,
                               step=step or "support")
    if form.validate_on_submit():
        # Out of date first: the step due may have moved on because of that change.
        if form.expected_version != application.version:
            return stale_page(application, form)
        if step is None:
            abort(403)
        approve = form.decision.data == "approve"
        if not request.form.get("confirm"):
            if errors := service.decision_errors(approve=approve, **form.answers()):
                add_errors(form, errors)
            else:
                return check_page(application, form, step=step, approve=approve)
        elif page := _recorded(application, form, ".to_decide", lambda: decide(
                application, current_user, **{yes: approve}, **form.answers(),
                expected_version=form.expected_version)):
            return page
    if step is None:  # decided already, or waiting for the other decider
        return refused_page([f"There is nothing for you to decide on {application.reference} "
                             "now."], ".to_decide")
    return render_template("decisions/decide.html", form=form, a=application, step=step)


# --- letters ---------------------------------------------------------------------------

@bp.get("/decision-letters/<int:decision_id>")
@requires(Permission.READ_DECISION_LETTERS)
def decision_letter(decision_id: int):
    decision = decision_letter_for(current_user, decision_id)
    letter = service.letter_of(decision)
    return render_template("decisions/letter.html", letter=letter, a=decision.application,
                           intact=documents.intact(letter))


# --- appeals -----------------------------------------------------------------------------

@bp.get("/appeals")
@requires(Permission.DECIDE_APPEALS)
def appeals_to_decide():
    return render_template("decisions/appeals.html",
                           applications=service.appeals_waiting(current_user))


def _recorded(application, form, back: str, record):
    """The page after recording a checked decision: its confirmation, or why it was not
    recorded. None when the answers broke a rule, for the form to show with them."""
    try:
        decision = record()
    except RuleError as error:
        add_errors(form, error.errors)
        return None
    except TransitionRefused as refused:
        return refused_page(refused.problems, back)
    except PermissionError:
        abort(403)
    except (StaleRecord, StaleDataError):
        return stale_page(application, form)
    return render_template("decisions/confirmation.html", decision=decision, a=application)


@bp.route("/appeals/<int:application_id>", methods=["GET", "POST"])
@requires(Permission.DECIDE_APPEALS)
def decide_appeal(application_id: int):
    appeal = appeal_to_decide(current_user, application_id)
    application = appeal.application
    form = forms.AppealDecisionForm(version=application.version)
    if request.form.get("change"):  # back from checking, the answers as they were
        return render_template("decisions/appeal.html", form=form, appeal=appeal,
                               a=application)
    if form.validate_on_submit():
        if form.expected_version != application.version:
            return stale_page(application, form)
        overturn = form.decision.data == "overturn"
        if not request.form.get("confirm"):
            if errors := service.appeal_decision_errors(form.rationale.data or ""):
                add_errors(form, errors)
            else:
                return check_page(application, form, appeal=True, overturn=overturn)
        elif page := _recorded(application, form, ".appeals_to_decide", lambda: (
                service.decide_appeal(application, current_user, overturn=overturn,
                                      rationale=form.rationale.data or "",
                                      expected_version=form.expected_version))):
            return page
    return render_template("decisions/appeal.html", form=form, appeal=appeal, a=application)
