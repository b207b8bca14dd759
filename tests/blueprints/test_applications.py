"""The applicant's side: applying from an advert, saving and coming back, checking and
submitting, the equality questions, following, withdrawing, appealing and offers."""

import logging
import re
from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from sqlalchemy import func, select

from portal.extensions import db
from portal.models.applications import (
    Application,
    ConflictDeclaration,
    Decision,
    EqualityResponse,
)
from portal.services import applications as service
from portal.services.opportunities import london_today
from tests.factories import make_opportunity
from tests.helpers import persona, post_form

COMPLETE = {
    "motivation": "I want to learn how the authority plans for flood risk.",
    "evidence": "Three years of planning casework, including two flood appeals.",
    "learning_objectives": "Catchment modelling; working with the regulator.",
    "cover_plan": "Jamie can take my caseload; Priya agreed a temporary backfill.",
    "discussed_with_manager": "y",
    "has_conflict": "no",
    "conflict_details": "",
}



@pytest.fixture
def opportunity(demo_data):
    return make_opportunity(persona("people-sam"), publish=True, title="Flood risk adviser")


@pytest.fixture
def alex(client, demo_data):
    client.sign_in("staff-alex")
    return client



def start(client, opportunity) -> int:
    """Press Apply on the advert; return the new (or existing) application's id."""
    answer = post_form(client, f"/opportunities/{opportunity.id}/apply", {},
                       from_url=f"/opportunities/{opportunity.id}")
    assert answer.status_code == 302, answer.get_data(as_text=True)[:1000]
    return int(re.fullmatch(r"/applications/(\d+)/edit", answer.location)[1])


def fill_in(client, application_id, answers=None, button="submit"):
    return post_form(client, f"/applications/{application_id}/edit",
                     {**(answers or COMPLETE), button: "y"})


def submit(client, application_id):
    return post_form(client, f"/applications/{application_id}/submit", {},
                     from_url=f"/applications/{application_id}/check")


def fresh(application_id) -> Application:
    db.session.expire_all()
    return db.session.get(Application, application_id)


def submitted_application(client, opportunity, answers=None) -> int:
    application_id = start(client, opportunity)
    assert fill_in(client, application_id, answers).status_code == 302
    assert submit(client, application_id).status_code == 302
    return application_id


# --- the whole journey ---------------------------------------------------------------

def test_alex_applies_from_the_advert(alex, opportunity, caplog):
    advert = alex.page(f"/opportunities/{opportunity.id}")
    assert "Apply" in [b.get_text(strip=True) for b in advert.select(".govuk-button--start")]

    application_id = start(alex, opportunity)
    form = alex.page(f"/applications/{application_id}/edit")
    assert form.h1 == "Your application"
    assert "Knowledge of data protection law." in form.text  # the skills sought

    # Save part of it and come back later.
    saved = fill_in(alex, application_id, {"motivation": "Flood risk interests me."},
                    button="save")
    assert saved.status_code == 302 and saved.location == "/applications"
    listed = alex.page("/applications")
    assert "Your application has been saved" in listed.text
    assert "Flood risk adviser" in listed.text and "Not yet submitted" in listed.text
    again = alex.page(f"/applications/{application_id}/edit")
    assert again.soup.find("textarea", {"name": "motivation"}).get_text() == (
        "Flood risk interests me.")
    assert "continue your application" in alex.page(f"/opportunities/{opportunity.id}").text

    answer = fill_in(alex, application_id)
    assert answer.location == f"/applications/{application_id}/check"
    check = alex.page(answer.location)
    assert check.h1 == "Check your answers before submitting your application"
    assert COMPLETE["evidence"] in check.text
    changes = [a["href"] for a in check.select(".govuk-summary-list__actions a")]
    assert f"/applications/{application_id}/edit#motivation" in changes
    assert not check.select(".govuk-error-summary")

    with caplog.at_level(logging.INFO, logger="portal.notifications"):
        sent = submit(alex, application_id)
    assert sent.location == f"/applications/{application_id}/submitted"
    application = fresh(application_id)
    year = application.submitted_at.year
    assert re.fullmatch(rf"SEC-{year}-\d{{5}}", application.reference)
    assert application.status == "submitted"
    assert application.line_manager_id == persona("manager-priya").id
    assert application.head_of_department_id == persona("head-david").id
    mail = [r.getMessage() for r in caplog.records if r.name == "portal.notifications"]
    to_alex = [m for m in mail if "To: alex.morgan@example.org" in m]
    assert len(to_alex) == 1 and application.reference in to_alex[0]

    # First the confirmation that it was sent; then, optional, the equality questions.
    confirmation = alex.page(sent.location)
    assert "Application submitted" in confirmation.text
    assert application.reference in confirmation.select(".govuk-panel")[0].text
    ask = confirmation.soup.find("a", string="Answer the equality questions")["href"]
    assert ask == f"/applications/{application_id}/equality"

    equality = alex.page(ask)
    assert equality.h1 == "Equality questions"
    for question in ("What is your ethnic group?",
                     "Is the gender you identify with the same as your sex registered at "
                     "birth?",
                     "What is your legal marital or registered civil partnership status?",
                     "Are you pregnant, or have you been pregnant or on maternity leave in "
                     "the last 12 months?"):
        assert question in equality.text
    assert len(equality.select('input[value="Prefer not to say"]')) == 9
    done = post_form(alex, ask, {"age_band": "35 to 44", "religion": "Buddhist",
                                 "sexual_orientation": "Prefer not to say",
                                 "marriage_civil_partnership": "Married"})
    assert done.location == f"/applications/{application_id}"
    assert "Your answers to the equality questions have been saved" in alex.page(
        done.location).text

    answers = db.session.scalars(select(EqualityResponse)).all()
    assert [(e.application_id, e.age_band, e.religion, e.sexual_orientation, e.sex,
             e.marriage_civil_partnership) for e in answers] == [
        (application_id, "35 to 44", "Buddhist", "Prefer not to say", None, "Married")]

    advert = alex.page(f"/opportunities/{opportunity.id}")
    assert "You applied on" in advert.text and "view your application" in advert.text
    assert not advert.select(".govuk-button--start")


def test_second_apply_returns_the_same_application(alex, opportunity):
    first = start(alex, opportunity)
    second = start(alex, opportunity)
    assert first == second
    assert db.session.scalar(select(func.count(Application.id))) == 1


def test_apply_needs_a_post(alex, opportunity):
    assert alex.get(f"/opportunities/{opportunity.id}/apply").status_code == 405
    assert db.session.scalar(select(func.count(Application.id))) == 0


# --- refusals, each with its reason --------------------------------------------------

def test_restricted_pool_of_another_grade_is_refused_with_the_reason(alex, demo_data):
    o = make_opportunity(persona("people-sam"), publish=True, audience="restricted_pool",
                         restriction_justification="Needs GIS", pool_grades="Band 7")
    reason = "open only to a restricted pool (Band 7), and your grade is Band 6"
    advert = alex.page(f"/opportunities/{o.id}")
    assert not advert.select(".govuk-button--start")
    assert "You cannot apply" in advert.text and reason in advert.text

    answer = post_form(alex, f"/opportunities/{o.id}/apply", {},
                       from_url=f"/opportunities/{o.id}")
    assert answer.status_code == 422
    assert reason in answer.get_data(as_text=True)
    assert db.session.scalar(select(func.count(Application.id))) == 0


def test_a_draft_cannot_be_submitted_after_the_closing_date(alex, opportunity):
    application_id = start(alex, opportunity)
    fill_in(alex, application_id)
    form_page = alex.page(f"/applications/{application_id}/check")
    opportunity.closing_date = london_today() - timedelta(days=1)
    db.session.commit()

    check = alex.page(f"/applications/{application_id}/check")
    assert "This opportunity is closed: its closing date has passed" in check.text
    assert not check.soup.find("button", string="Accept and send")

    token = form_page.soup.find("input", {"name": "csrf_token"})["value"]
    version = form_page.soup.find("input", {"name": "version"})["value"]
    answer = alex.post(f"/applications/{application_id}/submit",
                       data={"csrf_token": token, "version": version})
    assert answer.status_code == 422
    assert "its closing date has passed" in answer.get_data(as_text=True)
    assert fresh(application_id).status == "draft"
    # A closed opportunity is off the board: its advert, and applying, are not found.
    assert alex.post(f"/opportunities/{opportunity.id}/apply",
                     data={"csrf_token": token}).status_code == 404


def test_missing_line_manager_confirmation_is_a_field_error(alex, opportunity):
    application_id = start(alex, opportunity)
    answers = {k: v for k, v in COMPLETE.items() if k != "discussed_with_manager"}
    answer = fill_in(alex, application_id, answers)
    assert answer.status_code == 200
    html = answer.get_data(as_text=True)
    assert "<title>Error: " in html
    assert 'href="#discussed_with_manager"' in html
    message = "Confirm that you have discussed this with your line manager"
    assert html.count(message) == 2  # the summary and the field
    # Saved all the same, and nothing submitted.
    assert fresh(application_id).motivation == COMPLETE["motivation"]

    check = alex.page(f"/applications/{application_id}/check")
    assert message in check.text
    assert not check.soup.find("button", string="Accept and send")
    forced = post_form(alex, f"/applications/{application_id}/submit",
                       {"version": str(fresh(application_id).version)},
                       from_url=f"/applications/{application_id}/check")
    assert forced.status_code == 422
    assert fresh(application_id).status == "draft" and fresh(application_id).reference is None


def test_every_problem_with_the_application_is_shown_in_one_submit(alex, opportunity):
    """Too long, missing, unticked and unanswered, all in the first answer: no rounds."""
    application_id = start(alex, opportunity)
    answers = {"motivation": "x" * 6_001, "evidence": "", "learning_objectives": "  ",
               "cover_plan": "Jamie covers.", "conflict_details": ""}
    answer = fill_in(alex, application_id, answers)
    html = answer.get_data(as_text=True)
    assert answer.status_code == 200 and "<title>Error: " in html
    summary = [a["href"] for a in BeautifulSoup(html, "html.parser").select(
        ".govuk-error-summary__list a")]
    assert summary == ["#motivation", "#evidence", "#learning_objectives",
                       "#discussed_with_manager", "#has_conflict"]
    assert "Why you want this secondment must be 6,000 characters or fewer" in html
    # A field that is too long is not half-saved: nothing from this submit is kept.
    assert fresh(application_id).cover_plan == ""

    answer = fill_in(alex, application_id, {**answers, "motivation": "Flood work.",
                                            "has_conflict": "yes"})
    summary = [a["href"] for a in BeautifulSoup(answer.get_data(as_text=True),
                                                "html.parser").select(
        ".govuk-error-summary__list a")]
    assert summary == ["#evidence", "#learning_objectives", "#discussed_with_manager",
                       "#conflict_details"]


def test_saving_for_later_lets_answers_be_missing_but_not_too_long(alex, opportunity):
    application_id = start(alex, opportunity)
    kept = fill_in(alex, application_id, {"motivation": "Flood work."}, button="save")
    assert kept.status_code == 302 and fresh(application_id).motivation == "Flood work."
    refused = fill_in(alex, application_id, {"evidence": "y" * 6_001}, button="save")
    html = refused.get_data(as_text=True)
    assert "Your evidence must be 6,000 characters or fewer" in html
    assert "Say why you want this secondment" not in html  # a save needs nothing more


def test_the_long_answers_show_their_limit_before_anything_is_sent(alex, opportunity):
    page = alex.page(f"/applications/{start(alex, opportunity)}/edit")
    for name in ("motivation", "evidence", "learning_objectives", "cover_plan",
                 "conflict_details"):
        count = page.soup.find("textarea", {"name": name}).find_parent(
            class_="govuk-character-count")
        assert count["data-maxlength"] == "6000", name
        assert "You can enter up to 6000 characters" in count.get_text(), name
    yes = page.soup.find("input", {"name": "has_conflict", "value": "yes"})
    assert page.soup.find(id=yes["data-aria-controls"]).find(
        "textarea", {"name": "conflict_details"})


def test_conflict_needs_details_and_is_declared_on_submission(alex, opportunity):
    application_id = start(alex, opportunity)
    answer = fill_in(alex, application_id, {**COMPLETE, "has_conflict": "yes"})
    assert "Describe the conflict of interest or connection" in answer.get_data(as_text=True)

    details = "My sister manages the host's planning team."
    fill_in(alex, application_id, {**COMPLETE, "has_conflict": "yes",
                                   "conflict_details": details})
    assert details in alex.page(f"/applications/{application_id}/check").text
    assert submit(alex, application_id).status_code == 302
    declarations = db.session.scalars(select(ConflictDeclaration)).all()
    assert [(d.application_id, d.text) for d in declarations] == [(application_id, details)]


def test_no_conflict_keeps_no_stray_details(alex, opportunity):
    application_id = start(alex, opportunity)
    fill_in(alex, application_id, {**COMPLETE, "has_conflict": "no",
                                   "conflict_details": "typed, then changed my mind"})
    assert fresh(application_id).conflict_details == ""
    submit(alex, application_id)
    assert db.session.scalar(select(func.count(ConflictDeclaration.id))) == 0


# --- equality monitoring -------------------------------------------------------------

def test_equality_answers_are_shown_to_nobody(alex, make_client, opportunity):
    application_id = submitted_application(alex, opportunity)
    post_form(alex, f"/applications/{application_id}/equality",
              {"ethnic_group": "Mixed or multiple ethnic groups", "religion": "Sikh",
               "sexual_orientation": "Bisexual", "age_band": "55 to 64"})
    assert db.session.scalar(select(func.count(EqualityResponse.id))) == 1
    secret = ("Mixed or multiple", "Sikh", "Bisexual", "55 to 64", "Equality")

    priya = make_client()
    priya.sign_in("manager-priya")
    for client in (alex, priya):
        page = client.page(f"/applications/{application_id}")
        for word in secret:
            assert word not in page.text, word
    for url in ("/applications", f"/applications/{application_id}/submitted"):
        text = alex.page(url).text
        assert not any(word in text for word in secret[:4]), url


def test_equality_questions_can_be_left(alex, opportunity):
    application_id = submitted_application(alex, opportunity)
    page = alex.page(f"/applications/{application_id}/equality")
    leave = page.soup.find("a", string="I do not want to answer these questions")["href"]
    assert leave == f"/applications/{application_id}"
    # Sending the page with nothing chosen is leaving them too: nothing is kept.
    assert post_form(alex, f"/applications/{application_id}/equality", {}).status_code == 302
    assert db.session.scalar(select(func.count(EqualityResponse.id))) == 0


def test_equality_answers_are_changed_not_duplicated(alex, opportunity):
    application_id = submitted_application(alex, opportunity)
    url = f"/applications/{application_id}/equality"
    post_form(alex, url, {"sex": "Female", "pregnancy_maternity": "Yes",
                          "gender_identity": "Prefer not to say"})

    again = alex.page(url)
    assert again.h1 == "Change your answers to the equality questions"
    assert again.soup.find("input", {"name": "sex", "value": "Female"}).has_attr("checked")
    assert again.soup.find("input", {"name": "pregnancy_maternity", "value": "Yes"}
                           ).has_attr("checked")
    submitted = alex.page(f"/applications/{application_id}/submitted")
    assert submitted.soup.find("a", string="Change your answers to the equality questions")

    post_form(alex, url, {"sex": "Female", "pregnancy_maternity": "No"})
    db.session.expire_all()
    [answers] = db.session.scalars(select(EqualityResponse)).all()
    assert (answers.sex, answers.pregnancy_maternity, answers.gender_identity) == (
        "Female", "No", None)
    assert answers.changed_at is not None


def test_the_database_keeps_one_set_of_equality_answers_per_application(alex, opportunity):
    from sqlalchemy.exc import IntegrityError
    application_id = submitted_application(alex, opportunity)
    db.session.add(EqualityResponse(application_id=application_id, sex="Male"))
    db.session.commit()
    db.session.add(EqualityResponse(application_id=application_id, sex="Female"))
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()


def test_only_the_applicant_reads_their_equality_answers(alex, make_client, opportunity):
    application_id = submitted_application(alex, opportunity)
    post_form(alex, f"/applications/{application_id}/equality", {"religion": "Sikh"})
    for subject, status in (("manager-priya", 403), ("head-david", 403),
                            ("people-sam", 403), ("board-george", 404)):
        other = make_client()
        other.sign_in(subject)
        answer = other.get(f"/applications/{application_id}/equality")
        assert answer.status_code == status, subject
        assert "Sikh" not in answer.get_data(as_text=True)


def test_equality_questions_come_only_after_submitting(alex, opportunity):
    application_id = start(alex, opportunity)
    answer = post_form(alex, f"/applications/{application_id}/equality", {"sex": "Female"},
                       from_url=f"/applications/{application_id}/edit")
    assert answer.location == f"/applications/{application_id}/check"
    assert db.session.scalar(select(func.count(EqualityResponse.id))) == 0


# --- following, withdrawing ----------------------------------------------------------

def test_my_applications_gives_status_and_next_step(alex, demo_data, opportunity):
    other = make_opportunity(persona("people-sam"), publish=True, title="Parks officer")
    submitted_id = submitted_application(alex, opportunity)
    start(alex, other)
    page = alex.page("/applications")
    rows = {r.select("td")[0].a.get_text(strip=True): r.get_text(" ", strip=True)
            for r in page.select("tbody tr")}
    assert "With your line manager" in rows["Flood risk adviser"]
    assert "Your line manager will support it or explain why not." in rows["Flood risk adviser"]
    assert fresh(submitted_id).reference in rows["Flood risk adviser"]
    assert "Not yet submitted" in rows["Parks officer"]
    assert "Finish your application and submit it" in rows["Parks officer"]


def test_withdraw_after_confirming(alex, opportunity, caplog):
    application_id = submitted_application(alex, opportunity)
    view = alex.page(f"/applications/{application_id}")
    assert view.soup.find("a", string="Withdraw your application")
    confirm = alex.page(f"/applications/{application_id}/withdraw")
    assert "Are you sure" in confirm.h1
    assert fresh(application_id).status == "submitted"  # GET changes nothing

    with caplog.at_level(logging.INFO, logger="portal.notifications"):
        answer = post_form(alex, f"/applications/{application_id}/withdraw",
                           {"reason": "Family reasons"})
    assert answer.location == f"/applications/{application_id}"
    assert fresh(application_id).status == "withdrawn"
    page = alex.page(answer.location)
    assert "You have withdrawn your application" in page.text and "Withdrawn" in page.text
    assert not page.soup.find("a", string="Withdraw your application")
    assert any("priya.shah@example.org" in r.getMessage() and "withdrawn" in r.getMessage()
               for r in caplog.records)
    # Withdrawn is final: there is nothing left to withdraw.
    again = alex.get(f"/applications/{application_id}/withdraw")
    assert again.status_code == 302


@pytest.mark.parametrize("version", [None, "", "abc", "-1"])
def test_a_withdrawal_without_the_version_it_was_shown_with_is_out_of_date(
        alex, opportunity, version):
    """The form's default (the current version) never stands in for what the page sent."""
    application_id = submitted_application(alex, opportunity)
    data = {"csrf_token": alex.csrf_token(f"/applications/{application_id}/withdraw"),
            "reason": "Family reasons"}
    if version is not None:
        data["version"] = version

    answer = alex.post(f"/applications/{application_id}/withdraw", data=data)

    assert answer.status_code == 409
    assert fresh(application_id).status == "submitted"


def test_someone_else_changed_it_meanwhile(alex, make_client, opportunity):
    application_id = start(alex, opportunity)
    url = f"/applications/{application_id}/edit"
    old_page = alex.page(url)
    data = {**COMPLETE, "submit": "y",
            "csrf_token": old_page.soup.find("input", {"name": "csrf_token"})["value"],
            "version": old_page.soup.find("input", {"name": "version"})["value"]}
    other_tab = make_client()
    other_tab.sign_in("staff-alex")
    assert fill_in(other_tab, application_id, {"motivation": "Second tab"},
                   button="save").status_code == 302

    answer = alex.post(url, data=data)
    assert answer.status_code == 409
    assert "changed while you were looking at it" in answer.get_data(as_text=True)
    assert fresh(application_id).motivation == "Second tab"


# --- decisions, appeals, offers ------------------------------------------------------

def refuse(application_id) -> Decision:
    return service.decide_endorsement(fresh(application_id), persona("manager-priya"),
                                      support=False, grounds=["cover"],
                                      rationale="Nobody can cover the casework.")


def test_refusal_is_shown_and_can_be_appealed(alex, opportunity):
    application_id = submitted_application(alex, opportunity)
    refuse(application_id)
    page = alex.page(f"/applications/{application_id}")
    assert "Refused" in page.text and "Nobody can cover the casework." in page.text
    assert "The department cannot recruit, replace or reorganise the work" in page.text
    assert page.soup.find("a", string="Appeal the refusal")

    url = f"/applications/{application_id}/appeal"
    empty = post_form(alex, url, {"grounds": "  "})
    assert "Enter the grounds of your appeal" in empty.get_data(as_text=True)
    answer = post_form(alex, url, {"grounds": "Cover was offered by a colleague."})
    assert answer.location == f"/applications/{application_id}"
    assert fresh(application_id).status == "appealed"
    assert "Appeal lodged" in alex.page(answer.location).text


def test_appeal_after_the_deadline_is_refused_with_the_reason(app, alex, opportunity):
    app.config["APPEAL_DAYS"] = 0  # the time to appeal ends as the refusal is made
    application_id = submitted_application(alex, opportunity)
    refuse(application_id)
    page = alex.page(f"/applications/{application_id}/appeal")
    assert "The time to appeal (0 days) has passed" in page.text
    assert not page.soup.find("textarea", {"name": "grounds"})
    answer = alex.post(f"/applications/{application_id}/appeal", data={
        "csrf_token": page.soup.find("input", {"name": "csrf_token"})["value"],
        "grounds": "Too late, I know."})
    assert answer.status_code == 422
    assert "The time to appeal (0 days) has passed" in answer.get_data(as_text=True)
    assert fresh(application_id).status == "refused"


def test_offer_can_be_accepted_and_then_not_withdrawn(alex, opportunity):
    application_id = submitted_application(alex, opportunity)
    sam = persona("people-sam")
    service.decide_endorsement(fresh(application_id), persona("manager-priya"), support=True)
    service.decide_release(fresh(application_id), persona("head-david"), approve=True)
    service.shortlist(fresh(application_id), sam, include=True)
    service.fix_shortlist(fresh(application_id).opportunity, sam)
    service.make_offer(fresh(application_id), sam, "Six months from 1 March, Band 6.")

    page = alex.page(f"/applications/{application_id}")
    assert "Six months from 1 March, Band 6." in page.text
    offer = alex.page(f"/applications/{application_id}/offer")
    assert "You have been offered" in offer.h1 and "Do you accept the offer?" in offer.text
    missing = post_form(alex, f"/applications/{application_id}/offer", {})
    assert "Select whether you accept the offer" in missing.get_data(as_text=True)
    answer = post_form(alex, f"/applications/{application_id}/offer", {"answer": "accept"})
    assert answer.status_code == 302
    assert fresh(application_id).status == "accepted"
    page = alex.page(f"/applications/{application_id}")
    assert "Offer accepted" in page.text
    assert not page.soup.find("a", string="Withdraw your application")


# --- who may see what ----------------------------------------------------------------

@pytest.fixture
def alexs_application(alex, opportunity):
    return submitted_application(alex, opportunity)


APPLICANT_PAGES = ["", "/edit", "/check", "/withdraw", "/appeal", "/offer", "/equality",
                   "/submitted"]


@pytest.mark.parametrize("subject", ["legal-ruth", "board-george"])
def test_another_member_of_staff_gets_not_found(make_client, alexs_application, subject):
    other = make_client()
    other.sign_in(subject)
    for page in APPLICANT_PAGES:
        url = f"/applications/{alexs_application}{page}"
        assert other.get(url).status_code == 404, url
    assert other.page("/applications").text.count("Flood risk adviser") == 0


def test_a_host_contact_is_forbidden(make_client, alexs_application):
    maria = make_client()
    maria.sign_in("host-maria")
    for page in [*APPLICANT_PAGES, "s"]:
        url = f"/applications/{alexs_application}{page}" if page != "s" else "/applications"
        assert maria.get(url).status_code == 403, url


def test_the_line_manager_sees_it_but_cannot_act_as_the_applicant(make_client,
                                                                  alexs_application):
    priya = make_client()
    priya.sign_in("manager-priya")
    page = priya.page(f"/applications/{alexs_application}")
    assert COMPLETE["motivation"] in page.text
    assert "Alex" not in page.soup.find("main").get_text()
    assert not page.soup.find("a", string="Withdraw your application")
    for action in ("/withdraw", "/edit", "/appeal"):
        assert priya.get(f"/applications/{alexs_application}{action}").status_code == 403


def test_a_draft_is_private_to_its_applicant(alex, make_client, opportunity):
    application_id = start(alex, opportunity)
    for subject in ("manager-priya", "people-sam"):
        other = make_client()
        other.sign_in(subject)
        assert other.get(f"/applications/{application_id}").status_code == 404


def test_submit_without_csrf_token_is_refused(alex, opportunity):
    application_id = start(alex, opportunity)
    fill_in(alex, application_id)
    answer = alex.post(f"/applications/{application_id}/submit",
                       data={"version": str(fresh(application_id).version)})
    assert answer.status_code == 400
    assert fresh(application_id).status == "draft"


def test_anonymous_is_sent_to_sign_in(client, demo_data):
    answer = client.get("/applications")
    assert answer.status_code == 302 and answer.location == "/sign-in?next=/applications"


def test_answers_are_escaped(alex, opportunity):
    nasty = '"><svg onload=alert(1)> {{7*7}} <script>x</script>'
    application_id = start(alex, opportunity)
    fill_in(alex, application_id, {**{k: nasty for k in (
        "motivation", "evidence", "learning_objectives", "cover_plan", "conflict_details")},
        "discussed_with_manager": "y", "has_conflict": "yes"})
    for url in (f"/applications/{application_id}/check", f"/applications/{application_id}",
                f"/applications/{application_id}/edit"):
        html = alex.get(url).get_data(as_text=True)
        assert "<svg onload" not in html and "<script>x" not in html, url
        assert "&lt;svg onload" in html and "{{7*7}}" in html, url
    submit(alex, application_id)
    html = alex.get(f"/applications/{application_id}").get_data(as_text=True)
    assert "<svg onload" not in html and "&lt;script&gt;x" in html


# --- deleting a draft, withdrawing at each stage ----------------------------------------

def test_a_draft_is_deleted_after_confirming_and_nobody_is_told(alex, opportunity, caplog):
    from portal.models import AuditEvent, OutboxMessage
    application_id = start(alex, opportunity)
    fill_in(alex, application_id, {"motivation": "Flood work."}, button="save")
    view = alex.page(f"/applications/{application_id}")
    link = view.soup.find("a", string="Delete this draft")
    assert link["href"] == f"/applications/{application_id}/delete"
    assert not view.soup.find("a", string=re.compile("Withdraw"))

    confirm = alex.page(link["href"])
    assert confirm.h1 == "Are you sure you want to delete your draft application?"
    assert "cannot apply" not in confirm.text and "nobody will be told" in confirm.text
    assert fresh(application_id) is not None  # GET changes nothing

    outbox = db.session.scalar(select(func.count(OutboxMessage.id)))
    answer = post_form(alex, link["href"], {})
    assert answer.location == "/applications"
    db.session.expire_all()
    assert db.session.get(Application, application_id) is None
    assert db.session.scalar(select(func.count(OutboxMessage.id))) == outbox
    assert db.session.scalar(select(func.count(AuditEvent.id)).where(
        AuditEvent.action == "application.delete",
        AuditEvent.object_id == str(application_id))) == 1
    assert "Your draft application for Flood risk adviser has been deleted" in alex.page(
        "/applications").text
    # And they may start again, from nothing.
    again = fresh(start(alex, opportunity))
    assert again.status == "draft" and again.motivation == ""


def test_a_sent_application_cannot_be_deleted(alex, opportunity):
    application_id = submitted_application(alex, opportunity)
    assert alex.get(f"/applications/{application_id}/delete").status_code == 302
    answer = post_form(alex, f"/applications/{application_id}/delete", {},
                       from_url=f"/applications/{application_id}")
    assert answer.status_code == 302
    assert fresh(application_id).status == "submitted"


def test_a_stale_delete_keeps_the_draft(alex, opportunity):
    application_id = start(alex, opportunity)
    url = f"/applications/{application_id}/delete"
    answer = alex.post(url, data={"csrf_token": alex.csrf_token(url), "version": "0"})
    assert answer.status_code == 409
    assert fresh(application_id) is not None


def test_someone_else_cannot_delete_a_draft(make_client, alex, opportunity):
    application_id = start(alex, opportunity)
    priya = make_client()
    priya.sign_in("manager-priya")
    assert priya.get(f"/applications/{application_id}/delete").status_code == 404
    assert fresh(application_id) is not None


def test_withdrawing_is_worded_for_the_stage(alex, opportunity):
    application_id = submitted_application(alex, opportunity)
    application = fresh(application_id)
    page = alex.page(f"/applications/{application_id}/withdraw")
    assert page.h1 == "Are you sure you want to withdraw your application?"
    assert page.soup.find("button", string=re.compile("Withdraw your application"))

    service.decide_endorsement(application, persona("manager-priya"), support=True)
    service.decide_release(fresh(application_id), persona("head-david"), approve=True)
    view = alex.page(f"/applications/{application_id}")
    link = view.soup.find("a", string="Withdraw from the selection")
    assert link["href"] == f"/applications/{application_id}/withdraw"
    page = alex.page(link["href"])
    assert page.h1 == "Are you sure you want to withdraw from the selection?"
    answer = post_form(alex, link["href"], {})
    assert "You have withdrawn from the selection." in alex.page(answer.location).text
    assert fresh(application_id).status == "withdrawn"


def test_an_appeal_is_withdrawn_in_its_own_words(alex, opportunity):
    application_id = submitted_application(alex, opportunity)
    service.decide_endorsement(fresh(application_id), persona("manager-priya"),
                               support=False, grounds=["impact"], rationale="Short-staffed.")
    service.lodge_appeal(fresh(application_id), persona("staff-alex"), "Cover is agreed.")
    view = alex.page(f"/applications/{application_id}")
    assert view.soup.find("a", string="Withdraw your appeal")
    page = alex.page(f"/applications/{application_id}/withdraw")
    assert page.h1 == "Are you sure you want to withdraw your appeal?"
    assert "the refusal stands" in page.text


@pytest.mark.parametrize("state", ["offered", "refused"])
def test_withdrawing_is_not_offered_where_it_means_nothing(alex, opportunity, state):
    application_id = submitted_application(alex, opportunity)
    service.decide_endorsement(fresh(application_id), persona("manager-priya"),
                               support=state == "offered",
                               **({} if state == "offered" else
                                  {"grounds": ["impact"], "rationale": "Short-staffed."}))
    if state == "offered":
        service.decide_release(fresh(application_id), persona("head-david"), approve=True)
        application = fresh(application_id)
        sam = persona("people-sam")
        service.shortlist(application, sam, include=True)
        service.fix_shortlist(application.opportunity, sam)
        service.make_offer(fresh(application_id), sam, "Start in May.")
    assert fresh(application_id).status == state
    view = alex.page(f"/applications/{application_id}")
    assert not view.soup.find("a", string=re.compile("Withdraw"))
    assert alex.get(f"/applications/{application_id}/withdraw").status_code == 302


def test_equality_answers_are_read_only_where_they_are_meant_to_be(app):
    """R13: the applicant's own page and People Services' aggregate report are the only
    readers; the back office has no view of them."""
    from pathlib import Path

    from portal.models import User
    root = Path(__file__).resolve().parents[2]
    readers = {str(path.relative_to(root))
               for folder in ("portal", "blueprints")
               for path in (root / folder).rglob("*.py")
               if "EqualityResponse" in path.read_text()}
    assert readers == {"portal/models/__init__.py", "portal/models/applications.py",
                       "portal/services/applications/applying.py",
                       "portal/services/applications/monitoring.py"}
    models = {getattr(view, "model", None)
              for back_office in app.extensions["admin"] for view in back_office._views}
    assert User in models and EqualityResponse not in models
