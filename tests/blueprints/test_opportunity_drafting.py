"""Drafting an opportunity: every problem with a page at once, GOV.UK dates and
character counts, grades from the organisation's list, the person a named request
asks for, and the task list."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.models import Grade
from portal.services.opportunities import london_today
from tests import helpers
from tests.factories import make_opportunity
from tests.helpers import Page, persona


@pytest.fixture
def officer(demo_data):
    return persona("people-sam")


def date_fields(name, day, month, year):
    return {name: [str(day), str(month), str(year)]}


def post_page(client, url, data) -> Page:
    return Page(helpers.post_form(client, url, data))


def summary_messages(page: Page) -> list[str]:
    return [a.get_text(strip=True) for a in page.select(".govuk-error-summary__list a")]


# --- every problem at once ------------------------------------------------------------

def test_the_terms_page_reports_every_bad_answer_in_one_submit(client, officer):
    o = make_opportunity(officer)
    client.sign_in("people-sam")
    year = london_today().year + 1

    page = post_page(client, f"/opportunities/{o.id}/edit/terms", {
        "grade": "", "hours_detail": "", "duration_months": "six",
        **date_fields("start_date", "31", "", str(year))})

    assert page.response.status_code == 200
    assert summary_messages(page) == [
        "Select the grade", "Select full time or part time",
        "Start date must include a month", "Duration must be a whole number, like 6"]
    assert page.title.startswith("Error: Grade, hours and duration")
    # Only the box left empty is marked, and the summary's link lands on it.
    assert "govuk-input--error" in page.soup.find(id="start_date")["class"]
    assert page.soup.find(id="start_date")["name"] == "start_date"
    assert "govuk-input--error" not in page.soup.find(id="start_date-day")["class"]
    db.session.refresh(o)
    assert o.grade == "Band 6" and o.duration_months == 6  # nothing half-saved


def test_shape_and_rule_problems_come_out_together(client, officer):
    """A restricted pool without its justification or grades (rules) is reported in
    the same submit as the skills left out (the form's own check)."""
    o = make_opportunity(officer)
    client.sign_in("people-sam")

    page = post_page(client, f"/opportunities/{o.id}/edit/audience", {
        "audience": "restricted_pool", "skills_sought": "", "eligibility": "All staff"})

    assert set(summary_messages(page)) == {
        "Explain which specific skills justify restricting the pool",
        "Select the grades in the pool",
        "Enter the skills and experience sought"}
    db.session.refresh(o)
    assert o.audience == "all_staff"


@pytest.mark.parametrize(("parts", "message"), [
    (("", "", ""), "Enter the start date"),
    (("30", "2", "{year}"), "Start date must be a real date"),
    (("1", "13", "{year}"), "Start date must be a real date"),
    (("first", "3", "{year}"), "Start date must be a real date"),
    (("1", "3", "27"), "Year must include 4 numbers"),
    (("", "3", ""), "Start date must include a day and year"),
    (("1", "3", "{past}"), "Start date must be in the future"),
])
def test_start_dates_are_refused_in_the_date_inputs_words(client, officer, parts, message):
    o = make_opportunity(officer)
    client.sign_in("people-sam")
    year = london_today().year
    day, month, yyyy = (p.format(year=year + 1, past=year - 1) for p in parts)

    page = post_page(client, f"/opportunities/{o.id}/edit/terms", {
        "grade": "Band 6", "working_pattern": "full_time", "duration_months": "6",
        **date_fields("start_date", day, month, yyyy)})

    assert page.error_messages() == [f"Error: {message}"]
    assert "Not a valid" not in page.text


def test_months_may_be_written_as_words(client, officer):
    o = make_opportunity(officer, closing_date=london_today() + timedelta(days=5))
    client.sign_in("people-sam")
    year = london_today().year + 1

    answer = helpers.post_form(client, f"/opportunities/{o.id}/edit/terms", {
        "grade": "Band 6", "working_pattern": "full_time", "duration_months": "6",
        **date_fields("start_date", "3", "March", year)})

    assert answer.status_code == 302
    db.session.refresh(o)
    assert o.start_date.isoformat() == f"{year}-03-03"


def test_a_closing_date_after_the_start_date_names_the_date_to_change(client, officer):
    today = london_today()
    start = today + timedelta(days=20)
    o = make_opportunity(officer, start_date=start)
    client.sign_in("people-sam")
    late = today + timedelta(days=30)

    page = post_page(client, f"/opportunities/{o.id}/edit/closing", {
        "contact_email": "nobody@example.org",
        **date_fields("closing_date", late.day, late.month, late.year)})

    assert summary_messages(page) == [
        f"Closing date must be before the start date, {start.day} {start:%B %Y}",
        "Enter the e-mail address of a member of staff in your organisation"]


def test_bounded_answers_show_their_limit_before_submitting(client, officer):
    o = make_opportunity(officer)
    client.sign_in("people-sam")

    page = client.page(f"/opportunities/{o.id}/edit/audience")

    counts = page.select(".govuk-character-count")
    assert len(counts) == 4
    justification = page.soup.find(id="restriction_justification").find_parent(
        class_="govuk-character-count")
    assert justification["data-maxlength"] == "2000"
    # Without JavaScript the hint says it.
    assert "You can enter up to 2,000 characters" in justification.get_text()


# --- grades from the organisation's list ----------------------------------------------

def test_the_grade_is_chosen_from_the_organisations_list(client, officer):
    o = make_opportunity(officer)
    client.sign_in("people-sam")

    page = client.page(f"/opportunities/{o.id}/edit/terms")
    options = [opt.get_text(strip=True) for opt in page.select("#grade option")]
    assert options[:3] == ["Select a grade", "Band 1", "Band 2"]
    assert "Band 9" in options and "Director" in options
    assert page.soup.select_one("#grade option[selected]")["value"] == "Band 6"

    page = post_page(client, f"/opportunities/{o.id}/edit/terms", {
        "grade": "Grade 99", "working_pattern": "full_time", "duration_months": "6",
        **date_fields("start_date", *_parts(o.start_date))})
    assert page.error_messages() == ["Error: Select a grade from the list"]


def test_an_administrators_own_list_replaces_the_defaults(client, officer):
    db.session.add_all([Grade(name="SO1", position=1, in_use=True),
                        Grade(name="PO2", position=2, in_use=True),
                        Grade(name="Scale 3", position=3, in_use=False)])
    db.session.commit()
    o = make_opportunity(officer)
    client.sign_in("people-sam")

    page = client.page(f"/opportunities/{o.id}/edit/terms")

    options = [opt.get_text(strip=True) for opt in page.select("#grade option")]
    assert options == ["Select a grade", "SO1", "PO2", "Band 6 (not on the list)"]


def test_an_older_grade_stays_readable_and_may_be_kept(client, officer):
    o = make_opportunity(officer, grade="Any grade")
    client.sign_in("people-sam")

    check = client.page(f"/opportunities/{o.id}/check")
    assert "Any grade" in check.text

    answer = helpers.post_form(client, f"/opportunities/{o.id}/edit/terms", {
        "grade": "Any grade", "working_pattern": "full_time", "duration_months": "6",
        **date_fields("start_date", *_parts(o.start_date))})
    assert answer.status_code == 302


def test_a_restricted_pool_is_made_of_grades_from_the_list(client, officer):
    o = make_opportunity(officer)
    client.sign_in("people-sam")

    answer = helpers.post_form(client, f"/opportunities/{o.id}/edit/audience", {
        "audience": "restricted_pool", "restriction_justification": "GIS skills",
        "pool_grades": ["Band 7", "Band 5"], "skills_sought": "GIS",
        "eligibility": "Bands 5 and 7"})

    assert answer.status_code == 302
    db.session.refresh(o)
    assert o.pool_grades == "Band 5, Band 7"  # in the list's order
    page = client.page(f"/opportunities/{o.id}/edit/audience")
    ticked = [box["value"] for box in page.select("input[name=pool_grades][checked]")]
    assert ticked == ["Band 5", "Band 7"]


# --- named requests -------------------------------------------------------------------

def test_a_named_request_records_the_person_requested(client, officer):
    o = make_opportunity(officer)
    alex = persona("staff-alex")
    client.sign_in("people-sam")
    url = f"/opportunities/{o.id}/edit/audience"
    named = {"audience": "named_request", "publicity_assessment": "Not damaging.",
             "skills_sought": "GIS", "eligibility": "Alex only"}

    page = post_page(client, url, named)
    assert page.error_messages() == ["Error: Enter the e-mail address of the person requested"]
    page = post_page(client, url, named | {"requested_person_email": "nobody@example.org"})
    assert page.error_messages() == [
        "Error: Enter the e-mail address of a member of staff in your organisation"]

    answer = helpers.post_form(client, url, named | {"requested_person_email":
                                                     alex.email.upper()})
    assert answer.status_code == 302
    db.session.refresh(o)
    assert o.requested_person_id == alex.id
    assert f"{alex.name} ({alex.email})" in client.page(f"/opportunities/{o.id}/check").text
    listing = client.page("/opportunities/named-requests")
    assert "Person requested" in listing.text and alex.name in listing.text


def test_another_audience_forgets_the_person_requested(client, officer):
    alex = persona("staff-alex")
    o = make_opportunity(officer, audience="named_request", requested_person_id=alex.id,
                         publicity_assessment="Not damaging.")
    client.sign_in("people-sam")

    answer = helpers.post_form(client, f"/opportunities/{o.id}/edit/audience", {
        "audience": "all_staff", "requested_person_email": alex.email,
        "skills_sought": "GIS", "eligibility": "All staff"})

    assert answer.status_code == 302
    db.session.refresh(o)
    assert o.requested_person_id is None


# --- the task list --------------------------------------------------------------------

def test_a_new_draft_is_a_task_list_not_a_list_of_errors(client, officer):
    client.sign_in("people-sam")
    answer = helpers.post_form(client, "/opportunities/new", {"kind": "outgoing"})
    opportunity_id = int(answer.location.split("/")[2])

    page = client.page(f"/opportunities/{opportunity_id}/check")

    assert page.h1 == "Draft the opportunity"
    assert not page.select(".govuk-error-summary")
    statuses = [s.get_text(strip=True) for s in page.select(".govuk-task-list__status")]
    assert statuses == ["Not started"] * 6 + ["Cannot start yet", "Cannot start yet"]
    links = [a.get_text(strip=True) for a in page.select(".govuk-task-list__link")]
    assert links == ["Describe the opportunity", "Where is it?", "Grade, hours and duration",
                     "Who pays?", "Who can apply?", "Closing date and contact"]
    assert "Draft" in page.soup.select_one("main .govuk-tag").get_text()


def test_a_page_half_answered_is_in_progress(client, officer):
    o = make_opportunity(officer, summary="", skills_sought="")
    client.sign_in("people-sam")

    page = client.page(f"/opportunities/{o.id}/check")

    statuses = [s.get_text(strip=True) for s in page.select(".govuk-task-list__status")]
    assert statuses == ["In progress", "Completed", "Completed", "Completed", "In progress",
                        "Completed", "Cannot start yet"]


def test_change_links_go_once_the_case_is_with_the_board(client, officer):
    o = make_opportunity(officer, kind="outgoing",
                         host_organisation_id=_host_id())
    client.sign_in("people-sam")
    before = client.page(f"/opportunities/{o.id}/check")
    assert before.select("main .govuk-summary-list__actions a")
    assert _task_status(before, "Business case for the Resources Board") == "Not started"

    answer = helpers.post_form(client, f"/opportunities/{o.id}/business-case", {
        "skills": "Data", "priorities": ["knowledge_transfer"], "costs": "None",
        "cover": "A colleague"})
    assert answer.status_code == 200

    after = client.page(f"/opportunities/{o.id}/check")
    assert not after.select("main .govuk-summary-list__actions a")
    assert not after.select(".govuk-task-list__link")
    assert _task_status(after, "Business case for the Resources Board") == \
        "With the Resources Board"
    assert after.soup.select_one("main .govuk-tag").get_text(strip=True) == "Awaiting approval"
    # And the page's own link to a question is refused too.
    refused = client.get(f"/opportunities/{o.id}/edit/details")
    assert refused.status_code == 302 and refused.location.endswith(f"/{o.id}/manage")


def test_someone_elses_draft_is_refused(client, officer):
    """A manager who did not create it cannot see or change it."""
    o = make_opportunity(officer)
    client.sign_in("manager-priya")
    assert client.get(f"/opportunities/{o.id}/check").status_code == 404
    assert client.get(f"/opportunities/{o.id}/edit/terms").status_code == 404


def _task_status(page: Page, title: str) -> str:
    for item in page.select(".govuk-task-list__item"):
        if item.select_one(".govuk-task-list__name-and-hint").get_text(" ", strip=True) \
                .startswith(title):
            return item.select_one(".govuk-task-list__status").get_text(strip=True)
    raise AssertionError(f"no task {title!r}")


def _parts(value):
    return value.day, value.month, value.year


def _host_id() -> int:
    from portal.models import Organisation
    return db.session.scalar(select(Organisation.id).where(Organisation.is_own.is_(False))
                             .limit(1))


