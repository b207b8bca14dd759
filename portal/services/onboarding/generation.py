"""Checklists generated from the templates (R9): when a placement is set up, an item for
every item of the current version of every template that applies, due a number of
working days from the start date. When the start date moves, the open items' due dates
follow, each with a note saying so, and their owners are told.
"""

from collections import defaultdict
from datetime import date

from sqlalchemy import select

from portal import notifications
from portal.extensions import db
from portal.models import Placement
from portal.models.onboarding import (
    ChecklistItem,
    ChecklistTemplate,
    ChecklistTemplateVersion,
    ItemStatus,
    Nation,
    TemplateItem,
)
from portal.models.onboarding import TemplateKind as K
from portal.models.placements import OpportunityKind
from portal.services.onboarding.defaults import DEFAULTS
from portal.services.onboarding.owners import owner_addresses
from portal.services.onboarding.workdays import working_days_from
from portal.urls import external_url


def checklist_link(placement: Placement) -> str:
    return external_url("onboarding.view_checklist", placement_id=placement.id)


def install_defaults(by=None) -> int:
    """Install the policy's templates (`defaults.DEFAULTS`) that are not here yet, as
    their first version; returns how many. Safe to run again: People Services' own
    versions are never touched."""
    present = set(db.session.scalars(select(ChecklistTemplate.kind)))
    installed = 0
    for kind, (name, items) in DEFAULTS.items():
        if kind in present:
            continue
        template = ChecklistTemplate(kind=kind, name=name)
        version = ChecklistTemplateVersion(template=template, number=1,
                                           change="As the policy sets out",
                                           created_by_id=getattr(by, "id", None))
        for position, (title, guidance, owner, offset, phase, blocking, records,
                       record_label) in enumerate(items, start=1):
            version.items.append(TemplateItem(
                position=position, title=title, guidance=guidance, owner_type=owner,
                offset_days=offset, phase=phase, blocking=blocking, records=records,
                record_label=record_label))
        db.session.add(template)
        installed += 1
    return installed


def template_kinds(placement: Placement) -> list[K]:
    """The templates that apply to a placement: one for its kind, and the international
    ones for a placement abroad or from abroad."""
    kind = placement.kind
    incoming = kind == OpportunityKind.INCOMING
    if kind == OpportunityKind.INFORMAL:
        kinds = [K.INFORMAL]
    elif incoming:
        kinds = [K.INCOMING]
    elif placement.external_organisation_id is not None or kind in (
            OpportunityKind.OUTGOING, OpportunityKind.INTERNATIONAL):
        kinds = [K.OUTGOING]
    else:
        kinds = [K.INTERNAL]
    if placement.international:
        kinds.append(K.INTERNATIONAL)
        if incoming:
            kinds.append(K.INTERNATIONAL_INCOMING)
    return kinds


def nation_of(placement: Placement) -> str:
    """Whose bank holidays count: the host organisation's, where the work is done; for a
    placement abroad, the sending organisation's (the arrangements are made at home).
    An incoming secondee from abroad is hosted here: ours, not the organisation abroad's,
    which has no UK bank holidays."""
    abroad = (placement.kind != OpportunityKind.INCOMING and (placement.country or "")
              .strip().lower() not in ("", "united kingdom", "uk"))
    organisation = placement.home_organisation if abroad else placement.host_organisation
    return getattr(organisation, "nation", None) or Nation.ENGLAND_AND_WALES


def generate(placement: Placement) -> list[ChecklistItem]:
    """Add the items of every template that applies and has not been used for this
    placement yet (so a placement that becomes international gains those items). The
    caller commits."""
    kinds = template_kinds(placement)
    if db.session.scalar(select(ChecklistTemplate.id).limit(1)) is None:
        install_defaults()   # a portal with no templates at all starts from the policy's
    templates = {t.kind: t for t in db.session.scalars(
        select(ChecklistTemplate).where(ChecklistTemplate.kind.in_(kinds)))}
    used = set()
    if placement.id is not None:
        used = set(db.session.scalars(
            select(ChecklistTemplateVersion.template_id).join(
                ChecklistItem, ChecklistItem.template_version_id
                == ChecklistTemplateVersion.id).where(
                ChecklistItem.placement_id == placement.id).distinct()))
    position = max((i.position for i in placement.checklist_items), default=0)
    nation = nation_of(placement)
    added = []
    for kind in kinds:
        template = templates.get(kind)
        if template is None or template.id in used or template.current is None:
            continue
        version = template.current
        for source in version.items:
            position += 1
            item = ChecklistItem(
                placement=placement, template_version_id=version.id, position=position,
                title=source.title, guidance=source.guidance, owner_type=source.owner_type,
                owner_person_id=source.owner_person_id, offset_days=source.offset_days,
                due_date=working_days_from(placement.start_date, source.offset_days, nation),
                phase=source.phase, blocking=source.blocking, records=source.records,
                record_label=source.record_label)
            db.session.add(item)
            added.append(item)
    return added


def follow_start_date(placement: Placement, previous_start: date) -> list[ChecklistItem]:
    """Move the open items' due dates with a new start date; note the change on each and
    tell each owner once about all of theirs. The caller commits."""
    nation = nation_of(placement)
    moved = []
    for item in placement.checklist_items:
        if ItemStatus(item.status).closed:
            continue
        due = working_days_from(placement.start_date, item.offset_days, nation)
        if due != item.due_date:
            item.note = (f"Due date moved from {item.due_date:%-d %B %Y} to {due:%-d %B %Y} "
                         f"when the start date moved from {previous_start:%-d %B %Y} to "
                         f"{placement.start_date:%-d %B %Y}.")
            item.due_date = due
            moved.append(item)
    by_address = defaultdict(list)
    for item in moved:
        for address in owner_addresses(item):
            if address:
                by_address[address].append(item)
    for address, items in by_address.items():
        notifications.send([address], "checklist_dates_moved", about=placement,
                           placement=placement, items=items,
                           previous_start=previous_start, link=checklist_link(placement))
    return moved
