"""Writing the audit trail (R8, R14).

An event is added to the caller's transaction so that a decision and its audit row
commit together; `record_now` commits at once, for events that stand alone (a refused
access, a failed sign-in).
"""

from flask import has_request_context, request

from portal.extensions import db
from portal.models import AuditEvent


def record(action: str, *, actor=None, obj=None, summary: str = "") -> AuditEvent:
    """Add an audit event to the current transaction; the caller commits."""
    event = AuditEvent(
        action=action,
        actor_id=getattr(actor, "id", None),
        object_type=type(obj).__name__ if obj is not None else None,
        object_id=str(obj.id) if obj is not None and getattr(obj, "id", None) else None,
        summary=summary[:2000],
        ip_address=request.remote_addr if has_request_context() else None,
    )
    db.session.add(event)
    return event


def record_now(action: str, *, actor=None, obj=None, summary: str = "") -> AuditEvent:
    event = record(action, actor=actor, obj=obj, summary=summary)
    db.session.commit()
    return event


def record_refused_access(user, permission) -> None:
    record_now(
        "access.refused",
        actor=user,
        summary=f"{request.method} {request.path} needs {permission}",
    )
