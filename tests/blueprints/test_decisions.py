"""Decisions in writing (R5): the line manager's endorsement, the head of department's
release, the decision letters and their e-mails, appeals, who may do which, and two
people acting on one application at once."""

import itertools
import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from sqlalchemy import func, select

from portal.extensions import db
from portal.formatting import long_date
from portal.models import Application, AuditEvent, Decision
from portal.models.applications import REFUSAL_GROUNDS
from portal.models.base import utcnow
from portal.services import applications
from tests.factories import make_opportunity, make_user
from tests.helpers import count_queries, persona, post_form
from tests.smtp import smtp_server  # noqa: F401

ANSWERS = dict(motivation="I want to learn how a national park plans land use.",
               evidence="Five years of GIS work on the local plan.",
               learning_objectives="Lead a consultation from start to finish.",
               cover_plan="Jordan covers my casework; the plan review moves to May.",
               discussed_with_manager=True, has_conflict=False)
REFUSAL = {"decision": "refuse", "confirm": "yes", "grounds": ["skills", "cover"],
           "rationale": "The local plan examination is in March and nobody else can lead it."}



def submitted_application(applicant_subject="staff-alex", **answers) -> Application:
    """An application submitted through the service, as the applicant's pages would."""
    applicant = persona(applicant_subject)
    opportunity = make_opportunity(persona("people-sam"), publish=True)
    application = applications.start_application(applicant, opportunity)
    applications.save_draft(application, applicant, ANSWERS | answers)
    applications.submit(application, applicant)
    return application


def refused_and_appealed(application) -> Decision:
    refusal = applications.decide_endorsement(
        application, persona("manager-priya"), support=False, grounds=["impact"],
        rationale="The team is two people short this quarter.")
    applications.lodge_appeal(application, persona("staff-alex"),
                              "Cover was agreed with Jordan; the shortage ends in April.")
    return refusal



def fresh(application) -> Application:
    """The application as the database has it now (the pages changed it, not this session)."""
    return db.session.get(Application, application.id, populate_existing=True)


def decisions_on(application) -> list[Decision]:
    return list(db.session.scalars(
        select(Decision).where(Decision.application_id == application.id)
        .order_by(Decision.id).execution_options(populate_existing=True)))


def letter_link(html: str) -> str:
    return re.search(r'href="(/decision-letters/\d+)"', html)[1]


@pytest.fixture
def people(demo_data):
    """The personas, held for the whole test.

    Held because of a fault in portal/models/people.py: its "expire" listener is handed
    None for a User that is freed while a commit expires the session (SQLAlchemy passes
    the dead object's target), and fails on it. Remove this once the listener allows
    for None."""
    return {s: persona(s) for s in ("staff-alex", "manager-priya", "head-david",
                                    "people-sam", "board-george", "legal-ruth")}


@pytest.fixture
def applied(people):
    return submitted_application()


@pytest.fixture
def as_priya(client, people):
    client.sign_in("manager-priya")
    return client


def signed_in(make_client, subject):
    other = make_client()
    other.sign_in(subject)
    return other


# --- endorsement and release ----------------------------------------------------------

def test_line_manager_supports_then_head_approves_the_release(as_priya, make_client, applied):
    todo = as_priya.page("/decisions")
    assert todo.h1 == "Applications to decide"
    assert "Alex Morgan" in todo.text and applied.reference in todo.text

    page = as_priya.page(f"/decisions/{applied.id}")
    for answer in ("national park plans land use", "Five years of GIS",
                   "Lead a consultation", "Jordan covers my casework"):
        assert answer in page.text
    assert "Do you support this application?" in page.text
    assert {i["value"] for i in page.select("input[name=grounds]")} == set(REFUSAL_GROUNDS)

    answer = post_form(as_priya, f"/decisions/{applied.id}",
                       {"decision": "approve", "confirm": "yes", "rationale": ""})
    assert answer.status_code == 200
    assert "Application supported" in answer.get_data(as_text=True)
    assert fresh(applied).status == "endorsed"
    assert "Alex Morgan" not in as_priya.page("/decisions").text

    david = signed_in(make_client, "head-david")
    page = david.page(f"/decisions/{applied.id}")
    assert "Do you approve the release?" in page.text
    assert "Line manager's endorsement: supported by Priya Shah" in page.text
    answer = post_form(david, f"/decisions/{applied.id}", {"decision": "approve", "confirm": "yes"})
    assert answer.status_code == 200
    assert "Release approved" in answer.get_data(as_text=True)

    assert fresh(applied).status == "released"
    assert [(d.stage, d.outcome, d.decided_by.name) for d in decisions_on(applied)] == [
        ("line_manager", "supported", "Priya Shah"),
        ("head_of_department", "approved", "David Okafor")]


def test_head_refuses_the_release_with_grounds(as_priya, make_client, applied):
    applications.decide_endorsement(applied, persona("manager-priya"), support=True)
    david = signed_in(make_client, "head-david")
    answer = post_form(david, f"/decisions/{applied.id}",
                       {**REFUSAL, "grounds": ["impact"], "rationale": "Two vacancies."})
    assert "Application refused" in answer.get_data(as_text=True)
    application = fresh(applied)
    assert application.status == "refused" and application.refused_at_stage == "head_of_department"


def test_a_refusal_without_grounds_or_reasons_is_shown_at_the_fields_and_nothing_is_saved(
        as_priya, applied):
    events = db.session.scalar(select(func.count(AuditEvent.id)))

    answer = post_form(as_priya, f"/decisions/{applied.id}",
                       {"decision": "refuse", "rationale": "  "})

    assert answer.status_code == 200
    html = answer.get_data(as_text=True)
    assert "<title>Error: " in html
    assert 'href="#grounds"' in html and 'href="#rationale"' in html
    assert "Select at least one reason for refusing" in html
    assert "Explain the reasons for refusing" in html
    assert fresh(applied).status == "submitted"
    assert decisions_on(applied) == []
    assert db.session.scalar(select(func.count(AuditEvent.id))) == events


def test_a_decision_must_be_chosen(as_priya, applied):
    answer = post_form(as_priya, f"/decisions/{applied.id}", {"rationale": "Hmm"})
    assert "Select whether you support or refuse the application" in answer.get_data(
        as_text=True)
    assert fresh(applied).status == "submitted"


def test_grounds_outside_the_policy_are_refused(as_priya, applied):
    answer = post_form(as_priya, f"/decisions/{applied.id}",
                       {**REFUSAL, "grounds": ["attitude"]})
    assert answer.status_code == 200
    assert fresh(applied).status == "submitted" and decisions_on(applied) == []


def test_the_decide_page_never_shows_equality_answers(as_priya, applied):
    applications.record_equality_answers(applied, persona("staff-alex"),
                                         {"religion": "Zoroastrian", "sex": "Intersex-x"})
    page = as_priya.page(f"/decisions/{applied.id}")
    assert "Zoroastrian" not in page.text and "Intersex-x" not in page.text


# --- the decision letter ----------------------------------------------------------------

def test_the_refusal_letter_says_what_who_when_why_and_how_to_appeal(as_priya, make_client,
                                                                     applied, app):
    answer = post_form(as_priya, f"/decisions/{applied.id}", REFUSAL)
    assert "Application refused" in answer.get_data(as_text=True)
    link = letter_link(answer.get_data(as_text=True))
    application = fresh(applied)
    assert application.status == "refused" and application.refused_at_stage == "line_manager"

    alex = signed_in(make_client, "staff-alex")
    letter = alex.page(link)
    assert letter.h1 == "Your line manager has not supported your application"
    assert application.reference in letter.text and application.opportunity.title in letter.text
    for ground in ("Does not have the prerequisite knowledge and skills",
                   "The department cannot recruit, replace or reorganise the work"):
        assert ground in letter.text
    assert REFUSAL_GROUNDS["impact"] not in letter.text
    assert "nobody else can lead it" in letter.text
    assert "Priya Shah, line manager" in letter.text
    assert long_date(utcnow()) in letter.text
    days = app.config["APPEAL_DAYS"]
    assert f"appeal within {days} days" in letter.text
    assert letter.soup.find("a", href=re.compile(rf"/applications/{applied.id}/appeal$"))
    assert "grievance" in letter.text


def test_the_letter_prints_as_a_letter(as_priya, applied):
    decision = applications.decide_endorsement(applied, persona("manager-priya"),
                                               support=False, grounds=["procedure"],
                                               rationale="Formal stage until June.")
    letter = as_priya.page(f"/decision-letters/{decision.id}")

    css = (Path(__file__).parents[2] / "portal" / "static" / "portal.css").read_text()
    print_rules = " ".join(re.findall(r"@media print\s*{(.*?)\n}", css, re.S))
    assert ".govuk-template__header" in print_rules and ".portal-no-print" in print_rules
    # The navigation sits in the header, which does not print; nor do the back link and
    # the instructions, which carry the class.
    nav = letter.soup.select_one(".govuk-service-navigation")
    assert nav is not None and nav.find_parent(class_="govuk-template__header")
    for back in letter.select(".govuk-back-link"):
        assert "portal-no-print" in back["class"]
    assert letter.select("link[href$='portal.css']")
    assert letter.select("article.portal-letter")


@pytest.mark.parametrize(("subject", "status"), [
    ("staff-alex", 200),      # the applicant
    ("manager-priya", 200),   # who decided
    ("head-david", 200),      # another decider of the application
    ("people-sam", 200),      # People Services
    ("board-george", 404),
    ("legal-ruth", 404),
    ("host-maria", 403),
])
def test_who_may_read_a_letter(client, applied, subject, status):
    decision = applications.decide_endorsement(applied, persona("manager-priya"),
                                               support=False, grounds=["impact"],
                                               rationale="Busy.")
    client.sign_in(subject)
    assert client.get(f"/decision-letters/{decision.id}").status_code == status


def test_the_hiring_side_never_reads_the_letters(client, applied):
    """Released applications reach the opportunity's contact; the letters stay with the
    people they concern."""
    priya, david = persona("manager-priya"), persona("head-david")
    support = applications.decide_endorsement(applied, priya, support=True)
    applications.decide_release(applied, david, approve=True)
    george = persona("board-george")
    applied.opportunity.contact_id = george.id
    db.session.commit()
    client.sign_in("board-george")
    assert client.get(f"/decision-letters/{support.id}").status_code == 404
    assert client.get("/decision-letters/999999").status_code == 404


# --- e-mail, through a real SMTP server -----------------------------------------------------

def test_submission_and_support_are_e_mailed(smtp_server, as_priya, applied):  # noqa: F811
    to_priya = smtp_server.to("priya.shah@example.org")
    assert len(to_priya) == 1
    assert to_priya[0].subject == ("Please decide: Alex Morgan's application for "
                                   f"{applied.opportunity.title}")
    assert f"/decisions/{applied.id}" in to_priya[0].body
    smtp_server.clear()

    post_form(as_priya, f"/decisions/{applied.id}", {"decision": "approve", "confirm": "yes"})

    to_david = smtp_server.to("david.okafor@example.org")
    assert [m.subject for m in to_david] == [
        f"Please decide: release of Alex Morgan ({applied.reference})"]
    assert f"/decisions/{applied.id}" in to_david[0].body
    assert smtp_server.subjects("alex.morgan@example.org") == [
        f"Decision on {applied.reference}: supported"]
    assert smtp_server.to("people.services@example.org") == []


def test_a_refusal_is_e_mailed_to_the_applicant_and_people_services(smtp_server, app,  # noqa: F811
                                                                    as_priya, applied):
    smtp_server.clear()
    post_form(as_priya, f"/decisions/{applied.id}", REFUSAL)

    people_services = app.config["PEOPLE_SERVICES_EMAIL"]
    for address in ("alex.morgan@example.org", people_services):
        [message] = smtp_server.to(address)
        assert message.subject == f"Decision on {applied.reference}: refused"
        assert "Does not have the prerequisite knowledge and skills" in message.body
        assert "nobody else can lead it" in message.body
        assert "Decided by Priya Shah" in message.body
        assert f"/applications/{applied.id}/appeal" in message.body
        assert "/decision-letters/" in message.body
    assert smtp_server.to("david.okafor@example.org") == []


def test_an_appeal_decision_is_e_mailed(smtp_server, make_client, applied):  # noqa: F811
    refused_and_appealed(applied)
    smtp_server.clear()
    sam = signed_in(make_client, "people-sam")
    post_form(sam, f"/appeals/{applied.id}",
              {"decision": "overturn", "confirm": "yes",
               "rationale": "Cover was agreed in writing."})
    assert smtp_server.subjects("alex.morgan@example.org") == [
        f"Decision on {applied.reference}: appeal decided: the refusal is overturned"]
    assert smtp_server.to("people.services@example.org")
    assert smtp_server.subjects("david.okafor@example.org") == [
        f"Please decide: release for {applied.reference}"]


# --- appeals ------------------------------------------------------------------------------

def test_overturned_appeals_reopen_where_the_refusal_stopped(make_client, applied):
    refused_and_appealed(applied)
    sam = signed_in(make_client, "people-sam")
    listing = sam.page("/appeals")
    assert applied.reference in listing.text

    page = sam.page(f"/appeals/{applied.id}")
    assert "the shortage ends in April" in page.text          # the appeal
    assert "two people short this quarter" in page.text        # the refusal
    assert REFUSAL_GROUNDS["impact"] in page.text

    answer = post_form(sam, f"/appeals/{applied.id}", {"decision": "overturn", "confirm": "yes",
                                                       "rationale": "Cover was agreed."})
    assert "Refusal overturned" in answer.get_data(as_text=True)
    assert fresh(applied).status == "endorsed"        # on to the head of department
    assert applied.reference not in sam.page("/appeals").text

    # The head refuses the release; a second appeal, overturned, releases.
    applications.decide_release(fresh(applied), persona("head-david"), approve=False,
                                grounds=["cover"], rationale="No cover found.")
    applications.lodge_appeal(fresh(applied), persona("staff-alex"), "Jordan covers.")
    answer = post_form(sam, f"/appeals/{applied.id}", {"decision": "overturn", "confirm": "yes",
                                                       "rationale": "Jordan covers."})
    assert answer.status_code == 200
    assert fresh(applied).status == "released"
    alex = signed_in(make_client, "staff-alex")
    letter = alex.page(letter_link(answer.get_data(as_text=True)))
    assert "Your appeal succeeds" in letter.h1 and "your release is approved" in letter.text


def test_a_confirmed_refusal_is_written_and_final(make_client, applied):
    refused_and_appealed(applied)
    sam = signed_in(make_client, "people-sam")

    missing = post_form(sam, f"/appeals/{applied.id}", {"decision": "confirm", "confirm": "yes"})
    assert "Explain the reasons for the appeal decision" in missing.get_data(as_text=True)
    assert fresh(applied).status == "appealed"

    answer = post_form(sam, f"/appeals/{applied.id}",
                       {"decision": "confirm", "confirm": "yes",
                        "rationale": "The shortage is real."})
    assert "Refusal confirmed" in answer.get_data(as_text=True)
    assert fresh(applied).status == "refused"
    [*_, outcome] = decisions_on(applied)
    assert (outcome.stage, outcome.outcome, outcome.decided_by.name) == (
        "appeal", "upheld", "Sam Whitfield")

    alex = signed_in(make_client, "staff-alex")
    letter = alex.page(f"/decision-letters/{outcome.id}")
    assert letter.h1 == "Your appeal does not succeed: the refusal stands"
    assert "The shortage is real." in letter.text
    assert "Sam Whitfield, People Services" in letter.text
    assert "final within the secondments process" in letter.text
    # The decided appeal shows its outcome, not a form.
    page = sam.page(f"/appeals/{applied.id}")
    assert "the refusal was confirmed" in page.text and not page.select("form input[name=decision]")


def test_the_officer_who_refused_cannot_decide_the_appeal(client, people):
    sam, alex = persona("people-sam"), persona("staff-alex")
    alex.line_manager = sam
    db.session.commit()
    application = submitted_application()
    assert application.line_manager_id == sam.id
    applications.decide_endorsement(application, sam, support=False, grounds=["skills"],
                                    rationale="Not yet.")
    applications.lodge_appeal(application, alex, "I have the skills.")

    client.sign_in("people-sam")
    assert application.reference not in client.page("/appeals").text
    assert client.get(f"/appeals/{application.id}").status_code == 403
    token = client.csrf_token("/appeals")
    answer = client.post(f"/appeals/{application.id}",
                         data={"csrf_token": token, "version": str(application.version),
                               "decision": "overturn", "rationale": "Mine to undo."})
    assert answer.status_code == 403
    assert fresh(application).status == "appealed"


# --- who may do what -------------------------------------------------------------------------

def test_a_manager_sees_only_their_own_reports_applications(client, applied):
    george = persona("board-george")
    report = make_user("Gwen Report", line_manager=george)   # George now manages someone
    assert report.line_manager_id == george.id
    client.sign_in("board-george")

    assert "Alex Morgan" not in client.page("/decisions").text
    assert client.get(f"/decisions/{applied.id}").status_code == 404
    token = client.csrf_token("/decisions")
    answer = client.post(f"/decisions/{applied.id}",
                         data={"csrf_token": token, "version": str(applied.version),
                               "decision": "approve"})
    assert answer.status_code == 404
    assert fresh(applied).status == "submitted"


def test_the_head_cannot_decide_at_the_line_managers_stage(client, applied):
    client.sign_in("head-david")
    assert "Alex Morgan" not in client.page("/decisions").text
    answer = client.get(f"/decisions/{applied.id}", follow_redirects=True)
    assert answer.request.path == "/decisions"
    assert f"There is nothing for you to decide on {applied.reference} now" in answer.get_data(
        as_text=True)
    token = client.csrf_token("/decisions")
    answer = client.post(f"/decisions/{applied.id}",
                         data={"csrf_token": token, "version": str(applied.version),
                               "decision": "approve"})
    assert answer.status_code == 403
    assert fresh(applied).status == "submitted" and decisions_on(applied) == []


def test_nobody_decides_their_own_application(client, people):
    own = submitted_application("manager-priya")     # Priya applies; David manages her
    assert own.line_manager_id == persona("head-david").id
    client.sign_in("manager-priya")
    assert own.reference not in client.page("/decisions").text
    assert client.get(f"/decisions/{own.id}").status_code == 403
    token = client.csrf_token("/decisions")
    answer = client.post(f"/decisions/{own.id}",
                         data={"csrf_token": token, "version": str(own.version),
                               "decision": "approve"})
    assert answer.status_code == 403
    assert fresh(own).status == "submitted"


# --- two people at once -----------------------------------------------------------------------

def test_two_tabs_deciding_at_once_the_second_is_told_and_the_first_stands(as_priya,
                                                                           make_client,
                                                                           applied):
    second = signed_in(make_client, "manager-priya")
    url = f"/decisions/{applied.id}"
    first_page, second_page = as_priya.page(url), second.page(url)

    def form_of(page, data):
        return {"csrf_token": page.soup.find("input", {"name": "csrf_token"})["value"],
                "version": page.soup.find("input", {"name": "version"})["value"], **data}

    assert as_priya.post(url, data=form_of(first_page, {"decision": "approve", "confirm": "yes"})
                         ).status_code == 200
    answer = second.post(url, data=form_of(second_page, REFUSAL))

    assert answer.status_code == 409
    html = answer.get_data(as_text=True)
    assert "This application changed while you were looking at it" in html
    assert "nobody else can lead it" in html          # what they wrote is given back
    assert fresh(applied).status == "endorsed"
    assert [d.outcome for d in decisions_on(applied)] == ["supported"]


def test_a_withdrawal_while_the_manager_is_looking_wins(as_priya, applied):
    url = f"/decisions/{applied.id}"
    page = as_priya.page(url)
    applications.withdraw(applied, persona("staff-alex"), reason="Found another role")

    answer = as_priya.post(url, data={
        "csrf_token": page.soup.find("input", {"name": "csrf_token"})["value"],
        "version": page.soup.find("input", {"name": "version"})["value"], **REFUSAL})

    assert answer.status_code == 409
    assert "This application changed while you were looking at it" in answer.get_data(
        as_text=True)
    assert fresh(applied).status == "withdrawn" and decisions_on(applied) == []


def test_two_officers_deciding_one_appeal_the_second_is_told(make_client, applied):
    refused_and_appealed(applied)
    first, second = signed_in(make_client, "people-sam"), signed_in(make_client, "people-sam")
    url = f"/appeals/{applied.id}"
    first_page, second_page = first.page(url), second.page(url)

    def form_of(page, data):
        return {"csrf_token": page.soup.find("input", {"name": "csrf_token"})["value"],
                "version": page.soup.find("input", {"name": "version"})["value"], **data}

    assert first.post(url, data=form_of(first_page, {"decision": "overturn", "confirm": "yes",
                                                     "rationale": "Agreed."})
                      ).status_code == 200
    answer = second.post(url, data=form_of(second_page, {"decision": "confirm", "confirm": "yes",
                                                         "rationale": "Not agreed."}))
    assert answer.status_code == 409
    assert fresh(applied).status == "endorsed"
    assert [d.outcome for d in decisions_on(applied)] == ["refused", "overturned"]


@pytest.mark.parametrize("version", [None, "", "abc", "1e9"])
def test_a_post_without_its_version_is_treated_as_out_of_date(as_priya, applied, version):
    data = {"csrf_token": as_priya.csrf_token(f"/decisions/{applied.id}"), **REFUSAL}
    if version is not None:
        data["version"] = version
    answer = as_priya.post(f"/decisions/{applied.id}", data=data)
    assert answer.status_code == 409
    assert fresh(applied).status == "submitted" and decisions_on(applied) == []


# --- a manager with many reports -------------------------------------------------------

_references = itertools.count()


def waiting_on_priya(count: int) -> list[str]:
    """`count` applications from Priya's reports, each waiting for her endorsement,
    the longest waiting first; their names."""
    priya = persona("manager-priya")
    opportunity = make_opportunity(persona("people-sam"), publish=True)
    names = []
    for _ in range(count):
        n = next(_references)
        applicant = make_user(f"Report {n:03d}", line_manager=priya)
        db.session.add(Application(
            reference=f"SEC-2026-9{n:04d}", opportunity=opportunity, applicant=applicant,
            status="submitted", line_manager_id=priya.id, submitted_at=utcnow()))
        names.append(applicant.name)
    db.session.commit()
    return names


def test_a_manager_with_many_reports_gets_them_a_page_at_a_time(as_priya):
    waiting_on_priya(3)
    with count_queries() as few:
        as_priya.page("/decisions")
    waiting_on_priya(57)
    with count_queries() as many:
        page = as_priya.page("/decisions")

    assert len(many) == len(few)
    assert len(page.select(".portal-result")) == 25
    assert "60 applications are waiting for your decision" in page.text
    assert page.soup.select_one(".govuk-pagination__next a")["href"] == "/decisions?page=2"
    last = as_priya.page("/decisions?page=3")
    assert len(last.select(".portal-result")) == 10


def test_home_lists_the_longest_waiting_decisions_and_links_to_the_rest(as_priya):
    names = waiting_on_priya(2)
    with count_queries() as few:
        as_priya.page("/home")
    names += waiting_on_priya(10)

    with count_queries() as many:
        home = as_priya.page("/home")

    assert len(many) == len(few)
    things = home.soup.find("h2", string="Things to do").find_next("ul")

    links = [a.get_text(strip=True) for a in things.select("a")]
    assert len(links) == 6
    assert [link.split("'")[0] for link in links[:5]] == [
        f"Please endorse {name}" for name in names[:5]]
    assert links[-1] == "And 7 more: see all 12 applications waiting for your decision"
    assert things.select("a")[-1]["href"] == "/decisions"


# --- the form, the answers to check, the letter -------------------------------------------

def check_page_fields(html: str) -> dict:
    """What the check page posts on: its hidden answers, by name (grounds as a list)."""
    form = BeautifulSoup(html, "html.parser").find("form", id="decision-answers")
    fields: dict = {}
    for field in form.find_all("input"):
        if field["name"] == "grounds":
            fields.setdefault("grounds", []).append(field["value"])
        else:
            fields[field["name"]] = field["value"]
    return fields


def test_the_refusal_questions_are_revealed_under_no_and_the_comments_under_yes(as_priya,
                                                                               applied):
    page = as_priya.page(f"/decisions/{applied.id}")
    refuse = page.soup.find("input", {"name": "decision", "value": "refuse"})
    support = page.soup.find("input", {"name": "decision", "value": "approve"})
    under_no = page.soup.find(id=refuse["data-aria-controls"])
    under_yes = page.soup.find(id=support["data-aria-controls"])
    assert {i["value"] for i in under_no.select("input[name=grounds]")} == set(REFUSAL_GROUNDS)
    assert under_no.find("textarea", {"name": "rationale"}) is not None
    assert under_yes.find("textarea", {"name": "comments"}) is not None
    assert under_yes.find("input", {"name": "grounds"}) is None
    # The character count: without JavaScript its hint still gives the limit.
    assert "You can enter up to 6000 characters" in under_no.get_text()


def test_grounds_ticked_with_yes_are_refused_with_what_to_change(as_priya, applied):
    events = db.session.scalar(select(func.count(AuditEvent.id)))
    answer = post_form(as_priya, f"/decisions/{applied.id}", {
        "decision": "approve", "grounds": ["skills"], "rationale": "Not ready.",
        "confirm": "yes"})
    html = answer.get_data(as_text=True)
    assert answer.status_code == 200 and "<title>Error: " in html
    assert "You chose yes: untick the grounds for refusing, or choose no to refuse" in html
    assert "You chose yes: delete your reasons for refusing, or choose no to refuse" in html
    # Shown outside the reveal under "No", so the person sees what to remove.
    refuse = BeautifulSoup(html, "html.parser").find(
        "input", {"name": "decision", "value": "refuse"})
    assert refuse.get("data-aria-controls") is None
    assert BeautifulSoup(html, "html.parser").select("input[name=grounds][checked]")
    assert fresh(applied).status == "submitted" and decisions_on(applied) == []
    assert db.session.scalar(select(func.count(AuditEvent.id))) == events


def test_comments_written_under_yes_are_refused_with_a_refusal(as_priya, applied):
    answer = post_form(as_priya, f"/decisions/{applied.id}",
                       {**REFUSAL, "comments": "Well done."})
    assert "You chose no: put what you want to say in your reasons for refusing" in (
        answer.get_data(as_text=True))
    assert decisions_on(applied) == []


def test_every_problem_with_a_decision_is_shown_at_once(as_priya, applied):
    answer = post_form(as_priya, f"/decisions/{applied.id}",
                       {"decision": "refuse", "comments": "x"})
    page = BeautifulSoup(answer.get_data(as_text=True), "html.parser")
    summary = [a["href"] for a in page.select(".govuk-error-summary__list a")]
    assert summary == ["#grounds", "#rationale", "#comments"]


def test_a_refusal_is_checked_changed_and_then_sent(as_priya, applied, caplog):
    url = f"/decisions/{applied.id}"
    first = post_form(as_priya, url, {k: v for k, v in REFUSAL.items() if k != "confirm"})
    html = first.get_data(as_text=True)
    assert first.status_code == 200
    assert "Check your decision before sending it" in html
    assert "No, I refuse it" in html and REFUSAL_GROUNDS["skills"] in html
    assert "nobody else can lead it" in html
    assert fresh(applied).status == "submitted" and decisions_on(applied) == []

    carried = check_page_fields(html)
    assert carried["decision"] == "refuse" and carried["grounds"] == ["skills", "cover"]
    assert carried["version"] == str(fresh(applied).version)

    back = as_priya.post(url, data=carried | {"change": "rationale"})
    form = BeautifulSoup(back.get_data(as_text=True), "html.parser")
    assert "<title>Error" not in back.get_data(as_text=True)
    assert "nobody else can lead it" in form.find("textarea", {"name": "rationale"}).text
    assert {i["value"] for i in form.select("input[name=grounds][checked]")} == {"skills",
                                                                                 "cover"}
    assert decisions_on(applied) == []

    rewritten = carried | {"rationale": "The examination is in March.\r\nNobody else can."}
    checked = as_priya.post(url, data=rewritten)
    assert "Nobody else can." in checked.get_data(as_text=True)
    sent = as_priya.post(url, data=check_page_fields(checked.get_data(as_text=True))
                         | {"confirm": "yes"})
    assert "Application refused" in sent.get_data(as_text=True)
    [decision] = decisions_on(applied)
    assert decision.rationale == "The examination is in March.\r\nNobody else can."


def test_a_decision_checked_after_someone_else_acted_is_not_sent(as_priya, applied):
    url = f"/decisions/{applied.id}"
    checked = post_form(as_priya, url, {"decision": "approve", "comments": "Go well."})
    applications.withdraw(applied, persona("staff-alex"), reason="Found another role")

    answer = as_priya.post(url, data=check_page_fields(checked.get_data(as_text=True))
                           | {"confirm": "yes"})

    assert answer.status_code == 409
    assert "Go well." in answer.get_data(as_text=True)
    assert fresh(applied).status == "withdrawn" and decisions_on(applied) == []


def test_a_yes_carries_its_comments_into_the_letter(as_priya, applied):
    url = f"/decisions/{applied.id}"
    checked = post_form(as_priya, url, {"decision": "approve", "comments": "Go well."})
    as_priya.post(url, data=check_page_fields(checked.get_data(as_text=True))
                  | {"confirm": "yes"})
    [decision] = decisions_on(applied)
    assert (decision.outcome, decision.grounds, decision.rationale) == ("supported", "",
                                                                        "Go well.")
    assert "Go well." in decision.letter.text


def test_an_appeal_decision_is_checked_before_its_letter_goes(make_client, applied):
    refused_and_appealed(applied)
    sam = signed_in(make_client, "people-sam")
    url = f"/appeals/{applied.id}"
    checked = post_form(sam, url, {"decision": "confirm", "rationale": "The shortage is real."})
    html = checked.get_data(as_text=True)
    assert "Check your decision before sending it" in html
    assert "Confirm the refusal" in html and "The shortage is real." in html
    assert fresh(applied).status == "appealed"
    assert [d.outcome for d in decisions_on(applied)] == ["refused"]

    back = sam.post(url, data=check_page_fields(html) | {"change": "rationale"})
    assert "The shortage is real." in BeautifulSoup(back.get_data(as_text=True),
                                                    "html.parser").find(
        "textarea", {"name": "rationale"}).text

    sent = sam.post(url, data=check_page_fields(html) | {"confirm": "yes"})
    assert "Refusal confirmed" in sent.get_data(as_text=True)
    assert [d.outcome for d in decisions_on(applied)] == ["refused", "upheld"]
