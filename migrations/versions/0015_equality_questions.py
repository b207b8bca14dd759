"""Equality monitoring asks what a UK public body's form asks: whether gender identity
is the same as sex registered at birth, marriage or civil partnership, and pregnancy and
maternity; the answers can be changed afterwards (one row per application, changed in
place, with when).

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-03
"""
import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None

COLUMNS = {
    "gender_identity": sa.String(30),
    "marriage_civil_partnership": sa.String(80),
    "pregnancy_maternity": sa.String(30),
    "changed_at": sa.DateTime(timezone=True),
}


def upgrade():
    with op.batch_alter_table("equality_responses") as table:
        for name, column_type in COLUMNS.items():
            table.add_column(sa.Column(name, column_type, nullable=True))


def downgrade():
    with op.batch_alter_table("equality_responses") as table:
        for name in reversed(COLUMNS):
            table.drop_column(name)
