"""The HR export People Services upload through the portal, kept between its dry run and
their confirmation (several workers serve the portal, so the file cannot wait in one of
them), and removed once applied, replaced, or a day old.

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-08
"""
import sqlalchemy as sa
from alembic import op

revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "staff_import_uploads",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uploaded_by_id", sa.Integer(), nullable=False),
        sa.Column("filename", sa.String(length=255), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("encoding", sa.String(length=20), nullable=True),
        sa.Column("leavers", sa.String(length=10), nullable=False),
        sa.Column("summary", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["uploaded_by_id"], ["users.id"],
                                name=op.f("fk_staff_import_uploads_uploaded_by_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_staff_import_uploads")),
        # Ids never given again on SQLite either (see the model).
        sqlite_autoincrement=True,
    )
    op.create_index(op.f("ix_staff_import_uploads_uploaded_by_id"), "staff_import_uploads",
                    ["uploaded_by_id"])
    op.create_index(op.f("ix_staff_import_uploads_created_at"), "staff_import_uploads",
                    ["created_at"])


def downgrade():
    op.drop_index(op.f("ix_staff_import_uploads_created_at"),
                  table_name="staff_import_uploads")
    op.drop_index(op.f("ix_staff_import_uploads_uploaded_by_id"),
                  table_name="staff_import_uploads")
    op.drop_table("staff_import_uploads")
