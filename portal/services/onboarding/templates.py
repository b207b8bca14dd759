"""Checklist templates as People Services keep them (R9): every change — an item added,
changed or removed — makes a new version of the template, copied from the current one,
so the checklists generated from earlier versions never change and each says which
version it came from. Two officers changing a template at once: the second is told it
changed meanwhile (the version they started from is no longer the current one).
"""

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from portal import limits
from portal.extensions import db
from portal.models import User
from portal.models.onboarding import (
    ChecklistItem,
    ChecklistTemplate,
    ChecklistTemplateVersion,
    Phase,
    RecordKind,
    TemplateItem,
)
from portal.models.onboarding import OwnerType as O
from portal.services import audit
from portal.services.errors import RuleError, StaleRecord

# Working days before or after the start an item may be due: about six months.
LONGEST_OFFSET = 130
_COPIED = ("title", "guidance", "owner_type", "owner_person_id", "offset_days", "phase",
           "blocking", "records", "record_label")


@dataclass(frozen=True)
class TemplateSummary:
    template: ChecklistTemplate
    version: ChecklistTemplateVersion | None
    items: int
    checklists: int   # placements whose checklist came from any of its versions


def templates() -> list[TemplateSummary]:
    """Every template, its current version and how many items it has: four queries."""
    found = db.session.scalars(select(ChecklistTemplate).order_by(ChecklistTemplate.id)).all()
    latest = dict(db.session.execute(
        select(ChecklistTemplateVersion.template_id, func.max(ChecklistTemplateVersion.id))
        .group_by(ChecklistTemplateVersion.template_id)).all())
    versions = {v.id: v for v in db.session.scalars(select(ChecklistTemplateVersion).where(
        ChecklistTemplateVersion.id.in_(latest.values())))} if latest else {}
    sizes = dict(db.session.execute(
        select(TemplateItem.version_id, func.count(TemplateItem.id))
        .where(TemplateItem.version_id.in_(latest.values()))
        .group_by(TemplateItem.version_id)).all()) if latest else {}
    used = dict(db.session.execute(
        select(ChecklistTemplateVersion.template_id,
               func.count(func.distinct(ChecklistItem.placement_id)))
        .join(ChecklistItem, ChecklistItem.template_version_id == ChecklistTemplateVersion.id)
        .group_by(ChecklistTemplateVersion.template_id)).all())
    summaries = []
    for template in found:
        version = versions.get(latest.get(template.id))
        items = sizes.get(version.id, 0) if version else 0
        summaries.append(TemplateSummary(template, version, items, used.get(template.id, 0)))
    return summaries


def item_problems(values: dict) -> tuple[dict[str, str], User | None]:
    """What an item's values break, field by field, and the named person it is for."""
    errors: dict[str, str] = {}
    title = (values.get("title") or "").strip()
    if not title:
        errors["title"] = "Enter what needs to be done"
    owner = values.get("owner_type")
    if owner not in {o.value for o in O}:
        errors["owner_type"] = "Select who does it"
    person = None
    if owner == O.PERSON:
        email = (values.get("owner_email") or "").strip()
        if not email:
            errors["owner_email"] = "Enter the e-mail address of the person who does it"
        else:
            person = db.session.scalar(select(User).where(
                func.lower(User.email) == email.lower(), User.is_enabled.is_(True)))
            if person is None:
                errors["owner_email"] = ("There is no one with a portal account at that "
                                         "e-mail address")
    days = values.get("days")
    when = values.get("when")
    if days is None:
        errors["days"] = "Enter how many working days before or after the start it is due"
    elif days > LONGEST_OFFSET:
        errors["days"] = f"It must be due within {LONGEST_OFFSET} working days of the start"
    if when not in ("before", "after"):
        errors["when"] = "Select whether it is due before or after the start"
    phase = values.get("phase")
    if phase not in {p.value for p in Phase}:
        errors["phase"] = "Select when it is done"
    elif days is not None and when in ("before", "after"):
        if phase == Phase.BEFORE_START and when == "after" and days > 0:
            errors["when"] = "An item done before the start must be due on or before it"
        if phase != Phase.BEFORE_START and when == "before" and days > 0:
            errors["when"] = (f"An item done in the {Phase(phase).label.lower()} must be "
                              "due on or after the start")
    records = values.get("records") or ""
    if records not in {r.value for r in RecordKind}:
        errors["records"] = "Select what completing it records"
    elif records and not (values.get("record_label") or "").strip():
        errors["record_label"] = "Enter what the date or reference is, for example Visa expiry date"
    for name, limit in (("title", 200), ("guidance", limits.REASON), ("record_label", 100),
                        ("change", limits.REASON)):
        if len(values.get(name) or "") > limit:
            errors[name] = f"This must be {limit:,} characters or fewer"
    if not (values.get("change") or "").strip():
        errors["change"] = "Say what changed and why, for the template's history"
    return errors, person


def _next_version(officer, template: ChecklistTemplate, expected_number: int | None,
                  change: str, *, leave_out: int | None = None) -> ChecklistTemplateVersion:
    current = template.current
    if current is None or expected_number != current.number:
        raise StaleRecord()
    version = ChecklistTemplateVersion(template=template, number=current.number + 1,
                                       change=change.strip(), created_by_id=officer.id)
    db.session.add(version)
    if leave_out is not None and all(i.position != leave_out for i in current.items):
        raise LookupError(leave_out)
    for source in current.items:
        if source.position == leave_out:
            continue
        version.items.append(TemplateItem(position=source.position,
                                          **{name: getattr(source, name) for name in _COPIED}))
    return version


def _values_of(values: dict, person: User | None) -> dict:
    days = values["days"]
    return {"title": values["title"].strip(), "guidance": (values.get("guidance") or "").strip(),
            "owner_type": values["owner_type"],
            "owner_person_id": person.id if person else None,
            "offset_days": -days if values["when"] == "before" else days,
            "phase": values["phase"], "blocking": bool(values.get("blocking")),
            "records": values.get("records") or "",
            "record_label": (values.get("record_label") or "").strip()
            if values.get("records") else ""}


def _save(officer, template, version, summary: str) -> ChecklistTemplateVersion:
    for position, item in enumerate(version.items, start=1):
        item.position = position
    db.session.add(version)
    audit.record("checklist_template.change", actor=officer, obj=template,
                 summary=f"{template.name}: version {version.number}: {summary}")
    try:
        db.session.commit()
    except IntegrityError:
        # Another officer made the same version number first.
        db.session.rollback()
        raise StaleRecord() from None
    return version


def add_item(officer, template: ChecklistTemplate, values: dict, *,
             expected_number: int | None) -> ChecklistTemplateVersion:
    errors, person = item_problems(values)
    if errors:
        raise RuleError(errors)
    version = _next_version(officer, template, expected_number, values["change"])
    version.items.append(TemplateItem(position=len(version.items) + 1,
                                      **_values_of(values, person)))
    return _save(officer, template, version, f"added {values['title'].strip()}")


def change_item(officer, template: ChecklistTemplate, position: int, values: dict, *,
                expected_number: int | None) -> ChecklistTemplateVersion:
    errors, person = item_problems(values)
    if errors:
        raise RuleError(errors)
    version = _next_version(officer, template, expected_number, values["change"])
    item = _at(version, position)
    for name, value in _values_of(values, person).items():
        setattr(item, name, value)
    return _save(officer, template, version, f"changed {item.title}")


def remove_item(officer, template: ChecklistTemplate, position: int, *, change: str,
                expected_number: int | None) -> ChecklistTemplateVersion:
    if not change.strip():
        raise RuleError({"change": "Say why it is removed, for the template's history"})
    if len(change) > limits.REASON:
        raise RuleError({"change": f"This must be {limits.REASON:,} characters or fewer"})
    title = _at(template.current, position).title if template.current else ""
    version = _next_version(officer, template, expected_number, change, leave_out=position)
    return _save(officer, template, version, f"removed {title}")


def _at(version: ChecklistTemplateVersion, position: int) -> TemplateItem:
    for item in version.items:
        if item.position == position:
            return item
    raise LookupError(position)


def form_values(item: TemplateItem) -> dict:
    """An item's values as its form asks for them."""
    return {"title": item.title, "guidance": item.guidance, "owner_type": item.owner_type,
            "owner_email": item.owner_person.email if item.owner_person else "",
            "days": abs(item.offset_days),
            "when": "before" if item.offset_days < 0 else "after", "phase": item.phase,
            "blocking": item.blocking, "records": item.records,
            "record_label": item.record_label}
