"""How the portal holds its database connections.

A connection that has sat unused in the pool may have been dropped meanwhile (the
database restarted, failed over, or a firewall closed an idle link), so it is tested
with a ping before a request is given it. A connection handed straight back to the next
request has just answered, and pinging it would add a round trip to every page for
nothing: only connections idle for longer than DATABASE_PING_IDLE_SECONDS are pinged.
Should a busy connection still turn out dead, SQLAlchemy sees the disconnection, throws
away every connection made before it, and the next request starts afresh.
"""

import time

from flask import Flask
from sqlalchemy import event, exc
from sqlalchemy.engine import Engine

from portal.extensions import db

_RETURNED_AT = "portal_returned_at"


def ping_when_idle(engine: Engine, idle_seconds: float) -> None:
    dialect = engine.dialect

    @event.listens_for(engine, "checkin")
    def _returned(dbapi_connection, record):
        record.info[_RETURNED_AT] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _handed_out(dbapi_connection, record, proxy):
        # A connection's info goes with it: none means it has only just connected.
        returned = record.info.get(_RETURNED_AT)
        if returned is None or time.monotonic() - returned <= idle_seconds:
            return
        try:
            alive = dialect.do_ping(dbapi_connection)
        except dialect.loaded_dbapi.Error as error:
            if not dialect.is_disconnect(error, dbapi_connection, None):
                raise
            alive = False
        if not alive:
            # The pool discards this connection and hands out a new one.
            raise exc.DisconnectionError("the database connection was dropped while idle")


def init_app(app: Flask) -> None:
    with app.app_context():
        ping_when_idle(db.engine, app.config["DATABASE_PING_IDLE_SECONDS"])
