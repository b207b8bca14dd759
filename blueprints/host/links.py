"""Where a host contact goes for each thing waiting on them.

Signing is the agreement pages' (`placements.sign_agreement`); until that page is in
the portal, the placement's own page stands in for it, so that the link always leads
somewhere the contact can act from."""

from flask import url_for
from werkzeug.routing import BuildError

from portal.services.placements import contacts

SIGN_ENDPOINT = "placements.sign_agreement"


def sign_url(placement_id: int) -> str:
    try:
        return url_for(SIGN_ENDPOINT, placement_id=placement_id)
    except BuildError:
        return url_for("placements.view_placement", placement_id=placement_id)


def confirm_url(placement_id: int) -> str:
    return url_for("placements.confirm_placement", placement_id=placement_id)


def url_for_waiting(what: str, placement_id: int) -> str:
    """The page where the contact does `what` (contacts.CONFIRM or contacts.SIGN)."""
    return sign_url(placement_id) if what == contacts.SIGN else confirm_url(placement_id)
