"""Forms for the back office. Shape only: the rules live in portal/services/people.py."""

from flask_admin.contrib.sqla.fields import QuerySelectField, _iter_choices_wtforms_compat
from flask_admin.form import BaseForm
from sqlalchemy import select
from wtforms import SelectField, StringField
from wtforms.validators import InputRequired, StopValidation, ValidationError

from portal.extensions import db
from portal.forms import PortalForm
from portal.models import Department, Organisation, User
from portal.services.people import GRANTABLE_ROLES, person_by_email


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


class PersonByEmailField(StringField):
    """A person named by e-mail address, not chosen from a list of everyone (a large
    body has tens of thousands): one lookup on the index of lower-cased addresses. Left
    empty it means nobody, where `allow_blank`."""

    def __init__(self, label=None, validators=None, allow_blank: bool = False, **kwargs):
        kwargs.setdefault("description", "Their e-mail address, for example "
                                         "name@example.org")
        super().__init__(label, validators, **kwargs)
        self.allow_blank = allow_blank
        self.typed = None

    def process_formdata(self, valuelist):
        self.typed = (valuelist[0] if valuelist else "").strip()
        self.data = None

    def _value(self) -> str:
        if self.typed is not None:
            return self.typed
        return self.data.email if isinstance(self.data, User) else ""

    def pre_validate(self, form):
        if self.typed is None:  # not in the post: leave the record's value alone
            return
        if not self.typed:
            if not self.allow_blank:
                raise StopValidation(f"Enter the e-mail address of the {self.what}")
            return
        self.data = person_by_email(self.typed)
        if self.data is None:
            raise StopValidation("Enter the e-mail address of a person in the portal")

    @property
    def what(self) -> str:
        return str(self.label.text).lower()


def department_label(department: Department) -> str:
    return f"{department.name} ({department.organisation.name})"


def departments_by_name():
    return db.session.scalars(
        select(Department).join(Department.organisation)
        .order_by(Organisation.name, Department.name)).all()


def organisations_by_name():
    return db.session.scalars(select(Organisation).order_by(Organisation.name)).all()


class GrantRoleForm(BackOfficeForm):
    """Granting a role: who and which. Source and grantor are set by the view."""

    person = PersonByEmailField("Person")
    role = SelectField("Role", choices=[(r.value, r.label) for r in GRANTABLE_ROLES],
                       validators=[InputRequired("Select a role")])
