"""Applications at a large body's size: People Services' list newest first, and each
decider's list longest waiting first, read from indexes instead of sorting every row.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-03
"""
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

INDEXES = {
    "ix_applications_submitted": ["submitted_at", "id"],
    "ix_applications_line_manager_waiting": ["line_manager_id", "status", "submitted_at",
                                             "id"],
    "ix_applications_head_waiting": ["head_of_department_id", "status", "submitted_at", "id"],
}


def upgrade():
    for name, columns in INDEXES.items():
        op.create_index(name, "applications", columns)


def downgrade():
    for name in INDEXES:
        op.drop_index(name, table_name="applications")
