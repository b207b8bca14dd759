"""Who may do what: the one place that decides it.

Every view carries exactly one `@requires(Permission.X)` or `@public`; a test walks the
URL map and fails on a view with neither. Templates ask `current_user.can(...)`; the
back office asks the same function.
"""

import hmac
from enum import StrEnum
from functools import wraps

from flask import abort, current_app, redirect, request, url_for
from flask_login import current_user


class Role(StrEnum):
    STAFF = "staff"
    LINE_MANAGER = "line_manager"
    HEAD_OF_DEPARTMENT = "head_of_department"
    HOST_MANAGER = "host_manager"
    PEOPLE_SERVICES = "people_services"
    RESOURCES_BOARD = "resources_board"
    LEGAL = "legal"
    HOST_CONTACT = "host_contact"
    ADMIN = "admin"

    @property
    def label(self) -> str:
        return _ROLE_LABELS[self]


_ROLE_LABELS = {
    Role.STAFF: "Staff",
    Role.LINE_MANAGER: "Line manager",
    Role.HEAD_OF_DEPARTMENT: "Head of department",
    Role.HOST_MANAGER: "Host manager",
    Role.PEOPLE_SERVICES: "People Services",
    Role.RESOURCES_BOARD: "Resources Board",
    Role.LEGAL: "Legal",
    Role.HOST_CONTACT: "Host organisation contact",
    Role.ADMIN: "Administrator",
}


class Permission(StrEnum):
    VIEW_HOME = "view_home"
    VIEW_OWN_ACCOUNT = "view_own_account"
    VIEW_AUDIT_LOG = "view_audit_log"
    MANAGE_USERS = "manage_users"
    # Organisations and departments in the back office.
    MANAGE_ORGANISATIONS = "manage_organisations"
    # The vacancies board (R1): everyone inside the organisation, never host contacts.
    VIEW_BOARD = "view_board"
    # Drafting and looking after one's own opportunities (managers, People Services).
    CREATE_OPPORTUNITY = "create_opportunity"
    # Every opportunity in every state, named requests included (001 §6.1).
    MANAGE_ANY_OPPORTUNITY = "manage_any_opportunity"
    # Business cases and secondments beyond 24 months (R3, R6).
    DECIDE_BUSINESS_CASE = "decide_business_case"
    # Applying for an opportunity and following one's own applications (R4).
    APPLY = "apply"
    # Endorsing or refusing the applications of one's reports, or releasing staff (R5).
    DECIDE_APPLICATIONS = "decide_applications"
    # Reading a decision letter: staff may hold it, and the letter itself decides who
    # reads it (the applicant, their deciders, People Services); never host contacts.
    READ_DECISION_LETTERS = "read_decision_letters"
    # Shortlisting, assessing and offering for the opportunities whose hiring side one
    # is on (their creator or contact, or People Services).
    SELECT_CANDIDATES = "select_candidates"
    # Every application in every state (001 §6.1), appeals, conflicts, equality (R13).
    VIEW_ALL_APPLICATIONS = "view_all_applications"
    DECIDE_APPEALS = "decide_appeals"
    VIEW_CONFLICTS = "view_conflicts"
    VIEW_EQUALITY_REPORT = "view_equality_report"
    # Inviting contacts at external host organisations to sign in.
    INVITE_HOST_CONTACTS = "invite_host_contacts"
    # Seeing the e-mail the portal could not deliver, and sending it again.
    RESEND_EMAIL = "resend_email"


# Role -> permissions. A person holding several roles has the union.
ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    # Any member of staff may be named an opportunity's contact, and being its contact
    # (or creator) is what puts them on its hiring side: the selection pages ask the
    # opportunity (`is_selector`), not a role.
    Role.STAFF: frozenset({Permission.VIEW_HOME, Permission.VIEW_OWN_ACCOUNT,
                           Permission.VIEW_BOARD, Permission.APPLY,
                           Permission.SELECT_CANDIDATES, Permission.READ_DECISION_LETTERS}),
    Role.LINE_MANAGER: frozenset({Permission.VIEW_HOME, Permission.VIEW_BOARD,
                                  Permission.CREATE_OPPORTUNITY,
                                  Permission.DECIDE_APPLICATIONS,
                                  Permission.SELECT_CANDIDATES}),
    Role.HEAD_OF_DEPARTMENT: frozenset({Permission.VIEW_HOME, Permission.VIEW_BOARD,
                                        Permission.CREATE_OPPORTUNITY,
                                        Permission.DECIDE_APPLICATIONS,
                                        Permission.SELECT_CANDIDATES}),
    Role.HOST_MANAGER: frozenset({Permission.VIEW_HOME}),
    Role.PEOPLE_SERVICES: frozenset({Permission.VIEW_HOME, Permission.VIEW_AUDIT_LOG,
                                     Permission.VIEW_BOARD, Permission.CREATE_OPPORTUNITY,
                                     Permission.MANAGE_ANY_OPPORTUNITY,
                                     Permission.SELECT_CANDIDATES,
                                     Permission.VIEW_ALL_APPLICATIONS,
                                     Permission.DECIDE_APPEALS, Permission.VIEW_CONFLICTS,
                                     Permission.VIEW_EQUALITY_REPORT,
                                     Permission.INVITE_HOST_CONTACTS,
                                     Permission.RESEND_EMAIL}),
    Role.RESOURCES_BOARD: frozenset({Permission.VIEW_HOME, Permission.VIEW_BOARD,
                                     Permission.DECIDE_BUSINESS_CASE}),
    Role.LEGAL: frozenset({Permission.VIEW_HOME, Permission.VIEW_BOARD}),
    Role.HOST_CONTACT: frozenset({Permission.VIEW_HOME, Permission.VIEW_OWN_ACCOUNT}),
    Role.ADMIN: frozenset(
        {Permission.VIEW_HOME, Permission.VIEW_AUDIT_LOG, Permission.MANAGE_USERS,
         Permission.MANAGE_ORGANISATIONS, Permission.VIEW_BOARD, Permission.VIEW_CONFLICTS}
    ),
}


def permissions_for(roles) -> frozenset[Permission]:
    granted: set[Permission] = set()
    for role in roles:
        granted |= ROLE_PERMISSIONS.get(Role(role), frozenset())
    return frozenset(granted)


def can(user, permission: Permission) -> bool:
    """Whether this user (possibly anonymous) holds the permission."""
    return bool(user and user.is_authenticated and user.can(permission))


def requires(permission: Permission):
    """Deny unless the signed-in user holds `permission`.

    Anonymous visitors are sent to sign in and brought back; a signed-in person
    without the permission gets 403 (and an audit entry).
    """

    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not current_user.is_authenticated:
                return redirect(url_for("auth.sign_in", next=request.full_path.rstrip("?")))
            if not current_user.can(permission):
                from portal.services.audit import record_refused_access

                record_refused_access(current_user, permission)
                abort(403)
            return view(*args, **kwargs)

        wrapped.required_permission = permission
        wrapped.declarations = [*getattr(view, "declarations", []), str(permission)]
        return wrapped

    return decorator


def requires_or_feed_key(permission: Permission):
    """For the intranet feeds: a signed-in person with `permission`, or a server that
    presents the deployment's feed key (`?key=`, compared in constant time)."""

    def decorator(view):
        inner = requires(permission)(view)

        @wraps(view)
        def wrapped(*args, **kwargs):
            expected = current_app.config.get("FEED_KEY") or ""
            offered = request.args.get("key") or ""
            if offered:
                if expected and hmac.compare_digest(offered.encode(), expected.encode()):
                    return view(*args, **kwargs)
                abort(403)
            return inner(*args, **kwargs)

        wrapped.required_permission = permission
        wrapped.declarations = [*getattr(view, "declarations", []), str(permission)]
        return wrapped

    return decorator


def public(view):
    """Open to anyone, signed in or not."""
    view.is_public = True
    view.declarations = [*getattr(view, "declarations", []), "public"]
    return view


def view_declarations(view) -> list[str]:
    """Everything a view declares about who may use it. A back-office page is a method
    of one Flask-Admin view object, which declares for all its routes at once."""
    owner = getattr(view, "__self__", None)
    if owner is not None and hasattr(owner, "required_permission"):
        return [str(owner.required_permission)] if owner.required_permission else []
    return list(getattr(view, "declarations", []))


def view_declaration(view) -> str | None:
    """`public` or the permission a view requires; None unless it declares exactly one."""
    declared = view_declarations(view)
    return declared[0] if len(declared) == 1 else None


def undeclared_endpoints(app=None) -> list[str]:
    """Endpoints, the back office's included, whose view does not declare exactly one
    permission or `@public`: none, or two that contradict each other."""
    app = app or current_app
    return sorted(endpoint for endpoint, view in app.view_functions.items()
                  if len(view_declarations(view)) != 1)
