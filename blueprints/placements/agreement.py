"""A placement's agreement as issued: the printable page of its current version (the
stored markup, never re-rendered), the PDF (the executed one once every party has
signed), and legal's list of agreements waiting for them (R7)."""

import re

from flask import Response, abort, render_template, request
from flask_login import current_user

from blueprints.placements import bp
from portal.loaders import placement_to_view
from portal.permissions import Permission, requires
from portal.querystring import page_number
from portal.services import documents, placements

_BODY = re.compile(r"<body[^>]*>")


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


@bp.get("/placements/<int:placement_id>/agreement")
@requires(Permission.VIEW_HOME)
def view_agreement(placement_id: int):
    placement = placement_to_view(current_user, placement_id)
    agreement = placement.current_agreement
    context = {"placement": placement, "agreement": agreement,
               "actions": placements.available_actions(current_user, placement),
               "signing": placements.signing_parties(current_user, placement),
               **versions(placement)}
    if agreement is None or not documents.intact(agreement.document):
        return render_template("placements/agreement_unavailable.html", **context)
    # The version as issued, byte for byte, with the portal's panel (shown on screen,
    # never printed) after its opening <body>: what it is, its fingerprint, the others.
    panel = render_template("placements/agreement_panel.html", **context)
    issued = agreement.document.html
    opening = _BODY.search(issued)
    at = opening.end() if opening else 0
    # Both parts are rendered (and escaped) by their templates: nothing here is raw input.
    return Response(issued[:at] + panel + issued[at:], mimetype="text/html")


def versions(placement) -> dict:
    """What the list of a placement's versions needs: whose signature is whose, and
    which versions' signatures are void (superseded by a later version, R7)."""
    return {"party_label": placements.party_label,
            "void_ids": {a.id for a in placement.agreements if a.signatures_void}}


@bp.get("/agreements")
@requires(Permission.RATIFY_AGREEMENTS)
def agreements_for_legal():
    results = placements.waiting_for_legal(page=page_number(request.args.get("page")))
    return render_template("placements/legal_agreements.html", results=results)
