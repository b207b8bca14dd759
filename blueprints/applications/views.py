"""The applicant's side: applying from an advert, saving and coming back, checking and
submitting, the optional equality questions, following the application, withdrawing,
appealing a refusal and answering an offer."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from blueprints.applications import bp, forms, presenters
from portal.errors import where_to_look
from portal.extensions import db
from portal.forms import add_errors
from portal.loaders import (
    application_for_action,
    application_for_applicant,
    application_to_view,
    opportunity_to_view,
)
from portal.permissions import Permission, requires
from portal.querystring import page_number
from portal.services import applications as service
from portal.services.errors import RuleError
from portal.workflow import TransitionRefused


def closed_to(application, action: str) -> list[str]:
    """Why the person cannot take `action` on the application now, in words ([] when
    they can)."""
    return service.refusal(current_user, application, action)


def to_application(application, problems: list[str] = ()):
    for problem in problems:
        flash(problem, "error")
    return redirect(url_for(".view_application", application_id=application.id))


@where_to_look("applications")
def application_now(view_args: dict) -> tuple[str, str]:
    if "application_id" in view_args:
        return "application", url_for(".view_application",
                                      application_id=view_args["application_id"])
    return "application", url_for(".my_applications")


# --- applying -------------------------------------------------------------------------

@bp.post("/opportunities/<int:opportunity_id>/apply")
@requires(Permission.APPLY)
def start_application(opportunity_id: int):
    opportunity = opportunity_to_view(current_user, opportunity_id)
    try:
        application = service.start_application(current_user, opportunity)
    except TransitionRefused as refused:
        return render_template("applications/cannot_apply.html", o=opportunity,
                               problems=refused.problems), 422
    return redirect(url_for(".edit_application", application_id=application.id))


@bp.route("/applications/<int:application_id>/edit", methods=["GET", "POST"])
@requires(Permission.APPLY)
def edit_application(application_id: int):
    application = application_for_action(current_user, application_id, "edit")
    if problems := closed_to(application, "edit"):
        return to_application(application, problems)
    form = forms.ApplicationForm()
    if request.method == "GET":
        form.show(application)
        return render_template("applications/edit.html", form=form, a=application)
    valid = form.validate_on_submit()
    # Continue: what submission needs is said with the form's own problems, in one go.
    missing = service.submission_errors(form.changes()) if form.submit.data else {}
    if valid:
        service.save_draft(application, current_user, form.changes(),
                           expected_version=form.expected_version)
        form.version.data = application.version
        if form.save.data:
            flash("Your application has been saved. You can come back to it at any time "
                  "before the closing date from ‘Your applications’.", "success")
            return redirect(url_for(".my_applications"))
        if not missing:
            return redirect(url_for(".check_application", application_id=application.id))
    add_errors(form, {name: message for name, message in missing.items()
                      if not form[name].errors})
    return render_template("applications/edit.html", form=form, a=application)


@bp.get("/applications/<int:application_id>/check")
@requires(Permission.APPLY)
def check_application(application_id: int):
    application = application_for_action(current_user, application_id, "submit")
    if problems := closed_to(application, "submit"):
        return to_application(application, problems)
    return render_template(
        "applications/check.html", a=application,
        unfinished=service.submission_errors(application),
        problems=service.apply_problems(current_user, application.opportunity),
        form=forms.ConfirmForm(version=application.version))


@bp.post("/applications/<int:application_id>/submit")
@requires(Permission.APPLY)
def submit_application(application_id: int):
    application = application_for_action(current_user, application_id, "submit")
    form = forms.ConfirmForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        service.submit(application, current_user, expected_version=form.expected_version)
    except TransitionRefused as refused:
        db.session.rollback()
        return render_template("applications/check.html", a=application, unfinished={},
                               problems=refused.problems, form=form), 422
    return redirect(url_for(".application_submitted", application_id=application.id))


@bp.route("/applications/<int:application_id>/equality", methods=["GET", "POST"])
@requires(Permission.APPLY)
def equality_questions(application_id: int):
    """Optional monitoring questions, offered once the application is sent, answered
    once and changed after. The answers go to a table of their own, read only by People
    Services' aggregate report and by the applicant here."""
    application = application_for_applicant(current_user, application_id)
    if application.reference is None:  # asked after submitting, never before
        return redirect(url_for(".check_application", application_id=application.id))
    form = forms.EqualityForm()
    answered = service.equality_answers(application, current_user)
    if form.validate_on_submit():
        service.record_equality_answers(application, current_user, form.answers())
        if answered or form.answers():
            flash("Thank you. Your answers to the equality questions have been saved.",
                  "success")
        return redirect(url_for(".view_application", application_id=application.id))
    if request.method == "GET":
        form.show(answered)
    return render_template("applications/equality.html", form=form, a=application,
                           questions=forms.EQUALITY_QUESTIONS, answered=bool(answered))


@bp.get("/applications/<int:application_id>/submitted")
@requires(Permission.APPLY)
def application_submitted(application_id: int):
    application = application_for_applicant(current_user, application_id)
    if application.reference is None:  # nothing sent yet: nothing to confirm
        return redirect(url_for(".check_application", application_id=application.id))
    return render_template("applications/submitted.html", a=application,
                           answered=bool(service.equality_answers(application, current_user)))


# --- following it ---------------------------------------------------------------------

@bp.get("/applications")
@requires(Permission.APPLY)
def my_applications():
    results = service.applications_of(current_user, page=page_number(request.args.get("page")))
    return render_template("applications/mine.html", results=results)


@bp.get("/applications/<int:application_id>")
@requires(Permission.APPLY)
def view_application(application_id: int):
    application = application_to_view(current_user, application_id)
    return render_template(
        "applications/view.html", a=application,
        is_applicant=service.may_act(current_user, application, "applicant"),
        actions=service.available_actions(current_user, application),
        appeal_deadline=service.appeal_deadline(application))


@bp.route("/applications/<int:application_id>/withdraw", methods=["GET", "POST"])
@requires(Permission.APPLY)
def withdraw_application(application_id: int):
    application = application_for_action(current_user, application_id, "withdraw")
    if problems := closed_to(application, "withdraw"):
        return to_application(application, problems)
    form = forms.WithdrawForm(version=application.version)
    words = presenters.withdraw_words(application)  # said for the stage it was at
    if form.validate_on_submit():
        service.withdraw(application, current_user, expected_version=form.expected_version,
                         reason=form.reason.data or "")
        flash(words.done, "success")
        return redirect(url_for(".view_application", application_id=application.id))
    return render_template("applications/withdraw.html", form=form, a=application,
                           words=words)


@bp.route("/applications/<int:application_id>/delete", methods=["GET", "POST"])
@requires(Permission.APPLY)
def delete_application(application_id: int):
    """A draft nobody else has seen: deleted after a confirmation, nobody told."""
    application = application_for_action(current_user, application_id, "delete")
    if problems := closed_to(application, "delete"):
        return to_application(application, problems)
    form = forms.DeleteDraftForm(version=application.version)
    if form.validate_on_submit():
        title = application.opportunity.title
        service.delete_draft(application, current_user, expected_version=form.expected_version)
        flash(f"Your draft application for {title} has been deleted.", "success")
        return redirect(url_for(".my_applications"))
    return render_template("applications/delete.html", form=form, a=application)


@bp.route("/applications/<int:application_id>/appeal", methods=["GET", "POST"])
@requires(Permission.APPLY)
def appeal_application(application_id: int):
    application = application_for_action(current_user, application_id, "appeal")
    form = forms.AppealForm(version=application.version)
    problems = service.appeal_problems(application)
    if not problems and form.validate_on_submit():
        try:
            service.lodge_appeal(application, current_user, form.grounds.data,
                                 expected_version=form.expected_version)
        except RuleError as error:
            add_errors(form, error.errors)
        except TransitionRefused as refused:
            db.session.rollback()
            problems = refused.problems
        else:
            flash("Your appeal has been lodged. People Services will decide it and write "
                  "to you.", "success")
            return redirect(url_for(".view_application", application_id=application.id))
    return render_template("applications/appeal.html", form=form, a=application,
                           problems=problems, deadline=service.appeal_deadline(application)
                           ), 422 if problems and request.method == "POST" else 200


@bp.route("/applications/<int:application_id>/offer", methods=["GET", "POST"])
@requires(Permission.APPLY)
def answer_offer(application_id: int):
    application = application_for_action(current_user, application_id, "accept")
    if problems := closed_to(application, "accept"):
        return to_application(application, problems)
    form = forms.OfferForm(version=application.version)
    if form.validate_on_submit():
        accept = form.answer.data == "accept"
        service.answer_offer(application, current_user, accept=accept,
                             expected_version=form.expected_version)
        flash("You have accepted the offer. People Services will arrange the placement "
              "with you." if accept else "You have declined the offer.", "success")
        return redirect(url_for(".view_application", application_id=application.id))
    return render_template("applications/offer.html", form=form, a=application,
                           overdue=service.reply_overdue(application))
