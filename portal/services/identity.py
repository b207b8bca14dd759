"""Who a verified sign-in is: finding, linking or creating the person, and their roles.

People are keyed by (issuer, subject), never by e-mail. Someone imported from the HR
export (by e-mail, with no subject yet) is linked at their first sign-in only when the
organisation's own provider asserts that same e-mail as verified. A partner provider's
identity is never linked by e-mail: host contacts get in only as already-known people.
"""

from flask import current_app
from sqlalchemy import delete, func, select

from portal.extensions import db
from portal.models import Organisation, RoleAssignment, User
from portal.models.base import utcnow
from portal.oidc import SignInError
from portal.roles import Role
from portal.services import audit, sessions


def own_organisation() -> Organisation:
    """The body running this portal, created on first need from ORGANISATION_NAME."""
    org = db.session.scalar(select(Organisation).where(Organisation.is_own.is_(True)))
    if org is None:
        org = Organisation(name=current_app.config["ORGANISATION_NAME"], is_own=True)
        db.session.add(org)
        db.session.flush()
    return org


def roles_from_claims(claims: dict) -> set[Role]:
    """Portal roles from the provider's group claim, through the deployment's mapping.

    Everyone the organisation's own provider signs in is at least staff.
    """
    groups = claims.get(current_app.config["OIDC_GROUPS_CLAIM"]) or []
    if isinstance(groups, str):
        groups = [groups]
    mapping = current_app.config["OIDC_ROLE_MAP"]
    roles = {Role.STAFF}
    for group in groups:
        role = mapping.get(str(group))
        if role in Role.__members__.values():
            roles.add(Role(role))
    return roles


def _display_name(claims: dict) -> str:
    name = claims.get("name") or " ".join(
        filter(None, [claims.get("given_name"), claims.get("family_name")])
    )
    return (name or claims.get("email") or claims["sub"])[:200]


def resolve_user(provider: str, claims: dict, invitation_token: str | None = None) -> User:
    """Find, link or create the person behind verified claims; refresh what changed.

    A first partner sign-in is accepted only with an invitation (`invitation_token`,
    from the invitation link this browser opened). Raises SignInError when this
    identity may not sign in. The caller commits.
    """
    issuer, subject = claims["iss"], claims["sub"]
    user = db.session.scalar(
        select(User).where(User.issuer == issuer, User.subject == subject)
    )
    email = (claims.get("email") or "").strip()
    email_verified = claims.get("email_verified") is True

    if user is None and provider == "staff":
        if email and email_verified:
            user = db.session.scalar(
                select(User).where(
                    func.lower(User.email) == email.lower(),
                    User.subject.is_(None),
                    User.organisation_id == own_organisation().id,
                )
            )
            if user is not None:
                user.issuer, user.subject = issuer, subject
                audit.record("user.linked", actor=user, obj=user,
                             summary="Imported staff record linked at first sign-in")
        if user is None:
            user = User(
                issuer=issuer,
                subject=subject,
                email=email or subject,
                name=_display_name(claims),
                organisation=own_organisation(),
            )
            db.session.add(user)
            db.session.flush()
            audit.record("user.created", actor=user, obj=user,
                         summary="Created at first sign-in")
    if user is None and provider == "partner":
        from portal.services import invitations

        user = invitations.accept(invitation_token, issuer, subject, claims)
    if not user.is_enabled:
        raise SignInError("user disabled")

    if claims.get("name") or claims.get("given_name"):
        user.name = _display_name(claims)
    if email and (email_verified or provider == "staff"):
        user.email = email
    if provider == "staff":
        _replace_claim_roles(user, roles_from_claims(claims))
    user.last_signed_in_at = utcnow()
    return user


def _replace_claim_roles(user: User, roles: set[Role]) -> None:
    db.session.execute(
        delete(RoleAssignment).where(
            RoleAssignment.user_id == user.id,
            RoleAssignment.source == RoleAssignment.SOURCE_CLAIM,
        )
    )
    db.session.expire(user, ["role_assignments"])
    for role in sorted(roles):
        db.session.add(
            RoleAssignment(user_id=user.id, role=role, source=RoleAssignment.SOURCE_CLAIM)
        )


def sign_in(provider: str, claims: dict, id_token: str | None,
            invitation_token: str | None = None) -> User:
    """Record a successful sign-in: the person, a new session, the audit event."""
    user = resolve_user(provider, claims, invitation_token)
    sessions.start_session(user, provider, id_token)
    audit.record("sign_in.succeeded", actor=user, obj=user, summary=f"through {provider}")
    db.session.commit()
    user.__dict__.pop("_roles", None)
    return user


def record_failed_sign_in(provider: str | None, reason: str) -> None:
    db.session.rollback()
    audit.record_now("sign_in.failed", summary=f"{provider or 'unknown provider'}: {reason}")
