"""Placements and their agreements, for the people they concern.

A placement's existence is private to them: anyone else gets 404, whether the id is
someone else's or no placement's at all, and every such attempt is written to the audit
trail (a host contact trying another organisation's ids shows there)."""

from flask import abort, request
from sqlalchemy.orm import selectinload

from portal.extensions import db
from portal.models.placements import AgreementVersion, Placement
from portal.services import audit
from portal.services import placements as rules
from portal.workflow import PLACEMENT


def placement_to_view(user, placement_id: int) -> Placement:
    """The secondee, both managers, the signatory, People Services and legal, the
    Resources Board while it decides, the other organisation's contacts."""
    placement = db.session.get(
        Placement, placement_id,
        options=[selectinload(Placement.agreements).selectinload(AgreementVersion.signatures)])
    if placement is None or not rules.may_view(user, placement):
        audit.record_now("placement.not_found", actor=user,
                         summary=f"{request.method} {request.path}: no placement "
                                 f"{placement_id} for this person")
        abort(404)
    return placement


def placement_for_action(user, placement_id: int, action: str) -> Placement:
    """For whoever the placement's table names for `action`: 404 to those who may not
    see it, 403 to those who may see it but not take the action."""
    placement = placement_to_view(user, placement_id)
    actors = {step.actor for (_, name), step in PLACEMENT.table.items() if name == action}
    if not actors:
        raise ValueError(f"no action {action!r} in the placement's table")
    if not any(PLACEMENT.is_actor(user, placement, actor) for actor in actors):
        abort(403)
    return placement
