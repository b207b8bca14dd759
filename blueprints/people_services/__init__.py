from flask import Blueprint

bp = Blueprint("people_services", __name__)

from blueprints.people_services import views  # noqa: E402,F401
