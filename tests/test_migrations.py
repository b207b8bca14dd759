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


def test_the_board_reads_its_indexes_on_postgresql_for_a_rare_word_and_a_far_page(app):
    """Among thousands of advertised opportunities, what the board runs finds a rare
    word through the trigram index over the search text (0011) and counts its way to a
    page far down the list in its partial index (0014), as PostgreSQL plans them."""
    import hashlib

    from sqlalchemy import event

    from portal.services.opportunities.board import BoardFilters, board
    from tests.factories import make_user

    if db.engine.dialect.name != "postgresql":
        pytest.skip("the trigram index is PostgreSQL's")
    creator = make_user("Creator").id
    # The titles are md5 hex digests of 1..30000 (a label, not a security use).
    rare_word = hashlib.md5(b"29999", usedforsecurity=False).hexdigest()[:12]
    with db.engine.begin() as connection:
        connection.execute(text(
            "INSERT INTO opportunities (title, summary, description, location, country, "
            "grade, acting_up, working_pattern, hours_detail, duration_reason, extra_cost, "
            "skills_sought, eligibility, audience, restriction_justification, pool_grades, "
            "publicity_assessment, incoming_not_contractor, incoming_not_permanent_cover, "
            "kind, status, closing_date, created_by_id, created_at, version) "
            "SELECT 'Role ' || md5(n::text), 'A role.', '', 'Leeds', 'United Kingdom', "
            "'', false, 'full_time', '', '', false, 'GIS', '', 'all_staff', '', '', '', "
            "false, false, 'internal', 'published', DATE '2099-01-01' + n % 300, "
            ":creator, now(), 1 FROM generate_series(1, 30000) AS n"), {"creator": creator})
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.execute(text("VACUUM ANALYZE opportunities"))

    def plans_of(filters):
        ran = []

        def keep(conn, cursor, statement, parameters, context, executemany):
            ran.append((statement, parameters))

        event.listen(db.engine, "before_cursor_execute", keep)
        try:
            results = board(filters)
        finally:
            event.remove(db.engine, "before_cursor_execute", keep)
        with db.engine.connect() as connection:
            plans = "\n".join(row[0] for statement, parameters in ran
                              for row in connection.exec_driver_sql(
                                  "EXPLAIN " + statement, parameters))
        return results, plans

    found, plans = plans_of(BoardFilters(keyword=rare_word))
    assert found.total == 1 and len(found.items) == 1
    assert "ix_opportunities_board_search" in plans, plans
    far, plans = plans_of(BoardFilters(page=300))
    assert far.total == 30000 and len(far.items) == 20
    assert "Index Only Scan using ix_opportunities_advertised_closing" in plans, plans
