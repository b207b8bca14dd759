"""What the placements wait for from one person, for their home page: each kind of
thing as the oldest few and how many there are in all, in two queries (three for the
agreements a person signs) whatever the number of placements.

People Services: corrections a host organisation proposed, agreements legal returned,
placements over 24 months to send to the Resources Board (R3), placements ready to
start. Legal: agreements to ratify (R7). The Resources Board: durations to decide (R3).
The secondee, the organisation's signatory and, inside the organisation, the host
manager: agreements to sign (R7). Managers: informal arrangements to agree (004), and
the placements of the people they manage.
"""

from dataclasses import dataclass

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import aliased, joinedload, selectinload

from portal.extensions import db
from portal.models.placements import AgreementStatus, AgreementVersion, Placement
from portal.models.placements import OpportunityKind as K
from portal.models.placements import PlacementStatus as P
from portal.services.placements.agreements import signing_parties
from portal.services.placements.rules import needs_board


@dataclass(frozen=True)
class Some:
    """The first placements of a kind of thing waiting (one more than are shown, so
    that the "more" line can lead to the next), and how many there are in all."""

    placements: list[Placement]
    total: int


def _some(query, shown: int) -> Some:
    total = db.session.scalar(
        select(func.count()).select_from(query.with_only_columns(Placement.id)
                                         .order_by(None).subquery())) or 0
    placements = db.session.scalars(query.options(
        joinedload(Placement.secondee), joinedload(Placement.host_organisation),
        joinedload(Placement.home_organisation)).limit(shown + 1)).unique().all() if total else []
    return Some(list(placements), total)


def _oldest_first(*conditions):
    return select(Placement).where(*conditions).order_by(Placement.updated_at, Placement.id)


def corrections_proposed(shown: int) -> Some:
    """The other organisation proposed corrections instead of confirming."""
    return _some(_oldest_first(Placement.status == P.PROPOSED, Placement.host_comment != "",
                               Placement.host_confirmed_at.is_(None)), shown)


def returned_by_legal(shown: int) -> Some:
    """Proposed again because legal sent the latest version back with comments."""
    latest = aliased(AgreementVersion)
    newest_number = (select(func.max(latest.number))
                     .where(latest.placement_id == Placement.id).scalar_subquery())
    returned = select(AgreementVersion.id).where(
        AgreementVersion.placement_id == Placement.id,
        AgreementVersion.status == AgreementStatus.RETURNED,
        AgreementVersion.number == newest_number).exists()
    return _some(_oldest_first(Placement.status == P.PROPOSED, returned), shown)


def to_send_to_board(shown: int) -> Some:
    """R3: over 24 months, not yet approved by the Resources Board. Only placements over
    12 months carry a duration reason, so only those are read to measure."""
    candidates = db.session.scalars(_oldest_first(
        Placement.status == P.PROPOSED, Placement.kind != K.INFORMAL,
        Placement.duration_reason != "",
        or_(Placement.board_approved.is_(None), Placement.board_approved.is_(False))
    ).options(joinedload(Placement.secondee))).unique().all()
    found = [p for p in candidates if needs_board(p)]
    return Some(found[:shown + 1], len(found))


def informal_to_approve(shown: int) -> Some:
    """Informal arrangements (004) both managers have agreed: People Services approve
    them in principle."""
    return _some(_oldest_first(Placement.status == P.PROPOSED, Placement.kind == K.INFORMAL,
                               Placement.home_manager_agreed_at.is_not(None),
                               Placement.host_manager_agreed_at.is_not(None)), shown)


def ready_to_start(shown: int) -> Some:
    return _some(select(Placement).where(Placement.status == P.READY)
                 .order_by(Placement.start_date, Placement.id), shown)


def to_ratify(shown: int) -> Some:
    return _some(_oldest_first(Placement.status == P.WITH_LEGAL), shown)


def durations_to_decide(member, shown: int) -> Some:
    """R3, as the workflow's board actor: never one who had a hand in it."""
    return _some(_oldest_first(Placement.status == P.WITH_BOARD,
                               Placement.created_by_id != member.id,
                               or_(Placement.secondee_id.is_(None),
                                   Placement.secondee_id != member.id)), shown)


def to_sign(person, shown: int) -> Some:
    """The agreements `person` still signs as the secondee, the organisation's
    signatory, or the host manager of a placement inside the organisation. (A host
    organisation's contact finds theirs in their own organisation's section.)"""
    placements = db.session.scalars(
        select(Placement).where(
            Placement.status == P.SIGNING,
            or_(Placement.secondee_id == person.id, Placement.signatory_id == person.id,
                and_(Placement.host_manager_id == person.id,
                     Placement.host_organisation_id == Placement.home_organisation_id)))
        .order_by(Placement.start_date, Placement.id)
        .options(selectinload(Placement.agreements).selectinload(AgreementVersion.signatures),
                 joinedload(Placement.secondee))).unique().all()
    found = [p for p in placements if signing_parties(person, p)]
    return Some(found[:shown + 1], len(found))


def informal_to_agree(manager, shown: int) -> Some:
    """004: each manager agrees the informal arrangement before People Services
    approve it."""
    return _some(_oldest_first(
        Placement.status == P.PROPOSED, Placement.kind == K.INFORMAL,
        or_(and_(Placement.substantive_manager_id == manager.id,
                 Placement.home_manager_agreed_at.is_(None)),
            and_(Placement.host_manager_id == manager.id,
                 Placement.host_manager_agreed_at.is_(None)))), shown)


def managed_by(manager, shown: int) -> Some:
    """The placements of the people `manager` manages, substantively or day to day,
    the soonest start first; cancelled ones left out."""
    return _some(select(Placement).where(
        or_(Placement.substantive_manager_id == manager.id,
            Placement.host_manager_id == manager.id),
        Placement.status != P.CANCELLED).order_by(Placement.start_date, Placement.id), shown)
