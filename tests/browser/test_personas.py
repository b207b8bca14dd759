"""Every persona, in a real browser: each signs in for real and visits every page its
navigation (the portal's and a section's own) and its home page link to, at desktop
(1280 px) and phone (390 px) widths. On every page: axe-core's WCAG 2.2 AA rules find
nothing, there is one <h1>, the title reads "Page – Secondments – Example Council", the
navigation fits one row at 1280, and nothing scrolls sideways at 390.

One browser and one seeded portal serve all the personas; each persona's test reports
every page that falls short at once. A screenshot of each persona's home page, at both
widths, goes to tests/artifacts/personas/.
"""

import re
from urllib.parse import urlsplit

import pytest

from tests.browser.conftest import axe_violations, format_violations, sign_in_with_mock
from tests.helpers import title_problem

pytestmark = pytest.mark.browser

PERSONAS = ["staff-alex", "manager-priya", "head-david", "people-sam", "board-george",
            "legal-ruth", "admin-jo", "host-maria", "host-omar"]
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
# Links that are not pages to check: files for other programs, or acts.
NOT_PAGES = (".atom", ".json", ".ics", ".csv", "/sign-out", "/sign-in")

# How the page is laid out, measured in the browser.
LAYOUT = """() => {
    const rows = new Set(
        [...document.querySelectorAll('.govuk-service-navigation__item')]
            .filter(item => item.offsetParent !== null)
            .map(item => Math.round(item.getBoundingClientRect().top)));
    return {
        h1s: document.querySelectorAll('h1').length,
        navigationRows: rows.size,
        overflow: document.documentElement.scrollWidth - window.innerWidth,
    };
}"""

LINKS = """selectors => [...document.querySelectorAll(selectors)].map(a => a.href)"""


@pytest.fixture(scope="module")
def shots(artifacts):
    folder = artifacts / "personas"
    folder.mkdir(exist_ok=True)
    return folder


def pages_linked(page, portal, selectors: str) -> list[str]:
    """The portal's own pages that these links lead to, each once, as paths."""
    paths = []
    for href in page.evaluate(LINKS, selectors):
        parts = urlsplit(href)
        if f"{parts.scheme}://{parts.netloc}" != portal.url:
            continue
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        if any(marker in parts.path for marker in NOT_PAGES) or path in paths:
            continue
        paths.append(path)
    return paths


def check(page, width: dict) -> list[str]:
    """What falls short on the page as it is now, at this width."""
    problems = []
    layout = page.evaluate(LAYOUT)
    if layout["h1s"] != 1:
        problems.append(f"{layout['h1s']} <h1> elements")
    problem = title_problem(page.title())
    if problem:
        problems.append(f"title {problem}")
    if width is DESKTOP and layout["navigationRows"] > 1:
        problems.append(f"navigation on {layout['navigationRows']} rows")
    if width is PHONE and layout["overflow"] > 0:
        problems.append(f"scrolls sideways by {layout['overflow']} px")
    violations = axe_violations(page)
    if violations:
        problems.append("axe-core:\n" + format_violations(violations))
    return problems


@pytest.mark.parametrize("subject", PERSONAS)
def test_every_page_a_persona_is_shown_is_accessible_and_fits(
        browser, live_portal, shots, subject):
    context = browser.new_context(bypass_csp=True, locale="en-GB", viewport=DESKTOP)
    page = context.new_page()
    try:
        sign_in_with_mock(page, live_portal, subject)
        page.wait_for_load_state()
        page.screenshot(path=shots / f"{subject}-home-1280.png", full_page=True)
        home = urlsplit(page.url).path
        to_visit = [home] + [p for p in pages_linked(
            page, live_portal, ".govuk-service-navigation a, main a, .portal-section-nav a")
            if p != home]
        visited, findings = [], {}
        while to_visit:
            path = to_visit.pop(0)
            visited.append(path)
            page.set_viewport_size(DESKTOP)
            response = page.goto(live_portal(path))
            if response.status != 200:
                findings[path] = [f"answered {response.status}"]
                continue
            for width in (DESKTOP, PHONE):
                # The same page laid out again at the phone's width, as a phone turned
                # or a window narrowed would: no second request.
                page.set_viewport_size(width)
                problems = check(page, width)
                if problems:
                    findings[f"{path} at {width['width']} px"] = problems
                if path == home and width is PHONE:
                    page.screenshot(path=shots / f"{subject}-home-390.png", full_page=True)
            # A section's own navigation leads to more of the persona's pages.
            for more in pages_linked(page, live_portal, ".portal-section-nav a"):
                if more not in visited and more not in to_visit:
                    to_visit.append(more)
        # Home and what the navigation links to, at the least.
        assert len(visited) >= 2, f"{subject} was shown only {visited}"
        assert not findings, f"{subject}: {len(findings)} of the {len(visited)} pages " \
            "visited fall short:\n" + "\n".join(
                f"--- {where}\n" + "\n".join(problems) for where, problems in findings.items())
    finally:
        context.close()


def test_the_back_office_forms_are_accessible(browser, live_portal, shots):
    """The back-office pages no navigation links to directly: a record, a form to
    change one, and a form sent with a mistake (its errors beside the fields)."""
    context = browser.new_context(bypass_csp=True, locale="en-GB", viewport=DESKTOP)
    page = context.new_page()
    try:
        sign_in_with_mock(page, live_portal, "admin-jo")
        findings = {}
        page.goto(live_portal("/back-office/people/"))
        page.get_by_role("link", name=re.compile("^View ")).first.click()
        page.wait_for_load_state()
        findings["a person"] = check(page, DESKTOP)
        page.get_by_role("link", name="Change person").click()
        page.wait_for_load_state()
        findings["changing a person"] = check(page, DESKTOP)
        page.goto(live_portal("/back-office/roles/new/"))
        page.get_by_role("button", name="Grant a role").click()
        page.wait_for_load_state()
        assert page.locator(".govuk-error-summary").is_visible()
        assert page.title().startswith("Error: ")
        page.screenshot(path=shots / "back-office-role-error.png", full_page=True)
        for width in (DESKTOP, PHONE):
            page.set_viewport_size(width)
            findings[f"a role form with errors at {width['width']} px"] = check(page, width)
        findings = {where: problems for where, problems in findings.items() if problems}
        assert not findings, "\n".join(
            f"--- {where}\n" + "\n".join(problems) for where, problems in findings.items())
    finally:
        context.close()
