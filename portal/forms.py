"""What every feature's forms share."""

import re

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovCharacterCount
from wtforms import DateField, HiddenField, SelectMultipleField, TextAreaField
from wtforms.validators import Length

from portal.fields import DateInputField


def add_errors(form, errors: dict[str, str]) -> None:
    """Show the errors a service found (field -> message) next to their fields, as if
    the form's own validation had found them."""
    for name, message in errors.items():
        field = form._fields.get(name)
        if field is not None:
            field.errors = [*field.errors, message]
    form._errors = None  # WTForms caches form.errors


def at_most(limit: int, what: str) -> Length:
    """The limit of a free-text field (see portal.limits), in GOV.UK words:
    "Your reasons must be 2,000 characters or fewer"."""
    return Length(max=limit, message=f"{what} must be {limit:,} characters or fewer")


def expected_version(form) -> int:
    """The record version a posted form was shown with (its hidden `version` field).
    Only what the page sent counts: a post that leaves it out, or sends anything but a
    number, reads as 0, never a record's version, so as changed meanwhile (the form's
    own default, the record's current version, must not stand in for it)."""
    field = form.version
    value = str(field.data or "") if field.raw_data is None else (field.raw_data or [""])[0]
    value = value.strip()
    return int(value) if value.isascii() and value.isdigit() else 0


_CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_LINE_BREAKS = re.compile(r"[\r\n\t]")


class PortalForm(FlaskForm):
    """The base of every form in the portal.

    Refused at the edge, next to the field, before any rule or database sees them:
    control characters (PostgreSQL refuses a NUL byte outright, SQLite would store it)
    and, outside multi-line answers, line breaks. A choice sent several times over
    counts once, so that thirty copies of one refusal ground cannot fill a column.
    """

    def validate(self, extra_validators=None) -> bool:
        for field in self:
            if isinstance(field, SelectMultipleField) and isinstance(field.data, list):
                field.data = list(dict.fromkeys(field.data))
        valid = super().validate(extra_validators)
        for field in self:
            if _has_hidden_characters(field):
                field.errors = [*field.errors,
                                f"{field.label.text} must not include hidden characters "
                                "such as control codes"]
                valid = False
        self._errors = None  # WTForms caches form.errors
        return valid


def _has_hidden_characters(field) -> bool:
    values = [field.data] if isinstance(field.data, str) else []
    if isinstance(field, DateField):
        values = [v for v in field.raw_data or [] if isinstance(v, str)]
    if isinstance(field.data, list):
        values = [v for v in field.data if isinstance(v, str)]
    multiline = isinstance(field, TextAreaField)
    return any(_CONTROL_CHARACTERS.search(v) or (not multiline and _LINE_BREAKS.search(v))
               for v in values)


# The portal's one date input (day, month and year boxes, GOV.UK messages): see
# portal.fields.DateInputField.
DayMonthYearField = DateInputField


class VersionedForm(PortalForm):
    """Carries the record's version, so that a change made by someone else since the
    page was loaded (a decision, a withdrawal, another tab) is noticed instead of
    overwritten. The one base of every form that changes a versioned record."""

    version = HiddenField()

    @property
    def expected_version(self) -> int:
        return expected_version(self)


class CharacterCount(GovCharacterCount):
    """The GOV.UK character count, its limit taken from the field's own `at_most`
    validator, so the number shown is the number checked. Without JavaScript the hint
    still says the limit ("You can enter up to 6,000 characters")."""

    def map_gov_params(self, field, **kwargs):
        params = super().map_gov_params(field, **kwargs)
        limits = [v.max for v in field.validators if isinstance(v, Length) and v.max > 0]
        if limits:
            params.setdefault("maxlength", min(limits))
        return params
