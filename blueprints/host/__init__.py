"""Pages for contacts at external host organisations."""

from flask import Blueprint

bp = Blueprint("host", __name__)

from blueprints.host import home, views  # noqa: E402,F401
