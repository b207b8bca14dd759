"""Who owns a checklist item, who may move it, and who may see a checklist (R9).

An item's owner is worked out from the placement as it stands, so a host manager named
after the checklist was generated owns the host manager's items: People Services, IT
services (by role), the secondee, the host or substantive manager, the other
organisation's contacts (host contacts, who see only their own organisation's items), or
a named person. An item for the host organisation's contact on a placement with no
other organisation falls to the host manager; a host manager's item on a placement
whose host manager has no account here falls to the host organisation's contacts when
the secondee goes out, and to People Services when they come in (the host is then this
organisation).
People Services may move any item (they run onboarding); the audit trail says who did.

`owned_by(person)` is the same rule as one SQL condition, for the lists of "your tasks"
and the reminders.
"""

from sqlalchemy import and_, case, false, or_, select, union

from portal.extensions import db
from portal.models import Placement, RoleAssignment, User
from portal.models.onboarding import ChecklistItem
from portal.models.onboarding import OwnerType as O
from portal.models.placements import OpportunityKind
from portal.roles import Permission, Role
from portal.services.placements.access import is_partner_contact, may_view
from portal.workflow import CHECKLIST_ITEM


def effective_owner_type(item: ChecklistItem, placement: Placement | None = None) -> str:
    placement = placement or item.placement
    if item.owner_type == O.HOST_CONTACT and placement.external_organisation_id is None:
        return O.HOST_MANAGER
    if item.owner_type == O.HOST_MANAGER and placement.host_manager_id is None:
        # Coming in, the host is this organisation: People Services stand in until a
        # host manager is named. Going out, the host organisation's contacts do.
        if placement.kind == OpportunityKind.INCOMING:
            return O.PEOPLE_SERVICES
        if placement.external_organisation_id is not None:
            return O.HOST_CONTACT
    return item.owner_type


def is_owner(person, item: ChecklistItem) -> bool:
    if person is None or not getattr(person, "is_authenticated", True):
        return False
    placement = item.placement
    owner = effective_owner_type(item, placement)
    if owner == O.PEOPLE_SERVICES:
        return person.can(Permission.MANAGE_PLACEMENTS)
    if owner == O.IT:
        return Role.IT in person.roles
    if owner == O.SECONDEE:
        return placement.secondee_id == person.id
    if owner == O.HOST_MANAGER:
        return placement.host_manager_id == person.id
    if owner == O.SUBSTANTIVE_MANAGER:
        return placement.substantive_manager_id == person.id
    if owner == O.HOST_CONTACT:
        return is_partner_contact(person, placement)
    return item.owner_person_id == person.id


def may_act(person, item: ChecklistItem, actor: str) -> bool:
    return actor == "owner" and (is_owner(person, item)
                                 or person.can(Permission.MANAGE_PLACEMENTS))


CHECKLIST_ITEM.actors_from(may_act)


def sees_whole_checklist(person, placement: Placement) -> bool:
    """Everyone who may see the placement, bar the other organisation's contacts, who see
    only their own organisation's items."""
    return may_view(person, placement) and not is_partner_contact(person, placement)


def may_view_checklist(person, placement: Placement) -> bool:
    return may_view(person, placement)


def visible_items(person, placement: Placement) -> list[ChecklistItem]:
    items = sorted(placement.checklist_items, key=lambda i: (i.position, i.id))
    if sees_whole_checklist(person, placement):
        return items
    return [item for item in items if is_owner(person, item)]


def owner_label(item: ChecklistItem) -> str:
    """Who owns it, in words, with their name where one person does."""
    placement = item.placement
    owner = effective_owner_type(item, placement)
    person = {O.SECONDEE: placement.secondee, O.HOST_MANAGER: placement.host_manager,
              O.SUBSTANTIVE_MANAGER: placement.substantive_manager,
              O.PERSON: item.owner_person}.get(owner)
    label = O(owner).label
    if owner == O.HOST_CONTACT:
        return ("The sending organisation's contact" if placement.kind == OpportunityKind.INCOMING
                else "The host organisation's contact")
    if owner == O.SECONDEE and person is None:
        return f"{label} ({placement.secondee_name})"
    if owner == O.HOST_MANAGER and person is None and placement.host_manager_name:
        return f"{label} ({placement.host_manager_name})"
    if owner == O.PERSON:
        return person.name if person else "A named person (no longer here)"
    return f"{label} ({person.name})" if person else label


def owner_addresses(item: ChecklistItem) -> list[str]:
    """Whom to tell about the item: the owner's address, or every holder of the role."""
    placement = item.placement
    owner = effective_owner_type(item, placement)
    if owner == O.PEOPLE_SERVICES:
        from flask import current_app
        return [current_app.config["PEOPLE_SERVICES_EMAIL"]]
    if owner == O.SECONDEE:
        return [placement.secondee.email if placement.secondee else placement.secondee_email]
    if owner == O.HOST_MANAGER:
        return [placement.host_manager.email if placement.host_manager
                else placement.host_manager_email]
    if owner == O.SUBSTANTIVE_MANAGER:
        return [placement.substantive_manager.email] if placement.substantive_manager else []
    if owner == O.PERSON:
        return [item.owner_person.email] if item.owner_person else []
    if owner == O.IT:
        return list(db.session.scalars(select(User.email).join(
            RoleAssignment, RoleAssignment.user_id == User.id).where(
            RoleAssignment.role == Role.IT, User.is_enabled.is_(True)).distinct()))
    return list(db.session.scalars(select(User.email).join(
        RoleAssignment, RoleAssignment.user_id == User.id).where(
        RoleAssignment.role == Role.HOST_CONTACT, User.is_enabled.is_(True),
        User.organisation_id == placement.external_organisation_id).distinct()))


def _external_organisation():
    """Placement.external_organisation_id, in SQL."""
    return case((Placement.host_organisation_id == Placement.home_organisation_id, None),
                (Placement.kind == OpportunityKind.INCOMING, Placement.home_organisation_id),
                else_=Placement.host_organisation_id)


def _their_placements(person):
    """A condition that the rest of owned_by implies, which indexes answer: the item's
    placement is one the person is the secondee, host or substantive manager of, or one
    with an item naming them. Without it, every open item would be read to find a
    secondee's few. None for someone who owns items by role (People Services, IT, a
    host organisation's contact), whom the owner type's index already serves. A new
    kind of personal ownership in owned_by must be added here too."""
    roles = person.roles
    if (person.can(Permission.MANAGE_PLACEMENTS) or Role.IT in roles
            or Role.HOST_CONTACT in roles):
        return None
    return Placement.id.in_(union(
        select(Placement.id).where(Placement.secondee_id == person.id),
        select(Placement.id).where(Placement.host_manager_id == person.id),
        select(Placement.id).where(Placement.substantive_manager_id == person.id),
        select(ChecklistItem.placement_id).where(ChecklistItem.owner_person_id == person.id)))


def owned_by(person):
    """The SQL condition for the items `person` owns (the query joins Placement on the
    item's placement). People Services' and IT's items by role; the rest by who the
    person is on each placement."""
    external = _external_organisation()
    roles = person.roles
    internal_host = and_(or_(ChecklistItem.owner_type == O.HOST_MANAGER,
                             ChecklistItem.owner_type == O.HOST_CONTACT),
                         external.is_(None), Placement.host_manager_id == person.id)
    conditions = [
        internal_host,
        and_(ChecklistItem.owner_type == O.HOST_MANAGER, external.is_not(None),
             Placement.host_manager_id == person.id),
        and_(ChecklistItem.owner_type == O.SECONDEE, Placement.secondee_id == person.id),
        and_(ChecklistItem.owner_type == O.SUBSTANTIVE_MANAGER,
             Placement.substantive_manager_id == person.id),
        and_(ChecklistItem.owner_type == O.PERSON, ChecklistItem.owner_person_id == person.id),
        or_(ChecklistItem.owner_type == O.PEOPLE_SERVICES,
            and_(ChecklistItem.owner_type == O.HOST_MANAGER, Placement.host_manager_id.is_(None),
                 Placement.kind == OpportunityKind.INCOMING))
        if person.can(Permission.MANAGE_PLACEMENTS) else false(),
        ChecklistItem.owner_type == O.IT if Role.IT in roles else false(),
    ]
    if Role.HOST_CONTACT in roles and person.is_enabled:
        conditions.append(and_(
            external == person.organisation_id,
            or_(ChecklistItem.owner_type == O.HOST_CONTACT,
                and_(ChecklistItem.owner_type == O.HOST_MANAGER,
                     Placement.host_manager_id.is_(None),
                     Placement.kind != OpportunityKind.INCOMING))))
    theirs = _their_placements(person)
    return or_(*conditions) if theirs is None else and_(or_(*conditions), theirs)
