from flask import render_template
from flask_login import current_user
from sqlalchemy import text

from blueprints.main import bp
from portal.extensions import db
from portal.permissions import Permission, public, requires
from portal.services.home import home_page_for


@bp.get("/")
@public
def start():
    if current_user.is_authenticated:
        return home()
    return render_template("main/start.html")


@bp.get("/home")
@requires(Permission.VIEW_HOME)
def home():
    return render_template("main/home.html", page=home_page_for(current_user))


@bp.get("/accessibility")
@public
def accessibility_statement():
    return render_template("main/accessibility.html")


@bp.get("/livez")
@public
def livez():
    return {"status": "ok"}


@bp.get("/readyz")
@public
def readyz():
    try:
        db.session.execute(text("SELECT 1"))
    except Exception:
        db.session.rollback()
        return {"status": "database unavailable"}, 503, {"Retry-After": "30"}
    return {"status": "ok"}
