from flask import Blueprint

bp = Blueprint("decisions", __name__)

from blueprints.decisions import home, presenters, views  # noqa: E402,F401
