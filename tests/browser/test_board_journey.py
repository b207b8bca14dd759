"""The board at desktop and phone widths, and the public page of incoming secondments,
in a real browser.

A member of staff filters the board at 1280 pixels, with the filters beside the
results, and removes a filter from the "Selected filters" list; at 390 pixels the
results come straight after a one-line "Filter opportunities" toggle, which opens the
filters. A visitor who is not signed in reads the incoming secondments offered to
other organisations. axe-core's WCAG 2.2 AA rules run on every page.
"""

import uuid

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import AxeAudit, sign_in_with_mock, sign_out_with_mock

pytestmark = pytest.mark.browser


@pytest.fixture
def token(live_portal) -> str:
    """Opportunities of this run, told apart from any other test's by a token."""
    from portal.models import Organisation
    from tests.factories import make_opportunity
    from tests.helpers import persona

    token = uuid.uuid4().hex[:8]
    with live_portal.app.app_context():
        sam = persona("people-sam")
        host = Organisation.query.filter_by(is_own=False).first()
        for n in range(3):
            make_opportunity(sam, publish=True, title=f"Ranger {token} {n}",
                             summary=f"Patrol the moors ({token}).")
        make_opportunity(sam, publish=True, title=f"Shadowing {token}", kind="informal",
                         duration_months=3, summary=f"Shadow a planner ({token}).")
        make_opportunity(sam, publish=True, kind="incoming", title=f"Visiting ecologist {token}",
                         host_organisation_id=host.id, summary=f"From a partner ({token}).",
                         incoming_not_contractor=True, incoming_not_permanent_cover=True)
        from portal.extensions import db

        db.session.remove()
    return token


def test_the_board_at_desktop_and_phone_widths(axe_context, live_portal, artifacts, token):
    axe = AxeAudit()
    page = axe_context.new_page()
    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in_with_mock(page, live_portal, "staff-alex")
    page.goto(live_portal("/opportunities"))

    # Desktop: the filters are shown beside the results, no toggle to open first.
    filters = page.get_by_role("search", name="Filter opportunities")
    expect(filters.get_by_label("Keyword")).to_be_visible()
    expect(page.locator(".portal-filter-panel summary")).to_be_hidden()
    filters.get_by_label("Keyword").fill(token)
    filters.get_by_role("group", name="Kind").get_by_label("Internal").check()
    filters.get_by_role("group", name="Kind").get_by_label("Job shadowing").check()
    filters.get_by_role("button", name="Apply filters").click()
    expect(page.get_by_role("heading", name="4 opportunities")).to_be_visible()
    # Incoming secondments are for other organisations: not on the staff board.
    expect(page.locator("main")).not_to_contain_text(f"Visiting ecologist {token}")
    chosen = page.locator(".portal-selected-filters")
    expect(chosen.locator(".portal-selected-filters__remove")).to_have_count(3)
    axe(page, "board filtered, desktop")
    page.screenshot(path=artifacts / "board-filters-desktop.png", full_page=True)

    chosen.get_by_role("link", name="Remove filter Kind: Job shadowing").click()
    expect(page.get_by_role("heading", name="3 opportunities")).to_be_visible()
    expect(filters.get_by_role("group", name="Kind").get_by_label("Job shadowing")
           ).not_to_be_checked()
    expect(filters.get_by_role("group", name="Kind").get_by_label("Internal")).to_be_checked()
    expect(filters.get_by_label("Keyword")).to_have_value(token)

    # Phone: the results come first, under a one-line toggle that opens the filters.
    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    toggle = page.locator(".portal-filter-panel summary")
    expect(toggle).to_have_text("Filter opportunities (2 selected)")
    expect(filters.get_by_label("Keyword")).to_be_hidden()
    first = page.locator(".portal-result").first
    assert first.bounding_box()["y"] < 844, first.bounding_box()  # on the first screen
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    axe(page, "board filtered, phone")
    page.screenshot(path=artifacts / "board-filters-phone.png", full_page=True)
    toggle.click()
    expect(filters.get_by_label("Keyword")).to_be_visible()
    axe(page, "board filters open, phone")

    # Past the last page: no count over nothing, a way back to the last page.
    page.goto(live_portal(f"/opportunities?q={token}&page=999"))
    expect(page.get_by_role("heading", name="No more results")).to_be_visible()
    page.get_by_role("link", name="Go to the last page (page 1)").click()
    expect(page.locator(".portal-result")).to_have_count(4)
    page.set_viewport_size({"width": 1280, "height": 900})
    sign_out_with_mock(page, live_portal)

    # Anyone: the public page of incoming secondments, and one of its adverts.
    page.goto(live_portal("/opportunities/incoming"))
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Secondments into Example Council")
    axe(page, "incoming secondments, signed out")
    page.screenshot(path=artifacts / "incoming-secondments.png", full_page=True)
    page.get_by_role("link", name=f"Visiting ecologist {token}").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Visiting ecologist {token}")
    expect(page.locator("main")).to_contain_text("Sending organisation")
    expect(page.locator("main")).to_contain_text("Closes at 11:59pm on ")
    axe(page, "incoming advert, signed out")
    page.screenshot(path=artifacts / "incoming-advert.png", full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    axe.assert_clean()
