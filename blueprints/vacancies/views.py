"""The vacancies board, adverts, and the pages that create and look after them."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select
from wtforms import StringField

from blueprints.vacancies import bp, forms
from blueprints.vacancies.filters import (
    BOARD_KINDS,
    CLOSING_CHOICES,
    DURATION_CHOICES,
    board_filters_from,
    selected_filters,
)
from portal.errors import where_to_look
from portal.extensions import db, limiter
from portal.formatting import closing_time
from portal.forms import add_errors, expected_version
from portal.loaders import advert_to_view, opportunity_to_manage
from portal.models import AuditEvent, Opportunity
from portal.models.opportunities import OpportunityKind
from portal.permissions import Permission, requires
from portal.querystring import page_number
from portal.services import grades
from portal.services import opportunities as service
from portal.services.errors import RuleError, StaleRecord
from portal.urls import external_url
from portal.workflow import TransitionRefused

K = OpportunityKind

# Question pages: (form, heading). The draft's task list links to each.
FORMS = {"details": forms.DetailsForm, "where": forms.WhereForm, "terms": forms.TermsForm,
         "money": forms.MoneyForm, "audience": forms.AudienceForm,
         "closing": forms.ClosingForm}
SECTIONS = {key: (FORMS[key], title) for key, title in service.SECTION_TITLES.items()}
SECTION_ORDER = list(SECTIONS)


def require_version(form, opportunity) -> None:
    """The page was shown with the version the opportunity still has, or someone else
    changed it meanwhile (answered by `changed_meanwhile`)."""
    if expected_version(form) != opportunity.version:
        raise StaleRecord()


@where_to_look("vacancies")
def opportunity_now(view_args: dict) -> tuple[str, str]:
    """Its management page for those who look after it; the Board's list otherwise."""
    opportunity = db.session.get(Opportunity, view_args.get("opportunity_id", 0))
    if opportunity is not None and service.may_manage(current_user, opportunity):
        return "opportunity", url_for(".manage_opportunity", opportunity_id=opportunity.id)
    return "opportunity", url_for(".business_cases")


@bp.get("/opportunities")
@limiter.limit("60 per minute")  # the board is also the search
@requires(Permission.VIEW_BOARD)
def board():
    filters, reader = board_filters_from(request.args)
    results = service.board(filters)
    choices = service.filter_choices()
    return render_template("vacancies/board.html", results=results, filters=filters,
                           form=reader, choices=choices, kinds=BOARD_KINDS,
                           selected=selected_filters(request.args, filters, choices),
                           may_create=service.may_create(current_user),
                           duration_choices=DURATION_CHOICES, closing_choices=CLOSING_CHOICES)


@bp.get("/opportunities/<int:opportunity_id>")
@requires(Permission.VIEW_BOARD)
def advert(opportunity_id: int):
    opportunity, for_partners = advert_to_view(current_user, opportunity_id)
    if for_partners:
        return redirect(url_for(".partner_advert", opportunity_id=opportunity.id))
    public = service.on_partner_page(opportunity)
    return render_template(
        "vacancies/advert.html", o=opportunity,
        may_manage=service.may_manage(current_user, opportunity),
        partner_advert_url=url_for(".partner_advert", opportunity_id=opportunity.id)
        if public else None)


@bp.route("/opportunities/new", methods=["GET", "POST"])
@requires(Permission.CREATE_OPPORTUNITY)
def new_opportunity():
    if not service.may_create(current_user):
        abort(403)
    form = forms.KindForm()
    if form.validate_on_submit():
        opportunity = service.create_draft(current_user, form.kind.data)
        return redirect(url_for(".edit_opportunity", opportunity_id=opportunity.id,
                                section=SECTION_ORDER[0]))
    return render_template("vacancies/kind.html", form=form)


@bp.route("/opportunities/<int:opportunity_id>/edit/<section>", methods=["GET", "POST"])
@requires(Permission.CREATE_OPPORTUNITY)
def edit_opportunity(opportunity_id: int, section: str):
    if section not in SECTIONS:
        abort(404)
    opportunity = opportunity_to_manage(current_user, opportunity_id)
    if "edit" not in service.available_actions(current_user, opportunity):
        flash("Only a draft can be changed.")
        return redirect(url_for(".manage_opportunity", opportunity_id=opportunity.id))
    form_class, heading = SECTIONS[section]
    form = form_class(obj=opportunity if request.method == "GET" else None)
    _fit_form_to(form, opportunity)
    if request.method == "GET":
        form.version.data = opportunity.version
        if "pool_grades" in form:
            form.pool_grades.data = opportunity.pool_grade_list
    elif _every_problem_or_saved(form, opportunity):
        if request.args.get("from") == "check" or section == SECTION_ORDER[-1]:
            return redirect(url_for(".check_opportunity", opportunity_id=opportunity.id))
        following = SECTION_ORDER[SECTION_ORDER.index(section) + 1]
        return redirect(url_for(".edit_opportunity", opportunity_id=opportunity.id,
                                section=following))
    return render_template("vacancies/question.html", form=form, heading=heading,
                           o=opportunity, section=section)


def _every_problem_or_saved(form, opportunity) -> bool:
    """Saves the page, or shows every problem with it at once: the answers that failed
    the form's own checks, and the rules the others break (asked of the service with
    just those), so that nobody corrects one round of errors to meet the next."""
    if form.validate_on_submit():
        try:
            service.update_draft(opportunity, current_user, _changes(form),
                                 expected_version=expected_version(form))
        except RuleError as error:
            add_errors(form, error.errors)
            return False
        return True
    answered = {name: value for name, value in _changes(form).items()
                if not form[name].errors}
    add_errors(form, {name: message for name, message in
                      service.draft_errors(opportunity, current_user, answered).items()
                      if name in form and not form[name].errors})
    return False


def _fit_form_to(form, opportunity) -> None:
    """Choices from the database, and only the questions this kind of secondment asks."""
    from portal.models import Department, Organisation

    if "offering_department_id" in form:
        form.offering_department_id.choices = [(0, "Select a department")] + [
            (d.id, d.name) for d in db.session.scalars(
                select(Department).order_by(Department.name))]
        form.host_organisation_id.choices = [(0, "Select an organisation")] + [
            (o.id, o.name) for o in db.session.scalars(
                select(Organisation).where(Organisation.is_own.is_(False))
                .order_by(Organisation.name))]
        if opportunity.kind in (K.INTERNAL, K.SHORTER_TERM, K.INFORMAL):
            del form.host_organisation_id
        if opportunity.kind == K.OUTGOING:
            del form.offering_department_id
        if "host_organisation_id" in form and service.is_for_partners(opportunity):
            # For an incoming secondment the external body sends the secondee.
            form.host_organisation_id.label.text = "Sending organisation"
            form.host_organisation_id.description = "The organisation the secondee comes from"
    if "grade" in form:
        form.grade.choices = [("", "Select a grade")] + _grade_choices(opportunity.grade)
    if "pool_grades" in form:
        form.pool_grades.choices = _grade_choices(*opportunity.pool_grade_list)
    if "incoming_not_contractor" in form and opportunity.kind != K.INCOMING:
        del form.incoming_not_contractor
        del form.incoming_not_permanent_cover
    if "extra_cost" in form and opportunity.kind != K.INTERNAL:
        del form.extra_cost


def _grade_choices(*kept: str) -> list[tuple[str, str]]:
    """The organisation's grades, and any the opportunity has that are no longer on the
    list, so that an older grade stays readable and can be kept."""
    names = grades.grade_names()
    return [(g, g) for g in names] + [(g, f"{g} (not on the list)") for g in kept
                                      if g and g not in names]


def _changes(form) -> dict:
    changes = {}
    for name, field in form._fields.items():
        if name in ("csrf_token", "version", "submit"):
            continue
        value = field.data
        if isinstance(value, str):
            value = value.strip()
        elif value is None and isinstance(field, StringField):  # text left out of the post
            value = ""
        if name.endswith("_id") and not value:
            value = None
        changes[name] = value
    return changes


@bp.get("/opportunities/<int:opportunity_id>/check")
@requires(Permission.CREATE_OPPORTUNITY)
def check_opportunity(opportunity_id: int):
    opportunity = opportunity_to_manage(current_user, opportunity_id)
    return _drafting_page(opportunity, forms.ConfirmForm(version=opportunity.version))


def _drafting_page(opportunity, form, refused: list[str] = ()):
    """The draft as a task list, then its answers, with Change links while the workflow
    lets this person change it. A red error summary only after a refused publish."""
    actions = service.available_actions(current_user, opportunity)
    tasks = service.drafting_tasks(opportunity, actions)
    published = tasks[-1].status.done
    return render_template(
        "vacancies/check.html", o=opportunity, refused=refused, actions=actions,
        heading="The opportunity’s answers" if published else "Draft the opportunity",
        tasks=tasks, editable="edit" in actions,
        problems=service.publication_problems(opportunity),
        board_reasons=service.board_approval_reasons(opportunity), form=form,
        sections=SECTIONS)


@bp.post("/opportunities/<int:opportunity_id>/publish")
@requires(Permission.CREATE_OPPORTUNITY)
def publish_opportunity(opportunity_id: int):
    opportunity = opportunity_to_manage(current_user, opportunity_id)
    form = forms.ConfirmForm()
    if not form.validate_on_submit():
        abort(400)
    require_version(form, opportunity)
    try:
        service.publish(opportunity, current_user)
    except TransitionRefused as refused:
        return _drafting_page(opportunity, form, refused.problems), 422
    if service.is_for_partners(opportunity):
        return render_template(
            "vacancies/confirmation.html", o=opportunity, title="Opportunity published",
            body="It is now on the public page of secondments for people from other "
                 "organisations. Send its link to partner organisations:",
            partner_url=external_url("vacancies.partner_advert", opportunity_id=opportunity.id))
    return render_template("vacancies/confirmation.html", o=opportunity,
                           title="Opportunity published",
                           body="It is now on the vacancies board for staff to apply.")


@bp.get("/opportunities/<int:opportunity_id>/manage")
@requires(Permission.CREATE_OPPORTUNITY)
def manage_opportunity(opportunity_id: int):
    opportunity = opportunity_to_manage(current_user, opportunity_id)
    history = db.session.scalars(
        select(AuditEvent).where(AuditEvent.object_type == "Opportunity",
                                 AuditEvent.object_id == str(opportunity.id))
        .order_by(AuditEvent.occurred_at.desc(), AuditEvent.id.desc()).limit(50)).all()
    return render_template(
        "vacancies/manage.html", o=opportunity, history=history,
        actions=service.available_actions(current_user, opportunity),
        problems=service.publication_problems(opportunity),
        form=forms.ConfirmForm(version=opportunity.version))


REASON_ACTIONS = {
    "close": (service.close_early, "Close this opportunity early",
              "Opportunity closed", "It no longer appears on the board."),
    "withdraw": (service.withdraw, "Withdraw this opportunity",
                 "Opportunity withdrawn", "It no longer appears anywhere staff can see it."),
}


@bp.route("/opportunities/<int:opportunity_id>/<any(close, withdraw):action>",
          methods=["GET", "POST"])
@requires(Permission.CREATE_OPPORTUNITY)
def end_opportunity(opportunity_id: int, action: str):
    opportunity = opportunity_to_manage(current_user, opportunity_id)
    act, heading, done, body = REASON_ACTIONS[action]
    form = forms.ReasonForm(version=opportunity.version)
    form.submit.label.text = heading.split(" this")[0]
    if form.validate_on_submit():
        require_version(form, opportunity)
        try:
            act(opportunity, current_user, form.reason.data.strip())
        except RuleError as error:
            add_errors(form, error.errors)
        except TransitionRefused as refused:
            abort(409, refused.problems[0])
        else:
            return render_template("vacancies/confirmation.html", o=opportunity,
                                   title=done, body=body)
    return render_template("vacancies/reason.html", form=form, o=opportunity, heading=heading)


@bp.route("/opportunities/<int:opportunity_id>/extend", methods=["GET", "POST"])
@requires(Permission.CREATE_OPPORTUNITY)
def extend_closing_date(opportunity_id: int):
    opportunity = opportunity_to_manage(current_user, opportunity_id)
    form = forms.ExtendForm(version=opportunity.version)
    if form.validate_on_submit():
        require_version(form, opportunity)
        try:
            service.extend_closing_date(opportunity, current_user, form.closing_date.data,
                                        form.reason.data.strip())
        except RuleError as error:
            add_errors(form, error.errors)
        except TransitionRefused as refused:
            abort(409, refused.problems[0])
        else:
            flash(f"Closing date extended: it now closes at "
                  f"{closing_time(opportunity.closing_date)}.", "success")
            return redirect(url_for(".manage_opportunity", opportunity_id=opportunity.id))
    return render_template("vacancies/extend.html", form=form, o=opportunity)


@bp.post("/opportunities/<int:opportunity_id>/filled")
@requires(Permission.CREATE_OPPORTUNITY)
def mark_filled(opportunity_id: int):
    opportunity = opportunity_to_manage(current_user, opportunity_id)
    form = forms.ConfirmForm()
    if not form.validate_on_submit():
        abort(400)
    require_version(form, opportunity)
    try:
        service.mark_filled(opportunity, current_user)
    except TransitionRefused as refused:
        abort(409, refused.problems[0])
    flash("Marked as filled.", "success")
    return redirect(url_for(".manage_opportunity", opportunity_id=opportunity.id))


@bp.get("/opportunities/yours")
@requires(Permission.CREATE_OPPORTUNITY)
def your_opportunities():
    results = service.managed_by(current_user, page=page_number(request.args.get("page")))
    return render_template("vacancies/yours.html", results=results, named_only=False)


@bp.get("/opportunities/named-requests")
@requires(Permission.MANAGE_ANY_OPPORTUNITY)
def named_requests():
    results = service.managed_by(current_user, named_only=True,
                                 page=page_number(request.args.get("page")))
    return render_template("vacancies/yours.html", results=results, named_only=True)
