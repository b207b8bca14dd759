"""axe-core's WCAG 2.2 AA rules find nothing on the portal's pages, in a real browser."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_no_axe_violations, sign_in_with_mock

pytestmark = pytest.mark.browser


@pytest.mark.parametrize(
    ("path", "status", "heading"),
    [
        ("/", 200, "Secondments at Example Council"),
        ("/sign-in", 200, "Sign in"),
        ("/accessibility", 200, "Accessibility statement for the secondments portal"),
        ("/no-such-page", 404, "Page not found"),
        ("/signed-out", 200, "You have signed out"),
        ("/auth/callback", 400, "Sign-in could not be completed"),
    ],
    ids=["start", "sign-in-chooser", "accessibility-statement", "not-found", "signed-out",
         "sign-in-failed"],
)
def test_public_pages_have_no_axe_violations(axe_context, live_portal, path, status, heading):
    page = axe_context.new_page()
    response = page.goto(live_portal(path))
    assert response.status == status
    expect(page.get_by_role("heading", level=1)).to_have_text(heading)
    assert_no_axe_violations(page)


def test_home_page_signed_in_has_no_axe_violations(axe_context, live_portal):
    page = axe_context.new_page()
    sign_in_with_mock(page, live_portal, "people-sam")
    expect(page.get_by_role("heading", level=1)).to_have_text("Welcome, Sam Whitfield")
    assert_no_axe_violations(page)


def test_host_contact_invitation_pages_have_no_axe_violations(axe_context, live_portal):
    """People Services' invitation page, and the page the invited contact opens."""
    from portal.extensions import db
    from portal.models import Organisation
    from portal.permissions import Role
    from portal.services import invitations
    from tests.factories import make_user

    with live_portal.app.app_context():
        officer = make_user("Ivy Inviter", roles=[Role.STAFF, Role.PEOPLE_SERVICES])
        host = db.session.query(Organisation).filter_by(is_own=False).first()
        token = invitations.invite(officer, host, "Rae Ranger", "rae@host.example")
        db.session.remove()
    page = axe_context.new_page()
    page.goto(live_portal(f"/invitations/{token}"))
    expect(page.get_by_role("heading", level=1)).to_have_text("You have been invited")
    assert_no_axe_violations(page)

    officer_page = axe_context.new_page()
    sign_in_with_mock(officer_page, live_portal, "people-sam")
    officer_page.goto(live_portal("/people-services/host-contacts"))
    officer_page.get_by_role("button", name="Send the invitation").click()
    expect(officer_page.locator(".govuk-error-summary")).to_be_visible()
    assert_no_axe_violations(officer_page)


def test_a_filter_the_list_cannot_use_is_shown_accessibly(axe_context, live_portal):
    """The board and People Services' list with a filter value from a bad link."""
    page = axe_context.new_page()
    sign_in_with_mock(page, live_portal, "people-sam")
    for path, field in (("/opportunities?department=9223372036854775808&duration=13",
                         "duration"),
                        ("/people-services/applications?status=approved", "status")):
        page.goto(live_portal(path))
        expect(page.locator(".govuk-error-summary")).to_be_visible()
        expect(page.locator(f"#{field}-error")).to_contain_text("from the list")
        assert page.title().startswith("Error:")
        assert_no_axe_violations(page)
    page.goto(live_portal("/opportunities?department=9223372036854775808&duration=13"))
    page.screenshot(path="tests/artifacts/board-filter-error.png", full_page=True)
