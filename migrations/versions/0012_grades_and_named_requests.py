"""The organisation's list of grades, which an opportunity's grade and a restricted
pool are chosen from, seeded with the banded structure the staff records already use;
and the member of staff a named request asks for.

Opportunities' grades stay as the text they were written with: a grade on the list
matches the board's filter as before, and one that is not (an older free-text grade)
stays readable until its draft is next changed, when a grade is chosen from the list.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-03
"""
import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

# The same list as portal.models.grades.DEFAULT_GRADES, written out: a migration must
# not change when the code does.
GRADES = ["Band 1", "Band 2", "Band 3", "Band 4", "Band 5", "Band 6", "Band 7", "Band 8",
          "Band 9", "Head of service", "Director"]


# The same expression as portal.models.opportunities.SEARCH_TEXT (0011).
SEARCH_TEXT = ("lower(coalesce(title, '') || ' ' || coalesce(summary, '') || ' ' || "
               "coalesce(skills_sought, '') || ' ' || coalesce(location, ''))")


def _remake_search_text(batch_op) -> None:
    """SQLite rebuilds the table to add a foreign key, copying every column, and refuses
    a value written into a generated one: the search text is dropped from the copy and
    made again on the new table. PostgreSQL alters the table in place."""
    if op.get_bind().dialect.name != "sqlite":
        return
    batch_op.drop_column("search_text")
    batch_op.add_column(sa.Column("search_text", sa.Text(),
                                  sa.Computed(SEARCH_TEXT, persisted=True)))


def upgrade():
    grades = op.create_table(
        "grades",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=50), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("in_use", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_grades")),
        sa.UniqueConstraint("name", name=op.f("uq_grades_name")),
    )
    op.bulk_insert(grades, [{"name": name, "position": n, "in_use": True}
                            for n, name in enumerate(GRADES, start=1)])
    with op.batch_alter_table("opportunities") as batch_op:
        batch_op.add_column(sa.Column("requested_person_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(op.f("fk_opportunities_requested_person_id_users"),
                                    "users", ["requested_person_id"], ["id"])
        _remake_search_text(batch_op)


def downgrade():
    with op.batch_alter_table("opportunities") as batch_op:
        batch_op.drop_constraint(op.f("fk_opportunities_requested_person_id_users"),
                                 type_="foreignkey")
        batch_op.drop_column("requested_person_id")
        _remake_search_text(batch_op)
    op.drop_table("grades")
