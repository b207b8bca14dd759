"""An accepted offer, for People Services to set up as a placement."""

from flask import abort

from portal.models import Application
from portal.querystring import positive_id
from portal.services import placements


def offer_to_place(value) -> Application | None:
    """`?application=` on the new-placement page: None when absent, else the accepted
    offer of that id, or 404 (a number that names none, past 64 bits, not a number, an
    application not accepted). Only People Services reach the page, and they see every
    application."""
    if value is None:
        return None
    return placements.accepted_offer(positive_id(value)) or abort(404)
