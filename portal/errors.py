"""Error pages in the portal's own style; never a traceback."""

import logging

from flask import g, render_template
from sqlalchemy.exc import OperationalError
from werkzeug.exceptions import HTTPException, InternalServerError

from portal.extensions import db, login_manager

log = logging.getLogger(__name__)

PAGES = {400: "errors/400.html", 403: "errors/403.html", 404: "errors/404.html",
         405: "errors/405.html", 429: "errors/429.html"}


def init_app(app) -> None:
    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        if error.code >= 500:
            return server_error(error)
        template = PAGES.get(error.code, "errors/generic.html")
        return render_template(template, error=error), error.code

    @app.errorhandler(OperationalError)
    def database_unavailable(error):
        log.error("database unavailable: %s", type(error).__name__)
        _forget_the_database()
        return render_template("errors/503.html", minimal=True), 503, {"Retry-After": "30"}

    @app.errorhandler(InternalServerError)
    def server_error(error):
        log.error("unhandled error", exc_info=getattr(error, "original_exception", None))
        _forget_the_database()
        return render_template("errors/500.html", minimal=True), 500


def _forget_the_database() -> None:
    """Make the error page renderable with no database at all.

    Flask-Login's template context loads the signed-in person on first use, which asks
    the database again and would fail a second time when it is down: the error pages
    (minimal, with no name or navigation) are rendered as for someone signed out.
    """
    try:
        db.session.rollback()
    except Exception:  # noqa: S110 - the page must render whatever state the pool is in
        pass
    g._login_user = login_manager.anonymous_user()
