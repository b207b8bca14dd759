"""Checklists and their items, for the people they concern (R9).

A checklist is seen by whoever may see its placement; the other organisation's contacts
see only their own organisation's items. An item is also open to its owner where the
owner may not see the placement itself (IT services, a named person). Anyone else gets
404, as for the placement, and the attempt is audited.
"""

from flask import abort, request
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from portal.extensions import db
from portal.models.onboarding import ChecklistItem, ChecklistTemplate, TemplateItem
from portal.models.placements import Placement
from portal.services import audit
from portal.services.onboarding import owners
from portal.services.placements.access import may_view


def _not_found(user, what: str):
    audit.record_now("placement.not_found", actor=user,
                     summary=f"{request.method} {request.path}: no {what} for this person")
    abort(404)


def checklist_to_view(user, placement_id: int) -> Placement:
    placement = db.session.get(Placement, placement_id, options=[
        selectinload(Placement.checklist_items).selectinload(ChecklistItem.owner_person)])
    if placement is None or not owners.may_view_checklist(user, placement):
        _not_found(user, f"checklist of placement {placement_id}")
    return placement


def item_to_update(user, placement_id: int, item_id: int) -> ChecklistItem:
    """The item, for its owner or People Services: 404 to anyone who may not see it,
    403 to those who may see it (on the checklist) but not move it."""
    item = db.session.get(ChecklistItem, item_id)
    if item is None or item.placement_id != placement_id:
        _not_found(user, f"checklist item {item_id} on placement {placement_id}")
    placement = item.placement
    if owners.may_act(user, item, "owner"):
        return item
    if may_view(user, placement) and owners.sees_whole_checklist(user, placement):
        abort(403)
    _not_found(user, f"checklist item {item_id} on placement {placement_id}")


def checklist_template(template_id: int) -> ChecklistTemplate:
    template = db.session.get(ChecklistTemplate, template_id)
    if template is None:
        abort(404)
    return template


def template_item(template_id: int, position: int) -> tuple[ChecklistTemplate, TemplateItem]:
    """An item of a template's current version, by its position."""
    template = checklist_template(template_id)
    current = template.current
    item = None if current is None else db.session.scalar(select(TemplateItem).where(
        TemplateItem.version_id == current.id, TemplateItem.position == position))
    if item is None:
        abort(404)
    return template, item
