"""Selection: the opportunity's contact, its creator and People Services shortlist the
released applications (anonymised until the shortlist is fixed), record the assessment
and make an offer."""

from flask import Blueprint

bp = Blueprint("selection", __name__)

from blueprints.selection import views  # noqa: E402,F401
