"""The board's keyword search reads a stored column instead of an expression: worked out
once when an opportunity changes, not for every row of every search, and with
statistics PostgreSQL can plan by (a search for a common word walks the closing-date
index and stops at a page; a rare one reads the trigram index). The trigram index moves
from the expression (0009) to the column.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-03
"""
import logging

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

ADVERTISED = "status = 'published' AND audience <> 'named_request'"
# The same expression as portal.models.opportunities.SEARCH_TEXT.
SEARCH_TEXT = ("lower(coalesce(title, '') || ' ' || coalesce(summary, '') || ' ' || "
               "coalesce(skills_sought, '') || ' ' || coalesce(location, ''))")


def _has_trigrams(bind) -> bool:
    return bool(bind.scalar(sa.text(
        "SELECT count(*) FROM pg_extension WHERE extname = 'pg_trgm'")))


def upgrade():
    bind = op.get_bind()
    column = sa.Column("search_text", sa.Text(), sa.Computed(SEARCH_TEXT, persisted=True))
    if bind.dialect.name != "postgresql":
        # SQLite adds only virtual generated columns in place: the table is rebuilt.
        with op.batch_alter_table("opportunities", recreate="always") as batch:
            batch.add_column(column)
        return
    op.add_column("opportunities", column)
    op.execute("DROP INDEX IF EXISTS ix_opportunities_board_search")
    if not _has_trigrams(bind):
        logging.getLogger("alembic").warning(
            "pg_trgm is not installed: the board's keyword search scans the advertised "
            "opportunities' search text instead of using a trigram index")
        return
    op.execute("CREATE INDEX ix_opportunities_board_search ON opportunities USING gin "
               f"(search_text gin_trgm_ops) WHERE {ADVERTISED}")
    op.execute("ANALYZE opportunities")


def downgrade():
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        with op.batch_alter_table("opportunities", recreate="always") as batch:
            batch.drop_column("search_text")
        return
    op.execute("DROP INDEX IF EXISTS ix_opportunities_board_search")
    op.drop_column("opportunities", "search_text")
    if _has_trigrams(bind):
        op.execute("CREATE INDEX ix_opportunities_board_search ON opportunities USING gin "
                   f"(({SEARCH_TEXT}) gin_trgm_ops) WHERE {ADVERTISED}")
