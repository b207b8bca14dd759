from flask import abort, render_template, session

from blueprints.host import bp
from portal.extensions import limiter
from portal.permissions import public
from portal.services.invitations import INVITATION_KEY, usable_invitation


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
