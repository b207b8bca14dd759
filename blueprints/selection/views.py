"""The hiring side's pages: the applications released for an opportunity, the
shortlist, the assessment outcome and the offer.

While shortlisting is anonymised (`names_hidden`) candidates are shown by number with
their answers only: no name, e-mail, department, grade or reference. Equality answers
and conflict declarations are never shown here (People Services see declarations on
their register). A refusal from the service (PermissionError, a record changed
meanwhile) is answered once, by the error handlers at the end.
"""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from blueprints.selection import bp, forms
from blueprints.selection.presenters import Candidate, candidate, candidates
from portal.errors import where_to_look
from portal.extensions import db
from portal.forms import add_errors, expected_version
from portal.loaders import candidate_to_select, opportunity_to_select
from portal.models import Opportunity
from portal.permissions import Permission, requires
from portal.services import applications as service
from portal.services import opportunities as opportunity_rules
from portal.services.errors import RuleError, StaleRecord
from portal.services.opportunities import london_today
from portal.workflow import TransitionRefused


def candidate_for(opportunity: Opportunity, application_id: int) -> Candidate:
    """The application as its candidate, numbered as on the list."""
    number, application = candidate_to_select(opportunity, application_id)
    return candidate(number, application, service.names_hidden(opportunity))


def list_page(opportunity: Opportunity, problems=(), status: int = 200):
    hidden = service.names_hidden(opportunity)
    return render_template(
        "selection/candidates.html", o=opportunity, hidden=hidden,
        candidates=candidates(service.for_selection(opportunity), hidden),
        fixed=service.shortlist_fixed(opportunity), problems=list(problems),
        fix_form=forms.FixShortlistForm(formdata=None, version=opportunity.version),
        may_manage=opportunity_rules.may_manage(current_user, opportunity),
        opportunity_actions=opportunity_rules.available_actions(current_user, opportunity)
    ), status


def back_to_list(opportunity: Opportunity, candidate: Candidate | None = None):
    return redirect(url_for(".list_candidates", opportunity_id=opportunity.id,
                            _anchor=candidate.anchor if candidate else None))


@bp.get("/opportunities/<int:opportunity_id>/applications")
@requires(Permission.SELECT_CANDIDATES)
def list_candidates(opportunity_id: int):
    return list_page(opportunity_to_select(current_user, opportunity_id))


@bp.post("/opportunities/<int:opportunity_id>/applications/<int:application_id>/shortlist")
@requires(Permission.SELECT_CANDIDATES)
def shortlist_candidate(opportunity_id: int, application_id: int):
    opportunity = opportunity_to_select(current_user, opportunity_id)
    candidate = candidate_for(opportunity, application_id)
    form = forms.ShortlistForm()
    if not form.validate_on_submit():
        abort(400)
    include = form.decision.data == "shortlist"
    try:
        service.shortlist(candidate.application, current_user, include=include,
                          expected_version=expected_version(form))
    except TransitionRefused as refused:
        db.session.rollback()
        return list_page(opportunity, refused.problems, 422)
    flash(f"{candidate.label} shortlisted." if include else
          f"{candidate.label} not shortlisted. They have been told by e-mail.", "success")
    return back_to_list(opportunity, candidate)


@bp.post("/opportunities/<int:opportunity_id>/applications/fix-shortlist")
@requires(Permission.SELECT_CANDIDATES)
def fix_shortlist(opportunity_id: int):
    opportunity = opportunity_to_select(current_user, opportunity_id)
    form = forms.FixShortlistForm()
    if not form.validate_on_submit():
        abort(400)
    if expected_version(form) != opportunity.version:
        raise StaleRecord()
    try:
        service.fix_shortlist(opportunity, current_user)
    except TransitionRefused as refused:
        db.session.rollback()
        return list_page(opportunity, refused.problems, 422)
    flash("The shortlist is fixed. Candidates' names and details are now shown.", "success")
    return back_to_list(opportunity)


@bp.route("/opportunities/<int:opportunity_id>/applications/<int:application_id>/assessment",
          methods=["GET", "POST"])
@requires(Permission.SELECT_CANDIDATES)
def record_assessment(opportunity_id: int, application_id: int):
    opportunity = opportunity_to_select(current_user, opportunity_id)
    candidate = candidate_for(opportunity, application_id)
    application = candidate.application
    form = forms.AssessmentForm()
    if request.method == "GET":
        form.version.data, form.outcome.data = application.version, application.assessment_outcome
    problems = []
    if form.validate_on_submit():
        try:
            service.record_assessment(application, current_user, form.outcome.data,
                                      expected_version=expected_version(form))
        except RuleError as error:
            add_errors(form, error.errors)
        except TransitionRefused as refused:
            db.session.rollback()
            problems = refused.problems
        else:
            flash(f"Assessment outcome recorded for {candidate.label}.", "success")
            return back_to_list(opportunity, candidate)
    return render_template("selection/assessment.html", o=opportunity, candidate=candidate,
                           form=form, problems=problems), 422 if problems else 200


@bp.route("/opportunities/<int:opportunity_id>/applications/<int:application_id>/offer",
          methods=["GET", "POST"])
@requires(Permission.SELECT_CANDIDATES)
def make_offer(opportunity_id: int, application_id: int):
    opportunity = opportunity_to_select(current_user, opportunity_id)
    candidate = candidate_for(opportunity, application_id)
    application = candidate.application
    form = forms.OfferForm()
    if request.method == "GET":
        form.version.data = application.version
    problems = []
    if form.validate_on_submit():
        try:
            service.make_offer(application, current_user, form.terms.data,
                               expected_version=expected_version(form))
        except RuleError as error:
            add_errors(form, error.errors)
        except TransitionRefused as refused:
            db.session.rollback()
            problems = refused.problems
        else:
            flash(f"Offer made to {candidate.label}. The terms have been sent to them by "
                  "e-mail, to accept or decline.", "success")
            return back_to_list(opportunity, candidate)
    return render_template("selection/offer.html", o=opportunity, candidate=candidate,
                           form=form, problems=problems,
                           reply_by=service.reply_by_for(london_today())
                           ), 422 if problems else 200


@bp.route("/opportunities/<int:opportunity_id>/applications/<int:application_id>"
          "/withdraw-offer", methods=["GET", "POST"])
@requires(Permission.SELECT_CANDIDATES)
def withdraw_offer(opportunity_id: int, application_id: int):
    opportunity = opportunity_to_select(current_user, opportunity_id)
    candidate = candidate_for(opportunity, application_id)
    application = candidate.application
    form = forms.WithdrawOfferForm()
    if request.method == "GET":
        form.version.data = application.version
    problems = service.refusal(current_user, application, "withdraw_offer")
    if not problems and form.validate_on_submit():
        service.withdraw_offer(application, current_user,
                               expected_version=expected_version(form))
        flash(f"Offer to {candidate.label} withdrawn. They have been told by e-mail.",
              "success")
        return back_to_list(opportunity, candidate)
    return render_template("selection/withdraw_offer.html", o=opportunity,
                           candidate=candidate, form=form, problems=problems
                           ), 422 if problems and request.method == "POST" else 200


@where_to_look("selection")
def applications_now(view_args: dict) -> tuple[str, str]:
    return "application", url_for(".list_candidates",
                                  opportunity_id=view_args["opportunity_id"])
