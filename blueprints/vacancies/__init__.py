from flask import Blueprint

bp = Blueprint("vacancies", __name__)

from blueprints.vacancies import (  # noqa: E402,F401
    business_cases,
    feeds,
    home,
    partners,
    presenters,
    views,
)
