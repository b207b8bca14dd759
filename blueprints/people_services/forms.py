"""People Services' forms. Shape only: the rules live in portal.services.applications."""

from flask_wtf.file import FileField, FileRequired
from govuk_frontend_wtf.wtforms_widgets import (
    GovFileInput,
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import (
    HiddenField,
    RadioField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
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


class StaffExportForm(PortalForm):
    """The HR system's export and how to read it. Whether the file is one the import can
    take is for portal.services.staff_uploads and the import to say."""

    export = FileField("Upload the HR system's export", widget=GovFileInput(),
                       validators=[FileRequired("Select the HR system's export")])
    encoding = RadioField(
        "Which encoding is the file in?", default="detect", widget=GovRadioInput(),
        description="If you are not sure, leave the portal to detect it: it reads the "
                    "mark Excel and most HR systems put at the start of the file",
        choices=[("detect", "Detect it automatically"), ("utf-8", "UTF-8"),
                 ("utf-16", "UTF-16"), ("cp1252", "Windows-1252")],
        validators=[InputRequired("Select the file's encoding")])
    leavers = RadioField(
        "What happens to the people who are not in the file?", default="keep",
        widget=GovRadioInput(),
        choices=[("keep", "Keep them as they are"),
                 ("disable", "Disable them: they have left and can no longer sign in")],
        validators=[InputRequired("Select what happens to the people who are not in "
                                  "the file")])
    submit = SubmitField("Check the file", widget=GovSubmitInput())


class ApplyStaffImportForm(PortalForm):
    """A button, and the fingerprint of the file whose dry run the page showed."""

    sha256 = HiddenField()
    submit = SubmitField("Apply the import", widget=GovSubmitInput())
