"""Onboarding checklists (R9): templates People Services keep, version by version, and
the items generated from them for each placement, each owned by someone and due a number
of working days before or after the start.

A template's versions are frozen once made: editing a template makes a new version, so a
checklist already generated never changes and says which version each item came from.
"""

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import (
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal import limits
from portal.extensions import db
from portal.models.base import UTCDateTime, utcnow

__all__ = ["ChecklistItem", "ChecklistTemplate", "ChecklistTemplateVersion", "ItemStatus",
           "Nation", "OwnerType", "Phase", "RecordKind", "ReminderDigest", "TemplateItem",
           "TemplateKind"]


class TemplateKind(StrEnum):
    """Which placements a template applies to. An international placement gets its
    base template (outgoing or incoming) and the international one; an incoming
    international one the incoming international one as well."""

    INCOMING = "incoming"
    OUTGOING = "outgoing"
    INTERNAL = "internal"
    INFORMAL = "informal"
    INTERNATIONAL = "international"
    INTERNATIONAL_INCOMING = "international_incoming"

    @property
    def label(self) -> str:
        return {
            "incoming": "Incoming secondees",
            "outgoing": "Outgoing secondees",
            "internal": "Internal secondments",
            "informal": "Informal secondments and job shadowing",
            "international": "International placements (outgoing and incoming)",
            "international_incoming": "Incoming international secondees",
        }[self.value]


class OwnerType(StrEnum):
    PEOPLE_SERVICES = "people_services"
    IT = "it"
    SECONDEE = "secondee"
    HOST_MANAGER = "host_manager"
    SUBSTANTIVE_MANAGER = "substantive_manager"
    HOST_CONTACT = "host_contact"
    PERSON = "person"

    @property
    def label(self) -> str:
        return {
            "people_services": "People Services",
            "it": "IT services",
            "secondee": "The secondee",
            "host_manager": "The host manager",
            "substantive_manager": "The substantive manager",
            # The other organisation's: the host's for someone going out, the sending
            # organisation's for someone coming in (a checklist names which).
            "host_contact": "The host or sending organisation's contact",
            "person": "A named person",
        }[self.value]


class Phase(StrEnum):
    BEFORE_START = "before_start"
    FIRST_WEEK = "first_week"
    FIRST_MONTH = "first_month"

    @property
    def label(self) -> str:
        return {"before_start": "Before the start", "first_week": "First week",
                "first_month": "First month"}[self.value]


class RecordKind(StrEnum):
    """What completing an item records besides the fact: nothing, a date, an expiry
    date (a visa, a right to work: reminded before it comes), or a reference (an
    equipment asset tag)."""

    NONE = ""
    DATE = "date"
    EXPIRY = "expiry"
    REFERENCE = "reference"

    @property
    def label(self) -> str:
        return {"": "Nothing", "date": "A date", "expiry": "An expiry date",
                "reference": "A reference"}[self.value]


class ItemStatus(StrEnum):
    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    CANNOT_START = "cannot_start"
    DONE = "done"
    NOT_APPLICABLE = "not_applicable"

    @property
    def label(self) -> str:
        return {"not_started": "Not yet started", "in_progress": "In progress",
                "cannot_start": "Cannot start yet", "done": "Completed",
                "not_applicable": "Not applicable"}[self.value]

    @property
    def staff_label(self) -> str:
        return self.label

    @property
    def closed(self) -> bool:
        return self in (ItemStatus.DONE, ItemStatus.NOT_APPLICABLE)

    @property
    def waits(self) -> bool:
        """Its reason says what it waits for (else why it does not apply)."""
        return self is ItemStatus.CANNOT_START

    @property
    def tag_colour(self) -> str:
        """The GOV.UK task list's tag; "" for Completed, which it shows as plain text."""
        return {"not_started": "blue", "in_progress": "light-blue", "cannot_start": "grey",
                "done": "", "not_applicable": "grey"}[self.value]


OPEN_STATUSES = (ItemStatus.NOT_STARTED, ItemStatus.IN_PROGRESS, ItemStatus.CANNOT_START)


class Nation(StrEnum):
    """A UK nation's bank holidays, as govuk-bank-holidays names its divisions."""

    ENGLAND_AND_WALES = "england-and-wales"
    SCOTLAND = "scotland"
    NORTHERN_IRELAND = "northern-ireland"
    # An organisation outside the UK: no UK bank holidays; a secondee coming from it is
    # an international secondee (visa and right to work, 002 §5).
    ABROAD = "abroad"

    @property
    def label(self) -> str:
        return {"england-and-wales": "England and Wales", "scotland": "Scotland",
                "northern-ireland": "Northern Ireland",
                "abroad": "Outside the UK"}[self.value]


class ChecklistTemplate(db.Model):
    __tablename__ = "checklist_templates"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(30), unique=True)
    name: Mapped[str] = mapped_column(String(200))

    versions: Mapped[list["ChecklistTemplateVersion"]] = relationship(
        back_populates="template", order_by="ChecklistTemplateVersion.number")

    @property
    def kind_label(self) -> str:
        return TemplateKind(self.kind).label

    @property
    def current(self) -> "ChecklistTemplateVersion | None":
        return self.versions[-1] if self.versions else None


class ChecklistTemplateVersion(db.Model):
    """One version of a template: frozen once made."""

    __tablename__ = "checklist_template_versions"
    __table_args__ = (UniqueConstraint("template_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    template_id: Mapped[int] = mapped_column(ForeignKey("checklist_templates.id"))
    number: Mapped[int] = mapped_column(Integer)
    change: Mapped[str] = mapped_column(String(limits.REASON), default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    template: Mapped[ChecklistTemplate] = relationship(back_populates="versions")
    created_by = relationship("User")
    items: Mapped[list["TemplateItem"]] = relationship(
        back_populates="version", order_by="TemplateItem.position")

    @property
    def label(self) -> str:
        return f"{self.template.name}, version {self.number}"


class TemplateItem(db.Model):
    __tablename__ = "checklist_template_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("checklist_template_versions.id"),
                                            index=True)
    position: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(200))
    guidance: Mapped[str] = mapped_column(String(limits.REASON), default="")
    owner_type: Mapped[str] = mapped_column(String(30))
    owner_person_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # Working days from the start date: negative before it, positive after.
    offset_days: Mapped[int] = mapped_column(Integer)
    phase: Mapped[str] = mapped_column(String(20))
    blocking: Mapped[bool] = mapped_column(Boolean, default=False)
    records: Mapped[str] = mapped_column(String(20), default=RecordKind.NONE)
    record_label: Mapped[str] = mapped_column(String(100), default="")

    version: Mapped[ChecklistTemplateVersion] = relationship(back_populates="items")
    owner_person = relationship("User")


class ChecklistItem(db.Model):
    """One thing to do for one placement, copied from its template version."""

    __tablename__ = "checklist_items"
    __table_args__ = (
        Index("ix_checklist_items_placement", "placement_id", "position"),
        # Whether a placement has an open item, for the dashboard (0018).
        Index("ix_checklist_items_placement_status", "placement_id", "status"),
        Index("ix_checklist_items_open_due", "status", "due_date"),
        Index("ix_checklist_items_owner", "owner_type", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    placement_id: Mapped[int] = mapped_column(ForeignKey("placements.id"))
    template_version_id: Mapped[int] = mapped_column(
        ForeignKey("checklist_template_versions.id"))
    position: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(200))
    guidance: Mapped[str] = mapped_column(String(limits.REASON), default="")
    owner_type: Mapped[str] = mapped_column(String(30))
    owner_person_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    offset_days: Mapped[int] = mapped_column(Integer)
    due_date: Mapped[date] = mapped_column(Date)
    phase: Mapped[str] = mapped_column(String(20))
    blocking: Mapped[bool] = mapped_column(Boolean, default=False)
    records: Mapped[str] = mapped_column(String(20), default=RecordKind.NONE)
    record_label: Mapped[str] = mapped_column(String(100), default="")
    status: Mapped[str] = mapped_column(String(20), default=ItemStatus.NOT_STARTED)
    recorded_date: Mapped[date | None] = mapped_column(Date)
    recorded_reference: Mapped[str] = mapped_column(String(200), default="")
    # Why it does not apply, or what it waits on.
    reason: Mapped[str] = mapped_column(String(limits.REASON), default="")
    # What changed it besides its owner: "Due date moved from ... when the start moved".
    note: Mapped[str] = mapped_column(String(limits.REASON), default="")
    completed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}

    placement = relationship("Placement", backref="checklist_items")
    template_version = relationship("ChecklistTemplateVersion")
    owner_person = relationship("User", foreign_keys=[owner_person_id])
    completed_by = relationship("User", foreign_keys=[completed_by_id])

    @property
    def status_enum(self) -> ItemStatus:
        return ItemStatus(self.status)

    @property
    def phase_enum(self) -> Phase:
        return Phase(self.phase)

    @property
    def owner_label(self) -> str:
        if self.owner_type == OwnerType.PERSON and self.owner_person is not None:
            return self.owner_person.name
        return OwnerType(self.owner_type).label

    @property
    def is_open(self) -> bool:
        return not ItemStatus(self.status).closed

    def __repr__(self) -> str:
        return f"<ChecklistItem {self.placement_id}.{self.position} {self.status}>"


class ReminderDigest(db.Model):
    """One reminder digest per person per day: the unique key is what makes
    `send-reminders` safe to run twice, or from two hosts at once."""

    __tablename__ = "reminder_digests"
    __table_args__ = (UniqueConstraint("recipient", "day"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    recipient: Mapped[str] = mapped_column(String(320))
    day: Mapped[date] = mapped_column(Date)
    items: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
