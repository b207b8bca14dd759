"""Pages for contacts at external host organisations: their invitation, and their
organisation's placements."""

from flask import abort, render_template, request, session
from flask_login import current_user

from blueprints.host import bp
from blueprints.host.links import url_for_waiting
from portal.extensions import limiter
from portal.permissions import Permission, public, requires
from portal.querystring import page_number
from portal.services import audit
from portal.services.invitations import INVITATION_KEY, usable_invitation
from portal.services.placements import contacts


@bp.get("/invitations/<token>")
@limiter.limit("20 per minute")  # tokens are unguessable; this keeps it that way
@public
def accept_invitation(token: str):
    """The link in an invitation e-mail: remember it for the partner sign-in that follows.
    Opening it changes nothing; the invitation is used only when that sign-in succeeds."""
    invitation = usable_invitation(token)
    if invitation is None:
        abort(404)
    session[INVITATION_KEY] = token
    return render_template("host/invitation.html", invitation=invitation)


@bp.get("/host/placements")
@requires(Permission.VIEW_OWN_ORGANISATION_PLACEMENTS)
def list_placements():
    """The contact's own organisation's placements (anyone else: 403), with their status
    and what waits on the contact."""
    try:
        results = contacts.organisation_placements(current_user,
                                                   page_number(request.args.get("page")))
    except PermissionError:
        audit.record_now("access.refused", actor=current_user,
                         summary=f"{request.method} {request.path}: not a contact of an "
                                 "external organisation")
        abort(403)
    return render_template("host/placements.html", results=results,
                           organisation=current_user.organisation,
                           waiting_for=contacts.waiting_for_contact,
                           url_for_waiting=url_for_waiting)
