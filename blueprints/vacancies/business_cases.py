"""The business case put to the Resources Board (R6, and R3 beyond 24 months): sent by
the opportunity's creator, decided by the Board."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from blueprints.vacancies import bp, forms
from blueprints.vacancies.views import require_version
from portal.extensions import db
from portal.forms import add_errors
from portal.loaders import opportunity_to_decide, opportunity_to_manage
from portal.permissions import Permission, requires
from portal.services import opportunities as service
from portal.services.errors import RuleError
from portal.workflow import TransitionRefused


@bp.route("/opportunities/<int:opportunity_id>/business-case", methods=["GET", "POST"])
@requires(Permission.CREATE_OPPORTUNITY)
def submit_business_case(opportunity_id: int):
    opportunity = opportunity_to_manage(current_user, opportunity_id)
    case = opportunity.business_case
    form = forms.BusinessCaseForm(
        obj=case if request.method == "GET" and case else None,
        priorities=case.priority_keys if request.method == "GET" and case else None)
    if request.method == "GET":
        form.version.data = opportunity.version
    if form.validate_on_submit():
        require_version(form, opportunity)
        try:
            service.submit_business_case(
                opportunity, current_user, skills=form.skills.data.strip(),
                priorities=form.priorities.data, costs=form.costs.data.strip(),
                cover=form.cover.data.strip())
        except RuleError as error:
            add_errors(form, error.errors)
        except TransitionRefused as refused:
            db.session.rollback()
            for problem in refused.problems:
                flash(problem, "error")
            return redirect(url_for(".check_opportunity", opportunity_id=opportunity.id))
        else:
            return render_template(
                "vacancies/confirmation.html", o=opportunity, title="Business case sent",
                body="The Resources Board will decide it. You can follow where it stands "
                     "on the opportunity's page, and publish it once it is approved.")
    return render_template("vacancies/business_case.html", form=form, o=opportunity,
                           reasons=service.board_approval_reasons(opportunity))


@bp.get("/business-cases")
@requires(Permission.DECIDE_BUSINESS_CASE)
def business_cases():
    return render_template("vacancies/cases.html",
                           cases=service.cases_awaiting_decision(current_user))


@bp.route("/business-cases/<int:opportunity_id>", methods=["GET", "POST"])
@requires(Permission.DECIDE_BUSINESS_CASE)
def decide_business_case(opportunity_id: int):
    opportunity = opportunity_to_decide(current_user, opportunity_id)
    form = forms.DecisionForm(version=opportunity.version)
    if form.validate_on_submit():
        require_version(form, opportunity)
        try:
            service.decide_business_case(opportunity, current_user,
                                         approve=form.decision.data == "approve",
                                         reason=form.reason.data.strip())
        except RuleError as error:
            add_errors(form, error.errors)
        except TransitionRefused as refused:
            abort(409, refused.problems[0])
        else:
            approved = form.decision.data == "approve"
            return render_template(
                "vacancies/confirmation.html", o=opportunity,
                title="Business case approved" if approved else "Business case rejected",
                body="The creator can now publish the opportunity." if approved else
                     "The opportunity is back in draft for its creator, with your reasons.")
    return render_template("vacancies/decide.html", form=form, o=opportunity,
                           reasons=service.board_approval_reasons(opportunity))
