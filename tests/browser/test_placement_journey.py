"""A placement in a real browser, through real sign-ins (issue 11): People Services set
it up from an accepted offer and invite the host organisation's contact; the contact
signs in through the partner provider with the invitation, confirms the details and
names the host manager; legal ratify the agreement; the secondee, the organisation's
signatory and the host contact each sign it; the executed PDF downloads and its seal
validates. axe-core's WCAG 2.2 AA rules run on every portal page on the way.
"""

import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from portal.demo import persona
from portal.extensions import db
from portal.models import Application, Organisation, User
from portal.models.applications import ApplicationStatus
from portal.models.base import utcnow
from portal.services.opportunities import london_today
from portal.services.pdf import check_seal
from tests.browser.conftest import AxeAudit, sign_in_with_mock
from tests.factories import make_opportunity

pytestmark = pytest.mark.browser

HOST = "Environment Regulator"
def follow(page, text: str) -> None:
    """A link of the page's own content, a link styled as a button included."""
    page.locator("main a", has_text=text).first.click()


def accepted_offer(live_portal) -> str:
    """Alex's accepted offer of an outgoing secondment to the Environment Regulator,
    advertised and decided through the earlier stages (not the subject here)."""
    with live_portal.app.app_context():
        def person(subject):
            return db.session.scalar(select(User).where(User.email == persona(subject).email))
        sam, alex = person("people-sam"), person("staff-alex")
        host = db.session.scalar(select(Organisation).where(Organisation.name == HOST))
        opportunity = make_opportunity(
            sam, publish=True, kind="outgoing", host_organisation_id=host.id,
            title="River catchment data lead", location="Bristol",
            start_date=london_today() + timedelta(days=45), duration_months=9)
        db.session.add(Application(
            opportunity_id=opportunity.id, applicant_id=alex.id,
            status=ApplicationStatus.ACCEPTED, reference="SEC-2026-90001",
            motivation="Catchment data.", evidence="Two projects.",
            learning_objectives="Learn how a regulator uses river data.",
            cover_plan="Priya covers.", discussed_with_manager=True, has_conflict=False,
            line_manager_id=alex.line_manager_id, submitted_at=utcnow(),
            offer_terms="Nine months, full time, salary paid by the council."))
        db.session.commit()
        db.session.remove()
    return "River catchment data lead"


def test_a_placement_from_accepted_offer_to_executed_agreement(
        new_context, live_portal, outbox, artifacts):
    title = accepted_offer(live_portal)
    axe = AxeAudit()

    def browser(subject):
        page = new_context(bypass_csp=True).new_page()
        sign_in_with_mock(page, live_portal, subject)
        return page

    # People Services set the placement up from the accepted offer.
    sam = browser("people-sam")
    sam.goto(live_portal("/people-services/applications?status=accepted"))
    axe(sam, "applications, accepted")
    sam.get_by_role("row").filter(has_text=title).get_by_role(
        "link", name="Set up the placement of Alex Morgan").click()
    expect(sam.get_by_label("Title of the placement")).to_have_value(title)
    axe(sam, "new placement from the offer")
    sam.get_by_label("Post the secondee returns to").fill("Planning officer")
    sam.get_by_label("E-mail address of who signs for the organisation").fill(
        persona("head-david").email)
    sam.get_by_role("button", name="Save the placement").click()
    expect(sam.get_by_role("heading", level=1)).to_contain_text("Alex Morgan")
    axe(sam, "the placement, proposed")
    placement_url = sam.url
    expect(sam.locator("main")).to_contain_text(f"{HOST}'s contact")

    # ...and invite the host organisation's contact.
    sam.goto(live_portal("/people-services/host-contacts"))
    sam.get_by_label("Host organisation").select_option(label=HOST)
    sam.get_by_label("Contact's name").fill("Rhys Rivers")
    sam.get_by_label("Contact's e-mail address").fill("rhys.rivers@regulator.example")
    sam.get_by_role("button", name="Send the invitation").click()
    expect(sam.locator(".govuk-notification-banner")).to_contain_text("Invitation sent")
    link = outbox.last_invitation()

    # The contact opens the invitation and signs in through the partner provider.
    rhys = new_context(bypass_csp=True).new_page()
    rhys.goto(link)
    axe(rhys, "invitation")
    rhys.get_by_role("button", name=re.compile("Sign in|Continue")).first.click()
    rhys.get_by_placeholder("sub").fill("rhys-rivers")
    rhys.get_by_role("button", name="Authorize").click()
    rhys.wait_for_url(re.compile(r"http://localhost:\d+/.*"))
    rhys.goto(placement_url)
    axe(rhys, "the placement, as the host contact")
    follow(rhys, "Confirm the details or propose corrections")
    axe(rhys, "confirm the details")
    rhys.get_by_label("Yes, confirm the details").check()
    rhys.get_by_label("Host manager's full name").fill("Hana Brook")
    rhys.get_by_label("Host manager's e-mail address").fill("hana.brook@regulator.example")
    rhys.get_by_role("button", name="Send").click()
    expect(rhys.locator(".govuk-panel")).to_be_visible()
    axe(rhys, "details confirmed")

    # People Services send the agreement to legal; legal ratify it.
    sam.goto(placement_url)
    follow(sam, "Send the agreement to legal")
    axe(sam, "send to legal")
    sam.get_by_role("button", name="Send to legal").click()
    expect(sam.locator("main")).to_contain_text("Agreement with legal")

    ruth = browser("legal-ruth")
    ruth.get_by_role("navigation", name="Main menu").get_by_role("link",
                                                                 name="Agreements").click()
    axe(ruth, "agreements to ratify")
    ruth.get_by_role("link", name=re.compile("Alex Morgan")).first.click()
    ruth.goto(placement_url)
    follow(ruth, "Ratify the agreement")
    axe(ruth, "ratify")
    ruth.get_by_role("button", name="Ratify the agreement").click()
    ruth.goto(placement_url)
    expect(ruth.locator("main .govuk-tag").first).to_have_text("Ratified: being signed")

    # Every party signs the version legal ratified; the last signature executes it.
    for page, name in ((browser("staff-alex"), "the secondee"),
                       (browser("head-david"), "the signatory"), (rhys, "the host")):
        page.goto(placement_url)
        follow(page, "Sign the agreement")
        axe(page, f"sign, as {name}")
        page.get_by_label(re.compile(r"I have read version 1")).check()
        page.get_by_role("button", name="Sign the agreement").click()
        expect(page.get_by_role("status")).to_contain_text("You have signed")
        axe(page, f"signed, as {name}")
    rhys.goto(placement_url)
    expect(rhys.locator("main .govuk-tag").first).to_have_text("Ready to start")
    axe(rhys, "the placement, ready to start")

    with rhys.expect_download() as download:
        rhys.get_by_role("link", name=re.compile("Download the executed agreement")).click()
    executed = download.value.path().read_bytes()
    with live_portal.app.app_context():
        # Trusted: sealed with the certificate this deployment is configured with.
        seal = check_seal(executed)
    assert seal.intact and seal.trusted
    rhys.screenshot(path=str(artifacts / "placement-ready.png"), full_page=True)
    axe.assert_clean()
