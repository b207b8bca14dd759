"""Signing in through the development identity provider, and the refusals around it."""

from urllib.parse import parse_qs, urlparse

from sqlalchemy import select

from portal.extensions import db
from portal.models import AuditEvent, User, UserSession
from portal.permissions import Role


def audit_actions():
    return [e.action for e in db.session.scalars(select(AuditEvent).order_by(AuditEvent.id))]


def test_anonymous_visitor_is_sent_to_sign_in_and_brought_back(client, demo_data):
    response = client.get("/home")
    assert response.status_code == 302
    assert response.location == "/sign-in?next=/home"

    answer = client.sign_in("staff-alex", next_path="/home")

    assert answer.status_code == 302
    assert answer.location == "/home"
    page = client.page("/home")
    assert "Welcome, Alex Morgan" in page.text
    assert "Alex Morgan" in page.soup.select_one(".portal-account__name").text


def test_authorization_request_carries_pkce_state_and_nonce(client, demo_data):
    query = parse_qs(urlparse(client.start_sign_in()).query)

    assert query["code_challenge_method"] == ["S256"]
    assert len(query["code_challenge"][0]) >= 43
    assert query["state"][0] and query["nonce"][0]
    assert query["response_type"] == ["code"]
    assert "openid" in query["scope"][0].split()


def test_persona_signs_in_with_roles_from_the_group_claim(client, demo_data):
    client.sign_in("people-sam")

    user = db.session.scalar(select(User).where(User.subject == "people-sam"))
    assert user.roles >= {Role.STAFF, Role.PEOPLE_SERVICES}
    assert Role.LEGAL not in user.roles
    page = client.page("/home")
    assert "People Services" in page.text
    assert "sign_in.succeeded" in audit_actions()


def test_derived_roles_line_manager_and_head_of_department(client, demo_data):
    client.sign_in("manager-priya")
    priya = db.session.scalar(select(User).where(User.subject == "manager-priya"))
    david = db.session.scalar(select(User).where(User.subject == "head-david"))

    assert Role.LINE_MANAGER in priya.roles
    assert Role.HEAD_OF_DEPARTMENT not in priya.roles
    assert Role.HEAD_OF_DEPARTMENT in david.roles


def test_first_sign_in_creates_a_staff_member_keyed_by_issuer_and_subject(
        client, identity_providers):
    client.sign_in("someone-new", provider="staff")

    user = db.session.scalar(select(User).where(User.subject == "someone-new"))
    assert user.issuer == identity_providers["staff"]
    assert user.roles == {Role.STAFF}


def test_imported_staff_record_is_linked_by_verified_email_at_first_sign_in(
        client, app, identity_providers):
    from tests.factories import make_user

    imported = make_user("Alex Imported", email="ALEX.MORGAN@example.org")
    client.sign_in("staff-alex", provider="staff")

    db.session.expire_all()
    linked = db.session.get(User, imported.id)
    assert (linked.issuer, linked.subject) == (identity_providers["staff"], "staff-alex")
    assert db.session.scalar(select(User).where(User.subject == "staff-alex")).id == imported.id
    assert "user.linked" in audit_actions()


def test_wrong_state_is_refused_with_a_clear_message_and_no_session(client, demo_data):
    authorize_url = client.start_sign_in()
    callback = client.choose_persona(authorize_url, "staff-alex")
    tampered = callback.replace("state=", "state=forged")

    response = client.get(tampered)

    assert response.status_code == 400
    assert "Sign-in could not be completed" in response.get_data(as_text=True)
    assert client.get("/home").status_code == 302
    assert db.session.scalar(select(UserSession)) is None
    assert "sign_in.failed" in audit_actions()


def test_replayed_callback_is_refused(client, demo_data):
    authorize_url = client.start_sign_in()
    callback = client.choose_persona(authorize_url, "staff-alex")
    assert client.get(callback).status_code == 302
    client.sign_out()

    replay = client.get(callback)

    assert replay.status_code == 400
    assert client.get("/home").status_code == 302


def test_callback_without_a_sign_in_in_progress_is_refused(client, demo_data):
    response = client.get("/auth/callback?code=abc&state=xyz")
    assert response.status_code == 400
    assert client.get("/home").status_code == 302


def test_next_pointing_to_another_host_is_ignored(client, demo_data):
    for hostile in ("https://evil.example/steal", "//evil.example/x", "/\\evil.example",
                    "javascript:alert(1)"):
        answer = client.sign_in("staff-alex", next_path=hostile)
        assert answer.location == "/", hostile
        client.sign_out()


def test_cookie_copied_before_sign_out_no_longer_works(client, make_client, demo_data):
    client.sign_in("staff-alex")
    cookie = client.get_cookie("portal_session")
    assert cookie is not None
    client.sign_out()

    thief = make_client()
    thief.set_cookie("portal_session", cookie.value)

    response = thief.get("/home")
    assert response.status_code == 302
    assert response.location.startswith("/sign-in")


def test_disabling_a_person_ends_their_sessions(client, demo_data):
    from portal.services.sessions import end_all_sessions

    client.sign_in("staff-alex")
    assert client.get("/home").status_code == 200
    alex = db.session.scalar(select(User).where(User.subject == "staff-alex"))
    alex.is_enabled = False
    end_all_sessions(alex, "disabled")
    db.session.commit()

    assert client.get("/home").status_code == 302


def test_disabled_person_cannot_sign_in(client, demo_data):
    alex = db.session.scalar(select(User).where(User.subject == "staff-alex"))
    alex.is_enabled = False
    db.session.commit()

    answer = client.sign_in("staff-alex")
    assert answer.status_code == 400
    assert client.get("/home").status_code == 302


def test_session_key_changes_at_each_sign_in(client, demo_data):
    client.sign_in("staff-alex")
    first = client.get_cookie("portal_session").value
    client.sign_out()
    client.sign_in("staff-alex")
    second = client.get_cookie("portal_session").value
    assert first != second
    keys = db.session.scalars(select(UserSession.key_hash)).all()
    assert len(set(keys)) == 2


def test_sign_out_ends_the_session_and_goes_to_the_providers_logout(client, demo_data,
                                                                      identity_providers):
    client.sign_in("staff-alex")

    response = client.sign_out()

    assert response.status_code == 302
    logout = urlparse(response.location)
    assert f"{logout.scheme}://{logout.netloc}" == identity_providers["staff"]
    query = parse_qs(logout.query)
    assert query["id_token_hint"][0].count(".") == 2
    assert query["post_logout_redirect_uri"] == ["http://localhost/signed-out"]
    record = db.session.scalar(select(UserSession))
    assert record.ended_at is not None and record.end_reason == "signed out"
    assert client.get("/home").status_code == 302


def test_sign_out_needs_the_csrf_token(client, demo_data):
    client.sign_in("staff-alex")
    assert client.post("/sign-out").status_code == 400
    assert client.get("/home").status_code == 200


def test_host_contact_signs_in_through_the_partner_provider(client, demo_data):
    page = client.page("/sign-in")
    assert "Sign in as a host organisation contact" in page.text

    client.sign_in("host-maria", provider="partner")

    page = client.page("/home")
    assert "Nothing needs your organisation in the portal" in page.text
    maria = db.session.scalar(select(User).where(User.subject == "host-maria"))
    assert maria.roles == {Role.HOST_CONTACT}


def test_partner_identity_that_was_not_invited_is_refused(client, demo_data):
    answer = client.sign_in("stranger@partner.example", provider="partner")

    assert answer.status_code == 400
    assert client.get("/home").status_code == 302
    assert db.session.scalar(
        select(User).where(User.subject == "stranger@partner.example")) is None


def test_staff_identity_is_not_accepted_from_the_partner_provider(client, demo_data):
    """Keyed by (issuer, subject): the same subject at another provider is someone else."""
    answer = client.sign_in("staff-alex", provider="partner")
    assert answer.status_code == 400


def test_sign_in_sends_the_provider_a_redirect_uri_on_the_portal_url_whatever_the_host(
        client, demo_data, app):
    """A forged Host header must not become the redirect URI: the provider would send the
    authorization code there."""
    assert app.config["PORTAL_URL"] == "http://localhost"

    response = client.get("/sign-in", query_string={"provider": "staff"},
                          headers={"Host": "evil.example"})

    assert response.status_code == 302
    query = parse_qs(urlparse(response.location).query)
    assert query["redirect_uri"] == ["http://localhost/auth/callback"]
    assert "evil.example" not in response.location


def test_sign_out_sends_the_provider_back_to_the_portal_url_whatever_the_host(client,
                                                                               demo_data):
    client.sign_in("staff-alex")
    token = client.csrf_token("/")
    # The browser's cookie, sent to the portal however its Host header was forged.
    client.set_cookie("portal_session", client.get_cookie("portal_session").value,
                      domain="evil.example")

    response = client.post("/sign-out", data={"csrf_token": token},
                           headers={"Host": "evil.example"})

    assert response.status_code == 302
    query = parse_qs(urlparse(response.location).query)
    assert query["post_logout_redirect_uri"] == ["http://localhost/signed-out"]


def test_a_browser_that_starts_sign_in_many_times_keeps_a_cookie_browsers_accept(
        client, demo_data):
    """Each started sign-in's state is kept in the session cookie; past 4 KB browsers drop
    the cookie silently. The oldest are forgotten, the last ones still complete."""
    from portal.oidc import PENDING_SIGN_INS

    started = [client.start_sign_in() for _ in range(25)]
    cookie = client.get_cookie("portal_session")
    assert len(cookie.key) + len(cookie.value) < 3000
    with client.session_transaction() as browser_session:
        assert sum(key.startswith("_state_") for key in browser_session) == PENDING_SIGN_INS
    # The latest still signs the person in.
    answer = client.get(client.choose_persona(started[-1], "staff-alex"))
    assert answer.status_code == 302
    assert "Welcome, Alex Morgan" in client.page("/home").text
