"""Migrations: one head, `flask db upgrade` from empty gives the models' schema, and
`downgrade` undoes it."""

import uuid

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask_migrate import downgrade, upgrade
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import make_url

from portal import create_app
from portal.extensions import db
from tests.conftest import make_config


def test_there_is_one_head(app):
    config = app.extensions["migrate"].migrate.get_config()
    assert len(ScriptDirectory.from_config(config).get_heads()) == 1


# Built by a migration and not declared on a model, each with its reason.
MIGRATION_ONLY_INDEXES = {
    # PostgreSQL only, and only where the role may create pg_trgm (0009): a trigram
    # index over the board's search text (0011), which no portable Index can declare.
    "ix_opportunities_board_search",
}


def _declared(obj, name, type_, reflected, compare_to) -> bool:
    return not (type_ == "index" and name in MIGRATION_ONLY_INDEXES)


def schema_differences(connection):
    context = MigrationContext.configure(
        connection, opts={"compare_type": True, "include_object": _declared})
    return compare_metadata(context, db.metadata)


def test_migrated_schema_matches_the_models(app):
    """The run's database was built by `flask db upgrade` alone (see conftest)."""
    with db.engine.connect() as connection:
        assert schema_differences(connection) == []


@pytest.fixture
def scratch_database_url(database_url, tmp_path):
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite":
        yield f"sqlite:///{tmp_path / 'scratch.sqlite'}"
        return
    name = f"portal_scratch_{uuid.uuid4().hex[:8]}"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    yield url.set(database=name).render_as_string(hide_password=False)
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def test_upgrade_downgrade_upgrade_from_empty(scratch_database_url):
    app = create_app(make_config(scratch_database_url, {}))
    with app.app_context():
        upgrade()
        tables = set(inspect(db.engine).get_table_names())
        assert {"users", "organisations", "departments", "audit_events",
                "role_assignments", "user_sessions"} <= tables
        downgrade(revision="base")
        assert set(inspect(db.engine).get_table_names()) <= {"alembic_version"}
        upgrade()
        with db.engine.connect() as connection:
            assert schema_differences(connection) == []
        db.engine.dispose()


def test_audit_trail_refuses_update_and_delete_in_the_database(app):
    from portal.services.audit import record_now

    record_now("test.event", summary="original")
    for statement in ("UPDATE audit_events SET summary = 'changed'",
                      "DELETE FROM audit_events"):
        with pytest.raises(Exception, match="append-only"):
            with db.engine.begin() as conn:
                conn.execute(text(statement))
    with db.engine.connect() as conn:
        assert conn.execute(text("SELECT summary FROM audit_events")).scalar_one() == "original"


def test_the_boards_keyword_search_reads_the_trigram_index_on_postgresql(app):
    """The expression the board searches is the one migration 0009 indexed: among
    thousands of advertised opportunities PostgreSQL finds a rare word through it."""
    import hashlib

    from sqlalchemy import func, select

    from portal.models.opportunities import BOARD_SEARCH_TEXT, Opportunity
    from portal.services.opportunities.board import contains_pattern
    from tests.factories import make_user

    if db.engine.dialect.name != "postgresql":
        pytest.skip("the trigram index is PostgreSQL's")
    creator = make_user("Creator").id
    # The titles are md5 hex digests of 1..30000 (a label, not a security use).
    rare_word = hashlib.md5(b"29999", usedforsecurity=False).hexdigest()[:12]
    with db.engine.connect() as connection:
        connection.execute(text(
            "INSERT INTO opportunities (title, summary, description, location, country, "
            "grade, acting_up, working_pattern, hours_detail, duration_reason, extra_cost, "
            "skills_sought, eligibility, audience, restriction_justification, pool_grades, "
            "publicity_assessment, incoming_not_contractor, incoming_not_permanent_cover, "
            "kind, status, closing_date, created_by_id, created_at, version) "
            "SELECT 'Role ' || md5(n::text), 'A role.', '', 'Leeds', 'United Kingdom', "
            "'', false, 'full_time', '', '', false, 'GIS', '', 'all_staff', '', '', '', "
            "false, false, 'internal', 'published', DATE '2099-01-01', :creator, now(), 1 "
            "FROM generate_series(1, 30000) AS n"), {"creator": creator})
        connection.execute(text("ANALYZE opportunities"))
        query = select(func.count(Opportunity.id)).where(
            Opportunity.status == "published", Opportunity.audience != "named_request",
            BOARD_SEARCH_TEXT.like(contains_pattern(rare_word), escape="\\"))
        compiled = str(query.compile(connection, compile_kwargs={"literal_binds": True}))
        plan = "\n".join(row[0] for row in connection.exec_driver_sql(
            "EXPLAIN " + compiled.replace("%%", "%").replace("%", "%%")))
        assert connection.scalar(query) == 1
        connection.rollback()
    assert "ix_opportunities_board_search" in plan, plan
