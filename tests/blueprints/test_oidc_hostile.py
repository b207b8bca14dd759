"""Sign-in through a provider that lies: every faulty answer is refused, with no session.

The hostile provider (tests/hostile_provider.py) is honest unless told otherwise, and the
first test proves a sign-in through it succeeds; each refusal below then differs from
that success in one respect only.
"""

from urllib.parse import urlparse

import pytest
import requests
from sqlalchemy import select

from portal.extensions import db
from portal.models import AuditEvent, User, UserSession
from tests.conftest import make_config
from tests.hostile_provider import SUBJECT, running_hostile_provider

FAILED_PAGE = "Sign-in could not be completed"


@pytest.fixture(scope="module")
def hostile_server():
    with running_hostile_provider() as provider:
        yield provider


@pytest.fixture
def hostile(hostile_server):
    hostile_server.reset()
    return hostile_server


@pytest.fixture
def app_config(database_url, hostile):
    """The portal with the hostile provider as its only (staff) provider."""
    return make_config(database_url, {"staff": hostile.issuer})


def sign_in_through(client):
    """Go through the whole sign-in as a browser would; return the portal's last answer.

    When the portal refuses at the start (before sending anyone to the provider), that
    refusal is the answer."""
    start = client.get("/sign-in", query_string={"provider": "staff"})
    if start.status_code != 302:
        return start
    at_provider = requests.get(start.location, allow_redirects=False, timeout=10)
    assert at_provider.status_code == 302, at_provider.text[:300]
    callback = urlparse(at_provider.headers["location"])
    return client.get(f"{callback.path}?{callback.query}")


def failed_sign_in_reasons() -> list[str]:
    return list(db.session.scalars(
        select(AuditEvent.summary).where(AuditEvent.action == "sign_in.failed")
        .order_by(AuditEvent.id)))


def assert_no_one_signed_in(client):
    home = client.get("/home")
    assert home.status_code == 302
    assert home.location.startswith("/sign-in")
    assert db.session.scalar(select(UserSession)) is None
    assert db.session.scalar(select(User).where(User.subject == SUBJECT)) is None


def test_honest_answer_from_the_test_provider_signs_in(client, hostile):
    answer = sign_in_through(client)

    assert answer.status_code == 302, failed_sign_in_reasons()
    assert client.get("/home").status_code == 200
    user = db.session.scalar(select(User).where(User.subject == SUBJECT))
    assert (user.issuer, user.name) == (hostile.issuer, "Sam Hostile")
    assert db.session.scalar(select(UserSession).where(UserSession.user_id == user.id))
    assert failed_sign_in_reasons() == []


# Each fault, and what the audit trail should say about why it was refused: enough to
# show the refusal came from the check meant to catch it, not from a broken fixture.
REFUSALS = {
    "wrong_issuer": "invalid_claim",
    "wrong_audience": "invalid_claim",
    "audience_without_us": "invalid_claim",
    "missing_subject": "missing_claim",
    "missing_issued_at": "missing_claim",
    "expired": "expired_token",
    "bad_signature": "bad_signature",
    "unknown_key": "invalid_key_id",
    "alg_none": "unsupported_algorithm",
    "signed_with_client_secret": "unsupported_algorithm",
    "wrong_nonce": "invalid_claim",
    "missing_nonce": "missing_claim",
    "no_id_token": "no ID token",
    "userinfo_other_subject": "userinfo sub does not match",
}


@pytest.mark.parametrize("fault", sorted(REFUSALS))
def test_faulty_answer_from_the_provider_is_refused_with_no_session(client, hostile, fault):
    hostile.fault = fault

    answer = sign_in_through(client)

    assert answer.status_code == 400
    assert FAILED_PAGE in answer.get_data(as_text=True)
    assert_no_one_signed_in(client)
    reasons = failed_sign_in_reasons()
    assert len(reasons) == 1
    assert REFUSALS[fault] in reasons[0], reasons


def test_discovery_document_naming_another_issuer_is_refused(client, hostile):
    hostile.fault = "discovery_other_issuer"

    answer = sign_in_through(client)

    # Refused before anyone is sent to the provider.
    assert answer.status_code == 502
    assert FAILED_PAGE in answer.get_data(as_text=True)
    assert hostile.fetches("/authorize") == 0
    assert_no_one_signed_in(client)
    reasons = failed_sign_in_reasons()
    assert len(reasons) == 1
    assert "discovery document issuer" in reasons[0]


def test_provider_advertising_none_is_still_held_to_rs256(client, hostile):
    """The portal pins algorithms itself, so what the provider advertises cannot widen
    them: even with only `none` advertised an unsigned token is refused."""
    hostile.discovery_algorithms = ["none"]
    hostile.fault = "alg_none"

    answer = sign_in_through(client)

    assert answer.status_code == 400
    assert_no_one_signed_in(client)


def test_new_signing_key_is_fetched_once_and_accepted(client, make_client, hostile):
    # A first sign-in leaves the portal holding the old key set, as in a long-running
    # deployment when the provider rotates its keys.
    assert sign_in_through(client).status_code == 302
    assert hostile.fetches("/jwks") == 1
    hostile.rotate_keys()

    later = make_client()
    answer = sign_in_through(later)

    assert answer.status_code == 302, failed_sign_in_reasons()
    assert later.get("/home").status_code == 200
    assert hostile.fetches("/jwks") == 2


def test_unknown_signing_key_is_looked_up_only_once(client, hostile):
    hostile.fault = "unknown_key"

    assert sign_in_through(client).status_code == 400
    # The first look and one refresh: a stranger's kid cannot make the portal hammer
    # the provider.
    assert hostile.fetches("/jwks") == 2
