"""Who may do what: the one place that decides it.

The roles and permissions themselves are data in portal/roles.py.
Every view carries exactly one `@requires(Permission.X)` or `@public`; a test walks the
URL map and fails on a view with neither. Templates ask `current_user.can(...)`; the
back office asks the same function.
"""

import hmac
from functools import wraps

from flask import abort, current_app, redirect, request, url_for
from flask_login import current_user

from portal.roles import ROLE_PERMISSIONS, Permission, Role, permissions_for
from portal.services.audit import record_refused_access

__all__ = ["ROLE_PERMISSIONS", "Permission", "Role", "can", "permissions_for", "public",
           "requires", "requires_or_feed_key", "undeclared_endpoints", "view_declaration",
           "view_declarations"]


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
