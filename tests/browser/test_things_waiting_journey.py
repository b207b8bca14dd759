"""Things waiting for people, in a real browser through real sign-ins: an applicant finds
their offer on the home page with the date to answer by; the hiring side sees it not
answered in time and withdraws it; the line manager finds the decision they took. axe-core's
WCAG 2.2 AA rules run on every page."""

import uuid
from datetime import timedelta

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from portal.demo import persona
from portal.extensions import db
from portal.formatting import long_date
from portal.models import Application, User
from portal.services import applications as service
from portal.services.opportunities import london_today
from tests.browser.conftest import AxeAudit, sign_in_with_mock
from tests.factories import make_opportunity

pytestmark = pytest.mark.browser

ALEX = "Alex Morgan"
ANSWERS = dict(motivation="I advise on planning data every day.",
               evidence="I wrote the department's privacy notices.",
               learning_objectives="How records are kept across the council.",
               cover_plan="A Band 5 officer acts up.", discussed_with_manager=True,
               has_conflict=False)


@pytest.fixture
def signed_in(new_context, live_portal):
    def sign_in(subject: str):
        page = new_context(bypass_csp=True).new_page()
        sign_in_with_mock(page, live_portal, subject)
        return page
    return sign_in


def _person(subject: str) -> User:
    return db.session.scalar(select(User).where(User.email == persona(subject).email))


def offer_to_alex(live_portal, title: str) -> tuple[int, int, str]:
    """Alex's application for a new opportunity of Sam's, supported by Priya, released
    by David and offered by Sam, through the services; asked to be answered by today,
    so that it comes first among the things waiting on Alex."""
    with live_portal.app.app_context():
        sam, alex = _person("people-sam"), _person("staff-alex")
        opportunity = make_opportunity(sam, publish=True, title=title)
        application = service.start_application(alex, opportunity)
        service.save_draft(application, alex, ANSWERS)
        service.submit(application, alex)
        service.decide_endorsement(application, _person("manager-priya"), support=True)
        service.decide_release(application, _person("head-david"), approve=True)
        service.shortlist(application, sam, include=True)
        service.fix_shortlist(opportunity, sam)
        service.make_offer(application, sam, "Six months from 1 September, full time.")
        application.offer_reply_by = london_today()
        db.session.commit()
        ids = (opportunity.id, application.id, application.reference)
        db.session.remove()
    return ids


def make_overdue(live_portal, application_id: int) -> None:
    with live_portal.app.app_context():
        application = db.session.get(Application, application_id)
        application.offer_reply_by = london_today() - timedelta(days=1)
        db.session.commit()
        db.session.remove()


def heading(page):
    return page.get_by_role("heading", level=1)


def things_to_do(page):
    return page.get_by_role("heading", name="Things to do").locator(
        "xpath=following-sibling::*[1]")


def test_an_offer_waits_on_home_until_answered_or_withdrawn(signed_in, live_portal):
    axe = AxeAudit()
    title = f"Records adviser {uuid.uuid4().hex[:8]}"
    opportunity_id, application_id, reference = offer_to_alex(live_portal, title)
    today = long_date(london_today())

    # --- Alex finds the offer on his home page, with the date to answer by --------------
    alex = signed_in("staff-alex")
    alex.goto(live_portal("/home"))
    offer_link = things_to_do(alex).get_by_role(
        "link", name=f"Answer the offer for {title} by {today}")
    expect(offer_link).to_be_visible()
    axe(alex, "home (an offer to answer)")
    offer_link.click()
    expect(heading(alex)).to_have_text("You have been offered this secondment")
    expect(alex.locator("main")).to_contain_text(f"Please answer by {today}")
    axe(alex, "answer the offer (in time)")

    # --- the date passes: Sam sees it, and withdraws it -------------------------------------
    make_overdue(live_portal, application_id)
    alex.reload()
    expect(alex.locator(".govuk-warning-text")).to_contain_text("You were asked to answer by")
    axe(alex, "answer the offer (date passed)")

    sam = signed_in("people-sam")
    sam.goto(live_portal(f"/opportunities/{opportunity_id}/applications"))
    card = sam.locator(".govuk-summary-card", has=sam.get_by_role("heading", name=ALEX))
    expect(card.locator(".govuk-tag")).to_have_text("Offer not answered in time")
    axe(sam, "applications (offer not answered in time)")
    card.get_by_role("link", name=f"Withdraw the offer to {ALEX}").click()
    expect(heading(sam)).to_have_text(f"Withdraw the offer to {ALEX}?")
    axe(sam, "withdraw the offer")
    sam.get_by_role("button", name="Withdraw the offer").click()
    expect(sam.locator(".govuk-notification-banner")).to_contain_text(
        f"Offer to {ALEX} withdrawn")
    expect(card.locator(".govuk-tag")).to_have_text("Unsuccessful")

    # --- it no longer waits on Alex --------------------------------------------------------
    alex.goto(live_portal("/home"))
    expect(alex.locator("main")).to_contain_text("Your secondments")
    expect(things_to_do(alex)).not_to_contain_text(title)

    # --- Priya finds the decision she took ----------------------------------------------------
    priya = signed_in("manager-priya")
    priya.get_by_role("navigation", name="Main menu").get_by_role(
        "link", name="Decisions").click()
    priya.get_by_role("link", name="Decisions you have taken").click()
    expect(heading(priya)).to_have_text("Decisions you have taken")
    taken = priya.locator(".portal-result").filter(has_text=reference)
    expect(taken).to_contain_text("Line manager's endorsement: supported")
    axe(priya, "decisions you have taken")
    taken.get_by_role("link", name=f"{ALEX}: {title}").click()
    expect(priya.locator("main")).to_contain_text(reference)

    axe.assert_clean()
