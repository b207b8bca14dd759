from flask import Blueprint

bp = Blueprint("applications", __name__)

from blueprints.applications import home, presenters, views  # noqa: E402,F401
