"""The back office (Flask-Admin) for People Services and administrators.

Every view derives from one secured base whose `is_accessible` asks the same
permission check as the rest of the portal; the audit trail is read-only.
"""

from flask import abort, redirect, request, url_for
from flask_admin import Admin, AdminIndexView, expose
from flask_admin.contrib.sqla import ModelView
from flask_admin.theme import Bootstrap4Theme
from flask_login import current_user

from portal.extensions import db
from portal.models import AuditEvent
from portal.permissions import Permission, can


class _Secured:
    required_permission = Permission.VIEW_AUDIT_LOG

    def is_accessible(self):
        return can(current_user, self.required_permission)

    def inaccessible_callback(self, name, **kwargs):
        if not current_user.is_authenticated:
            return redirect(url_for("auth.sign_in", next=request.full_path.rstrip("?")))
        abort(403)


class BackOfficeIndexView(_Secured, AdminIndexView):
    @expose("/")
    def index(self):
        return self.render("admin/index.html")


class ReadOnlyView(_Secured, ModelView):
    can_create = False
    can_edit = False
    can_delete = False
    can_export = False
    can_view_details = True


class AuditEventView(ReadOnlyView):
    column_list = ("occurred_at", "actor", "action", "object_type", "object_id", "summary")
    column_default_sort = ("occurred_at", True)
    column_searchable_list = ("action", "summary")
    column_filters = ("action", "object_type")
    page_size = 50


def init_admin(app) -> None:
    back_office = Admin(
        app,
        name="Back office",
        url="/back-office",
        theme=Bootstrap4Theme(),
        index_view=BackOfficeIndexView(url="/back-office", endpoint="admin"),
    )
    back_office.add_view(
        AuditEventView(AuditEvent, db.session, name="Audit trail", endpoint="admin_audit",
                       url="/back-office/audit")
    )
