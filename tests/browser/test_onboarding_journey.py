"""An incoming international placement's onboarding checklist in a real browser, through
real sign-ins (R9): People Services set up an incoming secondee from an organisation
abroad through the form; the checklist appears with the incoming, international and
incoming international items; the sending organisation's contact, invited and signed in
through the partner provider, sees only their organisation's items and completes theirs;
the host manager here completes hers from her own tasks; People Services complete theirs
(and IT's: the demo has no IT persona), recording the visa and right to work expiry
date, first without it (the error next to the field); the placement page warns of the
expiry within 60 days, and once the agreement is signed and no blocking item is open it
offers "Start the placement", which starts it.

The agreement's own steps (legal, signatures) are the placement journey's subject: here
they are taken through the services. axe-core's WCAG 2.2 AA rules run on every portal
page on the way; screenshots of the checklist (new, as the sending organisation sees it,
and done), an item with its error and the placement with its warning go to
tests/artifacts/onboarding/.
"""

import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from portal.demo import persona
from portal.extensions import db
from portal.models import Organisation, Placement, RoleAssignment, User
from portal.roles import Permission
from portal.services import placements
from portal.services.identity import roles_from_claims
from portal.services.opportunities import london_today
from tests.browser.conftest import AxeAudit, sign_in_with_mock
from tests.factories import make_user

pytestmark = pytest.mark.browser

SENDING = "Norwegian Environment Agency"
TITLE = "Peatland carbon adviser"
SECONDEE = "Ingrid Berg"
VISA = "Visa and right to work"
# Its message when completed without the date ("Enter visa or..." before the wording
# gained its article, which another change is making as this is written).
NO_EXPIRY = re.compile(r"Enter (the )?visa or right to work expiry date")
# The blocking items of an incoming international placement, by what completing records.
BLOCKING = {
    "Onboarding and identity checks": "date",
    "New-starter paperwork": None,
    "Equipment ready": ("Equipment asset tag", "LAP-40217"),
    "Access to systems": None,
    VISA: "expiry",
    "Health cover and insurance": ("Policy reference", "GHI-2027-118"),
    "Pay, relocation payments and pension": None,
    "Accommodation and subsistence agreed": None,
    "Travel booked": ("Booking reference", "OSL-BRS-7Q2K"),
}


def the_sending_organisation(live_portal) -> None:
    """An organisation abroad the secondee comes from, and the account the secondee is
    given here on arrival (which signs the agreement)."""
    with live_portal.app.app_context():
        if db.session.scalar(select(Organisation).where(Organisation.name == SENDING)) is None:
            db.session.add(Organisation(name=SENDING, is_own=False))
            db.session.commit()
            make_user(SECONDEE, email="ingrid.berg@example.org")
        db.session.remove()


def fill_date(scope, legend: str, value) -> None:
    group = scope.get_by_role("group", name=legend)
    group.get_by_label("Day").fill(str(value.day))
    group.get_by_label("Month").fill(str(value.month))
    group.get_by_label("Year").fill(str(value.year))


def task_list(page):
    return page.locator("main .govuk-task-list")


def save_status(page, status: str) -> None:
    page.get_by_role("group", name="What is the status of this item?").get_by_label(
        status, exact=True).check()
    page.get_by_role("button", name="Save").click()


def agreement_signed_by_every_party(live_portal, placement_id: int):
    """The agreement's steps, which the placement journey takes in the browser: People
    Services link the secondee's account and send it to legal, legal ratify it, the
    secondee, the organisation's signatory and the sending organisation's contact sign."""
    with live_portal.app.app_context():
        def person(email):
            return db.session.scalar(select(User).where(User.email == email))

        sam, ruth = person(persona("people-sam").email), person(persona("legal-ruth").email)
        if not ruth.can(Permission.RATIFY_AGREEMENTS):
            # The role legal's groups give at sign-in, as the demo does for Ruth
            # before she first signs in (the placement journey signs her in).
            for role in sorted(roles_from_claims(persona("legal-ruth").claims())):
                ruth.role_assignments.append(RoleAssignment(
                    role=role, source=RoleAssignment.SOURCE_CLAIM))
            db.session.flush()
            ruth.__dict__.pop("_roles", None)
        placement = db.session.get(Placement, placement_id)
        placements.update_terms(sam, placement,
                                {"secondee_account_email": "ingrid.berg@example.org"},
                                expected_version=placement.version)
        placements.send_to_legal(sam, placement, expected_version=placement.version)
        placements.ratify(ruth, placement, expected_version=placement.version)
        contact = db.session.scalar(select(User).join(Organisation).where(
            Organisation.name == SENDING))
        for signer in (person("ingrid.berg@example.org"), sam, contact):
            placements.sign(signer, placement,
                            shown_sha256=placement.current_agreement.pdf_sha256,
                            issuer=signer.issuer or "", expected_version=placement.version)
        assert placement.status == "ready"
        db.session.remove()


def test_an_incoming_international_placement_onboarded_until_it_can_start(
        new_context, live_portal, outbox, artifacts):
    the_sending_organisation(live_portal)
    shots = artifacts / "onboarding"
    shots.mkdir(exist_ok=True)
    axe = AxeAudit()
    today = london_today()
    expiry = today + timedelta(days=45)

    sam = new_context(bypass_csp=True).new_page()
    sign_in_with_mock(sam, live_portal, "people-sam")

    # People Services set the placement up through the form: an incoming secondee from
    # an organisation abroad, with what an international placement agrees before the
    # start. It starts today, so that once ready it may start at once.
    sam.goto(live_portal("/placements/new"))
    axe(sam, "set up a placement")
    sam.get_by_label("Incoming from an external organisation").check()
    sam.get_by_label("The other organisation", exact=True).select_option(label=SENDING)
    sam.get_by_label("Host department", exact=True).select_option(
        label="Planning and Environment")
    sam.get_by_label("Secondee's e-mail address").fill("ingrid.berg@miljodirektoratet.example")
    sam.get_by_label("Secondee's full name").fill(SECONDEE)
    sam.get_by_label("The incoming secondee is not a self-employed contractor").check()
    sam.get_by_label("Title of the placement").fill(TITLE)
    fill_date(sam, "Start date", today)
    fill_date(sam, "End date", today + timedelta(days=270))
    for label, value in {
        "Hours": "37 hours a week, Monday to Friday",
        "Location": "Bristol",
        "Country": "Norway",
        "Grade": "Band 7",
        "Host manager's e-mail address, if they are a member of staff here":
            persona("manager-priya").email,
        "Objectives": "Bring Norwegian peatland carbon accounting to our restoration "
                      "programme.",
        "Post the secondee returns to": "Senior adviser at the agency",
        "Grade the secondee returns to": "Senior adviser",
        "Accommodation": "A furnished flat in Bristol, paid by the host.",
        "Subsistence": "Daily subsistence for the first month.",
        "Travel": "Return flights Oslo to Bristol at the start and the end.",
        "Insurance and health cover": "Health cover and insurance for the whole placement.",
    }.items():
        sam.get_by_label(label, exact=True).fill(value)
    sam.get_by_role("button", name="Set up the placement").click()
    expect(sam.get_by_role("heading", level=1)).to_have_text(f"Placement: {SECONDEE}")
    placement_url = sam.url
    placement_id = int(placement_url.rsplit("/", 1)[1])
    expect(sam.locator("#checklist-progress")).to_contain_text(
        "0 of 16 items done; 9 still block the start")
    axe(sam, "the placement, proposed")

    # Its checklist appears: the incoming, international and incoming international
    # items, by phase, each blocking one listed above them.
    sam.get_by_role("link", name="See the onboarding checklist").click()
    expect(sam.get_by_role("heading", level=1)).to_have_text(
        f"Onboarding checklist: {SECONDEE}")
    for title in ("Onboarding and identity checks", VISA, "Health cover and insurance",
                  "Liaison with the host and the embassy",
                  "English-language proficiency noted", "Mandatory training done"):
        expect(task_list(sam).get_by_role("link", name=title, exact=True)).to_be_visible()
    expect(sam.locator("#blocking li")).to_have_count(len(BLOCKING))
    expect(sam.locator("main").get_by_role("heading", level=2)).to_have_text(
        ["Before the start", "First week", "First month"])
    sam.screenshot(path=str(shots / "checklist-new.png"), full_page=True)
    axe(sam, "the checklist, as People Services")
    item_urls = {title: live_portal(task_list(sam).get_by_role(
        "link", name=title, exact=True).get_attribute("href")) for title in BLOCKING}

    # People Services invite the sending organisation's contact.
    sam.goto(live_portal("/people-services/host-contacts"))
    sam.get_by_label("Host organisation").select_option(label=SENDING)
    sam.get_by_label("Contact's name").fill("Lars Haugen")
    sam.get_by_label("Contact's e-mail address").fill("lars.haugen@miljodirektoratet.example")
    sam.get_by_role("button", name="Send the invitation").click()
    expect(sam.locator(".govuk-notification-banner")).to_contain_text("Invitation sent")

    # The contact opens the invitation, signs in through the partner provider, confirms
    # the details and completes their organisation's item from their tasks.
    lars = new_context(bypass_csp=True).new_page()
    lars.goto(outbox.last_invitation())
    lars.get_by_role("button", name=re.compile("Sign in|Continue")).first.click()
    lars.get_by_placeholder("sub").fill("lars-haugen")
    lars.get_by_role("button", name="Authorize").click()
    lars.wait_for_url(re.compile(r"http://localhost:\d+/.*"))
    lars.goto(placement_url)
    lars.locator("main a", has_text="Confirm the details or propose corrections").click()
    # The host manager is named already: Priya, here.
    lars.get_by_label("Yes, confirm the details").check()
    lars.get_by_role("button", name="Send").click()
    expect(lars.locator(".govuk-panel")).to_be_visible()

    lars.goto(live_portal("/onboarding/your-tasks"))
    tasks = lars.locator("main table")
    expect(tasks.locator("tbody tr")).to_have_count(1)
    axe(lars, "your tasks, as the sending organisation's contact")
    tasks.get_by_role("link", name="Liaison with the host and the embassy").click()
    axe(lars, "an item, as the contact")
    save_status(lars, "Completed")
    expect(lars.get_by_role("heading", level=1)).to_have_text(
        f"Onboarding checklist: {SECONDEE}")
    expect(lars.locator(".govuk-notification-banner")).to_contain_text(
        "Liaison with the host and the embassy: completed")
    # Only their organisation's items: People Services track the rest.
    expect(lars.locator("main")).to_contain_text("These are the items your organisation does")
    expect(task_list(lars).locator("li")).to_have_count(1)
    expect(lars.locator("#item-" + item_urls[VISA].rsplit("/", 1)[1])).to_have_count(0)
    expect(task_list(lars).locator(".govuk-task-list__status")).to_have_text("Completed")
    lars.screenshot(path=str(shots / "checklist-sending-organisation.png"), full_page=True)
    axe(lars, "the checklist, as the contact")

    # The host manager here, Priya, notes the secondee's English from her own tasks.
    priya = new_context(bypass_csp=True).new_page()
    sign_in_with_mock(priya, live_portal, "manager-priya")
    priya.goto(live_portal("/onboarding/your-tasks"))
    mine = priya.locator("main tbody tr", has_text=TITLE)
    expect(mine).to_have_count(3)   # the induction, the start meeting and this one
    axe(priya, "your tasks, as the host manager")
    mine.get_by_role("link", name="English-language proficiency noted").click()
    expect(priya.locator("main")).to_contain_text("The host manager (Priya Shah)")
    save_status(priya, "Completed")
    expect(priya.locator(".govuk-notification-banner")).to_contain_text(
        "English-language proficiency noted: completed")

    # The agreement is ratified and signed (through the services); the placement is
    # ready, but its blocking items still stop the start, each named with its owner.
    agreement_signed_by_every_party(live_portal, placement_id)
    sam.goto(placement_url)
    expect(sam.locator("main .govuk-tag").first).to_have_text("Ready to start")
    not_yet = sam.locator("#not-yet")
    expect(not_yet).to_contain_text("Start the placement is not possible yet")
    expect(not_yet.locator("li", has_text="Onboarding item not done yet")).to_have_count(
        len(BLOCKING))
    expect(not_yet).to_contain_text(f"{VISA} (owned by People Services)")
    expect(sam.locator("main a", has_text="Start the placement")).to_have_count(0)
    axe(sam, "the placement, ready but blocked")

    # People Services record the visa: Completed without the expiry date is refused,
    # the error next to the date; then with a date 45 days away.
    sam.goto(item_urls[VISA])
    axe(sam, "the visa item")
    save_status(sam, "Completed")
    summary = sam.locator(".govuk-error-summary")
    expect(summary.get_by_role("listitem")).to_have_text(NO_EXPIRY)
    date_group = sam.locator(".govuk-form-group--error", has=sam.get_by_role(
        "group", name=re.compile("Visa or right to work expiry date")))
    expect(date_group.locator(".govuk-error-message")).to_have_text(NO_EXPIRY)
    summary.get_by_role("link", name=NO_EXPIRY).click()
    expect(sam.get_by_role("group", name=re.compile("Visa or right to work expiry date"))
           .get_by_label("Day")).to_be_focused()
    sam.screenshot(path=str(shots / "item-error.png"), full_page=True)
    axe(sam, "the visa item, with its error")
    fill_date(sam, re.compile("Visa or right to work expiry date"), expiry)
    save_status(sam, "Completed")
    expect(sam.locator(".govuk-notification-banner")).to_contain_text(
        f"{VISA}: completed")

    # ...and every other blocking item, theirs and IT's, with what each records.
    for title, records in BLOCKING.items():
        if title == VISA:
            continue
        sam.goto(item_urls[title])
        if records == "date":
            fill_date(sam, re.compile("Date the checks were completed"), today)
        elif records:
            sam.get_by_label(records[0]).fill(records[1])
        save_status(sam, "Completed")
        expect(sam.locator(".govuk-notification-banner")).to_contain_text(
            f"{title}: completed")
    expect(sam.locator("#blocking")).to_have_count(0)
    expect(sam.locator("main .govuk-warning-text")).to_contain_text(
        f"Visa or right to work expiry date: {expiry:%-d %B %Y}, within 60 days")
    sam.screenshot(path=str(shots / "checklist-done.png"), full_page=True)
    axe(sam, "the checklist, blocking items done")

    # The placement page warns of the expiry and offers the start, nothing blocking it.
    sam.goto(placement_url)
    expect(sam.locator("main .govuk-warning-text")).to_have_text(
        re.compile(rf"Visa or right to work expiry date: {expiry:%-d %B %Y}, within 60 days"))
    expect(sam.locator("#checklist-progress")).to_contain_text("11 of 16 items done.")
    expect(sam.locator("#not-yet")).to_have_count(0)
    start = sam.locator("main a", has_text="Start the placement")
    expect(start).to_be_visible()
    sam.screenshot(path=str(shots / "placement-expiry-warning.png"), full_page=True)
    axe(sam, "the placement, ready to start")

    sam.goto(live_portal("/people-services/checklists"))
    expect(sam.locator("main")).to_contain_text(SECONDEE)
    axe(sam, "People Services' checklists")

    sam.goto(placement_url)
    start.click()
    axe(sam, "start the placement")
    sam.get_by_role("button", name="Start the placement").click()
    expect(sam.locator("main .govuk-tag").first).to_have_text("Active")
    axe.assert_clean()

    with live_portal.app.app_context():
        # What the pages showed is what was recorded, and by whom.
        placement = db.session.get(Placement, placement_id)
        assert placement.international and placement.kind == "incoming"
        visa = next(i for i in placement.checklist_items if i.title == VISA)
        liaison = next(i for i in placement.checklist_items
                       if i.title == "Liaison with the host and the embassy")
        assert (visa.recorded_date, visa.completed_by.email) == (
            expiry, persona("people-sam").email)
        assert liaison.completed_by.organisation.name == SENDING
        db.session.remove()
