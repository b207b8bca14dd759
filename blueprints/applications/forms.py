"""The applicant's pages. Shape only: what an application needs before it can be
submitted, and who may do what, is decided in portal.services.applications."""

from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxInput,
    GovRadioInput,
    GovSubmitInput,
)
from wtforms import BooleanField, RadioField, SubmitField, TextAreaField
from wtforms.validators import InputRequired

from portal import limits
from portal.forms import CharacterCount, PortalForm, VersionedForm, at_most


def _at_most(what: str):
    return at_most(limits.ANSWER, what)


class ApplicationForm(VersionedForm):
    """The whole application on one page. Saving is lenient: anything may be left
    blank and finished later; what submission needs is checked on Continue."""

    motivation = TextAreaField(
        "Why do you want this secondment, and what would you bring to it?",
        widget=CharacterCount(), validators=[_at_most("Why you want this secondment")])
    evidence = TextAreaField(
        "Your evidence against the skills and experience sought",
        description="Give examples from your work that show each of the skills asked for",
        widget=CharacterCount(), validators=[_at_most("Your evidence")])
    learning_objectives = TextAreaField(
        "What do you want to learn?",
        description="Your learning objectives: what you will bring back to your own work",
        widget=CharacterCount(), validators=[_at_most("Your learning objectives")])
    cover_plan = TextAreaField(
        "How could your current work be covered while you are away?",
        widget=CharacterCount(), validators=[_at_most("How your work could be covered")])
    discussed_with_manager = BooleanField(
        "I have discussed this application with my line manager",
        description="Your line manager will be asked to support your application",
        widget=GovCheckboxInput())
    has_conflict = RadioField(
        "Do you have a conflict of interest, or a prior connection with the host?",
        description="For example a relative who works there, a contract you manage with "
                    "them, or a job you held there",
        choices=[("yes", "Yes"), ("no", "No")], widget=GovRadioInput(),
        validate_choice=False)
    conflict_details = TextAreaField(
        "Describe the conflict of interest or connection", widget=CharacterCount(),
        validators=[_at_most("The description")])
    save = SubmitField("Save and come back later", widget=GovSubmitInput())
    submit = SubmitField("Continue", widget=GovSubmitInput())

    def changes(self) -> dict:
        """The draft's answers as the service takes them."""
        conflict = {"yes": True, "no": False}.get(self.has_conflict.data)
        return {
            "motivation": (self.motivation.data or "").strip(),
            "evidence": (self.evidence.data or "").strip(),
            "learning_objectives": (self.learning_objectives.data or "").strip(),
            "cover_plan": (self.cover_plan.data or "").strip(),
            "discussed_with_manager": bool(self.discussed_with_manager.data),
            "has_conflict": conflict,
            # Details belong to a "yes": a "no" keeps no stray text behind it.
            "conflict_details": ((self.conflict_details.data or "").strip()
                                 if conflict else ""),
        }

    def show(self, application) -> None:
        """Fill the page from the saved draft."""
        for name in ("motivation", "evidence", "learning_objectives", "cover_plan",
                     "discussed_with_manager", "conflict_details"):
            getattr(self, name).data = getattr(application, name)
        self.has_conflict.data = {True: "yes", False: "no"}.get(application.has_conflict)
        self.version.data = application.version


class ConfirmForm(VersionedForm):
    """A button that changes state: CSRF and the version, nothing else."""


class WithdrawForm(VersionedForm):
    reason = TextAreaField(
        "Why are you withdrawing? (optional)",
        description="This reason is kept in the application's history",
        widget=CharacterCount(), validators=[at_most(limits.REASON, "The reason")])
    submit = SubmitField("Withdraw your application", widget=GovSubmitInput())


class DeleteDraftForm(VersionedForm):
    submit = SubmitField("Yes, delete this draft", widget=GovSubmitInput())


class AppealForm(VersionedForm):
    grounds = TextAreaField(
        "Why should the decision be looked at again?",
        description="Say what you think was wrong with the decision or how it was made. "
                    "A People Services officer who did not take the decision will decide "
                    "your appeal.",
        widget=CharacterCount(),
        validators=[InputRequired("Enter the grounds of your appeal"),
                    _at_most("The grounds of your appeal")])
    submit = SubmitField("Lodge your appeal", widget=GovSubmitInput())


class OfferForm(VersionedForm):
    answer = RadioField("Do you accept the offer?",
                        choices=[("accept", "Yes, I accept the offer"),
                                 ("decline", "No, I decline the offer")],
                        widget=GovRadioInput(),
                        validators=[InputRequired("Select whether you accept the offer")])
    submit = SubmitField("Send your answer", widget=GovSubmitInput())


# The equality questions a UK public body's monitoring form asks (the harmonised ONS
# wording, shortened to the group level), in the order of EQUALITY_FIELDS. Stored as
# the words shown, so the aggregate report reads without a lookup.
PREFER_NOT_TO_SAY = "Prefer not to say"
EQUALITY_QUESTIONS = {
    "age_band": ("What is your age?", [
        "16 to 24", "25 to 34", "35 to 44", "45 to 54", "55 to 64", "65 or over"]),
    "sex": ("What is your sex?", ["Female", "Male"]),
    "gender_identity": ("Is the gender you identify with the same as your sex registered "
                        "at birth?", ["Yes", "No"]),
    "ethnic_group": ("What is your ethnic group?", [
        "Asian or Asian British", "Black, Black British, Caribbean or African",
        "Mixed or multiple ethnic groups", "White", "Another ethnic group"]),
    "disability": ("Do you have a physical or mental health condition or illness lasting "
                   "or expected to last 12 months or more?", ["Yes", "No"]),
    "sexual_orientation": ("Which of the following best describes your sexual orientation?",
                           ["Straight or heterosexual", "Gay or lesbian", "Bisexual",
                            "Another sexual orientation"]),
    "religion": ("What is your religion?", [
        "No religion", "Buddhist", "Christian", "Hindu", "Jewish", "Muslim", "Sikh",
        "Another religion"]),
    "marriage_civil_partnership": (
        "What is your legal marital or registered civil partnership status?", [
            "Never married and never registered a civil partnership", "Married",
            "In a registered civil partnership",
            "Separated, but still legally married or in a civil partnership",
            "Divorced or civil partnership dissolved", "Widowed or surviving civil partner"]),
    "pregnancy_maternity": ("Are you pregnant, or have you been pregnant or on maternity "
                            "leave in the last 12 months?", ["Yes", "No"]),
}


def _question(name: str) -> RadioField:
    label, options = EQUALITY_QUESTIONS[name]
    return RadioField(label, choices=[(o, o) for o in [*options, PREFER_NOT_TO_SAY]],
                      widget=GovRadioInput(), validate_choice=False)


class EqualityForm(PortalForm):
    """Every question may be left unanswered: none has a validator that could stop
    the applicant."""

    age_band = _question("age_band")
    sex = _question("sex")
    gender_identity = _question("gender_identity")
    ethnic_group = _question("ethnic_group")
    disability = _question("disability")
    sexual_orientation = _question("sexual_orientation")
    religion = _question("religion")
    marriage_civil_partnership = _question("marriage_civil_partnership")
    pregnancy_maternity = _question("pregnancy_maternity")
    submit = SubmitField("Send your answers", widget=GovSubmitInput())

    def answers(self) -> dict:
        """The answers given; anything not among the choices counts as unanswered."""
        return {name: self[name].data
                for name, (_label, options) in EQUALITY_QUESTIONS.items()
                if self[name].data in [*options, PREFER_NOT_TO_SAY]}

    def show(self, answers: dict) -> None:
        for name, value in answers.items():
            self[name].data = value
