"""Overdue reviews (001 §5.5, R13): for both managers' lists, People Services' and the
reminder digest. One query for the reviews with their placements, and one each for the
people the lists name, whatever the number of placements.
"""

from datetime import date

from sqlalchemy import and_, false, or_, select
from sqlalchemy.orm import contains_eager, selectinload

from portal.extensions import db
from portal.models.placements import OpportunityKind, Placement
from portal.models.placements import PlacementStatus as P
from portal.models.reviews import Review
from portal.roles import Role
from portal.services.opportunities import london_today


def _still_held(today: date):
    """Placements whose reviews are still to be held: running, or ended early and
    working their notice. After the end their open reviews are nobody's reminder."""
    return or_(Placement.status.in_((P.ACTIVE, P.EXTENDED)),
               and_(Placement.status == P.ENDED_EARLY, Placement.end_date >= today))


def _managed_by(person):
    """The placements whose reviews `person` holds or oversees (R10): as the host
    manager, the substantive manager, or a contact of the external organisation hosting
    the secondee (the same rule as access.is_host_side)."""
    conditions = [Placement.host_manager_id == person.id,
                  Placement.substantive_manager_id == person.id]
    if Role.HOST_CONTACT in person.roles and person.is_enabled:
        conditions.append(and_(Placement.kind != OpportunityKind.INCOMING,
                               Placement.host_organisation_id != Placement.home_organisation_id,
                               Placement.host_organisation_id == person.organisation_id))
    return and_(or_(*conditions), Placement.secondee_id.is_distinct_from(person.id))


def overdue_reviews(person=None, *, today: date | None = None) -> list[Review]:
    """Reviews not held by their due date on placements still running, oldest first:
    every one (People Services, the digest) or, given `person`, those of the placements
    they manage on either side. Someone who manages none gets none, People Services
    included: their list is the one without a person."""
    today = today or london_today()
    query = (select(Review).join(Review.placement)
             .where(Review.held_on.is_(None), Review.cancelled_at.is_(None),
                    Review.due_date < today, _still_held(today)))
    if person is not None:
        query = query.where(_managed_by(person) if person.is_enabled else false())
    return list(db.session.scalars(
        query.options(contains_eager(Review.placement).options(
            selectinload(Placement.host_manager), selectinload(Placement.substantive_manager),
            selectinload(Placement.host_organisation)))
        .order_by(Review.due_date, Review.id)))

