"""Things waiting for people: the date an offer is to be answered by, and the index
that reads the decisions a manager or head has taken, newest first.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-03
"""
import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("applications") as batch:
        batch.add_column(sa.Column("offer_reply_by", sa.Date(), nullable=True))
    op.create_index("ix_decisions_decided_by", "decisions",
                    ["decided_by_id", "decided_at", "id"])


def downgrade():
    op.drop_index("ix_decisions_decided_by", table_name="decisions")
    with op.batch_alter_table("applications") as batch:
        batch.drop_column("offer_reply_by")
