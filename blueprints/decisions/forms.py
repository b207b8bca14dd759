"""Decision forms. Shape only: whether a refusal has grounds and reasons is for
portal.services.applications to say (R5), next to the fields."""

from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxesInput,
    GovRadioInput,
    GovSubmitInput,
)
from wtforms import RadioField, SelectMultipleField, SubmitField, TextAreaField
from wtforms.validators import InputRequired

from portal import limits
from portal.forms import CharacterCount, at_most
from portal.forms import VersionedForm as BaseVersionedForm
from portal.models.applications import REFUSAL_GROUNDS


class VersionedForm(BaseVersionedForm):
    submit = SubmitField("Record the decision", widget=GovSubmitInput())


class ApplicationDecisionForm(VersionedForm):
    """Both steps answer "approve" or "refuse": a page loaded at one step and posted after
    the application moved on still parses, and is then turned away as out of date.

    The grounds and reasons are asked under "No" (a conditional reveal), the optional
    comments under "Yes"; which of them a decision may carry is the service's rule (R5).
    The first post shows the answers to check; the letter goes only once confirmed."""

    grounds = SelectMultipleField(
        "Grounds for refusing",
        description="Select all that apply. The secondments policy allows a refusal only "
                    "on these grounds.",
        choices=list(REFUSAL_GROUNDS.items()), widget=GovCheckboxesInput())
    rationale = TextAreaField(
        "Your reasons for refusing",
        description="The applicant and People Services receive these in your decision "
                    "letter",
        widget=CharacterCount(), validators=[at_most(limits.ANSWER, "Your reasons")])
    comments = TextAreaField(
        "Comments (optional)",
        description="The applicant receives these in your decision letter",
        widget=CharacterCount(), validators=[at_most(limits.ANSWER, "Your comments")])
    submit = SubmitField("Continue", widget=GovSubmitInput())

    def answers(self) -> dict:
        """The decision as the service takes it."""
        return {"grounds": self.grounds.data or [], "rationale": self.rationale.data or "",
                "comments": self.comments.data or ""}


class EndorsementForm(ApplicationDecisionForm):
    decision = RadioField(
        "Do you support this application?",
        choices=[("approve", "Yes, I support it"), ("refuse", "No, I refuse it")],
        validators=[InputRequired("Select whether you support or refuse the application")],
        widget=GovRadioInput())


class ReleaseForm(ApplicationDecisionForm):
    decision = RadioField(
        "Do you approve the release?",
        choices=[("approve", "Yes, approve the release"), ("refuse", "No, refuse the release")],
        validators=[InputRequired("Select whether you approve or refuse the release")],
        widget=GovRadioInput())


class AppealDecisionForm(VersionedForm):
    decision = RadioField(
        "What is your decision on the appeal?",
        choices=[("overturn", "Overturn the refusal: the application reopens"),
                 ("confirm", "Confirm the refusal")],
        validators=[InputRequired("Select whether you overturn or confirm the refusal")],
        widget=GovRadioInput())
    rationale = TextAreaField(
        "Your reasons",
        description="The applicant receives these in the letter on their appeal.",
        widget=CharacterCount(), validators=[at_most(limits.ANSWER, "Your reasons")])
    submit = SubmitField("Continue", widget=GovSubmitInput())
