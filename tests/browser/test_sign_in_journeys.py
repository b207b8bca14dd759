"""A person signs in and out in a real browser, through both kinds of provider."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def starting_with(url: str, then: str = "") -> re.Pattern:
    """A URL that begins with `url`, followed by the pattern `then`."""
    return re.compile("^" + re.escape(url) + then)


def test_staff_sign_in_and_out_through_the_development_provider(page, live_portal, artifacts):
    """Start page → "Sign in" → chooser → staff provider → persona → home page, then
    "Sign out" → the provider's end-session page → "You have signed out"; the session is
    gone afterwards."""
    page.goto(live_portal("/"))
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile("Secondments at"))
    # The header names the organisation (as markup, not escaped HTML source).
    expect(page.locator(".govuk-header").get_by_role("link")).to_have_text("Example Council")
    page.screenshot(path=artifacts / "start.png", full_page=True)

    page.get_by_role("button", name="Sign in").click()  # the start button
    expect(page).to_have_url(live_portal("/sign-in"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")
    expect(page.get_by_role("link", name="Sign in as a host organisation contact")).to_be_visible()
    page.screenshot(path=artifacts / "sign-in.png", full_page=True)

    page.get_by_role("link", name="Sign in with your work account").click()
    # The development provider lists its personas as buttons named by their subject.
    page.get_by_role("button", name="staff-alex", exact=True).click()

    expect(page).to_have_url(live_portal("/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Welcome, Alex Morgan")
    expect(page.locator(".portal-account__name")).to_have_text("Alex Morgan")
    expect(page.get_by_text("alex.morgan@example.org")).to_be_visible()
    expect(page.get_by_text("Planning and Environment")).to_be_visible()
    page.screenshot(path=artifacts / "home.png", full_page=True)
    page.set_viewport_size({"width": 375, "height": 800})
    page.screenshot(path=artifacts / "home-mobile.png", full_page=True)
    page.set_viewport_size({"width": 1280, "height": 800})

    page.get_by_role("button", name="Sign out").click()
    # RP-initiated logout: the provider asks to confirm, then sends the browser back.
    expect(page.get_by_role("heading", name="End Session")).to_be_visible()
    page.get_by_role("button", name="End session").click()
    expect(page).to_have_url(starting_with(live_portal("/signed-out"), r"(\?|$)"))
    expect(page.get_by_role("heading", level=1)).to_have_text("You have signed out")
    expect(page.get_by_role("link", name="Sign in", exact=True)).to_be_visible()
    expect(page.locator(".portal-account__name")).to_have_count(0)

    page.goto(live_portal("/home"))
    expect(page).to_have_url(starting_with(live_portal("/sign-in"), r"\?next=(/|%2F)home$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")


def test_sign_in_and_out_through_a_certified_provider(page, panva_provider, panva_portal,
                                                      artifacts):
    """The same journey against panva `oidc-provider` (OpenID Certified): its login and
    consent pages, PKCE required, userinfo claims (name, e-mail, groups), and its
    RP-initiated logout, after which signing in asks for the login again."""
    page.goto(panva_portal("/"))
    page.get_by_role("button", name="Sign in").click()
    # One provider only: no chooser, straight to the provider's login page.
    expect(page).to_have_url(starting_with(panva_provider.issuer + "/interaction/"))
    page.get_by_placeholder("Enter any login").fill("kim.lee")
    page.get_by_placeholder("and password").fill("any password")
    page.get_by_role("button", name="Sign-in").click()
    page.get_by_role("button", name="Continue").click()

    expect(page).to_have_url(panva_portal("/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Welcome, Kim Lee")
    expect(page.locator(".portal-account__name")).to_have_text("Kim Lee")
    expect(page.get_by_text("kim.lee@example.org")).to_be_visible()
    # The groups claim (from userinfo) maps to the People Services role.
    expect(page.locator(".portal-related")).to_contain_text("People Services")
    page.screenshot(path=artifacts / "panva-home.png", full_page=True)

    page.get_by_role("button", name="Sign out").click()
    expect(page).to_have_url(starting_with(panva_provider.issuer + "/session/end"))
    page.get_by_role("button", name="Yes, sign me out").click()
    expect(page).to_have_url(starting_with(panva_portal("/signed-out"), r"(\?|$)"))
    expect(page.get_by_role("heading", level=1)).to_have_text("You have signed out")

    # The provider's session ended too: signing in again asks for the login.
    page.goto(panva_portal("/home"))
    expect(page).to_have_url(starting_with(panva_provider.issuer + "/interaction/"))
    expect(page.get_by_placeholder("Enter any login")).to_be_visible()
