"""Forms for the back office. Shape only: the rules live in portal/services/people.py."""

from flask_admin.contrib.sqla.fields import QuerySelectField, _iter_choices_wtforms_compat
from flask_admin.form import BaseForm
from sqlalchemy import select
from wtforms import SelectField
from wtforms.validators import InputRequired, ValidationError

from portal.extensions import db
from portal.forms import PortalForm
from portal.models import Department, Organisation, User
from portal.services.people import GRANTABLE_ROLES


class BackOfficeForm(BaseForm, PortalForm):
    """Every back-office form: Flask-Admin's form base with Flask-WTF's CSRF token.

    Flask-Admin's own `SecureForm` keeps a second, WTForms-session token under the same
    field name `csrf_token` that the app-wide `CSRFProtect` reads, and the two cannot
    both be satisfied by one field (every save would be refused). Flask-WTF's token is
    the one `CSRFProtect` checks before any admin view runs, and the form checks it again.
    """


class RecordSelectField(QuerySelectField):
    """A choice of one record, matched by identity.

    Flask-Admin's field compares records with `==`, and a person's `==` is Flask-Login's
    `UserMixin.__eq__`, which compares session keys: None for everyone not signed in,
    so every such person would match (all options selected, any choice "valid").
    """

    def iter_choices(self):
        if self.allow_blank:
            yield _iter_choices_wtforms_compat("__None", self.blank_text, self.data is None)
        for pk, record in self._get_object_list():
            yield _iter_choices_wtforms_compat(pk, self.get_label(record), record is self.data)

    def pre_validate(self, form):
        if self.data is None and self.allow_blank:
            return
        if not any(record is self.data for _pk, record in self._get_object_list()):
            raise ValidationError(self.gettext("Not a valid choice"))


def person_label(person: User) -> str:
    return f"{person.name} ({person.email})"


def department_label(department: Department) -> str:
    return f"{department.name} ({department.organisation.name})"


def people_by_name():
    return db.session.scalars(select(User).order_by(User.name, User.id)).all()


def departments_by_name():
    return db.session.scalars(
        select(Department).join(Department.organisation)
        .order_by(Organisation.name, Department.name)).all()


def organisations_by_name():
    return db.session.scalars(select(Organisation).order_by(Organisation.name)).all()


class GrantRoleForm(BackOfficeForm):
    """Granting a role: who and which. Source and grantor are set by the view."""

    person = RecordSelectField("Person", query_factory=people_by_name, get_label=person_label,
                              validators=[InputRequired("Select a person")])
    role = SelectField("Role", choices=[(r.value, r.label) for r in GRANTABLE_ROLES],
                       validators=[InputRequired("Select a role")])
