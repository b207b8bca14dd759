"""Documents kept as issued: each decision letter is rendered once, when the decision is
taken, and stored with its SHA-256; the database refuses to change or remove one.

Decisions taken before this revision have no stored letter: theirs is issued the first
time it is opened, and kept from then on.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-03
"""
import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def _append_only(dialect: str) -> list[str]:
    if dialect == "sqlite":
        return [f"CREATE TRIGGER issued_documents_no_{verb.lower()} BEFORE {verb} ON "
                "issued_documents BEGIN SELECT RAISE(ABORT, 'issued documents are "
                "append-only'); END" for verb in ("UPDATE", "DELETE")]
    if dialect == "postgresql":
        # refuse_change_to_append_only() was created with the audit trail (0001).
        return ["CREATE TRIGGER issued_documents_append_only BEFORE UPDATE OR DELETE ON "
                "issued_documents FOR EACH ROW EXECUTE FUNCTION refuse_change_to_append_only()",
                "CREATE TRIGGER issued_documents_no_truncate BEFORE TRUNCATE ON "
                "issued_documents FOR EACH STATEMENT EXECUTE FUNCTION "
                "refuse_change_to_append_only()"]
    return []


def upgrade():
    op.create_table(
        "issued_documents",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("html", sa.Text(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("issued_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_issued_documents")),
    )
    for statement in _append_only(op.get_bind().dialect.name):
        op.execute(statement)
    with op.batch_alter_table("decisions") as batch:
        batch.add_column(sa.Column("letter_id", sa.Integer(), nullable=True))
        batch.create_foreign_key(op.f("fk_decisions_letter_id_issued_documents"),
                                 "issued_documents", ["letter_id"], ["id"])


def downgrade():
    with op.batch_alter_table("decisions") as batch:
        batch.drop_constraint(op.f("fk_decisions_letter_id_issued_documents"),
                              type_="foreignkey")
        batch.drop_column("letter_id")
    op.drop_table("issued_documents")
