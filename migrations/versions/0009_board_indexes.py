"""The board at a large body's size: partial indexes of the advertised opportunities in
each of the board's orders, and on PostgreSQL a trigram index for its keyword search.

The trigram index needs the pg_trgm extension. Where the database role may not create
it, the search still works (a scan of the advertised rows) and this says so.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-03
"""
import logging

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

ADVERTISED = "status = 'published' AND audience <> 'named_request'"
# The same expression as portal.models.opportunities.BOARD_SEARCH_TEXT.
SEARCH_TEXT = ("lower(coalesce(title, '') || ' ' || coalesce(summary, '') || ' ' || "
               "coalesce(skills_sought, '') || ' ' || coalesce(location, ''))")


def upgrade():
    where = sa.text(ADVERTISED)
    op.create_index("ix_opportunities_advertised_closing", "opportunities",
                    ["closing_date", "id"], postgresql_where=where, sqlite_where=where)
    op.create_index("ix_opportunities_advertised_newest", "opportunities",
                    ["published_at", "id"], postgresql_where=where, sqlite_where=where)
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    try:
        with bind.begin_nested():
            bind.execute(sa.text("CREATE EXTENSION IF NOT EXISTS pg_trgm"))
    except sa.exc.DBAPIError as refused:
        logging.getLogger("alembic").warning(
            "pg_trgm could not be created (%s): the board's keyword search scans the "
            "advertised opportunities instead of using a trigram index",
            str(refused.orig).strip())
        return
    op.execute(f"CREATE INDEX ix_opportunities_board_search ON opportunities USING gin "
               f"(({SEARCH_TEXT}) gin_trgm_ops) WHERE {ADVERTISED}")


def downgrade():
    op.execute("DROP INDEX IF EXISTS ix_opportunities_board_search")
    op.drop_index("ix_opportunities_advertised_newest", table_name="opportunities")
    op.drop_index("ix_opportunities_advertised_closing", table_name="opportunities")
