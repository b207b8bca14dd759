"""Things waiting for people, as they meet them: an applicant's home lists every offer,
appeal and draft waiting on them, the offer gives its date to answer by, the hiring
side sees an offer not answered in time and may withdraw it, and managers and heads
list the decisions they have taken."""

import itertools
from datetime import timedelta

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.formatting import long_date
from portal.models import Application, Decision, OutboxMessage
from portal.models.base import utcnow
from portal.services import applications as service
from portal.services.opportunities import london_today
from tests.factories import make_opportunity, make_user
from tests.helpers import count_queries, persona, post_form

ANSWERS = dict(motivation="I want to learn.", evidence="Five years of GIS.",
               learning_objectives="Lead a project.", cover_plan="Colleague covers.",
               discussed_with_manager=True, has_conflict=False)
_titles = itertools.count()


def opportunity(title=None, closes_in=30):
    o = make_opportunity(persona("people-sam"), publish=True,
                         title=title or f"Opportunity {next(_titles):03d}")
    o.closing_date = london_today() + timedelta(days=closes_in)
    db.session.commit()
    return o


def submitted(o) -> Application:
    alex = persona("staff-alex")
    application = service.start_application(alex, o)
    service.save_draft(application, alex, ANSWERS)
    service.submit(application, alex)
    return application


def offered(o) -> Application:
    application = submitted(o)
    sam = persona("people-sam")
    service.decide_endorsement(application, persona("manager-priya"), support=True)
    service.decide_release(application, persona("head-david"), approve=True)
    service.shortlist(application, sam, include=True)
    service.fix_shortlist(o, sam)
    service.make_offer(application, sam, "Six months from 1 March, Band 6.")
    return application


def overdue(application: Application) -> None:
    application.offer_reply_by = london_today() - timedelta(days=1)
    db.session.commit()


def things_to_do(page):
    return page.soup.find("h2", string="Things to do").find_next(["ul", "p"])


@pytest.fixture
def alex(client, demo_data):
    client.sign_in("staff-alex")
    return client


# --- the applicant's home --------------------------------------------------------------

def test_an_offer_among_six_applications_is_waiting_with_its_date(alex):
    offer = offered(opportunity("Data steward"))  # the oldest of six
    for _ in range(5):
        submitted(opportunity())

    page = alex.page("/home")

    assert "Nothing is waiting for you" not in page.text
    links = things_to_do(page).select("a")
    assert [a.get_text(strip=True) for a in links] == [
        f"Answer the offer for Data steward by {long_date(offer.offer_reply_by)}"]
    assert links[0]["href"] == f"/applications/{offer.id}/offer"
    yours = page.soup.find("h2", string="Your secondments").find_next("ul").select("a")
    assert len(yours) == 6
    assert yours[-1].get_text(strip=True) == "And 1 more: see all 6 of your applications"
    assert yours[-1]["href"] == "/applications"


def test_a_refusal_in_time_to_appeal_and_a_draft_are_waiting(app, alex):
    refused = submitted(opportunity("Planning officer"))
    service.decide_endorsement(refused, persona("manager-priya"), support=False,
                               grounds=["cover"], rationale="No cover.")
    draft = service.start_application(persona("staff-alex"),
                                      opportunity("Flood adviser", closes_in=3))
    texts = [a.get_text(strip=True) for a in things_to_do(alex.page("/home")).select("a")]
    assert texts == [
        f"Finish your application for Flood adviser and submit it by "
        f"{long_date(draft.opportunity.closing_date)}",
        f"Your application for Planning officer was refused: you may appeal until "
        f"{long_date(service.appeal_deadline(refused))}"]

    app.config["APPEAL_DAYS"] = 0
    texts = [a.get_text(strip=True) for a in things_to_do(alex.page("/home")).select("a")]
    assert not any("Planning officer" in text for text in texts)


def test_nothing_waiting_says_so_and_what_would_be_listed(alex):
    submitted(opportunity())
    text = things_to_do(alex.page("/home")).get_text(" ", strip=True)
    assert text.startswith("Nothing is waiting for you.")
    assert "offers to answer, refusals you may appeal and applications to finish" in text


def test_things_to_do_are_bounded_with_how_many_more_in_the_same_queries(alex):
    alex_person = persona("staff-alex")
    for days in (20, 10):
        service.start_application(alex_person, opportunity(closes_in=days))
    with count_queries() as few:
        alex.page("/home")
    for days in (9, 8, 30, 7, 6, 5):
        service.start_application(alex_person, opportunity(closes_in=days))

    with count_queries() as many:
        page = alex.page("/home")

    assert len(many) == len(few)
    links = things_to_do(page).select("a")
    assert len(links) == 6
    dates = [long_date(london_today() + timedelta(days=d)) for d in (5, 6, 7, 8, 9)]
    assert [a.get_text(strip=True).rsplit(" by ", 1)[1] for a in links[:5]] == dates
    assert links[-1].get_text(strip=True) == "And 3 more: see all your applications"
    assert links[-1]["href"] == "/applications"


# --- the offer -------------------------------------------------------------------------

def test_the_offer_gives_its_date_and_can_be_answered_after_it(alex):
    application = offered(opportunity())
    page = alex.page(f"/applications/{application.id}/offer")
    assert f"Please answer by {long_date(application.offer_reply_by)}" in page.text
    assert f"by {long_date(application.offer_reply_by)}" in alex.page(
        f"/applications/{application.id}").text

    overdue(application)
    page = alex.page(f"/applications/{application.id}/offer")
    assert f"You were asked to answer by {long_date(application.offer_reply_by)}" in page.text
    assert "Answer the offer for" in things_to_do(alex.page("/home")).get_text()
    answer = post_form(alex, f"/applications/{application.id}/offer", {"answer": "accept"})
    assert answer.status_code == 302
    db.session.expire_all()
    assert db.session.get(Application, application.id).status == "accepted"


# --- the hiring side ---------------------------------------------------------------------

@pytest.fixture
def sam(make_client, demo_data):
    client = make_client()
    client.sign_in("people-sam")
    return client


def candidates_url(application) -> str:
    return f"/opportunities/{application.opportunity_id}/applications"


def test_the_offer_page_tells_the_selector_the_date_to_answer_by(sam):
    application = submitted(opportunity())
    service.decide_endorsement(application, persona("manager-priya"), support=True)
    service.decide_release(application, persona("head-david"), approve=True)
    service.shortlist(application, persona("people-sam"), include=True)
    service.fix_shortlist(application.opportunity, persona("people-sam"))
    page = sam.page(f"{candidates_url(application)}/{application.id}/offer")
    assert f"to accept or decline by {long_date(service.reply_by_for(london_today()))}" \
        in page.text


def test_an_offer_cannot_be_withdrawn_before_its_date(sam):
    application = offered(opportunity())
    url = f"{candidates_url(application)}/{application.id}/withdraw-offer"
    listing = sam.page(candidates_url(application))
    assert "Withdraw the offer" not in listing.text
    assert f"Answer asked for by {long_date(application.offer_reply_by)}" in listing.text
    page = sam.page(url)
    reason = f"The applicant has until {long_date(application.offer_reply_by)} to answer"
    assert reason in page.soup.select_one(".govuk-error-summary").text
    answer = post_form(sam, url, {})
    assert answer.status_code == 422 and reason in answer.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Application, application.id).status == "offered"


def test_an_offer_past_its_date_shows_as_such_and_can_be_withdrawn(sam):
    application = offered(opportunity())
    overdue(application)
    listing = sam.page(candidates_url(application))
    assert "Offer not answered in time" in listing.text
    url = f"{candidates_url(application)}/{application.id}/withdraw-offer"
    link = listing.soup.select_one(f'a[href="{url}"]')
    assert link.get_text(" ", strip=True) == "Withdraw the offer to Alex Morgan"
    page = sam.page(url)
    assert page.h1 == "Withdraw the offer to Alex Morgan?"

    answer = post_form(sam, url, {})

    assert answer.status_code == 302
    db.session.expire_all()
    assert db.session.get(Application, application.id).status == "unsuccessful"
    assert "Offer to Alex Morgan withdrawn" in sam.page(answer.location).text
    assert db.session.scalar(select(OutboxMessage).where(
        OutboxMessage.template == "offer_withdrawn")).recipients == persona("staff-alex").email


def test_the_applicant_cannot_withdraw_their_own_offer_as_the_hiring_side(alex):
    application = offered(opportunity())
    overdue(application)
    url = f"{candidates_url(application)}/{application.id}/withdraw-offer"
    assert alex.get(url).status_code == 403
    assert alex.post(url, data={"csrf_token": alex.csrf_token("/"),
                                "version": application.version}).status_code == 403
    db.session.expire_all()
    assert db.session.get(Application, application.id).status == "offered"


# --- decisions taken -------------------------------------------------------------------------

@pytest.fixture
def priya(make_client, demo_data):
    client = make_client()
    client.sign_in("manager-priya")
    return client


def decided_by_priya(count: int) -> list[Decision]:
    priya = persona("manager-priya")
    o = opportunity()
    decisions = []
    for n in range(count):
        applicant = make_user(f"Report {next(_titles):03d}", line_manager=priya)
        application = Application(reference=f"SEC-2026-8{next(_titles):04d}", opportunity=o,
                                  applicant=applicant, status="endorsed",
                                  line_manager_id=priya.id, submitted_at=utcnow())
        decision = Decision(application=application, stage="line_manager",
                            outcome="supported", decided_by_id=priya.id,
                            decided_at=utcnow() + timedelta(minutes=n))
        db.session.add(decision)
        decisions.append(decision)
    db.session.commit()
    return decisions


def test_a_manager_lists_the_decisions_they_took_from_the_decisions_page(priya):
    decisions = decided_by_priya(2)
    link = priya.page("/decisions").soup.find("a", string="Decisions you have taken")
    assert link["href"] == "/decisions/taken"
    page = priya.page("/decisions/taken")
    assert page.h1 == "Decisions you have taken"
    results = page.select(".portal-result")
    newest = decisions[-1]
    assert newest.application.reference in results[0].text
    assert "Line manager's endorsement: supported" in results[0].text
    assert results[0].select_one("a")["href"] == f"/applications/{newest.application_id}"
    assert priya.page(results[0].select_one("a")["href"]).h1


def test_the_decisions_taken_are_paged_in_the_same_queries(priya):
    decided_by_priya(2)
    with count_queries() as few:
        priya.page("/decisions/taken")
    decided_by_priya(30)
    with count_queries() as many:
        page = priya.page("/decisions/taken")
    assert len(many) == len(few)
    assert len(page.select(".portal-result")) == 25
    assert "32 decisions on applications" in page.text
    assert page.soup.select_one(".govuk-pagination__next a")["href"] == \
        "/decisions/taken?page=2"
    assert len(priya.page("/decisions/taken?page=2").select(".portal-result")) == 7


def test_no_decisions_taken_says_so(priya):
    assert "You have not decided on any applications yet" in priya.page(
        "/decisions/taken").text


def test_someone_who_decides_nothing_is_refused_the_list(alex):
    assert alex.get("/decisions/taken").status_code == 403
