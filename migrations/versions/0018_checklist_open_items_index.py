"""People Services' dashboard of open checklists at a large body's size: whether a
placement still has an open item is read from an index of each placement's items with
their status, not by fetching every item of every live placement from the table.

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-08
"""
from alembic import op

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None


def upgrade():
    op.create_index("ix_checklist_items_placement_status", "checklist_items",
                    ["placement_id", "status"])


def downgrade():
    op.drop_index("ix_checklist_items_placement_status", table_name="checklist_items")
