from flask import Blueprint

bp = Blueprint("vacancies", __name__)

from blueprints.vacancies import feeds, home, partners, presenters, views  # noqa: E402,F401
