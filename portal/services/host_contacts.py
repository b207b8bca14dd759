"""People Services looking after the contacts of external host organisations: who they
are and when each last signed in, an invitation sent again, a contact's access revoked.

Revoking ends every session the contact holds at once (their next request finds it
ended) and stops them signing in again: their account is disabled, as an administrator
would disable it, and they are told by e-mail. An invitation sent again gets a new link
and a new 14 days; the old link stops working.
"""

import secrets

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from portal import notifications
from portal.extensions import db
from portal.models import HostInvitation, Organisation, RoleAssignment, User
from portal.models.base import utcnow
from portal.roles import Permission, Role
from portal.services import audit
from portal.services.errors import RuleError
from portal.services.invitations import VALID_FOR, _hash
from portal.services.sessions import end_all_sessions
from portal.urls import external_url


def _check(officer) -> None:
    if not officer.can(Permission.INVITE_HOST_CONTACTS):
        raise PermissionError("look after host contacts")


def host_contacts(limit: int = 500) -> list[User]:
    """Every contact of an external organisation, by organisation then name."""
    return list(db.session.scalars(
        select(User).join(User.organisation)
        .where(Organisation.is_own.is_(False),
               User.role_assignments.any(RoleAssignment.role == Role.HOST_CONTACT))
        .options(joinedload(User.organisation))
        .order_by(Organisation.name, User.name, User.id).limit(limit)))


def host_contact(user_id: int) -> User | None:
    """A contact of an external organisation by id; None for anyone else."""
    person = db.session.get(User, user_id)
    if person is None or person.organisation.is_own or Role.HOST_CONTACT not in person.roles:
        return None
    return person


def can_send_again(invitation: HostInvitation) -> bool:
    """An invitation nobody has used yet, waiting or expired, can be sent again."""
    return invitation.accepted_at is None


def send_again(officer, invitation: HostInvitation) -> str:
    """A new link for an unused invitation, valid for a new 14 days; the old link stops
    working. Returns the token (for the e-mail only)."""
    _check(officer)
    if not can_send_again(invitation):
        raise RuleError({"invitation": f"{invitation.name} has already accepted this "
                                       "invitation: they sign in as usual"})
    token = secrets.token_urlsafe(32)
    invitation.token_hash = _hash(token)
    invitation.expires_at = utcnow() + VALID_FOR
    event = audit.record("host_contact.invitation_resent", actor=officer, obj=invitation,
                         summary=f"{invitation.name} of {invitation.organisation.name}")
    # About the audit event, not the invitation: each sending is a message of its own,
    # never taken for the first e-mail told twice.
    notifications.send([invitation.email], "host_invitation", about=event, secret=True,
                       invitation=invitation, inviter=officer,
                       link=external_url("host.accept_invitation", token=token))
    db.session.commit()
    return token


def is_revoked(contact: User) -> bool:
    return not contact.is_enabled


def revoke(officer, contact: User) -> None:
    """End a contact's access: every session ends now, sign-in is refused from now on."""
    _check(officer)
    if is_revoked(contact):
        raise RuleError({"contact": f"{contact.name}'s access has already been revoked"})
    contact.is_enabled = False
    end_all_sessions(contact, "access revoked by People Services")
    event = audit.record("host_contact.revoked", actor=officer, obj=contact,
                         summary=f"{contact.name} of {contact.organisation.name}; every "
                                 "session ended")
    notifications.send([contact], "host_access_revoked", about=event, contact=contact,
                       officer=officer)
    db.session.commit()
