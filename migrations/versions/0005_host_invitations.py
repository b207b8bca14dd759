"""Invitations for contacts at external host organisations.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-27
"""
import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "host_invitations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("email", sa.String(length=320), nullable=False),
        sa.Column("invited_by_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("accepted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("accepted_user_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["accepted_user_id"], ["users.id"],
                                name=op.f("fk_host_invitations_accepted_user_id_users")),
        sa.ForeignKeyConstraint(["invited_by_id"], ["users.id"],
                                name=op.f("fk_host_invitations_invited_by_id_users")),
        sa.ForeignKeyConstraint(["organisation_id"], ["organisations.id"],
                                name=op.f("fk_host_invitations_organisation_id_organisations")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_host_invitations")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_host_invitations_token_hash")),
    )
    op.create_index(op.f("ix_host_invitations_organisation_id"), "host_invitations",
                    ["organisation_id"])


def downgrade():
    op.drop_table("host_invitations")
