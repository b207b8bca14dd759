"""Onboarding forms. Shape only: what an item needs to be completed, and what a
template's item must say, is decided in portal.services.onboarding."""

from govuk_frontend_wtf.wtforms_widgets import (
    GovRadioInput,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import RadioField, StringField, SubmitField, TextAreaField
from wtforms.validators import InputRequired

from portal import limits
from portal.fields import DateInputField, WholeNumberField
from portal.forms import VersionedForm, at_most
from portal.models.onboarding import OwnerType, Phase, RecordKind


class ItemForm(VersionedForm):
    """Where a checklist item stands. The choices are the steps its owner may take now."""

    action = RadioField("What is the status of this item?", widget=GovRadioInput(),
                        validators=[InputRequired("Select the status of this item")])
    recorded_date = DateInputField("Date", description="For example, 27 3 2027")
    recorded_reference = StringField("Reference", widget=GovTextInput(),
                                     validators=[at_most(200, "The reference")])
    reason = TextAreaField("Reason", widget=GovTextArea(),
                           validators=[at_most(limits.REASON, "The reason")])
    submit = SubmitField("Save", widget=GovSubmitInput())


OWNER_CHOICES = [(o.value, o.label) for o in OwnerType]
PHASE_CHOICES = [(p.value, p.label) for p in Phase]
RECORD_CHOICES = [(r.value or "none", r.label) for r in RecordKind]


class TemplateItemForm(VersionedForm):
    """An item of a checklist template: added or changed, it makes a new version. Its
    `version` is the number of the template's version the officer started from."""

    title = StringField("What needs to be done", widget=GovTextInput(),
                        validators=[at_most(200, "What needs to be done")],
                        description="For example, Equipment ready")
    guidance = TextAreaField("Guidance for whoever does it", widget=GovTextArea(),
                             validators=[at_most(limits.REASON, "The guidance")])
    owner_type = RadioField("Who does it", widget=GovRadioInput(), choices=OWNER_CHOICES,
                            validators=[InputRequired("Select who does it")])
    owner_email = StringField("E-mail address of the named person", widget=GovTextInput(),
                              validators=[at_most(320, "The e-mail address")],
                              description="Only when a named person does it")
    days = WholeNumberField("Working days", widget=GovTextInput(),
                            name_in_messages="Working days", example="10",
                            description="Weekends and the bank holidays of the placement's "
                                        "nation are skipped. 0 is the start date itself")
    when = RadioField("Due before or after the start", widget=GovRadioInput(),
                      choices=[("before", "Before the start"), ("after", "On or after the start")],
                      validators=[InputRequired("Select whether it is due before or after "
                                                "the start")])
    phase = RadioField("When it is done", widget=GovRadioInput(), choices=PHASE_CHOICES,
                       validators=[InputRequired("Select when it is done")])
    blocking = RadioField("Does the placement wait for it before it can start?",
                          widget=GovRadioInput(),
                          choices=[("yes", "Yes, it blocks the start"), ("no", "No")],
                          validators=[InputRequired("Select whether it blocks the start")])
    records = RadioField("What completing it records", widget=GovRadioInput(),
                         choices=RECORD_CHOICES,
                         validators=[InputRequired("Select what completing it records")])
    record_label = StringField("What the date or reference is", widget=GovTextInput(),
                               validators=[at_most(100, "What the date or reference is")],
                               description="For example, Visa expiry date")
    change = TextAreaField("What changed and why", widget=GovTextArea(),
                           validators=[at_most(limits.REASON, "What changed and why")],
                           description="Kept in the template's history")
    submit = SubmitField("Save as a new version", widget=GovSubmitInput())

    def values(self) -> dict:
        return {"title": self.title.data, "guidance": self.guidance.data,
                "owner_type": self.owner_type.data, "owner_email": self.owner_email.data,
                "days": self.days.data, "when": self.when.data, "phase": self.phase.data,
                "blocking": self.blocking.data == "yes",
                "records": "" if self.records.data == "none" else self.records.data,
                "record_label": self.record_label.data, "change": self.change.data}


class RemoveItemForm(VersionedForm):
    change = TextAreaField("Why is it removed?", widget=GovTextArea(),
                           validators=[at_most(limits.REASON, "The reason")],
                           description="Kept in the template's history")
    submit = SubmitField("Remove it: save as a new version", widget=GovSubmitInput())

