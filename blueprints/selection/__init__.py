from flask import Blueprint

bp = Blueprint("selection", __name__)

from blueprints.selection import views  # noqa: E402,F401
