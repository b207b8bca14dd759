"""The back office (Flask-Admin at /back-office) for People Services and administrators.

Every view derives from `views.SecuredView`, whose `is_accessible` asks the same
permission check as the rest of the portal; which permission each view needs is set
out in `views`. Endpoints are named `admin` (the overview) and `admin_<thing>`, so the
route walk can find them all.

An `Admin` is made per application rather than bound later with `init_app`: its views
hold their blueprints, and the tests build many applications.
"""

from flask_admin import Admin
from flask_admin.theme import Bootstrap4Theme

from blueprints.admin import home  # noqa: F401 - its part of the home page
from blueprints.admin.presenters import govuk_choice
from blueprints.admin.views import (
    AuditTrailView,
    BackOfficeIndexView,
    DepartmentsView,
    OrganisationsView,
    PeopleView,
    RoleAssignmentsView,
    SecuredView,
)
from portal.extensions import db
from portal.models import AuditEvent, Department, Organisation, RoleAssignment, User
from portal.security import BACK_OFFICE_URL, csp_nonce

__all__ = ["SecuredView", "init_admin"]


def init_admin(app) -> Admin:
    back_office = Admin(
        app,
        name="Back office",
        url=BACK_OFFICE_URL,
        theme=Bootstrap4Theme(base_template="admin/back_office/base.html"),
        index_view=BackOfficeIndexView(name="Overview", url=BACK_OFFICE_URL,
                                       endpoint="admin"),
        # Flask-Admin's pages carry inline scripts: each response gets its own nonce,
        # which portal.security adds to the CSP of back-office responses only.
        csp_nonce_generator=csp_nonce,
    )
    app.add_template_filter(govuk_choice, "govuk_choice")
    for view, model, name, endpoint, url in (
        (AuditTrailView, AuditEvent, "Audit trail", "admin_audit", "audit"),
        (PeopleView, User, "People", "admin_people", "people"),
        (RoleAssignmentsView, RoleAssignment, "Role assignments", "admin_roles", "roles"),
        (OrganisationsView, Organisation, "Organisations", "admin_organisations",
         "organisations"),
        (DepartmentsView, Department, "Departments", "admin_departments", "departments"),
    ):
        back_office.add_view(view(model, db, name=name, endpoint=endpoint,
                                  url=f"{BACK_OFFICE_URL}/{url}"))
    return back_office
