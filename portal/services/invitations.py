"""Inviting contacts at external host organisations, and binding an invitation to the
first partner sign-in that presents it.

The link in the e-mail carries a random token; only its hash is stored. The token is
single-use, expires, and binds the identity asserted by the partner provider at that
first sign-in to a host contact of the inviting officer's chosen organisation. It is
never accepted through the organisation's own (staff) provider.
"""

import hashlib
import re
import secrets
from datetime import timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import joinedload

from portal import notifications
from portal.extensions import db
from portal.models import HostInvitation, Organisation, RoleAssignment, User
from portal.models.base import utcnow
from portal.oidc import SignInError
from portal.roles import Permission, Role
from portal.services import audit
from portal.services.errors import RuleError
from portal.urls import external_url

VALID_FOR = timedelta(days=14)
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
# Where the invitation link leaves its token in the session until the partner sign-in
# that claims it comes back.
INVITATION_KEY = "host_invitation"


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def invite(officer, organisation: Organisation | None, name: str, email: str) -> str:
    """Invite a contact; e-mail them the link. Returns the token (for the e-mail only)."""
    if not officer.can(Permission.INVITE_HOST_CONTACTS):
        raise PermissionError("invite host contact")
    errors = {}
    if organisation is None or organisation.is_own:
        errors["organisation_id"] = "Select the host organisation"
    if not name.strip():
        errors["name"] = "Enter the contact's name"
    if not EMAIL.match(email.strip()):
        errors["email"] = "Enter an e-mail address in the correct format, like name@example.org"
    if errors:
        raise RuleError(errors)
    token = secrets.token_urlsafe(32)
    invitation = HostInvitation(
        token_hash=_hash(token), organisation_id=organisation.id, name=name.strip(),
        email=email.strip(), invited_by_id=officer.id, expires_at=utcnow() + VALID_FOR)
    db.session.add(invitation)
    db.session.flush()
    audit.record("host_contact.invited", actor=officer, obj=invitation,
                 summary=f"{invitation.name} of {organisation.name}")
    notifications.send([invitation.email], "host_invitation", about=invitation, secret=True,
                       invitation=invitation, inviter=officer,
                       link=external_url("host.accept_invitation", token=token))
    db.session.commit()
    return token


def usable_invitation(token: str | None) -> HostInvitation | None:
    """The invitation behind a token if it can still be accepted."""
    if not token:
        return None
    invitation = db.session.scalar(
        select(HostInvitation).where(HostInvitation.token_hash == _hash(token)))
    if invitation is None or invitation.accepted_at is not None:
        return None
    if invitation.expires_at < utcnow():
        return None
    return invitation


def accept(token: str | None, issuer: str, subject: str, claims: dict) -> User:
    """Bind a first partner sign-in to the invitation it presents. The caller commits.

    The invitation is claimed by one conditional UPDATE (still unaccepted, not expired)
    in the transaction that creates the contact: when several browsers return with the
    same link at once, the database lets exactly one of them claim it; the others wait
    on the row, find it accepted and are refused as for a used invitation (their caller
    rolls back, so nothing of theirs is kept)."""
    invitation = usable_invitation(token)
    if invitation is None:
        raise SignInError("partner identity not invited")
    now = utcnow()
    claimed = db.session.execute(
        update(HostInvitation)
        .where(HostInvitation.id == invitation.id, HostInvitation.accepted_at.is_(None),
               HostInvitation.expires_at >= now)
        .values(accepted_at=now)
        .execution_options(synchronize_session=False))
    if claimed.rowcount != 1:
        raise SignInError("partner identity not invited: invitation already used")
    name = (claims.get("name") or invitation.name)[:200]
    user = User(issuer=issuer, subject=subject, name=name,
                email=claims.get("email") or invitation.email,
                organisation_id=invitation.organisation_id)
    user.role_assignments.append(RoleAssignment(role=Role.HOST_CONTACT,
                                                source=RoleAssignment.SOURCE_BACK_OFFICE,
                                                granted_by_id=invitation.invited_by_id))
    db.session.add(user)
    db.session.flush()
    invitation.accepted_at, invitation.accepted_user_id = now, user.id
    audit.record("host_contact.invitation_accepted", actor=user, obj=invitation,
                 summary=f"{user.name} joined for {invitation.organisation.name}")
    return user


def recent_invitations(limit: int = 100) -> list[HostInvitation]:
    return list(db.session.scalars(
        select(HostInvitation)
        .options(joinedload(HostInvitation.organisation),
                 joinedload(HostInvitation.invited_by),
                 joinedload(HostInvitation.accepted_user))
        .order_by(HostInvitation.created_at.desc(), HostInvitation.id.desc()).limit(limit)))




def external_organisations() -> list[Organisation]:
    return list(db.session.scalars(
        select(Organisation).where(Organisation.is_own.is_(False)).order_by(Organisation.name)))
