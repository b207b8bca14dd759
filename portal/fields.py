"""Form fields the portal's features share, in the GOV.UK Design System's patterns."""

import re
from datetime import date

from govuk_frontend_wtf.wtforms_widgets import GovCharacterCount, GovDateInput
from wtforms import DateField, IntegerField
from wtforms.validators import Length, StopValidation

PARTS = ("day", "month", "year")
MONTH_NAMES = {name: number for number, names in enumerate(
    [("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"),
     ("may",), ("jun", "june"), ("jul", "july"), ("aug", "august"),
     ("sep", "sept", "september"), ("oct", "october"), ("nov", "november"),
     ("dec", "december")], start=1) for name in names}


def _words(parts: list[str]) -> str:
    """['day', 'year'] -> 'a day and year'."""
    return "a " + " and ".join(parts)


class CharacterCount(GovCharacterCount):
    """The GOV.UK character count on a text area, its limit taken from the field's
    Length validator (see portal.forms.at_most), so the limit the person is told is the
    one the form and the column enforce. Without JavaScript the hint still says "You can
    enter up to 2,000 characters"."""

    def map_gov_params(self, field, **kwargs):
        params = super().map_gov_params(field, **kwargs)
        limit = limit_of(field)
        if limit:
            params.setdefault("maxlength", limit)
            params.setdefault("textareaDescriptionText",
                              f"You can enter up to {limit:,} characters")
        return params


def limit_of(field) -> int | None:
    """The most characters a field takes, from its Length validator."""
    limits = [v.max for v in field.validators if isinstance(v, Length) and v.max >= 0]
    return min(limits) if limits else None


class DateInputWidget(GovDateInput):
    """The GOV.UK date input, with only the boxes in error marked red, and the first
    of them carrying the field's id, where the error summary's link lands."""

    def map_gov_params(self, field, **kwargs):
        params = super().map_gov_params(field, **kwargs)
        in_error = [part for part in PARTS if part in field.parts_in_error] \
            if field.errors else []
        first = in_error[0] if in_error else "day"
        params["id"] = f"{field.id}-date-input"
        for part, item in zip(PARTS, params["items"], strict=True):
            item["id"] = field.id if part == first else f"{field.id}-{part}"
            width = "govuk-input--width-4" if part == "year" else "govuk-input--width-2"
            item["classes"] = width + (" govuk-input--error" if part in in_error else "")
            item["attributes"] = {"inputmode": "numeric"}
        return params


class DateInputField(DateField):
    """A date typed as day, month and year boxes (the GOV.UK date input pattern), with
    the Design System's messages, named after the question:

    - nothing typed: "Enter the start date" (when required),
    - a part left out: "Start date must include a month",
    - not a date: "Start date must be a real date",
    - a year of two digits: "Year must include 4 numbers".

    Months may be typed as numbers or names ("3", "Mar", "March"). A post without the
    three parts is a field error, never a page that fails to render. Rules that compare
    the date with others (in the future, before the start date) belong to the services.
    """

    widget = DateInputWidget()

    def __init__(self, label=None, validators=None, *, required: str | None = None,
                 name_in_messages: str | None = None, **kwargs):
        kwargs.setdefault("format", "%d %m %Y")
        super().__init__(label, validators, **kwargs)
        self.required_message = required
        self.name_in_messages = name_in_messages
        self.parts_in_error: tuple[str, ...] = ()
        self.parse_error: str | None = None

    @property
    def what(self) -> str:
        return self.name_in_messages or self.label.text

    def process_formdata(self, valuelist):
        self.data, self.parse_error, self.parts_in_error = None, None, ()
        if len(valuelist) != 3 or not all(isinstance(v, str) for v in valuelist):
            self.raw_data = ["", "", ""]
            if valuelist:
                self.parse_error, self.parts_in_error = f"{self.what} must be a real date", PARTS
            return
        day, month, year = (v.strip() for v in valuelist)
        missing = [part for part, value in zip(PARTS, (day, month, year), strict=True)
                   if not value]
        if len(missing) == 3:
            return  # nothing typed: required or not, decided in pre_validate
        if missing:
            self.parse_error = f"{self.what} must include {_words(missing)}"
            self.parts_in_error = tuple(missing)
            return
        self.data, self.parse_error, self.parts_in_error = _parse(self.what, day, month, year)

    def pre_validate(self, form):
        if self.parse_error:
            raise StopValidation(self.parse_error)
        if self.data is None and self.required_message:
            self.parts_in_error = PARTS
            raise StopValidation(self.required_message)


def _parse(what: str, day: str, month: str, year: str):
    """(date, None, ()) or (None, message, the parts in error)."""
    month_number = MONTH_NAMES.get(month.lower()) if not month.isdigit() else None
    wrong = [part for part, value in (("day", day), ("month", month), ("year", year))
             if not (value.isascii() and value.isdigit())
             and not (part == "month" and month_number)]
    if wrong:
        return None, f"{what} must be a real date", tuple(wrong)
    if not re.fullmatch(r"\d{4}", year):
        return None, "Year must include 4 numbers", ("year",)
    try:
        return date(int(year), month_number or int(month), int(day)), None, ()
    except ValueError:
        return None, f"{what} must be a real date", PARTS


class WholeNumberField(IntegerField):
    """A whole number, refused in words ("Duration must be a whole number, like 6")
    instead of WTForms' "Not a valid integer value"."""

    def __init__(self, label=None, validators=None, *, name_in_messages: str | None = None,
                 example: str = "6", **kwargs):
        super().__init__(label, validators, **kwargs)
        self.name_in_messages = name_in_messages
        self.example = example

    def process_formdata(self, valuelist):
        if not valuelist or not valuelist[0].strip():
            self.data = None
            return
        value = valuelist[0].strip().replace(",", "")
        if not (value.isascii() and value.isdigit()):
            self.data = None
            what = self.name_in_messages or self.label.text
            raise ValueError(f"{what} must be a whole number, like {self.example}")
        self.data = int(value)
