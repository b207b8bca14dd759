"""Demo data: organisations, departments and the personas who sign in to the demo
(here), the demo's opportunities (`portal.demo.opportunities`), its applications in
every state (`portal.demo.applications`) and its placements in every state
(`portal.demo.placements`). `flask demo-data` refuses to run in production.

The personas are also the users of the embedded development identity provider, so a
person chosen on its page arrives in the portal as the record seeded here.
"""

from dataclasses import dataclass, field

from sqlalchemy import select

from portal.extensions import db
from portal.models import Department, Organisation, RoleAssignment, User
from portal.roles import Role
from portal.services import audit
from portal.services.identity import own_organisation


@dataclass(frozen=True)
class Persona:
    subject: str
    name: str
    email: str
    description: str
    department: str | None = None
    line_manager: str | None = None  # subject of their line manager
    grade: str | None = None
    groups: tuple[str, ...] = ()
    provider: str = "staff"
    organisation: str | None = None  # external organisation, for host contacts
    roles: tuple[Role, ...] = field(default=())

    def claims(self) -> dict:
        claims = {"email": self.email, "email_verified": True, "name": self.name}
        if self.groups:
            claims["groups"] = list(self.groups)
        return claims


DEPARTMENTS = ("Planning and Environment", "Finance", "People Services", "Legal Services",
               "Digital and Data")
EXTERNAL_ORGANISATIONS = ("Northshire NHS Foundation Trust", "Lakes National Park Authority",
                          "Environment Regulator")

PERSONAS = (
    Persona("staff-alex", "Alex Morgan", "alex.morgan@example.org",
            "Planning officer who wants a secondment", department="Planning and Environment",
            line_manager="manager-priya", grade="Band 6"),
    Persona("manager-priya", "Priya Shah", "priya.shah@example.org",
            "Alex's line manager", department="Planning and Environment",
            line_manager="head-david", grade="Band 7"),
    Persona("head-david", "David Okafor", "david.okafor@example.org",
            "Head of Planning and Environment", department="Planning and Environment",
            grade="Director"),
    Persona("people-sam", "Sam Whitfield", "sam.whitfield@example.org",
            "People Services officer", department="People Services", grade="Band 6",
            groups=("portal-people-services",)),
    Persona("legal-ruth", "Ruth Campbell", "ruth.campbell@example.org",
            "Commercial legal officer", department="Legal Services", grade="Band 7",
            groups=("portal-legal",)),
    Persona("board-george", "George Evans", "george.evans@example.org",
            "Resources Board member", department="Finance", grade="Director",
            groups=("portal-resources-board",)),
    Persona("admin-jo", "Jo Adeyemi", "jo.adeyemi@example.org",
            "System administrator", department="Digital and Data", grade="Band 6",
            groups=("portal-admin",)),
    Persona("host-maria", "Maria Lopez", "maria.lopez@northshire-nhs.example",
            "Contact at an external host organisation", provider="partner",
            organisation="Northshire NHS Foundation Trust", roles=(Role.HOST_CONTACT,)),
    Persona("host-omar", "Omar Haddad", "omar.haddad@lakes-npa.example",
            "Contact at a second external host organisation", provider="partner",
            organisation="Lakes National Park Authority", roles=(Role.HOST_CONTACT,)),
)


def persona(subject: str) -> Persona:
    return next(p for p in PERSONAS if p.subject == subject)


def _organisation(name: str) -> Organisation:
    org = db.session.scalar(select(Organisation).where(Organisation.name == name))
    if org is None:
        org = Organisation(name=name, is_own=False)
        db.session.add(org)
        db.session.flush()
    return org


def _department(org: Organisation, name: str) -> Department:
    dept = db.session.scalar(
        select(Department).where(Department.organisation_id == org.id, Department.name == name)
    )
    if dept is None:
        dept = Department(organisation=org, name=name)
        db.session.add(dept)
        db.session.flush()
    return dept


def seed_demo_data(issuers: dict[str, str]) -> list[str]:
    """Create or bring up to date the demo records; safe to run again.

    `issuers` maps provider name to issuer URL, so that each persona is bound to the
    identity the development provider will assert for them.
    """
    report = []
    own = own_organisation()
    departments = {name: _department(own, name) for name in DEPARTMENTS}
    for name in EXTERNAL_ORGANISATIONS:
        _organisation(name)

    users: dict[str, User] = {}
    for p in PERSONAS:
        issuer = issuers.get(p.provider)
        user = None
        if issuer:
            user = db.session.scalar(
                select(User).where(User.issuer == issuer, User.subject == p.subject)
            )
        if user is None:
            user = db.session.scalar(
                select(User).where(User.email == p.email)
            )
        org = _organisation(p.organisation) if p.organisation else own
        if user is None:
            user = User(email=p.email, name=p.name, organisation=org)
            db.session.add(user)
            report.append(f"created {p.name} ({p.description})")
        user.issuer, user.subject = (issuer, p.subject) if issuer else (None, None)
        user.name, user.email, user.grade, user.organisation = p.name, p.email, p.grade, org
        user.department = departments.get(p.department) if p.department else None
        users[p.subject] = user
    db.session.flush()

    for p in PERSONAS:
        user = users[p.subject]
        user.line_manager = users[p.line_manager] if p.line_manager else None
        held = {a.role for a in user.role_assignments
                if a.source == RoleAssignment.SOURCE_BACK_OFFICE}
        for role in p.roles:
            if role not in held:
                user.role_assignments.append(
                    RoleAssignment(role=role, source=RoleAssignment.SOURCE_BACK_OFFICE)
                )
    departments["Planning and Environment"].head = users["head-david"]
    audit.record("demo_data.seeded", summary=f"{len(PERSONAS)} personas")
    db.session.commit()
    return report
