"""Selection forms. Shape only: the rules live in portal.services.applications."""

from govuk_frontend_wtf.wtforms_widgets import GovSubmitInput, GovTextArea
from wtforms import StringField, SubmitField, TextAreaField
from wtforms.validators import AnyOf, InputRequired

from portal import limits
from portal.forms import VersionedForm, at_most


class ShortlistForm(VersionedForm):
    """Two buttons, one per decision: the pressed button sends `decision`."""

    decision = StringField(validators=[AnyOf(("shortlist", "reject"))])


class FixShortlistForm(VersionedForm):
    # The version is the opportunity's.
    submit = SubmitField("Fix the shortlist", widget=GovSubmitInput())


class AssessmentForm(VersionedForm):
    outcome = TextAreaField(
        "Outcome of the assessment",
        description="What the panel found, against the skills and experience sought",
        widget=GovTextArea(),
        validators=[InputRequired("Enter the outcome of the assessment"),
                    at_most(limits.ANSWER, "The outcome of the assessment")])
    submit = SubmitField("Record the outcome", widget=GovSubmitInput())


class OfferForm(VersionedForm):
    terms = TextAreaField(
        "Terms of the offer",
        description="For example the start date, the length, the hours and who pays the "
                    "salary",
        widget=GovTextArea(),
        validators=[InputRequired("Enter the terms of the offer"),
                    at_most(limits.ANSWER, "The terms of the offer")])
    submit = SubmitField("Make the offer", widget=GovSubmitInput())


class WithdrawOfferForm(VersionedForm):
    submit = SubmitField("Withdraw the offer", widget=GovSubmitInput())
