"""Pages everyone sees: start, home by role, accessibility, errors; and what every
response carries."""

import pytest
from flask import abort

from portal.permissions import Permission, public, requires, undeclared_endpoints


def test_every_view_declares_who_may_use_it(app):
    assert undeclared_endpoints(app) == []


def test_route_walk_catches_an_undeclared_view(app):
    """The walk itself must be able to fail."""
    app.add_url_rule("/undeclared", "undeclared", lambda: "oops")
    assert undeclared_endpoints(app) == ["undeclared"]


def test_route_walk_catches_a_view_that_declares_twice(app):
    @requires(Permission.VIEW_BOARD)
    @public
    def both():
        return "which?"

    @requires(Permission.VIEW_BOARD)
    @requires(Permission.APPLY)
    def two_permissions():
        return "which?"

    app.add_url_rule("/both", "both", both)
    app.add_url_rule("/two", "two_permissions", two_permissions)
    assert undeclared_endpoints(app) == ["both", "two_permissions"]


def test_route_walk_catches_a_back_office_view_without_a_permission(app):
    admin = app.extensions["admin"][0]
    people = next(v for v in admin._views if v.endpoint == "admin_people")
    people.required_permission = None
    try:
        assert "admin_people.index_view" in undeclared_endpoints(app)
    finally:
        people.required_permission = Permission.MANAGE_USERS


def test_start_page_invites_sign_in(client):
    page = client.page("/")
    # Only what the portal does today: placements, reviews and checklists come later.
    for promise in ("placement", "review", "checklist", "agreement"):
        assert promise not in page.text.lower()
    assert page.h1 == "Secondments at Example Council"
    assert page.soup.find("a", string=lambda s: s and "Sign in" in s)
    assert "GOV.UK" not in page.text
    assert not page.soup.select(".govuk-header__logotype, .govuk-footer__crown")


@pytest.mark.parametrize(("persona", "expected", "absent"), [
    ("staff-alex", ["Your secondments", "Things to do"], ["Your organisation"]),
    ("manager-priya", ["endorsement"], []),
    ("head-david", ["release"], []),
    ("people-sam", ["cases to monitor"], []),
    ("legal-ruth", ["Nothing is waiting for you.", "agreements to ratify"],
     ["Decisions and tasks that need you"]),
    ("board-george", ["business cases"], []),
    ("admin-jo", ["back office"], []),
    ("host-maria", ["Your organisation", "Nothing needs your organisation"],
     ["Your secondments", "placements"]),
])
def test_home_page_fits_the_persona(client, demo_data, persona, expected, absent):
    client.sign_in(persona)
    page = client.page("/home")
    for text in expected:
        assert text in page.text
    for text in absent:
        assert text not in page.text


def test_navigation_shows_only_what_the_roles_allow(client, demo_data):
    client.sign_in("staff-alex")
    links = [a.get_text(strip=True) for a in client.page("/home").select(
        ".govuk-service-navigation__list a")]
    assert "Home" in links and "Back office" not in links


def test_signed_in_start_page_is_the_home_page(client, demo_data):
    client.sign_in("staff-alex")
    assert "Welcome, Alex Morgan" in client.page("/").text


def test_accessibility_statement_is_public(client):
    assert client.page("/accessibility").h1.startswith("Accessibility statement")


def test_unknown_page_gives_the_portals_404(client):
    page = client.page("/no-such-page", status=404)
    assert page.h1 == "Page not found"
    assert "Secondments" in page.title


def test_forbidden_gives_the_portals_403_and_is_audited(app, client, demo_data):
    from sqlalchemy import select

    from portal.extensions import db
    from portal.models import AuditEvent

    @requires(Permission.MANAGE_USERS)
    def admins_only():
        return "secret"

    app.add_url_rule("/admins-only", "admins_only", admins_only)
    client.sign_in("staff-alex")

    page = client.page("/admins-only", status=403)

    assert page.h1 == "You do not have permission to see this page"
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "access.refused"))
    assert "/admins-only" in event.summary


def test_forced_exception_gives_the_500_page_without_a_traceback(app, client):
    app.config["PROPAGATE_EXCEPTIONS"] = False

    @public
    def broken():
        raise RuntimeError("secret internals: password=hunter2")

    app.add_url_rule("/broken", "broken", broken)

    response = client.get("/broken")

    body = response.get_data(as_text=True)
    assert response.status_code == 500
    assert "Sorry, there is a problem with the service" in body
    assert "Traceback" not in body and "hunter2" not in body
    assert response.headers["Content-Security-Policy"]


def test_database_down_gives_503_with_retry_after(app, client):
    from sqlalchemy.exc import OperationalError

    @public
    def needs_database():
        raise OperationalError("SELECT 1", {}, Exception("connection refused"))

    app.add_url_rule("/needs-database", "needs_database", needs_database)
    response = client.get("/needs-database")
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "30"


def test_health_endpoints(client):
    assert client.get("/livez").json == {"status": "ok"}
    assert client.get("/readyz").json == {"status": "ok"}


def test_readyz_reports_a_database_that_does_not_answer(app, make_client, monkeypatch):
    from portal.extensions import db

    def refuse(*args, **kwargs):
        raise ConnectionError("down")

    monkeypatch.setattr(db.session, "execute", refuse)
    response = make_client().get("/readyz")
    assert response.status_code == 503
    assert response.headers["Retry-After"]


SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "X-Frame-Options": "DENY",
}


@pytest.mark.parametrize("path", ["/", "/accessibility", "/no-such-page", "/home",
                                  "/assets/portal.css", "/signed-out"])
def test_security_headers_on_every_response(client, path):
    response = client.get(path)
    for header, value in SECURITY_HEADERS.items():
        assert response.headers[header] == value, (path, header)
    csp = response.headers["Content-Security-Policy"]
    for directive in ("object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'",
                      "script-src 'self'"):
        assert directive in csp
    assert "unsafe-inline" not in csp


def test_error_responses_carry_the_headers_too(client):
    response = client.post("/accessibility")  # 405
    assert response.status_code == 405
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]


def test_signed_in_pages_are_not_cached(client, demo_data):
    client.sign_in("staff-alex")
    assert client.get("/home").headers["Cache-Control"] == "no-store"


def test_no_inline_script_in_pages(client, demo_data):
    client.sign_in("staff-alex")
    page = client.page("/home")
    for script in page.select("script"):
        assert script.get("src"), "inline script would need 'unsafe-inline'"
        assert not script.get_text(strip=True)
    assert not page.select("[style]")
    assert not page.select("[onclick], [onload]")


def test_page_title_names_the_page_service_and_organisation(client):
    assert client.page("/accessibility").title == (
        "Accessibility statement – Secondments – Example Council")


def test_abort_inside_a_view_uses_portal_pages(app, client):
    @public
    def gone():
        abort(400)

    app.add_url_rule("/bad", "bad", gone)
    assert client.page("/bad", status=400).h1 == "There is a problem with your request"


def current_entries(page) -> tuple[list[str], list[str]]:
    """The current entry of the portal's navigation, and of a section's own."""
    return ([a.get_text(strip=True) for a in page.select(
                ".govuk-service-navigation [aria-current]")],
            [a.get_text(strip=True) for a in page.select(".portal-section-nav [aria-current]")])


def test_only_the_most_specific_navigation_entry_is_current(client, demo_data):
    client.sign_in("manager-priya")
    page = client.page("/opportunities/yours")
    assert current_entries(page) == (["Your opportunities"], [])
    home = client.page("/")
    assert current_entries(home) == (["Home"], [])
    client.sign_out()
    # People Services find their opportunities under their own entry.
    client.sign_in("people-sam")
    page = client.page("/opportunities/yours")
    assert current_entries(page) == (["People Services"], ["Your opportunities"])


def test_pages_of_a_feature_mark_their_navigation_entry(client, demo_data):
    from sqlalchemy import select

    from portal.extensions import db
    from portal.models import User
    from tests.factories import make_opportunity

    sam = db.session.scalar(select(User).where(User.subject == "people-sam"))
    o = make_opportunity(sam, publish=True)
    client.sign_in("people-sam")
    for url, expected in (
            (f"/opportunities/{o.id}/manage", (["People Services"], ["Your opportunities"])),
            (f"/opportunities/{o.id}", (["Opportunities"], [])),
            ("/opportunities/named-requests", (["People Services"], ["Named requests"]))):
        assert current_entries(client.page(url)) == expected, url


@pytest.fixture
def database_outage(app):
    """The database stops answering new connections until the test ends."""
    from sqlalchemy import event
    from sqlalchemy.exc import OperationalError

    from portal.extensions import db

    def refuse(*args, **kwargs):
        raise OperationalError("connect", {}, Exception("connection refused"))

    class Outage:
        def start(self):
            db.session.remove()
            db.engine.dispose()
            event.listen(db.engine, "do_connect", refuse)

        def end(self):
            event.remove(db.engine, "do_connect", refuse)

    outage = Outage()
    yield outage
    if event.contains(db.engine, "do_connect", refuse):
        outage.end()


@pytest.mark.parametrize("signed_in", [True, False])
def test_database_down_gives_the_503_page_and_recovers_without_a_restart(
        client, demo_data, database_outage, signed_in):
    if signed_in:
        client.sign_in("staff-alex")
        assert client.get("/home").status_code == 200
    database_outage.start()

    # Signed in, every page needs the session record; signed out, only the pages that
    # read the database do (the others send the visitor to sign in, which needs none).
    if not signed_in:
        assert client.get("/").status_code == 200
        assert client.get("/home").status_code == 302
    urls = ("/home", "/opportunities", "/applications", "/") if signed_in else ()
    for url in urls:
        response = client.get(url)
        assert response.status_code == 503, url
        assert response.headers["Retry-After"] == "30"
        assert "Sorry, the service is unavailable" in response.get_data(as_text=True)
        assert "Traceback" not in response.get_data(as_text=True)
    assert client.get("/livez").status_code == 200
    assert client.get("/readyz").status_code == 503

    database_outage.end()
    assert client.get("/readyz").status_code == 200
    assert client.get("/home").status_code == (200 if signed_in else 302)


@pytest.mark.parametrize(("raised", "status", "heading"), [
    (PermissionError("close"), 403, "You do not have permission to see this page"),
    ("stale", 409, "This page changed while you were looking at it"),
    ("refused", 409, "This cannot be done now"),
])
def test_refusals_from_any_feature_are_answered_once_for_the_whole_portal(
        app, client, raised, status, heading):
    """One handler each, whichever feature's service raises: never a server error."""
    from portal.services.errors import StaleRecord
    from portal.workflow import TransitionRefused

    errors = {"stale": StaleRecord(), "refused": TransitionRefused(
        "This cannot be done while the opportunity is closed")}

    @public
    def raising():
        raise errors.get(raised, raised)

    app.add_url_rule("/raising", "raising", raising)
    page = client.page("/raising", status=status)
    assert page.h1 == heading
    if raised == "refused":
        assert "while the opportunity is closed" in page.text


def test_a_feature_adds_its_own_things_to_do_without_editing_the_others(client, demo_data):
    from portal.services import home

    @home.waiting(order=99, shown_to=lambda person: person.can(Permission.VIEW_BOARD),
                  describes="placements to confirm")
    def placements_to_confirm(person):
        return [home.Item(f"Confirm the placement of {person.name}", "/home")]

    try:
        client.sign_in("staff-alex")
        things = client.page("/home").soup.find("h2", string="Things to do")
        assert things.find_next("ul").get_text(strip=True) == \
            "Confirm the placement of Alex Morgan"
        client.sign_out()
        client.sign_in("host-maria")
        assert "Confirm the placement" not in client.page("/home").text
    finally:
        home._WAITING.remove(next(s for s in home._WAITING if s.items is placements_to_confirm))
