"""Every free-text answer has a maximum that fits its purpose (portal/limits.py), kept by
the column as well as the form: 100,000 characters can no longer be stored in a reason.

A database holding a longer answer than its new limit is not cut short: the upgrade
stops, naming the column and how many rows are too long, so that People Services can
decide what to keep before it is run again.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-03
"""
import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

REASON, ANSWER, DESCRIPTION = 2_000, 6_000, 10_000

BOUNDED = {
    "applications": {"motivation": ANSWER, "evidence": ANSWER,
                     "learning_objectives": ANSWER, "cover_plan": ANSWER,
                     "conflict_details": ANSWER, "assessment_outcome": ANSWER,
                     "offer_terms": ANSWER},
    "decisions": {"rationale": ANSWER},
    "appeals": {"grounds": ANSWER},
    "conflict_declarations": {"text": ANSWER},
    "conflict_actions": {"action": REASON},
    "opportunities": {"description": DESCRIPTION, "duration_reason": REASON,
                      "skills_sought": ANSWER, "eligibility": ANSWER,
                      "restriction_justification": REASON, "publicity_assessment": ANSWER},
    "business_cases": {"skills": ANSWER, "costs": ANSWER, "cover": ANSWER,
                       "decision_reason": REASON},
}
NOT_NULL = {("appeals", "grounds"), ("conflict_declarations", "text"),
            ("conflict_actions", "action")}

# SQLite rebuilds a table to change a column's type, and a rebuilt table loses its
# triggers: the append-only ones (0004) are put back afterwards.
APPEND_ONLY = ("conflict_declarations", "conflict_actions")


def _refuse_if_too_long(connection) -> None:
    too_long = []
    for table, columns in BOUNDED.items():
        for column, limit in columns.items():
            count = connection.execute(sa.text(
                f"SELECT count(*) FROM {table} WHERE length({column}) > :limit"),  # noqa: S608
                {"limit": limit}).scalar_one()
            if count:
                too_long.append(f"{table}.{column}: {count} longer than {limit:,} characters")
    if too_long:
        raise RuntimeError("Answers longer than their new limit; shorten them first: "
                           + "; ".join(too_long))


def _sqlite_triggers(table: str) -> list[str]:
    return [f"CREATE TRIGGER {table}_no_{verb.lower()} BEFORE {verb} ON {table} "
            "BEGIN SELECT RAISE(ABORT, 'conflict records are append-only'); END"
            for verb in ("UPDATE", "DELETE")]


def _change_types(bounded: bool) -> None:
    connection = op.get_bind()
    sqlite = connection.dialect.name == "sqlite"
    for table, columns in BOUNDED.items():
        with op.batch_alter_table(table) as batch:
            for column, limit in columns.items():
                old, new = sa.Text(), sa.String(length=limit)
                batch.alter_column(column, existing_type=old if bounded else new,
                                   type_=new if bounded else old,
                                   existing_nullable=(table, column) not in NOT_NULL)
        if sqlite and table in APPEND_ONLY:
            for statement in _sqlite_triggers(table):
                op.execute(statement)


def upgrade():
    _refuse_if_too_long(op.get_bind())
    _change_types(bounded=True)


def downgrade():
    _change_types(bounded=False)
