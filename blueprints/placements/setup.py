"""Setting a placement up (from an accepted offer, or directly by People Services) and
changing its terms while it is proposed."""

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from blueprints.placements import bp, forms
from portal.extensions import db
from portal.forms import add_errors
from portal.loaders import placement_for_action
from portal.loaders.placement_offers import offer_to_place
from portal.models import Department, Organisation
from portal.permissions import Permission, requires
from portal.services import placements
from portal.services.errors import RuleError


def _lists(form: forms.NewPlacementForm) -> None:
    own = current_user.organisation
    form.offer(db.session.scalars(select(Organisation).where(Organisation.is_own.is_(False))
                                  .order_by(Organisation.name)),
               db.session.scalars(select(Department).where(Department.organisation_id == own.id)
                                  .order_by(Department.name)))


def _already_placed(placement):
    flash("This offer already has its placement.", "success")
    return redirect(url_for(".view_placement", placement_id=placement.id))


@bp.route("/placements/new", methods=["GET", "POST"])
@requires(Permission.MANAGE_PLACEMENTS)
def new_placement():
    application = offer_to_place(request.args.get("application"))
    if application is not None and (existing := placements.placement_of(application)):
        return _already_placed(existing)
    form = forms.TermsForm() if application else forms.NewPlacementForm()
    if application is None:
        _lists(form)
    if request.method == "GET":
        form.show(placements.terms_from_offer(application) if application
                  else {"notice_weeks": 4, "working_pattern": "full_time",
                        "salary_paid_by": "home", "expenses_paid_by": "host",
                        "country": "United Kingdom", "signatory_email": current_user.email})
    if form.validate_on_submit():
        try:
            placement = (placements.create_from_offer(current_user, application, form.values())
                         if application else placements.create_direct(current_user,
                                                                      form.values()))
        except RuleError as error:
            db.session.rollback()
            if application is not None and (existing := placements.placement_of(application)):
                return _already_placed(existing)
            add_errors(form, error.errors)
        else:
            flash(f"Placement set up for {placement.secondee_name}.", "success")
            return redirect(url_for(".view_placement", placement_id=placement.id))
    return render_template("placements/new.html", form=form, application=application)


@bp.route("/placements/<int:placement_id>/edit", methods=["GET", "POST"])
@requires(Permission.VIEW_HOME)
def edit_placement(placement_id: int):
    placement = placement_for_action(current_user, placement_id, "edit")
    placements.check_action(current_user, placement, "edit")
    form = forms.TermsForm()
    if request.method == "GET":
        form.show(placements.terms_of(placement) | {"version": placement.version})
    if form.validate_on_submit():
        try:
            placements.update_terms(current_user, placement, form.values(),
                                    expected_version=form.expected_version)
        except RuleError as error:
            db.session.rollback()
            add_errors(form, error.errors)
        else:
            flash("The placement's terms are saved.", "success")
            return redirect(url_for(".view_placement", placement_id=placement.id))
    return render_template("placements/edit.html", form=form, p=placement)
