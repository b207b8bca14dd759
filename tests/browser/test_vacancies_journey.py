"""An opportunity's whole life in a real browser, through real sign-ins.

People Services drafts an outgoing secondment and sends its business case, the Resources
Board approves it, People Services publishes it, and a member of staff finds it on the
board and reads its advert. axe-core's WCAG 2.2 AA rules run on every portal page of
the journey, including a question page showing its errors.
"""

import os
import re
import uuid
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import (
    axe_violations,
    format_violations,
    sign_in_with_mock,
    sign_out_with_mock,
)

pytestmark = pytest.mark.browser

HOST = "Northshire NHS Foundation Trust"


class AxeAudit:
    """Runs axe on each page it is shown; the test asserts once, at the end of the
    journey, so that one run reports every page with a violation."""

    def __init__(self, shots=None):
        self.pages: list[str] = []
        self.findings: dict[str, str] = {}
        self.shots = shots

    def __call__(self, page, name: str) -> None:
        self.pages.append(name)
        if self.shots:
            slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
            page.screenshot(path=self.shots / f"{len(self.pages):02d}-{slug}.png",
                            full_page=True)
        violations = axe_violations(page)
        if violations:
            self.findings[f"{name} ({page.url})"] = format_violations(violations)

    def assert_clean(self) -> None:
        assert not self.findings, "axe-core found WCAG 2.2 AA violations:\n" + "\n".join(
            f"--- {name}\n{report}" for name, report in self.findings.items())


def every_page_shots(artifacts):
    """With SCREENSHOT_EVERY_PAGE=1, a full-page screenshot of each page axe checks goes
    to tests/artifacts/vacancies/ (numbered in journey order) for a human to look over."""
    if os.environ.get("SCREENSHOT_EVERY_PAGE") != "1":
        return None
    shots = artifacts / "vacancies"
    shots.mkdir(exist_ok=True)
    return shots


def heading(page):
    return page.get_by_role("heading", level=1)


def fill_date(page, legend: str, value) -> None:
    group = page.get_by_role("group", name=legend)
    group.get_by_label("Day").fill(str(value.day))
    group.get_by_label("Month").fill(str(value.month))
    group.get_by_label("Year").fill(str(value.year))


def save_and_continue(page) -> None:
    page.get_by_role("button", name="Save and continue").click()


def test_an_outgoing_secondment_from_draft_to_advert(axe_context, live_portal, artifacts):
    page = axe_context.new_page()
    axe = AxeAudit(every_page_shots(artifacts))
    # Distinctive, so that the journey finds its own opportunity whatever else the
    # shared database holds.
    token = uuid.uuid4().hex[:8]
    title = f"Digital health analyst {token}"
    today = datetime.now(ZoneInfo("Europe/London")).date()
    closing = today + timedelta(days=10)
    start = closing + timedelta(days=35)
    closing_in_words = f"closes at 11:59pm on {closing.day} {closing:%B %Y} (in 10 days)"
    # At the start of a sentence; the month keeps its capital.
    closing_sentence = "C" + closing_in_words[1:]

    # --- 1. People Services drafts the opportunity and sends its business case -------
    sign_in_with_mock(page, live_portal, "people-sam")
    page.get_by_role("navigation", name="Main menu").get_by_role(
        "link", name="People Services").click()
    page.get_by_role("navigation", name="People Services").get_by_role(
        "link", name="Your opportunities").click()
    expect(heading(page)).to_have_text("Opportunities you look after")
    axe(page, "your opportunities")
    page.get_by_role("link", name="Create an opportunity").click()

    expect(heading(page)).to_have_text("What kind of secondment is it?")
    axe(page, "kind")
    page.get_by_label("Outgoing to an external host").check()
    page.get_by_role("button", name="Continue").click()

    # Details, sent empty once: the error summary and the messages by the fields.
    expect(heading(page)).to_have_text("Describe the opportunity")
    axe(page, "details")
    save_and_continue(page)
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_visible()
    expect(summary.get_by_role("heading")).to_have_text("There is a problem")
    for message in ("Enter a title", "Enter a summary", "Enter a description of the role"):
        expect(summary.get_by_role("link", name=message)).to_be_visible()
    expect(page.locator("#title-error")).to_contain_text("Enter a title")
    expect(page).to_have_title(re.compile("^Error: Describe the opportunity"))
    page.screenshot(path=artifacts / "question-error.png", full_page=True)
    axe(page, "details with errors")
    # The summary's links move to the fields they name.
    summary.get_by_role("link", name="Enter a title").click()
    expect(page.get_by_label("Title", exact=True)).to_be_focused()

    page.get_by_label("Title", exact=True).fill(title)
    page.get_by_label("Summary", exact=True).fill(
        "Six months with the NHS trust's data team, building shared dashboards.")
    page.get_by_label("Description", exact=True).fill(
        "You will join the trust's analytics team.\nYou will learn how clinical data "
        "is governed and bring back what you learn.")
    save_and_continue(page)

    expect(heading(page)).to_have_text("Where is it?")
    axe(page, "where")
    # Outgoing: the host is asked, not the offering department.
    expect(page.get_by_label("Offering department")).to_have_count(0)
    page.get_by_label("Host organisation").select_option(label=HOST)
    page.get_by_label("Location", exact=True).fill("Northshire General Hospital")
    page.get_by_label("Country", exact=True).fill("United Kingdom")
    save_and_continue(page)

    expect(heading(page)).to_have_text("Grade, hours and duration")
    axe(page, "terms")
    # Sent with a start date missing its month and a duration in words: every problem
    # at once, each in the GOV.UK date input's own words, the month box alone marked.
    fill_date(page, "Start date", start)
    page.get_by_role("group", name="Start date").get_by_label("Month").fill("")
    page.get_by_label("Duration in months").fill("six")
    save_and_continue(page)
    summary = page.locator(".govuk-error-summary")
    for message in ("Select the grade", "Start date must include a month",
                    "Duration must be a whole number, like 6"):
        expect(summary.get_by_role("link", name=message)).to_be_visible()
    expect(page.locator("#start_date")).to_have_class(re.compile("govuk-input--error"))
    expect(page.locator("#start_date-day")).not_to_have_class(re.compile("input--error"))
    summary.get_by_role("link", name="Start date must include a month").click()
    expect(page.get_by_role("group", name="Start date").get_by_label("Month")).to_be_focused()
    axe(page, "terms with errors")
    page.get_by_label("Grade", exact=True).select_option("Band 6")
    page.get_by_role("group", name="Hours").get_by_label("Full time").check()
    fill_date(page, "Start date", start)
    duration = page.get_by_label("Duration in months")
    expect(duration).to_have_attribute("inputmode", "numeric")
    duration.fill("6")
    save_and_continue(page)

    expect(heading(page)).to_have_text("Who pays?")
    axe(page, "money")
    page.get_by_role("group", name="Who pays the salary?").get_by_label(
        "Host (receiving side)").check()
    page.get_by_role("group", name="Who pays expenses?").get_by_label(
        "Shared between home and host").check()
    save_and_continue(page)

    expect(heading(page)).to_have_text("Who can apply?")
    axe(page, "audience")
    page.get_by_label("All staff (fair and open competition)").check()
    page.get_by_label("Skills and experience sought").fill(
        "Confident with spreadsheets and SQL; able to explain numbers to non-specialists.")
    page.get_by_label("Who is eligible?").fill(
        "Permanent staff at Band 5 or above who have passed probation.")
    save_and_continue(page)

    expect(heading(page)).to_have_text("Closing date and contact")
    axe(page, "closing")
    fill_date(page, "Closing date", closing)
    page.get_by_label("Contact person's e-mail address").fill("sam.whitfield@example.org")
    save_and_continue(page)

    # The task list: every question answered, the business case next, publishing
    # only after it; no red error summary for what nobody has done wrong.
    expect(heading(page)).to_have_text("Draft the opportunity")
    expect(page.locator(".govuk-error-summary")).to_have_count(0)
    tasks = page.locator(".govuk-task-list__item")
    expect(tasks.filter(has_text="Describe the opportunity")).to_contain_text("Completed")
    expect(tasks.filter(has_text="Business case for the Resources Board")).to_contain_text(
        "Not started")
    expect(tasks.filter(has_text="Publish")).to_contain_text("Cannot start yet")
    main = page.locator("main")
    expect(main).to_contain_text(title)
    expect(main).to_contain_text(HOST)
    expect(main).to_contain_text("6 months")
    expect(main).to_contain_text(f"{closing.day} {closing:%B %Y}")
    expect(main).to_contain_text(
        "The Resources Board must approve a business case before this is published")
    expect(page.get_by_role("button", name="Publish")).to_have_count(0)
    page.screenshot(path=artifacts / "check.png", full_page=True)
    axe(page, "check your answers (draft)")

    page.get_by_role("link", name="Business case for the Resources Board").click()
    expect(heading(page)).to_have_text("Business case for the Resources Board")
    axe(page, "business case")
    page.get_by_label("Skills, knowledge or experience to be gained or offered").fill(
        "Health data governance, which our own data team lacks.")
    priorities = page.get_by_role("group", name="Which strategic priorities does it serve?")
    priorities.get_by_role("checkbox").first.check()
    page.get_by_label("Costs and who pays them").fill(
        "Salary paid by the trust; travel shared.")
    page.get_by_label("How will the work at home be covered?").fill(
        "A Band 5 analyst acts up for the six months.")
    page.get_by_role("button", name="Send to the Resources Board").click()

    expect(page.locator(".govuk-panel__title")).to_have_text("Business case sent")
    expect(page.locator(".govuk-panel__body")).to_have_text(title)
    axe(page, "business case sent")
    sign_out_with_mock(page, live_portal)

    # --- 2. The Resources Board approves it -------------------------------------------
    sign_in_with_mock(page, live_portal, "board-george")
    page.get_by_role("navigation", name="Main menu").get_by_role(
        "link", name="Business cases").click()
    expect(heading(page)).to_have_text("Business cases to decide")
    axe(page, "business cases")
    page.get_by_role("link", name=title).click()

    expect(heading(page)).to_have_text(title)
    expect(page.locator("main")).to_contain_text("Health data governance")
    axe(page, "decide")
    page.get_by_role("group", name="Decision").get_by_label("Approve").check()
    page.get_by_label("Reasons for the decision").fill(
        "Builds skills the council needs; the host pays the salary.")
    page.get_by_role("button", name="Record the decision").click()

    expect(page.locator(".govuk-panel__title")).to_have_text("Business case approved")
    axe(page, "business case approved")
    sign_out_with_mock(page, live_portal)

    # --- 3. People Services publishes it ----------------------------------------------
    sign_in_with_mock(page, live_portal, "people-sam")
    page.get_by_role("navigation", name="Main menu").get_by_role(
        "link", name="People Services").click()
    page.get_by_role("navigation", name="People Services").get_by_role(
        "link", name="Your opportunities").click()
    page.get_by_role("link", name=title).click()

    expect(heading(page)).to_have_text(title)
    main = page.locator("main")
    expect(main.get_by_text("Approved", exact=True)).to_be_visible()  # the case's tag
    expect(main).to_contain_text("Decided by George Evans")
    expect(main).to_contain_text("The Resources Board approved the business case.")
    expect(main).to_contain_text(closing_sentence)
    axe(page, "manage (approved)")
    page.get_by_role("link", name="Publish it").click()

    expect(heading(page)).to_have_text("Draft the opportunity")
    expect(page.locator(".govuk-error-summary")).to_have_count(0)
    # With the Board's approval the answers can no longer be changed here.
    expect(page.locator("main").get_by_role("link", name=re.compile("^Change"))).to_have_count(0)
    expect(page.locator(".govuk-task-list__item").filter(
        has_text="Business case for the Resources Board")).to_contain_text("Completed")
    axe(page, "check your answers (approved)")
    page.get_by_role("button", name="Publish").click()

    expect(page.locator(".govuk-panel__title")).to_have_text("Opportunity published")
    axe(page, "published")
    page.get_by_role("link", name="Go to the opportunity").click()
    expect(heading(page)).to_have_text(title)
    expect(page.locator("main .govuk-tag").first).to_have_text("Open")
    axe(page, "manage (published)")
    # Its creator's view of the advert offers the way back to managing it.
    page.get_by_role("link", name="See the advert").click()
    aside = page.get_by_role("complementary", name="You look after this")
    expect(aside.get_by_role("link", name="Manage this opportunity")).to_be_visible()
    page.screenshot(path=artifacts / "advert-manager.png", full_page=True)
    axe(page, "advert (People Services)")
    sign_out_with_mock(page, live_portal)

    # --- 4. A member of staff finds it and reads the advert ----------------------------
    sign_in_with_mock(page, live_portal, "staff-alex")
    page.get_by_role("navigation", name="Main menu").get_by_role(
        "link", name="Opportunities").click()
    expect(heading(page)).to_have_text("Secondment opportunities")
    axe(page, "board")
    filters = page.get_by_role("search", name="Filter opportunities")
    filters.get_by_label("Keyword").fill(token)
    filters.get_by_role("group", name="Kind").get_by_label("Outgoing").check()
    filters.get_by_role("button", name="Apply filters").click()

    expect(page).to_have_url(re.compile(r"/opportunities\?.*kind=outgoing"))
    expect(page.get_by_role("heading", name="1 opportunity")).to_be_visible()
    results = page.get_by_role("list", name="1 opportunity")
    expect(results.get_by_role("listitem")).to_have_count(1)
    result = results.get_by_role("listitem").first
    expect(result).to_contain_text(HOST)
    expect(result).to_contain_text(closing_sentence)
    # The filters are kept for the next search.
    expect(filters.get_by_label("Keyword")).to_have_value(token)
    expect(filters.get_by_role("group", name="Kind").get_by_label("Outgoing")).to_be_checked()
    page.screenshot(path=artifacts / "board.png", full_page=True)
    axe(page, "board (filtered)")
    page.set_viewport_size({"width": 375, "height": 800})  # the results under the filter toggle
    page.screenshot(path=artifacts / "board-mobile.png", full_page=True)
    page.set_viewport_size({"width": 1280, "height": 800})

    result.get_by_role("link", name=title).click()
    expect(heading(page)).to_have_text(title)
    main = page.locator("main")
    expect(main.locator(".govuk-inset-text")).to_contain_text(
        f"This opportunity {closing_in_words}.")
    expect(main).to_contain_text(HOST)
    expect(main).to_contain_text("Outgoing to an external host")
    expect(main).to_contain_text("Questions: Sam Whitfield")
    # Staff read the advert; only its creator and People Services manage it.
    expect(page.get_by_role("link", name="Manage this opportunity")).to_have_count(0)
    page.screenshot(path=artifacts / "advert.png", full_page=True)
    axe(page, "advert")
    sign_out_with_mock(page, live_portal)

    axe.assert_clean()
