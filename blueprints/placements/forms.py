"""Placement forms. Shape only: what a placement's terms must say, who may set one up
and when, is decided in portal.services.placements."""

from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxInput,
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import BooleanField, RadioField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import InputRequired

from portal import limits
from portal.fields import DateInputField, WholeNumberField
from portal.forms import VersionedForm, at_most
from portal.models.opportunities import OpportunityKind, Payer, WorkingPattern


def _text(label: str, limit: int = limits.NAME, what: str | None = None, **kwargs):
    return StringField(label, widget=GovTextInput(),
                       validators=[at_most(limit, what or label)], **kwargs)


def _long(label: str, limit: int = limits.REASON, what: str | None = None, **kwargs):
    return TextAreaField(label, widget=GovTextArea(),
                         validators=[at_most(limit, what or label)], **kwargs)


EMAIL = 320  # the longest e-mail address (RFC 5321), as the columns hold
PAYERS = [(p.value, p.label) for p in Payer]
# The kinds People Services set up without an advert (an accepted offer brings its own).
DIRECT_KINDS = [(k.value, k.label) for k in (
    OpportunityKind.INCOMING, OpportunityKind.INFORMAL, OpportunityKind.OUTGOING,
    OpportunityKind.INTERNATIONAL, OpportunityKind.INTERNAL)]

# The form's fields that name people by e-mail address (see services.placements.setup).
PEOPLE = ("substantive_manager_email", "host_manager_staff_email", "buddy_email",
          "signatory_email", "secondee_account_email")
TEXTS = ("title", "hours", "location", "country", "grade", "acting_up_allowance",
         "objectives", "other_terms", "return_post", "return_grade", "accommodation",
         "subsistence", "travel", "insurance", "duration_reason", "fairness_record",
         "host_manager_name", "host_manager_email")


class TermsForm(VersionedForm):
    """A placement's terms and people, as People Services write them."""

    title = _text("Title of the placement", what="The title",
                  description="The role the secondee takes on, for example Policy adviser")
    start_date = DateInputField("Start date", required="Enter the start date",
                                description="For example, 27 3 2027")
    end_date = DateInputField("End date", required="Enter the end date",
                              description="The last day of the placement")
    duration_reason = _long("Why it needs more than 12 months",
                            what="The reason for the length",
                            description="Only for a placement of more than 12 months. Over "
                                        "24 months the Resources Board decides on it")
    notice_weeks = WholeNumberField("Notice to end it early, in weeks", widget=GovTextInput(),
                                    name_in_messages="Notice", example="4",
                                    validators=[InputRequired("Enter the notice in weeks")])
    working_pattern = RadioField("Working pattern", widget=GovRadioInput(),
                                 choices=[(w.value, w.label) for w in WorkingPattern],
                                 validators=[InputRequired("Select the working pattern")])
    hours = _text("Hours", description="For example, 37 hours a week, Monday to Friday")
    location = _text("Location")
    country = _text("Country", limit=100)
    grade = _text("Grade", limit=50)
    acting_up_allowance = _text("Acting-up allowance", description="Leave blank if none")
    salary_paid_by = RadioField("Who pays the salary", widget=GovRadioInput(), choices=PAYERS,
                                validators=[InputRequired("Select who pays the salary")])
    expenses_paid_by = RadioField("Who pays expenses", widget=GovRadioInput(), choices=PAYERS,
                                  validators=[InputRequired("Select who pays expenses")])
    home_invoices_host = BooleanField("The home organisation invoices the host for the salary",
                                      widget=GovCheckboxInput())
    objectives = _long("Objectives", limits.ANSWER)
    other_terms = _long("Other terms", limits.ANSWER)
    return_post = _text("Post the secondee returns to",
                        description="They keep the right to return to it")
    return_grade = _text("Grade the secondee returns to", limit=50)
    accommodation = _long("Accommodation", description="International placements only")
    subsistence = _long("Subsistence", description="International placements only")
    travel = _long("Travel", description="International placements only")
    insurance = _long("Insurance and health cover",
                      description="International placements only")
    substantive_manager_email = _text("Substantive line manager's e-mail address",
                                      EMAIL, "The line manager's e-mail address")
    host_manager_staff_email = _text(
        "Host manager's e-mail address, if they are a member of staff here", EMAIL,
        "The host manager's e-mail address")
    host_manager_name = _text("Host manager's name, if they work for the other organisation")
    host_manager_email = _text("Host manager's e-mail address at the other organisation",
                               EMAIL, "The host manager's e-mail address")
    buddy_email = _text("Buddy's e-mail address (optional)", EMAIL,
                        "The buddy's e-mail address")
    secondee_account_email = _text(
        "The secondee's account here, by its e-mail address", EMAIL,
        "The secondee's e-mail address",
        description="Once the incoming secondee has an account, link it here: they sign "
                    "the agreement signed in with it")
    signatory_email = _text("E-mail address of who signs for the organisation", EMAIL,
                            "The signatory's e-mail address")
    fairness_record = _long("Fairness record", limits.ANSWER,
                            description="For a named request: why it was not advertised, and "
                                        "whether that could be damaging if made public")
    submit = SubmitField("Save the placement", widget=GovSubmitInput())

    def values(self) -> dict:
        """The terms as the service takes them."""
        found = {name: (getattr(self, name).data or "").strip() for name in TEXTS + PEOPLE}
        found.update(start_date=self.start_date.data, end_date=self.end_date.data,
                     notice_weeks=self.notice_weeks.data,
                     working_pattern=self.working_pattern.data,
                     salary_paid_by=self.salary_paid_by.data,
                     expenses_paid_by=self.expenses_paid_by.data,
                     home_invoices_host=bool(self.home_invoices_host.data))
        return found

    def show(self, values: dict) -> None:
        for name, value in values.items():
            if name in self._fields and value is not None:
                self._fields[name].data = value


class NewPlacementForm(TermsForm):
    """A placement set up directly: who and with whom, then the terms."""

    kind = RadioField("What kind of placement is it?", widget=GovRadioInput(),
                      choices=DIRECT_KINDS,
                      validators=[InputRequired("Select the kind of placement")])
    partner_organisation_id = SelectField(
        "The other organisation", widget=GovSelect(), validate_choice=False,
        description="The host organisation, or for an incoming secondee the organisation "
                    "sending them. Not needed for an internal or informal placement")
    secondee_email = _text("Secondee's e-mail address", EMAIL,
                           "The secondee's e-mail address",
                           description="A member of staff; for an incoming secondee, their "
                                       "e-mail address at their employer")
    secondee_name = _text("Secondee's full name (incoming secondees only)")
    not_contractor = BooleanField(
        "The incoming secondee is not a self-employed contractor, consultant or student",
        widget=GovCheckboxInput())
    named_request = BooleanField("This person was requested by name, without an advert",
                                 widget=GovCheckboxInput())
    host_department_id = SelectField("Host department", widget=GovSelect(),
                                     validate_choice=False)
    submit = SubmitField("Set up the placement", widget=GovSubmitInput())

    def offer(self, organisations, departments) -> None:
        """The bounded lists: external organisations and our own departments."""
        self.partner_organisation_id.choices = [("", "Not applicable")] + [
            (str(o.id), o.name) for o in organisations]
        self.host_department_id.choices = [("", "Not applicable")] + [
            (str(d.id), d.name) for d in departments]

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        for field, message in ((self.partner_organisation_id, "Select the other organisation"),
                               (self.host_department_id, "Select the host department")):
            if (field.data or "") not in {value for value, _ in field.choices}:
                field.errors = [*field.errors, message + " from the list"]
                field.data = ""
                valid = False
        self._errors = None
        return valid

    def values(self) -> dict:
        found = super().values()
        found.update(
            kind=self.kind.data,
            partner_organisation_id=int(self.partner_organisation_id.data or 0) or None,
            host_department_id=int(self.host_department_id.data or 0) or None,
            secondee_email=(self.secondee_email.data or "").strip(),
            secondee_name=(self.secondee_name.data or "").strip(),
            not_contractor=bool(self.not_contractor.data),
            named_request=bool(self.named_request.data))
        return found


class ConfirmForm(VersionedForm):
    """A button that moves the placement: CSRF and the version, nothing else."""

    submit = SubmitField("Continue", widget=GovSubmitInput())


class CancelForm(VersionedForm):
    reason = TextAreaField("Why is the placement cancelled?", widget=GovTextArea(),
                           description="Everyone it concerns is told by e-mail",
                           validators=[InputRequired("Give the reason for cancelling the "
                                                     "placement"),
                                       at_most(limits.REASON, "The reason")])
    submit = SubmitField("Cancel the placement", widget=GovSubmitInput())


class BoardDecisionForm(VersionedForm):
    decision = RadioField("Does the Resources Board approve a placement of this length?",
                          widget=GovRadioInput(),
                          choices=[("approve", "Yes, approve it"), ("refuse", "No, refuse it")],
                          validators=[InputRequired("Select whether the Board approves it")])
    reason = TextAreaField("The reason for the Board's decision", widget=GovTextArea(),
                           validators=[InputRequired("Give the reason for the Board's "
                                                     "decision"),
                                       at_most(limits.REASON, "The reason")])
    submit = SubmitField("Record the decision", widget=GovSubmitInput())
