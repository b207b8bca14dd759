"""Error pages in the portal's own style; never a traceback."""

import logging
from collections.abc import Callable

from flask import g, render_template, request, url_for
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.exceptions import HTTPException, InternalServerError

from portal.extensions import db, login_manager
from portal.services.errors import StaleRecord
from portal.workflow import TransitionRefused

log = logging.getLogger(__name__)

# Blueprint name -> function of the page's URL arguments giving (what changed, where to
# look at it now): each feature says it once for its own pages.
_WHERE_TO_LOOK: dict[str, Callable[[dict], tuple[str, str]]] = {}


def where_to_look(blueprint: str):
    """Register, for a feature's pages, what "changed while you were looking" names and
    where the person looks at it as it is now."""
    def register(function):
        _WHERE_TO_LOOK[blueprint] = function
        return function
    return register

PAGES = {400: "errors/400.html", 403: "errors/403.html", 404: "errors/404.html",
         405: "errors/405.html", 429: "errors/429.html"}


def init_app(app) -> None:
    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        if error.code >= 500:
            return server_error(error)
        template = PAGES.get(error.code, "errors/generic.html")
        return render_template(template, error=error), error.code

    @app.errorhandler(StaleRecord)
    @app.errorhandler(StaleDataError)
    def changed_meanwhile(error):
        """Someone else changed the record after the page was loaded (its version, or
        the row at commit): nothing of theirs is overwritten, nothing of this is saved."""
        db.session.rollback()
        thing, look_url = _WHERE_TO_LOOK.get(request.blueprint, _home)(
            request.view_args or {})
        return render_template("errors/409.html", thing=thing, look_url=look_url), 409

    @app.errorhandler(PermissionError)
    def not_for_this_person(error):
        """A service refused the person for this record: the page is not theirs."""
        db.session.rollback()
        return render_template("errors/403.html"), 403

    @app.errorhandler(TransitionRefused)
    def not_now(error: TransitionRefused):
        """An action the record's state does not allow now, with the reasons."""
        db.session.rollback()
        return render_template("errors/not_now.html", problems=error.problems), 409

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


def _home(view_args: dict) -> tuple[str, str]:
    return "page", url_for("main.home")


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
