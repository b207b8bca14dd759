"""A placement's agreement: the PDF of its current version, the executed one once every
party has signed."""

from flask import Response, abort
from flask_login import current_user

from blueprints.placements import bp
from portal.loaders import placement_to_view
from portal.permissions import Permission, requires
from portal.services import placements


@bp.get("/placements/<int:placement_id>/agreement.pdf")
@requires(Permission.VIEW_HOME)
def agreement_pdf(placement_id: int):
    placement = placement_to_view(current_user, placement_id)
    found = placements.current_pdf(placement)
    if found is None:
        abort(404)
    data, filename = found
    return Response(data, mimetype="application/pdf", headers={
        "Content-Disposition": f'attachment; filename="{filename}"',
        "Cache-Control": "private, no-store"})
