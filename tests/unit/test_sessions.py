"""Server-side sessions: idle timeout, absolute lifetime, ending them."""

from datetime import timedelta

import time_machine
from sqlalchemy import select

from portal.extensions import db
from portal.models import UserSession
from portal.models.base import utcnow
from portal.services import sessions
from tests.factories import make_user


def start(user):
    key = sessions.start_session(user, "staff", id_token=None)
    db.session.commit()
    return key


def test_a_fresh_session_belongs_to_its_person(app):
    user = make_user()
    key = start(user)
    assert sessions.user_for_session(key).id == user.id
    assert sessions.user_for_session("not-a-key") is None
    assert sessions.user_for_session(None) is None


def test_the_key_itself_is_not_stored(app):
    key = start(make_user())
    stored = db.session.scalar(select(UserSession.key_hash))
    assert key not in stored and len(stored) == 64


def test_idle_timeout_ends_the_session(app):
    app.config["SESSION_IDLE_MINUTES"] = 30
    user = make_user()
    now = utcnow()
    with time_machine.travel(now, tick=False):
        key = start(user)
    with time_machine.travel(now + timedelta(minutes=29), tick=False):
        assert sessions.user_for_session(key) is not None
    # Activity at minute 29 moved the idle clock on.
    with time_machine.travel(now + timedelta(minutes=58), tick=False):
        assert sessions.user_for_session(key) is not None
    with time_machine.travel(now + timedelta(minutes=89), tick=False):
        assert sessions.user_for_session(key) is None
    record = db.session.scalar(select(UserSession))
    assert record.end_reason == "idle timeout"
    with time_machine.travel(now + timedelta(minutes=90), tick=False):
        assert sessions.user_for_session(key) is None


def test_absolute_lifetime_ends_even_an_active_session(app):
    app.config["SESSION_IDLE_MINUTES"] = 30
    app.config["SESSION_LIFETIME_HOURS"] = 2
    user = make_user()
    now = utcnow()
    with time_machine.travel(now, tick=False):
        key = start(user)
    for minutes in range(20, 120, 20):
        with time_machine.travel(now + timedelta(minutes=minutes), tick=False):
            assert sessions.user_for_session(key) is not None
    with time_machine.travel(now + timedelta(minutes=121), tick=False):
        assert sessions.user_for_session(key) is None
    assert db.session.scalar(select(UserSession)).end_reason == "lifetime reached"


def test_ending_all_sessions_of_a_person(app):
    user = make_user()
    other = make_user()
    keys = [start(user), start(user)]
    other_key = start(other)

    sessions.end_all_sessions(user, "disabled")
    db.session.commit()

    assert all(sessions.user_for_session(k) is None for k in keys)
    assert sessions.user_for_session(other_key) is not None


def test_a_new_session_after_all_were_ended_works(app):
    user = make_user()
    start(user)
    sessions.end_all_sessions(user, "disabled")
    db.session.commit()
    assert sessions.user_for_session(start(user)) is not None


def test_disabled_person_session_ends(app):
    user = make_user()
    key = start(user)
    user.is_enabled = False
    db.session.commit()
    assert sessions.user_for_session(key) is None


def test_a_signed_in_page_costs_two_queries_for_the_session_and_the_person(client,
                                                                            demo_data):
    """The fixed cost of every signed-in request: the session, the person, their
    organisation and their roles in one query, whether they manage or head anything in
    a second; the page's own queries come on top."""
    from portal.extensions import db
    from tests.helpers import count_queries

    client.sign_in("manager-priya")
    client.get("/accessibility")  # a page that reads nothing of its own
    db.session.remove()
    with count_queries() as statements:
        assert client.get("/accessibility").status_code == 200
    assert len(statements) == 2, statements
    assert "Line manager" in client.page("/home").text  # derived roles still work
