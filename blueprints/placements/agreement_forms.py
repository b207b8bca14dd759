"""Forms of the agreement's pages. Shape only: the rules live in
portal.services.placements.agreements."""

from govuk_frontend_wtf.wtforms_widgets import GovCheckboxInput, GovSubmitInput, GovTextArea
from wtforms import BooleanField, HiddenField, SubmitField, TextAreaField
from wtforms.validators import InputRequired, StopValidation

from portal import limits
from portal.forms import VersionedForm, at_most


class RatifyForm(VersionedForm):
    submit = SubmitField("Ratify the agreement", widget=GovSubmitInput())


class ReturnForm(VersionedForm):
    comments = TextAreaField(
        "What needs to change",
        description="People Services and the officer who sent it read this before they "
                    "send a new version",
        widget=GovTextArea(),
        validators=[InputRequired("Enter what needs to change before legal can ratify "
                                  "the agreement"),
                    at_most(limits.ANSWER, "What needs to change")])
    submit = SubmitField("Send it back to People Services", widget=GovSubmitInput())


class SignForm(VersionedForm):
    # The fingerprint of the PDF the page showed: signing another version is refused.
    sha256 = HiddenField()
    confirm = BooleanField(widget=GovCheckboxInput())
    submit = SubmitField("Sign the agreement", widget=GovSubmitInput())

    def __init__(self, number: int, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.confirm.label.text = f"I have read version {number} and sign it"
        self.number = number

    def validate_confirm(self, field):
        if not field.data:
            raise StopValidation(f"Confirm that you have read version {self.number} "
                                 "and sign it")


class ReopenForm(VersionedForm):
    submit = SubmitField("Reopen the terms", widget=GovSubmitInput())
