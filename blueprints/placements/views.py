"""A placement's own page: its terms, its status, what is waiting on whom, and the
actions open to the person looking."""

from flask import render_template
from flask_login import current_user

from blueprints.placements import bp
from portal.loaders import placement_to_view
from portal.permissions import Permission, requires
from portal.services import placements


@bp.get("/placements/<int:placement_id>")
@requires(Permission.VIEW_HOME)
def view_placement(placement_id: int):
    placement = placement_to_view(current_user, placement_id)
    return render_template("placements/placement.html", placement=placement,
                           waiting=placements.waiting_on(placement),
                           actions=placements.available_actions(current_user, placement),
                           blocked=placements.blocked_actions(current_user, placement),
                           signing=placements.signing_parties(current_user, placement))
