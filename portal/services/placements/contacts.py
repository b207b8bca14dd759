"""The contacts of the other organisation of a placement: who confirms, signs and is
told for it."""

from sqlalchemy import select

from portal.extensions import db
from portal.models import RoleAssignment, User
from portal.models.placements import Placement
from portal.roles import Role


def partner_contacts(placement: Placement, limit: int = 20) -> list[User]:
    """The enabled host contacts of the placement's other organisation."""
    if placement.external_organisation_id is None:
        return []
    return list(db.session.scalars(
        select(User).where(User.organisation_id == placement.external_organisation_id,
                           User.is_enabled.is_(True),
                           User.role_assignments.any(RoleAssignment.role == Role.HOST_CONTACT))
        .order_by(User.name, User.id).limit(limit)))
