"""Question pages for an opportunity. Shape only: the rules live in
portal.services.opportunities."""

from govuk_frontend_wtf.wtforms_widgets import (
    GovCharacterCount,
    GovCheckboxesInput,
    GovCheckboxInput,
    GovDateInput,
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import (
    BooleanField,
    IntegerField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import InputRequired, NumberRange, Optional

from portal import limits
from portal.forms import DayMonthYearField, PortalForm, at_most
from portal.forms import VersionedForm as BaseVersionedForm
from portal.models.opportunities import (
    STRATEGIC_PRIORITIES,
    Audience,
    OpportunityKind,
    Payer,
    WorkingPattern,
)

DATE_FORMAT = "%d %m %Y"


class VersionedForm(BaseVersionedForm):
    submit = SubmitField("Save and continue", widget=GovSubmitInput())


class KindForm(PortalForm):
    kind = RadioField(
        "What kind of secondment is it?",
        choices=[(k.value, k.label) for k in OpportunityKind],
        validators=[InputRequired("Select the kind of secondment")],
        widget=GovRadioInput(),
    )
    submit = SubmitField("Continue", widget=GovSubmitInput())


class DetailsForm(VersionedForm):
    title = StringField("Title", widget=GovTextInput(),
                        validators=[InputRequired("Enter a title"),
                                    at_most(limits.NAME, "Title")])
    summary = TextAreaField(
        "Summary", description="One or two sentences shown on the board and in feeds",
        widget=GovCharacterCount(),
        validators=[InputRequired("Enter a summary"),
                    at_most(limits.SUMMARY, "Summary")])
    description = TextAreaField(
        "Description", description="The work, the team and what the secondee will learn",
        widget=GovTextArea(), validators=[InputRequired("Enter a description of the role"),
                                          at_most(limits.DESCRIPTION, "Description")])


class WhereForm(VersionedForm):
    offering_department_id = SelectField("Offering department", coerce=int,
                                         widget=GovSelect(), validators=[Optional()])
    host_organisation_id = SelectField(
        "Host organisation", description="For outgoing secondments the host; for incoming "
        "ones the organisation the secondee comes from",
        coerce=int, widget=GovSelect(), validators=[Optional()])
    location = StringField("Location", description="Town or office, or 'remote'",
                           widget=GovTextInput(),
                           validators=[InputRequired("Enter the location"),
                                       at_most(limits.LINE, "Location")])
    country = StringField("Country", widget=GovTextInput(),
                          validators=[InputRequired("Enter the country"),
                                      at_most(100, "Country")])


class TermsForm(VersionedForm):
    grade = StringField("Grade or band", widget=GovTextInput(),
                        validators=[InputRequired("Enter the grade or band"),
                                    at_most(50, "Grade or band")])
    acting_up = BooleanField("This is acting up at a higher grade", widget=GovCheckboxInput())
    working_pattern = RadioField(
        "Hours", choices=[(p.value, p.label) for p in WorkingPattern],
        validators=[InputRequired("Select full time or part time")], widget=GovRadioInput())
    hours_detail = StringField("Hours or pattern",
                               description="For example '3 days a week' or '22.5 hours'",
                               widget=GovTextInput(),
                               validators=[at_most(limits.LINE, "Hours or pattern")])
    start_date = DayMonthYearField("Start date", format=DATE_FORMAT, widget=GovDateInput(),
                           validators=[InputRequired("Enter the start date")])
    duration_months = IntegerField(
        "Duration in months", widget=GovTextInput(),
        validators=[InputRequired("Enter the duration in months"),
                    NumberRange(min=1, max=60,
                                message="Duration must be between 1 and 60 months")])
    duration_reason = TextAreaField(
        "Why does it need to last more than 12 months?",
        description="Needed for secondments longer than 12 months", widget=GovTextArea(),
        validators=[at_most(limits.REASON, "The reason for the duration")])


PAYER_CHOICES = [(p.value, p.label) for p in Payer]


class MoneyForm(VersionedForm):
    salary_paid_by = RadioField("Who pays the salary?", choices=PAYER_CHOICES,
                                validators=[InputRequired("Select who pays the salary")],
                                widget=GovRadioInput())
    expenses_paid_by = RadioField("Who pays expenses?", choices=PAYER_CHOICES,
                                  validators=[InputRequired("Select who pays expenses")],
                                  widget=GovRadioInput())
    extra_cost = BooleanField("This secondment has a cost beyond existing budgets",
                              widget=GovCheckboxInput())


class AudienceForm(VersionedForm):
    audience = RadioField(
        "Who is it advertised to?", choices=[(a.value, a.label) for a in Audience],
        validators=[InputRequired("Select who it is advertised to")], widget=GovRadioInput())
    restriction_justification = TextAreaField(
        "Why restrict the pool?", description="The specific skills that justify it",
        widget=GovTextArea(), validators=[at_most(limits.REASON, "The justification")])
    pool_grades = StringField(
        "Grades in the pool", description="For a restricted pool: the grades who may apply, "
        "separated by commas, for example 'Band 6, Band 7'",
        widget=GovTextInput(), validators=[at_most(limits.LINE, "Grades in the pool")])
    publicity_assessment = TextAreaField(
        "Could this arrangement be damaging if made public?",
        description="Your assessment, needed when an opportunity is not advertised",
        widget=GovTextArea(), validators=[at_most(limits.ANSWER, "Your assessment")])
    skills_sought = TextAreaField(
        "Skills and experience sought", widget=GovTextArea(),
        validators=[InputRequired("Enter the skills and experience sought"),
                    at_most(limits.ANSWER, "Skills and experience sought")])
    eligibility = TextAreaField("Who is eligible?", widget=GovTextArea(),
                                validators=[InputRequired("Enter who is eligible"),
                                            at_most(limits.ANSWER, "Who is eligible")])
    incoming_not_contractor = BooleanField(
        "The secondee will not be a self-employed contractor, consultant or student",
        widget=GovCheckboxInput())
    incoming_not_permanent_cover = BooleanField(
        "The post is not cover for a permanent role", widget=GovCheckboxInput())


class ClosingForm(VersionedForm):
    closing_date = DayMonthYearField("Closing date",
                             description="Applications close at 11:59pm on this day",
                             format=DATE_FORMAT, widget=GovDateInput(),
                             validators=[InputRequired("Enter the closing date")])
    # An e-mail address, not a list of everyone: a large body has tens of thousands.
    contact_email = StringField(
        "Contact person's e-mail address", widget=GovTextInput(),
        description="A member of staff in your organisation who can answer applicants' "
                    "questions. They also shortlist and make the offer.",
        validators=[InputRequired("Enter the contact person's e-mail address"),
                    at_most(320, "The e-mail address")])


class BusinessCaseForm(VersionedForm):
    skills = TextAreaField(
        "Skills, knowledge or experience to be gained or offered", widget=GovTextArea(),
        validators=[InputRequired("Enter the skills to be gained or offered"),
                    at_most(limits.ANSWER, "The skills to be gained or offered")])
    priorities = SelectMultipleField(
        "Which strategic priorities does it serve?",
        choices=list(STRATEGIC_PRIORITIES.items()), widget=GovCheckboxesInput(),
        validators=[InputRequired("Select the strategic priorities it serves")])
    costs = TextAreaField("Costs and who pays them", widget=GovTextArea(),
                          validators=[InputRequired("Enter the costs and who pays them"),
                                      at_most(limits.ANSWER, "The costs")])
    cover = TextAreaField("How will the work at home be covered?", widget=GovTextArea(),
                          validators=[InputRequired("Enter how the work will be covered"),
                                      at_most(limits.ANSWER, "How the work will be covered")])
    submit = SubmitField("Send to the Resources Board", widget=GovSubmitInput())


class DecisionForm(VersionedForm):
    decision = RadioField("Decision", choices=[("approve", "Approve"), ("reject", "Reject")],
                          validators=[InputRequired("Select approve or reject")],
                          widget=GovRadioInput())
    reason = TextAreaField("Reasons for the decision", widget=GovTextArea(),
                           validators=[InputRequired("Enter the reasons for the decision"),
                                       at_most(limits.REASON, "The reasons")])
    submit = SubmitField("Record the decision", widget=GovSubmitInput())


class ExtendForm(VersionedForm):
    closing_date = DayMonthYearField("New closing date", format=DATE_FORMAT, widget=GovDateInput(),
                             validators=[InputRequired("Enter the new closing date")])
    reason = TextAreaField("Why is the closing date being extended?", widget=GovTextArea(),
                           validators=[InputRequired("Enter the reason for extending the "
                                                     "closing date"),
                                       at_most(limits.REASON, "The reason")])
    submit = SubmitField("Extend the closing date", widget=GovSubmitInput())


class ReasonForm(VersionedForm):
    reason = TextAreaField("Reason", widget=GovTextArea(),
                           validators=[InputRequired("Enter the reason"),
                                       at_most(limits.REASON, "The reason")])


class ConfirmForm(VersionedForm):
    """A button that changes state: CSRF and the version, nothing else."""
