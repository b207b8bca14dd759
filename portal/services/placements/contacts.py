"""The other organisation of a placement and its contacts: who confirms, signs and is
told for it, which placements a contact sees, and what waits on them.

A host contact sees the placements whose other organisation is theirs: as host for
someone going out, as the sending organisation for someone coming in (DESIGN: host
contact). Nobody else's, whatever they ask for: the lists here are filtered in the
query, never after it, and a disabled (revoked) contact sees none.
"""

from dataclasses import dataclass

from sqlalchemy import and_, exists, func, or_, select
from sqlalchemy.orm import joinedload, selectinload

from portal.extensions import db
from portal.models import RoleAssignment, User
from portal.models.opportunities import OpportunityKind
from portal.models.placements import (
    AgreementSignature,
    AgreementStatus,
    AgreementVersion,
    Party,
    Placement,
)
from portal.models.placements import PlacementStatus as P
from portal.roles import Role
from portal.services.paging import ResultPage
from portal.workflow import PLACEMENT, refusal

PER_PAGE = 20

CONFIRM = "Confirm the details and name the host manager"
SIGN = "Sign the agreement"


def partner_contacts(placement: Placement, limit: int = 20) -> list[User]:
    """The enabled host contacts of the placement's other organisation."""
    if placement.external_organisation_id is None:
        return []
    return list(db.session.scalars(
        select(User).where(User.organisation_id == placement.external_organisation_id,
                           User.is_enabled.is_(True),
                           User.role_assignments.any(RoleAssignment.role == Role.HOST_CONTACT))
        .order_by(User.name, User.id).limit(limit)))


def contact_organisation_id(person) -> int:
    """The organisation whose placements `person` sees as its contact. Anyone but an
    enabled host contact of an external organisation is refused (PermissionError)."""
    if not (person.is_enabled and Role.HOST_CONTACT in person.roles
            and not person.organisation.is_own):
        raise PermissionError("see an external organisation's placements")
    return person.organisation_id


def _of_organisation(organisation_id: int):
    """Placements whose other organisation is `organisation_id`: the same test as
    Placement.external_organisation_id, in SQL."""
    incoming = Placement.kind == OpportunityKind.INCOMING
    different = Placement.host_organisation_id != Placement.home_organisation_id
    return and_(different, or_(
        and_(~incoming, Placement.host_organisation_id == organisation_id),
        and_(incoming, Placement.home_organisation_id == organisation_id)))


def _to_confirm():
    return and_(Placement.status == P.PROPOSED, Placement.kind != OpportunityKind.INFORMAL,
                Placement.host_confirmed_at.is_(None))


def _to_sign():
    ratified = and_(AgreementVersion.placement_id == Placement.id,
                    AgreementVersion.status == AgreementStatus.RATIFIED)
    signed = exists().where(AgreementSignature.agreement_id == AgreementVersion.id,
                            AgreementSignature.party == Party.PARTNER)
    return and_(Placement.status == P.SIGNING,
                exists().where(ratified), ~exists().where(ratified, signed))


def _with_what_pages_show(query):
    # Everything a row shows and `waiting_for_contact` reads, loaded with the rows: a
    # page of placements costs the same few queries whatever its length.
    return query.options(
        joinedload(Placement.host_organisation), joinedload(Placement.home_organisation),
        selectinload(Placement.agreements).selectinload(AgreementVersion.signatures))


def organisation_placements(contact, page: int = 1) -> ResultPage:
    """The contact's organisation's placements, the soonest start first."""
    where = _of_organisation(contact_organisation_id(contact))
    total = db.session.scalar(select(func.count()).select_from(Placement).where(where))
    pages = max(1, -(-total // PER_PAGE))
    page = min(max(1, page), pages)
    items = db.session.scalars(_with_what_pages_show(
        select(Placement).where(where)
        .order_by(Placement.start_date, Placement.id)
        .limit(PER_PAGE).offset((page - 1) * PER_PAGE))).unique().all()
    return ResultPage(items=list(items), total=total, page=page, per_page=PER_PAGE)


def organisation_placement_count(contact) -> int:
    return db.session.scalar(select(func.count()).select_from(Placement).where(
        _of_organisation(contact_organisation_id(contact))))


def waiting_for_contact(placement: Placement) -> list[str]:
    """What the placement waits for from its other organisation's contact, in words:
    their confirmation of the details (naming the host manager), their signature."""
    waiting = []
    if (placement.status == P.PROPOSED and not placement.informal
            and placement.host_confirmed_at is None):
        waiting.append(CONFIRM)
    agreement = placement.current_agreement
    if (placement.status == P.SIGNING and agreement is not None
            and agreement.status == AgreementStatus.RATIFIED
            and agreement.signature_of(Party.PARTNER) is None):
        waiting.append(SIGN)
    return waiting


@dataclass(frozen=True)
class Waiting:
    placement: Placement
    what: str  # CONFIRM or SIGN


def things_waiting(contact, limit: int = 5) -> tuple[list[Waiting], int]:
    """The contact's organisation's placements waiting on them (the soonest start
    first, at most `limit`), and how many there are in all."""
    where = and_(_of_organisation(contact_organisation_id(contact)),
                 or_(_to_confirm(), _to_sign()))
    total = db.session.scalar(select(func.count()).select_from(Placement).where(where))
    placements = db.session.scalars(_with_what_pages_show(
        select(Placement).where(where).order_by(Placement.start_date, Placement.id)
        .limit(limit))).unique().all()
    return [Waiting(p, what) for p in placements for what in waiting_for_contact(p)], total


def why_not_confirm(contact, placement: Placement) -> list[str]:
    """Why the contact cannot confirm the placement's details now, in words ([] when
    they can): once it has gone on to legal, its details are settled."""
    return refusal(PLACEMENT, placement, "confirm_details", contact)
