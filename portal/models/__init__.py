"""Typed SQLAlchemy models, one module per aggregate."""

from portal.models.applications import (
    Appeal,
    Application,
    ConflictAction,
    ConflictDeclaration,
    Decision,
    EqualityResponse,
)
from portal.models.audit import AuditEvent
from portal.models.documents import IssuedDocument
from portal.models.extensions import Extension
from portal.models.grades import Grade
from portal.models.invitations import HostInvitation
from portal.models.onboarding import (
    ChecklistItem,
    ChecklistTemplate,
    ChecklistTemplateVersion,
    ReminderDigest,
    TemplateItem,
)
from portal.models.opportunities import BusinessCase, Opportunity
from portal.models.outbox import OutboxMessage
from portal.models.people import Department, Organisation, RoleAssignment, User
from portal.models.placements import AgreementSignature, AgreementVersion, Placement
from portal.models.reviews import Review
from portal.models.sessions import UserSession
from portal.models.staff_imports import StaffImportUpload

__all__ = [
    "ChecklistItem",
    "ChecklistTemplate",
    "ChecklistTemplateVersion",
    "ReminderDigest",
    "TemplateItem",
    "AgreementSignature",
    "AgreementVersion",
    "Placement",
    "Review",
    "Extension",
    "Appeal",
    "Application",
    "ConflictAction",
    "ConflictDeclaration",
    "Decision",
    "HostInvitation",
    "IssuedDocument",
    "Grade",
    "EqualityResponse",
    "AuditEvent",
    "BusinessCase",
    "Opportunity",
    "OutboxMessage",
    "Department",
    "Organisation",
    "RoleAssignment",
    "User",
    "UserSession",
    "StaffImportUpload",
]
