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


def opportunity_fields(**overrides) -> dict:
    """A complete internal opportunity, ready to publish, closing in 10 days."""
    from datetime import timedelta

    from portal.services.opportunities import london_today

    today = london_today()
    fields = dict(
        kind="internal", title="Data protection adviser", status="draft",
        summary="Advise project teams on data protection for six months.",
        description="Join the information governance team.", location="Leeds",
        country="United Kingdom", grade="Band 6", working_pattern="full_time",
        start_date=today + timedelta(days=60), duration_months=6,
        salary_paid_by="home", expenses_paid_by="host",
        skills_sought="Knowledge of data protection law.", eligibility="All staff.",
        audience="all_staff", closing_date=today + timedelta(days=10),
    )
    fields.update(overrides)
    return fields


def make_opportunity(created_by: User, *, department: Department | None = None,
                     publish: bool = False, **overrides):
    from portal.models import Opportunity
    from portal.models.base import utcnow

    fields = opportunity_fields(**overrides)
    if publish:
        fields["status"] = "published"
        fields.setdefault("published_at", utcnow())
    opportunity = Opportunity(
        created_by_id=created_by.id, contact_id=created_by.id,
        offering_department_id=(department or created_by.department or make_department()).id
        if fields["kind"] not in ("outgoing",) else None,
        **fields)
    db.session.add(opportunity)
    db.session.commit()
    return opportunity


def placement_terms(**overrides) -> dict:
    """Complete terms for a placement starting in 30 days for six months."""
    from datetime import timedelta

    from portal.services.opportunities import london_today

    start = london_today() + timedelta(days=30)
    terms = dict(
        title="Policy adviser", start_date=start, end_date=start + timedelta(days=181),
        notice_weeks=4, working_pattern="full_time", hours="37 hours a week, Monday to Friday",
        location="Kendal", country="United Kingdom", grade="Band 6",
        salary_paid_by="home", expenses_paid_by="host", home_invoices_host=True,
        objectives="Lead the visitor data review.", return_post="Data analyst",
        return_grade="Band 6")
    terms.update(overrides)
    return terms


def make_placement(officer: User, secondee: User, *, partner: Organisation | None = None,
                   kind: str = "outgoing", signatory: User | None = None, **overrides):
    """A proposed placement set up directly by `officer` (People Services)."""
    from portal.services.placements import create_direct

    values = placement_terms(**overrides) | {
        "kind": kind, "secondee_email": secondee.email,
        "signatory_email": (signatory or officer).email}
    if partner is not None:
        values["partner_organisation_id"] = partner.id
    if secondee.line_manager is not None:
        values.setdefault("substantive_manager_email", secondee.line_manager.email)
    return create_direct(officer, values)


def complete_blocking_items(placement, by) -> list:
    """Complete every open blocking onboarding item of `placement` through the items
    service, as the first of `by` (a person, or several) who owns the item or else may
    move it (People Services), recording what each item records. Without this a
    placement cannot start (R9). Returns the items completed."""
    from datetime import timedelta

    from portal.models.onboarding import RecordKind
    from portal.services.onboarding import items
    from portal.services.onboarding.owners import is_owner, may_act
    from portal.services.opportunities import london_today

    people = list(by) if isinstance(by, list | tuple) else [by]
    done = []
    for item in items.open_blocking(placement):
        person = next((p for p in people if is_owner(p, item)), None) or next(
            (p for p in people if may_act(p, item, "owner")), None)
        assert person is not None, f"none of {people} may complete {item.title!r}"
        today = london_today()
        items.update(person, item, "complete", expected_version=item.version,
                     recorded_date=(today + timedelta(days=365)
                                    if item.records == RecordKind.EXPIRY else today),
                     recorded_reference=("REF-1" if item.records == RecordKind.REFERENCE
                                         else ""))
        done.append(item)
    return done
