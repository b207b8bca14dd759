"""The other organisation's contact confirming a placement's details (start date,
location, host manager) and naming the host manager, or proposing corrections with a
comment for People Services. Signing is the agreement pages'."""

import re

from flask import render_template, request
from flask_login import current_user
from govuk_frontend_wtf.wtforms_widgets import GovRadioInput, GovSubmitInput, GovTextInput
from wtforms import RadioField, StringField, SubmitField, TextAreaField
from wtforms.validators import InputRequired, ValidationError

from blueprints.placements import bp
from portal import limits
from portal.extensions import db
from portal.forms import CharacterCount, VersionedForm, add_errors, at_most
from portal.loaders import placement_for_action
from portal.permissions import Permission, requires
from portal.services import placements
from portal.services.errors import RuleError
from portal.services.placements import contacts
from portal.workflow import TransitionRefused

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


class ConfirmDetailsForm(VersionedForm):
    """Confirm (naming the host manager) or propose corrections: the questions of the
    answer not chosen are ignored. Whether they are complete is the service's rule."""

    answer = RadioField(
        "Are these details right?",
        choices=[("confirm", "Yes, confirm the details"),
                 ("correct", "No, propose corrections")],
        validators=[InputRequired("Select whether you confirm the details or propose "
                                  "corrections")],
        widget=GovRadioInput())
    host_manager_name = StringField(
        "Host manager's full name",
        description="The person at your organisation who will manage the secondee day to day",
        widget=GovTextInput(), validators=[at_most(limits.NAME, "The host manager's name")])
    host_manager_email = StringField(
        "Host manager's e-mail address", widget=GovTextInput(),
        validators=[at_most(320, "The host manager's e-mail address")])
    comment = TextAreaField(
        "What needs correcting",
        description="People Services receive this by e-mail and it is shown on the placement",
        widget=CharacterCount(), validators=[at_most(limits.REASON, "What needs correcting")])
    submit = SubmitField("Send", widget=GovSubmitInput())

    def validate_host_manager_email(self, field):
        value = (field.data or "").strip()
        if self.answer.data == "confirm" and value and not _EMAIL.match(value):
            raise ValidationError("Enter an e-mail address in the correct format, like "
                                  "name@example.org")


@bp.route("/placements/<int:placement_id>/confirm", methods=["GET", "POST"])
@requires(Permission.VIEW_HOME)
def confirm_placement(placement_id: int):
    placement = placement_for_action(current_user, placement_id, "confirm_details")
    if problems := contacts.why_not_confirm(current_user, placement):
        raise TransitionRefused(problems)
    form = ConfirmDetailsForm()
    if request.method == "GET":
        form.version.data = placement.version
        form.host_manager_name.data = placement.host_manager_name
        form.host_manager_email.data = placement.host_manager_email
    if form.validate_on_submit():
        confirming = form.answer.data == "confirm"
        try:
            if confirming:
                placements.confirm_details(
                    current_user, placement, host_manager_name=form.host_manager_name.data or "",
                    host_manager_email=form.host_manager_email.data or "",
                    expected_version=form.expected_version)
            else:
                placements.propose_corrections(current_user, placement, form.comment.data or "",
                                               expected_version=form.expected_version)
        except RuleError as error:
            db.session.rollback()
            add_errors(form, error.errors)
        else:
            return render_template("placements/confirm_done.html", placement=placement,
                                   confirmed=confirming)
    return render_template("placements/confirm.html", form=form, placement=placement)
