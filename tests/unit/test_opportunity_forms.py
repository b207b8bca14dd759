"""Each form of drafting and looking after an opportunity reports every bad answer in
one submit, in GOV.UK words; and the portal's date input reads day, month and year as
the Design System says."""

from datetime import date

import pytest
from bs4 import BeautifulSoup
from werkzeug.datastructures import MultiDict

from blueprints.vacancies import forms
from portal.fields import CharacterCount, DateInputField, limit_of
from portal.forms import PortalForm


def submitted(form_class, data: dict, **choices):
    """The form as posted with `data` (lists for repeated names), validated."""
    form = form_class(formdata=MultiDict(
        [(k, v) for k, values in data.items()
         for v in (values if isinstance(values, list) else [values])]),
        meta={"csrf": False})
    for name, options in choices.items():
        form[name].choices = options
    form.validate()
    return form


def errors(form) -> dict[str, str]:
    return {name: messages[0] for name, messages in form.errors.items()}


BAD_DATE = ["31", "2", "2031"]


@pytest.mark.parametrize(("form_class", "data", "choices", "expected"), [
    (forms.KindForm, {}, {}, {"kind": "Select the kind of secondment"}),
    (forms.DetailsForm, {"title": "", "summary": "x" * 501, "description": ""}, {},
     {"title": "Enter a title", "summary": "Summary must be 500 characters or fewer",
      "description": "Enter a description of the role"}),
    (forms.WhereForm, {"location": "", "country": "\x00"},
     {"offering_department_id": [(0, "Select")], "host_organisation_id": [(0, "Select")]},
     {"location": "Enter the location",
      "country": "Country must not include hidden characters such as control codes"}),
    (forms.TermsForm, {"grade": "", "duration_months": "0", "start_date": ["", "3", ""],
                       "duration_reason": "x" * 2001, "hours_detail": "a\nb"},
     {"grade": [("", "Select a grade")]},
     {"grade": "Select the grade", "working_pattern": "Select full time or part time",
      "start_date": "Start date must include a day and year",
      "duration_months": "Duration must be between 1 and 60 months",
      "duration_reason": "The reason for the duration must be 2,000 characters or fewer",
      "hours_detail": "Hours or pattern must not include hidden characters such as "
                      "control codes"}),
    (forms.MoneyForm, {}, {},
     {"salary_paid_by": "Select who pays the salary",
      "expenses_paid_by": "Select who pays expenses"}),
    (forms.AudienceForm, {"requested_person_email": "x" * 321,
                          "publicity_assessment": "x" * 6001}, {"pool_grades": []},
     {"audience": "Select who it is advertised to",
      "requested_person_email": "The e-mail address must be 320 characters or fewer",
      "publicity_assessment": "Your assessment must be 6,000 characters or fewer",
      "skills_sought": "Enter the skills and experience sought",
      "eligibility": "Enter who is eligible"}),
    (forms.ClosingForm, {"closing_date": BAD_DATE}, {},
     {"closing_date": "Closing date must be a real date",
      "contact_email": "Enter the contact person's e-mail address"}),
    (forms.BusinessCaseForm, {"costs": "x" * 6001}, {},
     {"skills": "Enter the skills to be gained or offered",
      "priorities": "Select the strategic priorities it serves",
      "costs": "The costs must be 6,000 characters or fewer",
      "cover": "Enter how the work will be covered"}),
    (forms.DecisionForm, {}, {},
     {"decision": "Select approve or reject",
      "reason": "Enter the reasons for the decision"}),
    (forms.ExtendForm, {"closing_date": ["", "", ""]}, {},
     {"closing_date": "Enter the new closing date",
      "reason": "Enter the reason for extending the closing date"}),
    (forms.ReasonForm, {}, {}, {"reason": "Enter the reason"}),
])
def test_every_bad_answer_is_reported_in_one_submit(app, form_class, data, choices,
                                                    expected):
    with app.test_request_context(method="POST"):
        form = submitted(form_class, data, **choices)
        assert errors(form) == expected


def test_every_bounded_text_area_shows_a_character_count(app):
    """Every text area of these forms tells its limit before submitting."""
    with app.test_request_context():
        for form_class in (forms.DetailsForm, forms.TermsForm, forms.AudienceForm,
                           forms.BusinessCaseForm, forms.DecisionForm, forms.ExtendForm,
                           forms.ReasonForm):
            for field in form_class(meta={"csrf": False}):
                if field.type == "TextAreaField":
                    assert isinstance(field.widget, CharacterCount), field.name
                    assert limit_of(field), field.name


class DateForm(PortalForm):
    starts = DateInputField("Start date", required="Enter the start date")
    ends = DateInputField("End date")


@pytest.mark.parametrize(("parts", "message", "marked"), [
    (["", "", ""], "Enter the start date", ("day", "month", "year")),
    (["", "4", "2031"], "Start date must include a day", ("day",)),
    (["1", "", ""], "Start date must include a month and year", ("month", "year")),
    (["29", "2", "2031"], "Start date must be a real date", ("day", "month", "year")),
    (["1", "Smarch", "2031"], "Start date must be a real date", ("month",)),
    (["1", "4", "31"], "Year must include 4 numbers", ("year",)),
    (["1"], "Start date must be a real date", ("day", "month", "year")),
    ([" 1 ", "04", "2031"], None, ()),
    (["1", "Apr", "2031"], None, ()),
    (["1", "april", "2031"], None, ()),
])
def test_the_date_input_speaks_the_design_systems_words(app, parts, message, marked):
    with app.test_request_context(method="POST"):
        form = submitted(DateForm, {"starts": parts})
        if message is None:
            assert form.starts.data == date(2031, 4, 1) and not form.starts.errors
        else:
            assert form.starts.errors == [message]
            assert form.starts.parts_in_error == marked
        assert not form.ends.errors  # not required, left empty


def test_the_date_input_marks_only_the_boxes_in_error(app):
    with app.test_request_context(method="POST"):
        form = submitted(DateForm, {"starts": ["1", "", "2031"]})
        soup = BeautifulSoup(str(form.starts()), "html.parser")
    boxes = {box.find_previous("label").get_text(strip=True): box
             for box in soup.select("input")}
    # The month box, the one in error, carries the field's id for the summary's link.
    assert boxes["Month"]["id"] == "starts"
    assert "govuk-input--error" in boxes["Month"]["class"]
    assert "govuk-input--error" not in boxes["Day"]["class"]
    assert boxes["Day"]["value"] == "1" and boxes["Year"]["value"] == "2031"
    assert soup.select_one(".govuk-error-message").get_text(" ", strip=True) == \
        "Error: Start date must include a month"
