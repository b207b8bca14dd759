"""People Services: every application in every state (001 §6.1), the register of
conflicts of interest (R8) and the equality monitoring report, in aggregate only (R13)."""

from flask import Blueprint

bp = Blueprint("people_services", __name__)

from blueprints.people_services import home, staff_import, views  # noqa: E402,F401
