"""During the placement (issue 13): its reviews (001 §5.5, 004), the extensions that
move its end date (R3), and its end, early or by return (R11). Placements gain the
informal check-ins' cadence in weeks (every existing placement gets 4, the default),
and for an early end its reason, who ended it and when; for a return, the day.

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-08
"""
import sqlalchemy as sa
from alembic import op

revision = "0020"
down_revision = "0019"
branch_labels = None
depends_on = None


def _users(column: str, table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint([column], ["users.id"],
                                   name=op.f(f"fk_{table}_{column}_users"))


def upgrade():
    op.create_table(
        "reviews",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("placement_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("due_date", sa.Date(), nullable=False),
        sa.Column("held_on", sa.Date(), nullable=True),
        sa.Column("progress", sa.String(length=6000), nullable=False),
        sa.Column("notes", sa.String(length=6000), nullable=False),
        sa.Column("recorded_by_id", sa.Integer(), nullable=True),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("secondee_comments", sa.String(length=6000), nullable=False),
        sa.Column("secondee_commented_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("cancelled_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("note", sa.String(length=2000), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["placement_id"], ["placements.id"],
                                name=op.f("fk_reviews_placement_id_placements")),
        _users("recorded_by_id", "reviews"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reviews")),
        # One of each kind (check-ins numbered) per placement: never scheduled twice.
        sa.UniqueConstraint("placement_id", "kind", "number",
                            name=op.f("uq_reviews_placement_id_kind_number")),
    )
    op.create_index("ix_reviews_placement_due", "reviews", ["placement_id", "due_date"])
    # Overdue reviews across every placement, for the lists and the reminders.
    op.create_index("ix_reviews_due", "reviews", ["due_date", "held_on"])

    op.create_table(
        "extensions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("placement_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("proposed_by_id", sa.Integer(), nullable=False),
        sa.Column("proposed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("previous_end_date", sa.Date(), nullable=False),
        sa.Column("new_end_date", sa.Date(), nullable=False),
        sa.Column("reason", sa.String(length=2000), nullable=False),
        sa.Column("funding", sa.String(length=2000), nullable=False),
        sa.Column("substantive_agreed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("substantive_agreed_by_id", sa.Integer(), nullable=True),
        sa.Column("host_agreed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("host_agreed_by_id", sa.Integer(), nullable=True),
        sa.Column("substantive_considered_return", sa.Boolean(), nullable=False),
        sa.Column("host_considered_return", sa.Boolean(), nullable=False),
        sa.Column("closed_by_id", sa.Integer(), nullable=True),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("closed_reason", sa.String(length=2000), nullable=False),
        sa.Column("board_decided_by_id", sa.Integer(), nullable=True),
        sa.Column("board_decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("board_approved", sa.Boolean(), nullable=True),
        sa.Column("board_reason", sa.String(length=2000), nullable=False),
        sa.Column("applied_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["placement_id"], ["placements.id"],
                                name=op.f("fk_extensions_placement_id_placements")),
        _users("proposed_by_id", "extensions"),
        _users("substantive_agreed_by_id", "extensions"),
        _users("host_agreed_by_id", "extensions"),
        _users("closed_by_id", "extensions"),
        _users("board_decided_by_id", "extensions"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_extensions")),
    )
    op.create_index("ix_extensions_placement_status", "extensions", ["placement_id", "status"])

    with op.batch_alter_table("placements") as batch:
        batch.add_column(sa.Column("check_in_weeks", sa.Integer(), nullable=False,
                                   server_default="4"))
        batch.add_column(sa.Column("end_reason", sa.String(length=2000), nullable=False,
                                   server_default=""))
        batch.add_column(sa.Column("ended_by_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("ended_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("returned_on", sa.Date(), nullable=True))
        batch.create_foreign_key(op.f("fk_placements_ended_by_id_users"), "users",
                                 ["ended_by_id"], ["id"])


def downgrade():
    with op.batch_alter_table("placements") as batch:
        batch.drop_constraint(op.f("fk_placements_ended_by_id_users"), type_="foreignkey")
        batch.drop_column("returned_on")
        batch.drop_column("ended_at")
        batch.drop_column("ended_by_id")
        batch.drop_column("end_reason")
        batch.drop_column("check_in_weeks")
    op.drop_index("ix_extensions_placement_status", table_name="extensions")
    op.drop_table("extensions")
    op.drop_index("ix_reviews_due", table_name="reviews")
    op.drop_index("ix_reviews_placement_due", table_name="reviews")
    op.drop_table("reviews")
