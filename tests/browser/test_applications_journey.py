"""Applications in a real browser, through real sign-ins: applying, the line manager's and
the head of department's decisions in writing, anonymised selection and the offer, and a
refusal taken to appeal.

Each persona uses a browser of their own (a context), signed in once through the
development provider, as the different people would. axe-core's WCAG 2.2 AA rules run
on every portal page of both journeys, error states included; each test reports every
page with a violation at its end.
"""

import os
import re
import uuid

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from portal.demo import persona
from portal.extensions import db
from portal.models import User
from tests.browser.conftest import AxeAudit, sign_in_with_mock
from tests.factories import make_opportunity

pytestmark = pytest.mark.browser

ALEX = "Alex Morgan"
REFERENCE = re.compile(r"SEC-\d{4}-\d{5}")


# --- helpers -----------------------------------------------------------------------------

def every_page_shots(artifacts, journey: str):
    """With SCREENSHOT_EVERY_PAGE=1, every page axe checks is also saved, numbered in
    journey order, under tests/artifacts/applications/JOURNEY/ for a human to look over."""
    if os.environ.get("SCREENSHOT_EVERY_PAGE") != "1":
        return None
    shots = artifacts / "applications" / journey
    shots.mkdir(parents=True, exist_ok=True)
    return shots


@pytest.fixture
def signed_in(new_context, live_portal):
    """`signed_in("staff-alex")`: a page in a browser of that persona's own, signed in
    through the development provider. axe may be injected (the context bypasses the
    portal's CSP, as `axe_context` does)."""
    def sign_in(subject: str):
        page = new_context(bypass_csp=True).new_page()
        sign_in_with_mock(page, live_portal, subject)
        return page
    return sign_in


def published_opportunity(live_portal, title: str) -> int:
    """An internal opportunity, open to all staff, looked after by People Services'
    Sam Whitfield (its creator and contact), published through the service."""
    with live_portal.app.app_context():
        # By e-mail: the seeded record, whichever provider's issuer it is bound to.
        sam = db.session.scalar(select(User).where(
            User.email == persona("people-sam").email))
        opportunity_id = make_opportunity(
            sam, publish=True, title=title,
            skills_sought="Knowledge of data protection law.\n"
                          "Able to explain risks to non-specialists.").id
        db.session.remove()
    return opportunity_id


def heading(page):
    return page.get_by_role("heading", level=1)


def banner(page):
    return page.locator(".govuk-notification-banner")


def nav_to(page, name: str, then: str | None = None) -> None:
    """Follow a link of the main menu, and then one of that section's own menu."""
    page.get_by_role("navigation", name="Main menu").get_by_role("link", name=name).click()
    if then:
        page.get_by_role("navigation", name=name).get_by_role("link", name=then).click()


def status_of(page):
    """The status tag on an application's own page."""
    return page.locator("main .govuk-summary-list__row", has_text="Status").locator(
        ".govuk-tag").first


def apply_from_advert(page, live_portal, opportunity_id: int, title: str, axe) -> None:
    """From the advert to a complete application, ready to check (not yet sent)."""
    page.goto(live_portal(f"/opportunities/{opportunity_id}"))
    expect(heading(page)).to_have_text(title)
    axe(page, "advert (may apply)")
    page.get_by_role("button", name="Apply").click()

    expect(heading(page)).to_have_text("Your application")
    expect(page.locator("main .govuk-caption-l")).to_have_text(title)
    page.get_by_label("Why do you want this secondment, and what would you bring to it?"
                      ).fill("I advise on planning data every day.\n"
                             "I would bring a planner's view of what the public asks for.")
    page.get_by_label("Your evidence against the skills and experience sought").fill(
        "I wrote the department's privacy notices and ran two impact assessments.")
    page.get_by_label("What do you want to learn?").fill(
        "How data protection advice is given across the council.")
    page.get_by_label("How could your current work be covered while you are away?").fill(
        "A Band 5 officer acts up; Priya covers the planning committee.")
    page.get_by_label("I have discussed this application with my line manager").check()
    page.get_by_role("group", name=re.compile("^Do you have a conflict of interest")
                     ).get_by_label("No", exact=True).check()


# --- 1. applied, supported, released, shortlisted anonymously, offered, accepted -------------

def test_an_application_from_advert_to_accepted_offer(signed_in, live_portal, artifacts):
    axe = AxeAudit(every_page_shots(artifacts, "offer"))
    token = uuid.uuid4().hex[:8]
    title = f"Data protection adviser {token}"
    opportunity_id = published_opportunity(live_portal, title)

    # --- Alex applies: saves a draft, comes back, meets an error, checks and sends -----
    alex = signed_in("staff-alex")
    alex.goto(live_portal(f"/opportunities/{opportunity_id}"))
    expect(heading(alex)).to_have_text(title)
    axe(alex, "advert (may apply)")
    alex.get_by_role("button", name="Apply").click()

    expect(heading(alex)).to_have_text("Your application")
    axe(alex, "application form (empty)")
    alex.get_by_label("Why do you want this secondment, and what would you bring to it?"
                      ).fill("I advise on planning data every day.\n"
                             "I would bring a planner's view of what the public asks for.")
    alex.get_by_role("button", name="Save and come back later").click()

    expect(heading(alex)).to_have_text("Your applications")
    expect(banner(alex)).to_contain_text("Your application has been saved")
    row = alex.get_by_role("row").filter(has_text=title)
    expect(row.locator(".govuk-tag")).to_have_text("Not yet submitted")
    axe(alex, "your applications (draft saved)")
    row.get_by_role("link", name=title).click()

    # The draft's own page, then back into the form.
    expect(heading(alex)).to_have_text("Your application")
    expect(status_of(alex)).to_have_text("Not yet submitted")
    axe(alex, "application (draft)")
    alex.get_by_role("link", name="Continue your application").click()
    motivation = alex.get_by_label(
        "Why do you want this secondment, and what would you bring to it?")
    expect(motivation).to_have_value(re.compile("^I advise on planning data every day."))

    # Continue with the rest missing: what submission needs, by the fields.
    alex.get_by_role("button", name="Continue").click()
    summary = alex.locator(".govuk-error-summary")
    expect(summary).to_be_visible()
    expect(summary.get_by_role("link",
                               name="Enter your learning objectives")).to_be_visible()
    expect(alex.locator("#discussed_with_manager-error")).to_contain_text(
        "Confirm that you have discussed this with your line manager")
    axe(alex, "application form (errors)")

    alex.get_by_label("Your evidence against the skills and experience sought").fill(
        "I wrote the department's privacy notices and ran two impact assessments.")
    alex.get_by_label("What do you want to learn?").fill(
        "How data protection advice is given across the council.")
    alex.get_by_label("How could your current work be covered while you are away?").fill(
        "A Band 5 officer acts up; Priya covers the planning committee.")
    alex.get_by_label("I have discussed this application with my line manager").check()
    conflict = alex.get_by_role(
        "group", name=re.compile("^Do you have a conflict of interest"))
    conflict.get_by_label("No", exact=True).check()
    alex.screenshot(path=artifacts / "apply-form-errors.png", full_page=True)
    alex.get_by_role("button", name="Continue").click()

    expect(heading(alex)).to_have_text("Check your answers before submitting your application")
    main = alex.locator("main")
    expect(main).to_contain_text("How data protection advice is given across the council.")
    expect(main.locator(".govuk-summary-list__row", has_text="Conflict of interest")
           ).to_contain_text("No")
    expect(main.locator(".govuk-error-summary")).to_have_count(0)
    alex.screenshot(path=artifacts / "application-check.png", full_page=True)
    axe(alex, "check your answers")
    alex.get_by_role("button", name="Accept and send").click()

    # First the confirmation that it was sent.
    panel = alex.locator(".govuk-panel")
    expect(panel.locator(".govuk-panel__title")).to_have_text("Application submitted")
    expect(panel.locator(".govuk-panel__body")).to_contain_text(REFERENCE)
    reference = REFERENCE.search(panel.locator(".govuk-panel__body").inner_text()).group()
    expect(alex.locator("main")).to_contain_text("Your line manager, Priya Shah,")
    axe(alex, "application submitted")

    # Then, optional, the equality questions: one answered.
    alex.get_by_role("link", name="Answer the equality questions").click()
    expect(heading(alex)).to_have_text("Equality questions")
    axe(alex, "equality questions")
    alex.get_by_role("group", name="What is your age?").get_by_label(
        "Prefer not to say").check()
    alex.get_by_role("button", name="Send your answers").click()

    expect(heading(alex)).to_have_text(f"Your application {reference}")
    expect(alex.locator(".govuk-notification-banner")).to_contain_text(
        "Your answers to the equality questions have been saved")
    expect(status_of(alex)).to_have_text("With your line manager")
    axe(alex, "application (submitted)")

    # --- Priya, his line manager, supports it --------------------------------------------
    priya = signed_in("manager-priya")
    nav_to(priya, "Decisions")
    expect(heading(priya)).to_have_text("Applications to decide")
    axe(priya, "applications to decide (line manager)")
    priya.get_by_role("link", name=f"{ALEX}: {title}").click()

    expect(heading(priya)).to_have_text(f"{ALEX}’s application for {title}")
    main = priya.locator("main")
    expect(main).to_contain_text(reference)
    expect(main).to_contain_text("I wrote the department's privacy notices")
    # The equality answers are kept apart: never on a decider's page.
    expect(main).not_to_contain_text("Prefer not to say")
    priya.screenshot(path=artifacts / "decide.png", full_page=True)
    axe(priya, "decide (line manager)")
    priya.get_by_role("group", name="Do you support this application?").get_by_label(
        "Yes, I support it").check()
    # Nothing to refuse with: the grounds are revealed only under "No".
    expect(priya.get_by_role("group", name="Grounds for refusing")).to_be_hidden()
    priya.get_by_label("Comments (optional)").fill("Alex has the skills; cover is agreed.")
    priya.get_by_role("button", name="Continue").click()
    expect(heading(priya)).to_have_text("Check your decision before sending it")
    expect(priya.locator(".govuk-summary-list")).to_contain_text("Yes, I support it")
    axe(priya, "check the decision (line manager)")
    priya.get_by_role("button", name="Record the decision and send the letter").click()

    expect(priya.locator(".govuk-panel__title")).to_have_text("Application supported")
    expect(priya.locator(".govuk-panel__body")).to_have_text(f"{ALEX}, {reference}")
    expect(priya.locator("main")).to_contain_text(
        "David Okafor has been asked to decide on the release")
    axe(priya, "application supported")
    priya.get_by_role("link", name="Read the decision letter").click()
    expect(heading(priya)).to_have_text("Your line manager supports your application")
    expect(priya.locator(".govuk-summary-list__row", has_text="Decided by")).to_contain_text(
        "Priya Shah, line manager")
    axe(priya, "decision letter (supported)")
    nav_to(priya, "Decisions")
    expect(priya.get_by_role("link", name=f"{ALEX}: {title}")).to_have_count(0)

    # --- David, head of department, approves the release ---------------------------------
    david = signed_in("head-david")
    nav_to(david, "Decisions")
    link = david.get_by_role("link", name=f"{ALEX}: {title}")
    expect(david.get_by_role("listitem").filter(has=link)).to_contain_text(
        "Release as head of department")
    axe(david, "applications to decide (head)")
    link.click()
    expect(david.locator("main .govuk-caption-l")).to_have_text("Release as head of department")
    expect(david.locator("main")).to_contain_text(
        "Line manager's endorsement: supported by Priya Shah")
    axe(david, "decide (head of department)")
    david.get_by_role("group", name="Do you approve the release?").get_by_label(
        "Yes, approve the release").check()
    david.get_by_role("button", name="Continue").click()
    expect(heading(david)).to_have_text("Check your decision before sending it")
    david.get_by_role("button", name="Record the decision and send the letter").click()
    expect(david.locator(".govuk-panel__title")).to_have_text("Release approved")
    axe(david, "release approved")

    # --- Sam, People Services, selects: anonymised until the shortlist is fixed -----------
    sam = signed_in("people-sam")
    nav_to(sam, "People Services", then="Your opportunities")
    sam.get_by_role("link", name=title).click()
    expect(heading(sam)).to_have_text(title)
    sam.locator("#main-content").get_by_role("link", name="Applications", exact=True).click()

    expect(heading(sam)).to_have_text("Applications")
    main = sam.locator("main")
    card = main.locator(".govuk-summary-card", has=sam.get_by_role(
        "heading", name="Candidate 1"))
    expect(card).to_contain_text("To shortlist")
    expect(card).to_contain_text("I advise on planning data every day.")
    for personal in (ALEX, "alex.morgan@example.org", reference, "Planning and Environment"):
        expect(main).not_to_contain_text(personal)
    expect(main.locator(".govuk-inset-text")).to_contain_text("Shortlisting is anonymised")
    sam.screenshot(path=artifacts / "selection-anonymised.png", full_page=True)
    axe(sam, "applications (anonymised)")

    # The shortlist cannot be fixed while a candidate waits for a decision.
    sam.get_by_role("button", name="Fix the shortlist").click()
    expect(sam.locator(".govuk-error-summary")).to_contain_text(
        "1 released application still needs a decision")
    axe(sam, "applications (fix refused)")
    sam.get_by_role("button", name="Shortlist Candidate 1", exact=True).click()
    expect(banner(sam)).to_contain_text("Candidate 1 shortlisted.")
    expect(card).to_contain_text("Fix the shortlist to record the assessment outcome")
    expect(main).not_to_contain_text(ALEX)
    axe(sam, "applications (shortlisted, anonymised)")

    sam.get_by_role("button", name="Fix the shortlist").click()
    expect(banner(sam)).to_contain_text("The shortlist is fixed")
    card = main.locator(".govuk-summary-card", has=sam.get_by_role("heading", name=ALEX))
    expect(card).to_contain_text("alex.morgan@example.org")
    expect(card).to_contain_text(reference)
    expect(main).not_to_contain_text("Candidate 1")
    expect(sam.get_by_role("button", name="Fix the shortlist")).to_have_count(0)
    axe(sam, "applications (shortlist fixed)")

    card.get_by_role("link", name=f"Record the assessment outcome for {ALEX}").click()
    expect(heading(sam)).to_have_text(f"Assessment outcome for {ALEX}")
    axe(sam, "record assessment")
    sam.get_by_label("Outcome of the assessment").fill(
        "Strong interview; meets every skill sought.")
    sam.get_by_role("button", name="Record the outcome").click()
    expect(banner(sam)).to_contain_text(f"Assessment outcome recorded for {ALEX}.")
    expect(card).to_contain_text("Strong interview; meets every skill sought.")

    card.get_by_role("link", name=f"Make an offer to {ALEX}").click()
    expect(heading(sam)).to_have_text(f"Make an offer to {ALEX}")
    axe(sam, "make an offer")
    sam.get_by_label("Terms of the offer").fill(
        "Six months from 1 September, full time.\nYour department pays your salary.")
    sam.get_by_role("button", name="Make the offer").click()
    expect(banner(sam)).to_contain_text(f"Offer made to {ALEX}.")
    expect(card.locator(".govuk-tag")).to_have_text("Offered")
    axe(sam, "applications (offered)")

    # --- Alex sees the offer and accepts it ------------------------------------------------
    nav_to(alex, "Your applications")
    row = alex.get_by_role("row").filter(has_text=title)
    expect(row.locator(".govuk-tag")).to_have_text("Offered")
    expect(row).to_contain_text(reference)
    expect(row).to_contain_text("Accept or decline the offer.")
    alex.screenshot(path=artifacts / "my-applications.png", full_page=True)
    axe(alex, "your applications (offered)")
    row.get_by_role("link", name=title).click()

    expect(alex.locator("main")).to_contain_text("Six months from 1 September, full time.")
    axe(alex, "application (offered)")
    alex.get_by_role("link", name="Accept or decline the offer").click()
    expect(heading(alex)).to_have_text("You have been offered this secondment")
    axe(alex, "answer the offer")
    alex.get_by_role("group", name="Do you accept the offer?").get_by_label(
        "Yes, I accept the offer").check()
    alex.get_by_role("button", name="Send your answer").click()

    expect(banner(alex)).to_contain_text("You have accepted the offer")
    expect(status_of(alex)).to_have_text("Offer accepted")
    expect(alex.get_by_role("link", name="Withdraw your application")).to_have_count(0)
    axe(alex, "application (offer accepted)")
    nav_to(alex, "Your applications")
    expect(alex.get_by_role("row").filter(has_text=title).locator(".govuk-tag")
           ).to_have_text("Offer accepted")

    axe.assert_clean()


# --- 2. refused with grounds, appealed, overturned: on to the head of department -----------

def test_a_refusal_appealed_and_overturned(signed_in, live_portal, artifacts):
    axe = AxeAudit(every_page_shots(artifacts, "appeal"))
    token = uuid.uuid4().hex[:8]
    title = f"Information governance officer {token}"
    opportunity_id = published_opportunity(live_portal, title)

    # --- Alex applies and leaves the equality questions ----------------------------------
    alex = signed_in("staff-alex")
    apply_from_advert(alex, live_portal, opportunity_id, title, axe)
    alex.screenshot(path=artifacts / "apply-form.png", full_page=True)
    axe(alex, "application form (complete)")
    alex.get_by_role("button", name="Continue").click()
    expect(heading(alex)).to_have_text("Check your answers before submitting your application")
    alex.get_by_role("button", name="Accept and send").click()
    expect(alex.locator(".govuk-panel__title")).to_have_text("Application submitted")
    reference = REFERENCE.search(alex.locator(".govuk-panel__body").inner_text()).group()

    # --- Priya refuses, with two grounds and her reasons --------------------------------
    priya = signed_in("manager-priya")
    nav_to(priya, "Decisions")
    priya.get_by_role("link", name=f"{ALEX}: {title}").click()
    expect(heading(priya)).to_have_text(f"{ALEX}’s application for {title}")
    decision = priya.get_by_role("group", name="Do you support this application?")
    decision.get_by_label("No, I refuse it").check()
    # A refusal without grounds or reasons goes no further.
    priya.get_by_role("button", name="Continue").click()
    summary = priya.locator(".govuk-error-summary")
    expect(summary.get_by_role("link", name="Select at least one reason for refusing")
           ).to_be_visible()
    expect(summary.get_by_role("link", name="Explain the reasons for refusing")).to_be_visible()
    expect(priya).to_have_title(re.compile("^Error: "))
    axe(priya, "decide (refusal with errors)")

    grounds = priya.get_by_role("group", name="Grounds for refusing")
    grounds.get_by_label("Significant impact on the quality or performance of the department"
                         ).check()
    grounds.get_by_label("The department cannot recruit, replace or reorganise the work"
                         ).check()
    priya.get_by_label("Your reasons for refusing").fill("The committee cycle peaks.")
    priya.get_by_role("button", name="Continue").click()

    # Checked before the letter goes; a Change brings the answers back to the form.
    expect(heading(priya)).to_have_text("Check your decision before sending it")
    expect(priya.locator(".govuk-summary-list")).to_contain_text("No, I refuse it")
    axe(priya, "check the decision (refusal)")
    priya.get_by_role("button", name="Change your reasons for refusing").click()
    expect(heading(priya)).to_have_text(f"{ALEX}’s application for {title}")
    expect(priya.get_by_label("The department cannot recruit, replace or reorganise the work")
           ).to_be_checked()
    priya.get_by_label("Your reasons for refusing").fill(
        "The planning committee cycle peaks this autumn.\n\n"
        "Two posts in the team are vacant and cannot be covered.")
    priya.get_by_role("button", name="Continue").click()
    expect(priya.locator(".govuk-summary-list")).to_contain_text("Two posts in the team")
    priya.get_by_role("button", name="Record the decision and send the letter").click()
    expect(priya.locator(".govuk-panel__title")).to_have_text("Application refused")
    axe(priya, "application refused")
    priya.get_by_role("link", name="Read the decision letter").click()

    expect(heading(priya)).to_have_text("Your line manager has not supported your application")
    letter = priya.locator("article.portal-letter")
    expect(letter).to_contain_text(reference)
    expect(letter.get_by_role("listitem")).to_have_text([
        "Significant impact on the quality or performance of the department",
        "The department cannot recruit, replace or reorganise the work"])
    # Her two paragraphs stay two (a textarea sends its line breaks as CR LF).
    expect(letter.locator("p", has_text="Two posts in the team")).to_have_text(
        "Two posts in the team are vacant and cannot be covered.")
    expect(letter).to_contain_text("How to appeal")
    priya.screenshot(path=artifacts / "letter.png", full_page=True)
    axe(priya, "decision letter (refused)")
    # Printed, it is a letter: no header, navigation, back link or instructions.
    priya.emulate_media(media="print")
    for chrome in (".govuk-header, .govuk-template__header", ".govuk-service-navigation",
                   ".govuk-back-link", ".govuk-footer"):
        for element in priya.locator(chrome).all():
            expect(element).to_be_hidden()
    expect(letter.get_by_text("To keep a copy, print this page")).to_be_hidden()
    # The appeal link's address is written out in the letter: not printed again after it.
    assert priya.locator(".portal-letter__url").evaluate(
        "a => getComputedStyle(a, '::after').content") == "none"
    priya.screenshot(path=artifacts / "letter-print.png", full_page=True)
    priya.emulate_media(media="screen")

    # --- Alex reads the refusal and appeals --------------------------------------------
    nav_to(alex, "Your applications")
    row = alex.get_by_role("row").filter(has_text=title)
    expect(row.locator(".govuk-tag")).to_have_text("Refused")
    row.get_by_role("link", name=title).click()
    expect(status_of(alex)).to_have_text("Refused")
    axe(alex, "application (refused)")
    alex.get_by_role("link", name="Decision letter (line manager's endorsement)").click()
    expect(heading(alex)).to_have_text("Your line manager has not supported your application")
    axe(alex, "decision letter (refused, applicant)")
    alex.get_by_role("link", name="The application").click()
    alex.get_by_role("link", name="Appeal the refusal").click()

    expect(heading(alex)).to_have_text("Appeal the refusal")
    expect(alex.locator("main .govuk-inset-text")).to_contain_text(
        "refused by Priya Shah")
    axe(alex, "appeal")
    alex.get_by_label("Why should the decision be looked at again?").fill(
        "The vacancies were filled last month, and the committee dates are covered.")
    alex.get_by_role("button", name="Lodge your appeal").click()
    expect(banner(alex)).to_contain_text("Your appeal has been lodged")
    expect(status_of(alex)).to_have_text("Appeal lodged")
    axe(alex, "application (appealed)")

    # --- Sam, People Services, overturns the refusal --------------------------------------
    sam = signed_in("people-sam")
    nav_to(sam, "People Services")
    sam.locator("#main-content").get_by_role("link", name="Appeals", exact=True).click()
    expect(heading(sam)).to_have_text("Appeals to decide")
    axe(sam, "appeals to decide")
    sam.get_by_role("link", name=f"{reference}: {ALEX}, {title}").click()

    expect(heading(sam)).to_have_text(f"{ALEX}’s appeal against the refusal")
    expect(sam.locator("main")).to_contain_text("The vacancies were filled last month")
    axe(sam, "decide the appeal")
    sam.get_by_role("group", name="What is your decision on the appeal?").get_by_label(
        "Overturn the refusal: the application reopens").check()
    sam.get_by_label("Your reasons").fill(
        "The team's vacancies are filled; the refusal's grounds no longer hold.")
    sam.get_by_role("button", name="Continue").click()
    expect(heading(sam)).to_have_text("Check your decision before sending it")
    axe(sam, "check the decision (appeal)")
    sam.get_by_role("button", name="Record the decision and send the letter").click()
    expect(sam.locator(".govuk-panel__title")).to_have_text("Refusal overturned")
    expect(sam.locator("main")).to_contain_text(
        "David Okafor has been asked to decide on the release")
    axe(sam, "refusal overturned")
    sam.get_by_role("link", name="Read the decision letter").click()
    expect(heading(sam)).to_have_text("Your appeal succeeds: the refusal is overturned")
    expect(sam.locator("main")).to_contain_text("your head of department will now decide")
    axe(sam, "decision letter (overturned)")

    # --- On to the head of department ----------------------------------------------------
    alex.reload()
    expect(status_of(alex)).to_have_text("With your head of department")
    expect(alex.get_by_role("heading", level=3, name="Appeal decided: the refusal is overturned")
           ).to_be_visible()
    axe(alex, "application (reopened)")

    axe.assert_clean()


# --- 3. a draft deleted, with a confirmation and nothing else ---------------------------------

def test_a_draft_deleted_and_started_again(signed_in, live_portal, artifacts):
    axe = AxeAudit(every_page_shots(artifacts, "delete-draft"))
    title = f"Records officer {uuid.uuid4().hex[:8]}"
    opportunity_id = published_opportunity(live_portal, title)

    alex = signed_in("staff-alex")
    apply_from_advert(alex, live_portal, opportunity_id, title, axe)
    # Too long and missing at once: every problem in the first answer.
    alex.get_by_label("What do you want to learn?").fill("x" * 6_001)
    alex.get_by_label("How could your current work be covered while you are away?").fill("")
    expect(alex.locator(".govuk-character-count__status").nth(2)).to_contain_text(
        "You have 1 character too many")
    alex.get_by_role("button", name="Continue").click()
    summary = alex.locator(".govuk-error-summary")
    expect(summary.get_by_role("link")).to_have_text([
        "Your learning objectives must be 6,000 characters or fewer",
        "Say how your current work could be covered"])
    axe(alex, "application form (every problem at once)")
    alex.get_by_label("What do you want to learn?").fill("Records management.")
    alex.get_by_role("button", name="Save and come back later").click()

    alex.get_by_role("link", name=title).click()
    alex.get_by_role("link", name="Delete this draft").click()
    expect(heading(alex)).to_have_text("Are you sure you want to delete your draft application?")
    expect(alex.locator("main")).not_to_contain_text("cannot apply")
    axe(alex, "delete draft")
    alex.get_by_role("button", name="Yes, delete this draft").click()

    expect(heading(alex)).to_have_text("Your applications")
    expect(banner(alex)).to_contain_text(f"Your draft application for {title} has been deleted")
    expect(alex.get_by_role("link", name=title)).to_have_count(0)
    alex.goto(live_portal(f"/opportunities/{opportunity_id}"))
    expect(alex.get_by_role("button", name="Apply")).to_be_visible()
    axe.assert_clean()
