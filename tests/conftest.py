"""Fixtures: a migrated database per test run, the development identity providers, an
application per test, and clients that sign in through the real OpenID Connect flow.

The database is PostgreSQL when `TEST_DATABASE_URL` names one, or when a server answers
on 127.0.0.1:5432; SQLite otherwise (or when `TEST_DATABASE_URL=sqlite`). Each run
creates its own database and drops it at the end.
"""

import atexit
import functools
import os
import shutil
import socket
import sqlite3
import tempfile
import uuid
from contextlib import contextmanager
from pathlib import Path

import pytest
from flask import Flask
from jinja2 import BytecodeCache
from sqlalchemy import create_engine, event, inspect, text
from sqlalchemy.engine import Engine, make_url
from werkzeug.routing.rules import Rule

from portal import create_app
from portal.config import Config
from portal.devidp import running_providers
from portal.extensions import db
from tests.helpers import PortalClient

CLIENT_ID = "secondments-portal"
CLIENT_SECRET = "test-client-secret"  # noqa: S105


class CompiledTemplates(BytecodeCache):
    """The pages' compiled templates, kept for the whole run.

    Each test has an application of its own, and each application a Jinja environment
    of its own that would parse and compile every page it renders again: most of a page
    test's time. Jinja checks each template's source against the checksum stored with
    its code, so a template changed during the run is compiled afresh; the options that
    change what the compiler emits are part of the key."""

    def __init__(self):
        self._code: dict[tuple, bytes] = {}

    @staticmethod
    def _key(bucket) -> tuple:
        env = bucket.environment
        return (bucket.key, env.trim_blocks, env.lstrip_blocks, env.keep_trailing_newline,
                env.newline_sequence, env.optimized, tuple(sorted(env.extensions)))

    def load_bytecode(self, bucket) -> None:
        code = self._code.get(self._key(bucket))
        if code is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket) -> None:
        self._code[self._key(bucket)] = bucket.bytecode_to_string()


# Every application the tests create (`create_app`) shares the one cache.
Flask.jinja_options = {**Flask.jinja_options, "bytecode_cache": CompiledTemplates()}


_builders: dict[tuple, object] = {}
_compile_builder = Rule._compile_builder


def _shared_builder(rule: Rule, append_unknown: bool = True):
    """Werkzeug compiles, for every route of every new application, two Python functions
    that build its URLs: a tenth of a second per test. Such a function is made only
    from the route's parsed parts, the names of its defaults and `append_unknown` (it
    reads the route's own converters when called), so routes alike share one. A default
    given for a part of the path itself is converted into the code: not shared."""
    defaults = rule.defaults or {}
    if defaults and any(dynamic and part in defaults for dynamic, part in rule._trace):
        return _compile_builder(rule, append_unknown)
    key = (append_unknown, rule.rule, tuple(rule._trace), tuple(sorted(defaults)))
    builder = _builders.get(key)
    if builder is None:
        builder = _builders[key] = _compile_builder(rule, append_unknown)
    return builder


Rule._compile_builder = _shared_builder


@event.listens_for(Engine, "connect")
def _commit_without_waiting_for_the_disk(dbapi_connection, _record):
    """A test database is thrown away at the end of the run: no commit need wait until
    it is on the disk, which is most of what a commit costs. What another connection
    sees, and when, is unchanged (PostgreSQL's synchronous_commit and SQLite's
    synchronous pragma only decide when the write reaches the disk)."""
    if isinstance(dbapi_connection, sqlite3.Connection):
        dbapi_connection.execute("PRAGMA synchronous = OFF")
    else:
        with dbapi_connection.cursor() as cursor:
            cursor.execute("SET synchronous_commit = off")
        if not getattr(dbapi_connection, "autocommit", False):
            dbapi_connection.commit()


def _postgres_answers() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 5432), timeout=0.5):
            return True
    except OSError:
        return False


def _base_database_url() -> str:
    url = os.environ.get("TEST_DATABASE_URL", "")
    if url == "sqlite" or (not url and not _postgres_answers()):
        return "sqlite"
    return url or "postgresql+psycopg://postgres@127.0.0.1:5432/test"


@pytest.fixture(scope="session")
def database_url():
    """A new, empty database for this run, migrated from empty by `flask db upgrade`."""
    base = _base_database_url()
    if base == "sqlite":
        directory = tempfile.mkdtemp(prefix="portal-test-")
        url = f"sqlite:///{Path(directory) / 'portal.sqlite'}"
        drop = None
    else:
        admin_url = make_url(Config({"PORTAL_ENV": "test", "DATABASE_URL": base})
                             .SQLALCHEMY_DATABASE_URI)
        name = f"portal_test_{uuid.uuid4().hex[:10]}"
        admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        url = admin_url.set(database=name).render_as_string(hide_password=False)

        def drop():
            with admin.connect() as conn:
                conn.execute(text(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    "WHERE datname = :name AND pid <> pg_backend_pid()"), {"name": name})
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
            admin.dispose()

    app = create_app(make_config(url, {}))
    with app.app_context():
        from flask_migrate import upgrade

        upgrade()
        db.engine.dispose()
    yield url
    if drop:
        drop()


@pytest.fixture(scope="session")
def identity_providers():
    """The development identity providers (`oidc-provider-mock`) with the demo personas."""
    with running_providers({"staff": 0, "partner": 0}) as issuers:
        yield issuers


@functools.cache
def sealing_files() -> dict[str, str]:
    """One self-signed document-sealing key and certificate for the whole run, made on
    first use, like the one the demo keeps in its instance folder."""
    from portal.services.pdf.credentials import make_self_signed

    directory = Path(tempfile.mkdtemp(prefix="portal-sealing-"))
    atexit.register(shutil.rmtree, directory, ignore_errors=True)
    key, cert = make_self_signed(directory / "sealing", "Example Council")
    return {"DOCUMENT_SEALING_KEY_FILE": str(key), "DOCUMENT_SEALING_CERT_FILE": str(cert)}


def make_config(database_url: str, issuers: dict, **env) -> dict:
    values = {
        "PORTAL_ENV": "test",
        "SECRET_KEY": "test-secret-key",
        "DATABASE_URL": database_url,
        # Tests sign in far more often than people do; test_rate_limits turns them on.
        "RATELIMIT_ENABLED": "false",
        # A page shows what was just published; the cache has a test of its own.
        "BOARD_FILTERS_SECONDS": "0",
        "LIST_COUNT_SECONDS": "0",
        # Where the test client sends its requests (Werkzeug's default host): the portal
        # builds its redirect URIs and e-mailed links on this, whatever the Host header.
        "PORTAL_URL": "http://localhost",
        **sealing_files(),
    }
    if "staff" in issuers:
        values |= {"OIDC_ISSUER": issuers["staff"], "OIDC_CLIENT_ID": CLIENT_ID,
                   "OIDC_CLIENT_SECRET": CLIENT_SECRET, "OIDC_SIGNING_ALGS": "RS256"}
    if "partner" in issuers:
        values |= {"PARTNER_OIDC_ISSUER": issuers["partner"],
                   "PARTNER_OIDC_CLIENT_ID": CLIENT_ID + "-partner",
                   "PARTNER_OIDC_CLIENT_SECRET": CLIENT_SECRET,
                   "PARTNER_OIDC_SIGNING_ALGS": "RS256"}
    values |= env
    return vars(Config(values)) | {"TESTING": True, "SERVER_NAME": None}


def _tables_with_rows(conn, tables: list[str]) -> list[str]:
    """The tables that hold a row, asked in one query (most tests touch few tables)."""
    if not tables:
        return []
    probes = " UNION ALL ".join(
        f"SELECT '{t}' WHERE EXISTS (SELECT 1 FROM \"{t}\")" for t in tables)
    return list(conn.execute(text(probes)).scalars())


def clean_database(engine) -> None:
    """Empty every table, the append-only audit trail included, between tests, and start
    every identity again from 1: only the tables that hold rows are emptied (one query
    finds them), so a test that wrote little costs little to undo."""
    tables = [t for t in inspect(engine).get_table_names() if t != "alembic_version"]
    with engine.begin() as conn:
        full = _tables_with_rows(conn, tables)
        if engine.dialect.name == "postgresql":
            # Sequences a test drew from, even where its rows are gone (rolled back).
            drawn = conn.execute(text(
                "SELECT quote_ident(schemaname) || '.' || quote_ident(sequencename) "
                "FROM pg_sequences WHERE last_value IS NOT NULL "
                "AND schemaname = current_schema()")).scalars().all()
            if not full and not drawn:
                return
            # Replica mode switches off the append-only triggers, and the foreign keys'
            # own triggers, for this session only: the order of the deletes is free.
            conn.execute(text("SET session_replication_role = replica"))
            for table in full:
                conn.execute(text(f'DELETE FROM "{table}"'))
            for sequence in drawn:
                conn.execute(text(f"ALTER SEQUENCE {sequence} RESTART"))
            conn.execute(text("SET session_replication_role = DEFAULT"))
        elif full:
            triggers = conn.execute(text(
                "SELECT name, sql FROM sqlite_master WHERE type = 'trigger'")).all()
            for name, _sql in triggers:
                conn.execute(text(f'DROP TRIGGER "{name}"'))
            for table in full:
                conn.execute(text(f'DELETE FROM "{table}"'))
            for _name, sql in triggers:
                conn.execute(text(sql))


@pytest.fixture
def app_config(database_url, identity_providers):
    """The settings the `app` fixture uses; a test may change them before asking for `app`."""
    return make_config(database_url, identity_providers)


@contextmanager
def running_app(config: dict):
    """An application whose context the caller holds for its own queries (every request
    made through the test client gets a fresh one, see PortalClient.open); every record
    is removed when it ends."""
    app = create_app(config)
    app.test_client_class = PortalClient
    with app.app_context():
        try:
            yield app
        finally:
            db.session.remove()
            clean_database(db.engine)
            db.engine.dispose()


@pytest.fixture
def app(app_config):
    with running_app(app_config) as app:
        yield app


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def demo_data(app, identity_providers):
    """The demo organisations, departments and personas, bound to the test providers."""
    from portal.demo import seed_demo_data

    seed_demo_data(identity_providers)


@pytest.fixture
def make_client(app):
    """More clients (browsers) for the same application."""
    return app.test_client
