"""Factories for records the tests need: `make_user(roles=[Role.LEGAL])` and friends."""

import itertools

from portal.extensions import db
from portal.models import Department, Organisation, RoleAssignment, User
from portal.permissions import Role
from portal.services.identity import own_organisation

_counter = itertools.count(1)


def make_department(name: str | None = None, organisation: Organisation | None = None,
                    head: User | None = None) -> Department:
    dept = Department(name=name or f"Department {next(_counter)}",
                      organisation=organisation or own_organisation(), head=head)
    db.session.add(dept)
    db.session.commit()
    return dept


def make_organisation(name: str | None = None, is_own: bool = False) -> Organisation:
    org = Organisation(name=name or f"Host organisation {next(_counter)}", is_own=is_own)
    db.session.add(org)
    db.session.commit()
    return org


def make_user(name: str | None = None, *, email: str | None = None,
              roles=(Role.STAFF,), department: Department | None = None,
              line_manager: User | None = None, organisation: Organisation | None = None,
              issuer: str | None = None, subject: str | None = None,
              enabled: bool = True) -> User:
    n = next(_counter)
    user = User(
        name=name or f"Person {n}",
        email=email or f"person{n}@example.org",
        organisation=organisation or own_organisation(),
        department=department,
        line_manager=line_manager,
        issuer=issuer,
        subject=subject,
        is_enabled=enabled,
    )
    for role in roles:
        user.role_assignments.append(
            RoleAssignment(role=Role(role), source=RoleAssignment.SOURCE_BACK_OFFICE))
    db.session.add(user)
    db.session.commit()
    return user
