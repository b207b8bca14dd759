"""People Services' forms. Shape only: the rules live in portal.services.applications."""

from govuk_frontend_wtf.wtforms_widgets import (
    GovSelect,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import InputRequired, NumberRange, Regexp

from portal import limits
from portal.forms import PortalForm, at_most


class ConflictActionForm(PortalForm):
    action = TextAreaField(
        "What action was taken?",
        description="For example, who was kept off the selection panel and why, or the "
                    "advice given to the applicant",
        widget=GovTextArea(), validators=[InputRequired("Describe the action taken"),
                                        at_most(limits.REASON, "The action taken")])
    submit = SubmitField("Record the action", widget=GovSubmitInput())


class HostInvitationForm(PortalForm):
    organisation_id = SelectField("Host organisation", coerce=int, widget=GovSelect(),
                                  validators=[NumberRange(min=1, message="Select the host "
                                                                         "organisation")])
    name = StringField("Contact's name", widget=GovTextInput(),
                       validators=[InputRequired("Enter the contact's name"),
                                   at_most(limits.NAME, "The contact's name")])
    email = StringField("Contact's e-mail address", widget=GovTextInput(),
                        validators=[InputRequired("Enter the contact's e-mail address"),
                                    Regexp(r"^[^@\s]+@[^@\s]+\.[^@\s]+$", message=(
                                        "Enter an e-mail address in the correct format, "
                                        "like name@example.org")),
                                    at_most(320, "The e-mail address")])
    submit = SubmitField("Send the invitation", widget=GovSubmitInput())


class SendAgainForm(PortalForm):
    """A button: CSRF only."""

    submit = SubmitField("Send again", widget=GovSubmitInput())


class SendInvitationAgainForm(PortalForm):
    """A button: CSRF only."""

    submit = SubmitField("Send the invitation again", widget=GovSubmitInput())


class RevokeHostContactForm(PortalForm):
    """A button: CSRF only."""

    submit = SubmitField("Revoke access", widget=GovSubmitInput(),
                         render_kw={"params": {"classes": "govuk-button--warning"}})
