"""The staff board's partial indexes leave out incoming secondments too, now that those
go to the partners' page: the board's conditions are then all in the index, and a page
far down the list is counted out in the index alone instead of reading every row
before it.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-03
"""
import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None

BEFORE = "status = 'published' AND audience <> 'named_request'"
AFTER = BEFORE + " AND kind <> 'incoming'"


def _has_trigrams(bind) -> bool:
    return bind.dialect.name == "postgresql" and bool(bind.scalar(sa.text(
        "SELECT count(*) FROM pg_extension WHERE extname = 'pg_trgm'")))


def _index(where: str) -> None:
    for name, columns in (("ix_opportunities_advertised_closing", ["closing_date", "id"]),
                          ("ix_opportunities_advertised_newest", ["published_at", "id"])):
        op.drop_index(name, table_name="opportunities")
        op.create_index(name, "opportunities", columns, postgresql_where=sa.text(where),
                        sqlite_where=sa.text(where))
    bind = op.get_bind()
    if _has_trigrams(bind):
        op.execute("DROP INDEX IF EXISTS ix_opportunities_board_search")
        op.execute("CREATE INDEX ix_opportunities_board_search ON opportunities "
                   f"USING gin (search_text gin_trgm_ops) WHERE {where}")


def upgrade():
    _index(AFTER)


def downgrade():
    _index(BEFORE)
