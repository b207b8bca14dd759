"""The back office's views: one secured base, and a view per kind of record.

Who may open what is decided here, per view, and asked of `portal.permissions.can`
like every other page of the portal:

- Overview (`admin`), VIEW_AUDIT_LOG (People Services, administrators): read.
- Audit trail (`admin_audit`), VIEW_AUDIT_LOG (People Services, administrators):
  read, search and filter; never create, edit or delete.
- People (`admin_people`), MANAGE_USERS (administrators): edit name, grade,
  department, line manager and whether enabled; no create, no delete.
- Role assignments (`admin_roles`), MANAGE_USERS (administrators): grant and remove
  back-office roles; roles from the provider's groups are read-only.
- Organisations (`admin_organisations`), MANAGE_ORGANISATIONS (administrators): add
  host organisations, rename; no delete.
- Departments (`admin_departments`), MANAGE_ORGANISATIONS (administrators): create,
  edit; no delete.

People Services read the audit trail (they answer for the portal's decisions) but do
not change accounts or roles: that is an administrator's job. Nothing is exported, and
no view has mass actions: every change goes through one record's form, so that each
gets its audit event from `portal/services/people.py`.
"""

from urllib.parse import urlencode

from flask import abort, flash, redirect, request, url_for
from flask_admin import AdminIndexView, expose
from flask_admin.contrib.sqla import ModelView
from flask_admin.contrib.sqla.filters import (
    DateTimeBetweenFilter,
    DateTimeGreaterFilter,
    DateTimeSmallerFilter,
)
from flask_login import current_user
from wtforms import SelectField

from blueprints.admin.forms import (
    BackOfficeForm,
    GrantRoleForm,
    PersonByEmailField,
    RecordSelectField,
    department_label,
    departments_by_name,
    organisations_by_name,
)
from blueprints.admin.presenters import (
    NATION_FIELD,
    TYPE_FORMATTERS,
    action_column,
    nation_label,
)
from portal.extensions import db
from portal.formatting import LONDON
from portal.models import AuditEvent, RoleAssignment, User
from portal.permissions import Permission, Role, can
from portal.querystring import LARGEST_ID, positive_id, search_text
from portal.services import people
from portal.services.audit import record_refused_access
from portal.urls import safe_next_path

_LONGEST_RETURN_ADDRESS = 2000
_LONGEST_SEARCH = 200


def _refuse_hostile_arguments(page_size: int) -> None:
    """Checked before a back-office view acts, so that nothing is changed first.

    The return address (`url=`) is followed after a save or delete: only a relative
    path on this site is accepted (Flask-Admin's own check lets `http:evil.example`
    through). An id or page that no 64-bit column can hold is a record that does not
    exist.
    """
    for value in request.values.getlist("url"):
        if len(value) > _LONGEST_RETURN_ADDRESS or safe_next_path(value) != value:
            abort(400)
    for value in request.values.getlist("id"):
        if not value.isascii() or positive_id(value) is None:
            abort(404)
    for value in request.args.getlist("page"):
        if value.isdigit() and value.isascii() and int(value) * page_size > LARGEST_ID:
            abort(404)


class _UKTimeFilter:
    """Times typed into a filter are UK times, as shown; the column stores aware UTC
    times, which compare correctly with aware London ones."""

    def clean(self, value):
        cleaned = super().clean(value)
        if isinstance(cleaned, list):
            return [moment.replace(tzinfo=LONDON) for moment in cleaned]
        return cleaned.replace(tzinfo=LONDON)


class _After(_UKTimeFilter, DateTimeGreaterFilter):
    pass


class _Before(_UKTimeFilter, DateTimeSmallerFilter):
    pass


class _Between(_UKTimeFilter, DateTimeBetweenFilter):
    pass


class SecuredView:
    """The one base every back-office view derives from.

    Flask-Admin lets anyone in unless told otherwise; here a view is closed unless it
    names the permission it needs and the signed-in person holds it. Anonymous
    visitors are sent to sign in and brought back; anyone else without the permission
    gets 403 and an audit entry, as with `@requires` elsewhere.
    """

    required_permission: Permission | None = None

    def is_accessible(self) -> bool:
        return self.required_permission is not None and can(
            current_user, self.required_permission)

    def inaccessible_callback(self, name, **kwargs):
        if not current_user.is_authenticated:
            return redirect(url_for("auth.sign_in", next=request.full_path.rstrip("?")))
        record_refused_access(current_user, self.required_permission)
        abort(403)


class BackOfficeIndexView(SecuredView, AdminIndexView):
    required_permission = Permission.VIEW_AUDIT_LOG

    @expose("/")
    def index(self):
        return self.render("admin/index.html")


class SecuredModelView(SecuredView, ModelView):
    """A model view that can do nothing until a subclass says what it may do."""

    form_base_class = BackOfficeForm
    list_template = "admin/back_office/list.html"
    create_template = "admin/back_office/form.html"
    edit_template = "admin/back_office/form.html"
    details_template = "admin/back_office/details.html"
    column_type_formatters = TYPE_FORMATTERS
    column_type_formatters_detail = TYPE_FORMATTERS
    # What one record is called, in headings: "Change person", "Add department".
    record_name = "record"
    create_title: str | None = None
    created_message: str | None = None
    can_create = False
    can_edit = False
    can_delete = False
    can_view_details = False
    can_export = False
    action_disallowed_list = ["delete"]
    page_size = 50
    delete_title = "Delete"
    delete_confirmation = "Are you sure?"

    def _handle_view(self, name, **kwargs):
        refused = super()._handle_view(name, **kwargs)
        if refused is not None:
            return refused
        _refuse_hostile_arguments(self.page_size)
        # Flask-Admin registers every route of a model view and merely redirects when
        # one is switched off; here a switched-off route is refused outright, and so is
        # a route this list does not know (one a later Flask-Admin might add).
        if not self._route_allowed(name):
            abort(403)
        # The filter form sends every field: one left empty filters nothing.
        if name == "index_view" and any(
                key.startswith("flt") and not value for key, value in request.args.items()):
            kept = [(k, v) for k, v in request.args.items(multi=True)
                    if not (k.startswith("flt") and not v)]
            return redirect(url_for(request.endpoint, **dict(request.view_args or {}))
                            + ("?" + urlencode(kept) if kept else ""))
        return None

    def _route_allowed(self, name: str) -> bool:
        allowed = {
            "index_view": True,
            "create_view": self.can_create,
            "edit_view": self.can_edit,
            "delete_view": self.can_delete,
            "details_view": self.can_view_details,
            "export": self.can_export,
            "action_view": bool(self.get_actions_list()[0]),
            "ajax_update": bool(self.column_editable_list),
            "ajax_lookup": bool(self._form_ajax_refs),
        }
        return allowed.get(name, False)

    def can_delete_row(self, row) -> bool:
        return self.can_delete

    def _get_list_extra_args(self):
        """The list's search and filter values as the portal's own lists read them:
        without control characters (PostgreSQL refuses a NUL byte in a query) and of
        a length a search can have."""
        view_args = super()._get_list_extra_args()
        view_args.search = search_text(view_args.search, _LONGEST_SEARCH) or None
        view_args.filters = [(index, name, search_text(value, _LONGEST_SEARCH))
                             for index, name, value in view_args.filters or []] or None
        return view_args

    @staticmethod
    def submitted(form, fields) -> dict:
        """The allow-listed fields of a validated form, by name."""
        return {name: form[name].data for name in fields}

    @staticmethod
    def actor() -> User:
        return current_user._get_current_object()

    def apply(self, change):
        """Run one service call; a refusal becomes a message on the form, not an error."""
        try:
            return change() or True
        except people.BackOfficeRuleError as refusal:
            db.session.rollback()
            flash(str(refusal), "error")
            return False


class AuditTrailView(SecuredModelView):
    """Read-only: the database refuses UPDATE and DELETE on these rows as well."""

    required_permission = Permission.VIEW_AUDIT_LOG
    can_view_details = True
    column_list = ("occurred_at", "actor.name", "action", "object_type", "object_id",
                   "summary")
    column_details_list = (*column_list, "ip_address")
    record_name = "audit event"
    column_labels = {"occurred_at": "When", "actor.name": "Who", "action": "Action",
                     "object_type": "Record type", "object_id": "Record",
                     "summary": "Summary", "ip_address": "IP address"}
    column_default_sort = [("occurred_at", True), ("id", True)]
    column_sortable_list = ("occurred_at", "action", "object_type")
    column_searchable_list = ("action", "summary", "object_id", "actor.name")
    column_filters = (
        _After(AuditEvent.occurred_at, "When"),
        _Before(AuditEvent.occurred_at, "When"),
        _Between(AuditEvent.occurred_at, "When"),
        "action", "object_type", "object_id", "actor.name",
    )
    column_formatters = {"action": action_column}
    column_formatters_detail = {"action": action_column}


def _line_manager(view, context, model, name):
    return model.line_manager.name if model.line_manager else ""


class PeopleView(SecuredModelView):
    """People come from sign-in or the staff import: no create, no delete. Identity
    (issuer, subject, e-mail), organisation and session version are never editable."""

    required_permission = Permission.MANAGE_USERS
    record_name = "person"
    can_edit = True
    can_view_details = True
    # `line_manager.name` would not do: Flask-Admin resolves a path through a relation
    # to the same table as the person's own column, so it is formatted instead.
    column_list = ("name", "email", "organisation.name", "department.name", "grade",
                   "line_manager", "is_enabled", "last_signed_in_at")
    column_details_list = (*column_list, "created_at")
    column_labels = {"organisation.name": "Organisation", "department.name": "Department",
                     "line_manager": "Line manager", "is_enabled": "Enabled",
                     "last_signed_in_at": "Last signed in", "created_at": "Created",
                     "email": "Email"}
    column_default_sort = ("name", False)
    column_sortable_list = ("name", "email", "grade", "is_enabled", "last_signed_in_at")
    column_searchable_list = ("name", "email")
    column_filters = ("is_enabled", "grade", "organisation.name", "department.name")
    column_formatters = {"line_manager": _line_manager}
    column_formatters_detail = {"line_manager": _line_manager}
    form_columns = people.PERSON_FIELDS
    form_overrides = {"department": RecordSelectField, "line_manager": PersonByEmailField}
    form_args = {
        "department": {"query_factory": departments_by_name, "get_label": department_label,
                       "blank_text": "No department"},
        "line_manager": {"allow_blank": True, "description": "Their e-mail address; leave "
                                                             "it empty for no line manager"},
        "is_enabled": {"label": "Enabled (unticking this ends every session they hold)"},
    }

    def update_model(self, form, model):
        return self.apply(lambda: people.update_person(
            self.actor(), model, self.submitted(form, self.form_columns)))


_ROLE_LABELS = {role.value: role.label for role in Role}
_SOURCE_LABELS = {RoleAssignment.SOURCE_CLAIM: "Sign-in provider's groups",
                  RoleAssignment.SOURCE_BACK_OFFICE: "Back office"}


def _role(view, context, model, name):
    return _ROLE_LABELS.get(model.role, model.role)


def _source(view, context, model, name):
    return _SOURCE_LABELS.get(model.source, model.source)


def _granted_by(view, context, model, name):
    granter = db.session.get(User, model.granted_by_id) if model.granted_by_id else None
    return granter.name if granter else ""


class RoleAssignmentsView(SecuredModelView):
    """Administrators grant and remove back-office roles. Roles from the provider's
    group claim are shown but read-only: they come back at the next sign-in anyway."""

    required_permission = Permission.MANAGE_USERS
    record_name = "role"
    create_title = "Grant a role"
    created_message = "Role granted."
    can_create = True
    can_delete = True
    form = GrantRoleForm
    delete_title = "Remove role"
    delete_confirmation = "Remove this role? The person's sessions end with it."
    column_list = ("user.name", "user.email", "role", "source", "granted_by_id",
                   "created_at")
    column_labels = {"user.name": "Person", "user.email": "Email", "role": "Role",
                     "source": "From", "granted_by_id": "Granted by",
                     "created_at": "Since"}
    column_default_sort = ("created_at", True)
    column_sortable_list = ("role", "source", "created_at")
    column_searchable_list = ("user.name", "user.email")
    column_filters = ("role", "source")
    column_choices = {"role": list(_ROLE_LABELS.items()),
                      "source": list(_SOURCE_LABELS.items())}
    column_formatters = {"role": _role, "source": _source, "granted_by_id": _granted_by}

    def can_delete_row(self, row) -> bool:
        return row.source == RoleAssignment.SOURCE_BACK_OFFICE

    def create_model(self, form):
        # Source and grantor come from here, never from the form.
        return self.apply(lambda: people.grant_role(
            self.actor(), form.person.data, Role(form.role.data)))

    def delete_model(self, model):
        return self.apply(lambda: people.remove_role(self.actor(), model))


class OrganisationsView(SecuredModelView):
    """Host organisations are added here; the portal's own body exists from the start
    and no form can make another organisation 'own'."""

    required_permission = Permission.MANAGE_ORGANISATIONS
    record_name = "organisation"
    can_create = True
    can_edit = True
    column_list = ("name", "nation", "is_own", "created_at")
    column_labels = {"is_own": "Runs this portal", "created_at": "Added",
                     "nation": "Where it is"}
    column_formatters = {"nation": nation_label}
    form_overrides = {"nation": SelectField}
    form_args = {"nation": NATION_FIELD}
    column_default_sort = ("name", False)
    column_searchable_list = ("name",)
    form_columns = people.ORGANISATION_FIELDS

    def create_model(self, form):
        return self.apply(lambda: people.save_organisation(
            self.actor(), None, self.submitted(form, self.form_columns)))

    def update_model(self, form, model):
        return self.apply(lambda: people.save_organisation(
            self.actor(), model, self.submitted(form, self.form_columns)))


class DepartmentsView(SecuredModelView):
    required_permission = Permission.MANAGE_ORGANISATIONS
    record_name = "department"
    can_create = True
    can_edit = True
    column_list = ("name", "organisation.name", "head.name")
    column_labels = {"organisation.name": "Organisation", "head.name": "Head"}
    column_default_sort = ("name", False)
    column_searchable_list = ("name",)
    column_filters = ("organisation.name",)
    form_columns = people.DEPARTMENT_FIELDS
    form_overrides = {"organisation": RecordSelectField, "head": PersonByEmailField}
    form_args = {
        "organisation": {"query_factory": organisations_by_name, "get_label": "name"},
        "head": {"allow_blank": True, "description": "Their e-mail address; leave it empty "
                                                     "for no head"},
    }

    def create_model(self, form):
        return self.apply(lambda: people.save_department(
            self.actor(), None, self.submitted(form, self.form_columns)))

    def update_model(self, form, model):
        return self.apply(lambda: people.save_department(
            self.actor(), model, self.submitted(form, self.form_columns)))
