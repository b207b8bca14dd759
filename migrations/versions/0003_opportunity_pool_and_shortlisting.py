"""Opportunities: the grades of a restricted pool, and anonymised shortlisting.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-27
"""
import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("opportunities") as batch_op:
        batch_op.add_column(sa.Column("pool_grades", sa.String(length=200), nullable=False,
                                      server_default=""))
        # Shortlisting is anonymised unless the opportunity says otherwise.
        batch_op.add_column(sa.Column("anonymise_shortlisting", sa.Boolean(), nullable=False,
                                      server_default=sa.true()))
        batch_op.add_column(sa.Column("shortlist_fixed_at", sa.DateTime(timezone=True),
                                      nullable=True))


def downgrade():
    with op.batch_alter_table("opportunities") as batch_op:
        batch_op.drop_column("shortlist_fixed_at")
        batch_op.drop_column("anonymise_shortlisting")
        batch_op.drop_column("pool_grades")
