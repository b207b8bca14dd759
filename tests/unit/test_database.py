"""Connections idle in the pool are tested before a request gets them; one just handed
back is not, so a busy portal does not pay a round trip per page for the test."""

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.pool import QueuePool

from portal.database import ping_when_idle


@pytest.fixture
def engine(tmp_path):
    engine = create_engine(f"sqlite:///{tmp_path / 'pool.sqlite'}", poolclass=QueuePool,
                           pool_size=1, max_overflow=0)
    yield engine
    engine.dispose()


@pytest.fixture
def pings(engine, monkeypatch):
    """Each ping's answer, in turn, and a record of every connection pinged."""
    answers, pinged = [], []

    def do_ping(dbapi_connection):
        pinged.append(dbapi_connection)
        return answers.pop(0) if answers else True

    monkeypatch.setattr(engine.dialect, "do_ping", do_ping)
    return answers, pinged


def use(engine):
    with engine.connect() as connection:
        connection.execute(text("SELECT 1"))
        return connection.connection.dbapi_connection


def test_a_connection_just_handed_back_is_not_pinged(engine, pings):
    ping_when_idle(engine, idle_seconds=60)
    _, pinged = pings
    first = use(engine)  # new: never pinged, it has just connected
    assert use(engine) is first
    assert use(engine) is first
    assert pinged == []


def test_a_connection_idle_for_longer_is_pinged_before_use(engine, pings):
    ping_when_idle(engine, idle_seconds=0)
    _, pinged = pings
    first = use(engine)
    assert use(engine) is first
    assert pinged == [first]


def test_a_connection_that_died_while_idle_is_replaced_and_the_request_goes_on(
        engine, pings):
    ping_when_idle(engine, idle_seconds=0)
    answers, pinged = pings
    first = use(engine)
    answers.append(False)  # the database dropped it meanwhile
    second = use(engine)
    assert second is not first
    assert pinged == [first]


def test_on_postgresql_a_connection_the_server_ended_while_idle_is_replaced(app):
    from portal.extensions import db

    if db.engine.dialect.name != "postgresql":
        pytest.skip("ends a server process of PostgreSQL's")
    engine = create_engine(db.engine.url, pool_size=1, max_overflow=0)
    try:
        ping_when_idle(engine, idle_seconds=0)
        with engine.connect() as connection:
            ended = connection.scalar(text("SELECT pg_backend_pid()"))
        with db.engine.connect() as other:
            assert other.scalar(text("SELECT pg_terminate_backend(:pid)"), {"pid": ended})
        with engine.connect() as connection:
            assert connection.scalar(text("SELECT pg_backend_pid()")) != ended
    finally:
        engine.dispose()
