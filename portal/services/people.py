"""Back-office rules about people and where they sit: changing a person's record,
disabling and enabling them, granting and removing the roles the back office hands out,
and keeping organisations and departments.

Every change writes its audit event in the same transaction and commits once. Each
function takes only the fields it knows (an allow-list of its own), so a form that
offered more could still not set a person's identity or session version.
"""

from contextlib import contextmanager

from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError

from portal.extensions import db
from portal.models import Department, Organisation, RoleAssignment, User
from portal.roles import Role
from portal.services import audit
from portal.services.sessions import end_all_sessions


class BackOfficeRuleError(ValueError):
    """A change the rules refuse; the message is written for the person who asked."""


# What the back office may change on a person. Identity (issuer, subject, e-mail) comes
# from their provider and the HR import; organisation decides tenant isolation.
PERSON_FIELDS = ("name", "grade", "department", "line_manager", "is_enabled")
ORGANISATION_FIELDS = ("name", "nation")
DEPARTMENT_FIELDS = ("organisation", "name", "head")

# Line manager and head of department follow from where people sit: never granted.
DERIVED_ROLES = frozenset({Role.LINE_MANAGER, Role.HEAD_OF_DEPARTMENT})
GRANTABLE_ROLES = tuple(role for role in Role if role not in DERIVED_ROLES)

_FIELD_LABELS = {"name": "name", "grade": "grade", "department": "department",
                 "line_manager": "line manager", "organisation": "organisation",
                 "head": "head"}


@contextmanager
def _first_one_wins(refusal: str):
    """The same addition sent twice at once (a double click, two tabs) passes the check
    for a clash in both requests; the database's unique constraint lets one in, and the
    other is refused as the check would have refused it a moment later."""
    try:
        yield
    except IntegrityError as error:
        db.session.rollback()
        raise BackOfficeRuleError(refusal) from error


def _only(allowed: tuple[str, ...], changes: dict) -> dict:
    unknown = set(changes) - set(allowed)
    if unknown:
        raise ValueError(f"not changeable here: {', '.join(sorted(unknown))}")
    return changes


def _differs(current, new) -> bool:
    # Records are compared by identity: a person's `==` is Flask-Login's, which compares
    # session keys (None for everyone not signed in), not who they are.
    if hasattr(current, "__table__") or hasattr(new, "__table__"):
        return current is not new
    return current != new


def _apply(record, changes: dict) -> list[str]:
    """Set the values that differ; return the labels of the fields that changed."""
    changed = []
    for field, value in changes.items():
        if _differs(getattr(record, field), value):
            setattr(record, field, value)
            changed.append(_FIELD_LABELS.get(field, field))
    return changed


def _reports_to(person: User, manager: User) -> bool:
    """Whether `manager` is `person` or sits anywhere below them."""
    seen = set()
    current = manager
    while current is not None and current.id not in seen:
        if current.id == person.id:
            return True
        seen.add(current.id)
        current = current.line_manager
    return False


def update_person(actor: User, person: User, changes: dict) -> None:
    """Change a person's record from the back office.

    Disabling ends every session they hold at once (a copied cookie stops working);
    each kind of change gets its own audit event.
    """
    changes = dict(_only(PERSON_FIELDS, changes))
    name = (changes.get("name") or "").strip() if "name" in changes else None
    if "name" in changes:
        if not name:
            raise BackOfficeRuleError("Enter the person's name")
        changes["name"] = name
    if "grade" in changes:
        changes["grade"] = (changes["grade"] or "").strip() or None
    department = changes.get("department")
    if department is not None and department.organisation_id != person.organisation_id:
        raise BackOfficeRuleError(
            "Select a department of the person's own organisation")
    manager = changes.get("line_manager")
    if manager is not None and not manager.organisation.is_own:
        # Managing is an internal role: it would give a host contact internal pages.
        raise BackOfficeRuleError(
            f"{manager.name} works for a host organisation: choose a line manager in "
            "your own organisation")
    if manager is not None and _reports_to(person, manager):
        raise BackOfficeRuleError(
            "Select a line manager who is not the person or someone who reports to them")
    enabled = changes.pop("is_enabled", person.is_enabled)
    if enabled is False and person.is_enabled and actor.id == person.id:
        raise BackOfficeRuleError("You cannot disable your own account")

    changed = _apply(person, changes)
    if changed:
        audit.record("user.updated", actor=actor, obj=person,
                     summary=f"Changed {', '.join(changed)}")
    if enabled != person.is_enabled:
        person.is_enabled = bool(enabled)
        if enabled:
            audit.record("user.enabled", actor=actor, obj=person, summary="Enabled")
        else:
            end_all_sessions(person, "disabled")
            audit.record("user.disabled", actor=actor, obj=person,
                         summary="Disabled; every session ended")
    db.session.commit()


def grant_role(actor: User, person: User, role: Role) -> RoleAssignment:
    """Give a person a role from the back office (held until removed there)."""
    role = Role(role)
    if role in DERIVED_ROLES:
        raise BackOfficeRuleError(
            f"{role.label} follows from where people sit and cannot be granted")
    # Tenant isolation: a host organisation's contact never holds an internal role,
    # and only a host organisation's people are host contacts.
    external = not person.organisation.is_own
    if external and role != Role.HOST_CONTACT:
        raise BackOfficeRuleError(
            f"{person.name} works for a host organisation: only the host organisation "
            "contact role can be granted")
    if not external and role == Role.HOST_CONTACT:
        raise BackOfficeRuleError(
            "The host organisation contact role is only for people of a host organisation")
    held = db.session.scalar(
        select(RoleAssignment.id).where(
            RoleAssignment.user_id == person.id, RoleAssignment.role == role,
            RoleAssignment.source == RoleAssignment.SOURCE_BACK_OFFICE))
    if held:
        raise BackOfficeRuleError(f"{person.name} already has the {role.label} role")

    assignment = RoleAssignment(user_id=person.id, role=role,
                                source=RoleAssignment.SOURCE_BACK_OFFICE,
                                granted_by_id=actor.id)
    db.session.add(assignment)
    audit.record("role.granted", actor=actor, obj=person, summary=f"{role.label} granted")
    with _first_one_wins(f"{person.name} already has the {role.label} role"):
        db.session.commit()
    return assignment


def remove_role(actor: User, assignment: RoleAssignment) -> None:
    """Take away a role the back office granted; the person's sessions end with it."""
    if assignment.source != RoleAssignment.SOURCE_BACK_OFFICE:
        raise BackOfficeRuleError(
            "This role comes from the sign-in provider's groups: change it there")
    role = Role(assignment.role)
    person = db.session.get(User, assignment.user_id)
    if person.id == actor.id and role == Role.ADMIN:
        raise BackOfficeRuleError("You cannot remove your own administrator role")
    # A conditional delete: of two removals sent at once, the second finds nothing
    # left to remove, and says so rather than recording a second removal.
    removed = db.session.execute(
        delete(RoleAssignment).where(RoleAssignment.id == assignment.id)
        .execution_options(synchronize_session=False)).rowcount
    if not removed:
        db.session.rollback()
        raise BackOfficeRuleError(f"{person.name} no longer has the {role.label} role")
    db.session.expunge(assignment)
    # Pages already open keep no stale rights: the person signs in again.
    end_all_sessions(person, "role removed")
    audit.record("role.removed", actor=actor, obj=person, summary=f"{role.label} removed")
    db.session.commit()


def save_organisation(actor: User, organisation: Organisation | None,
                      changes: dict) -> Organisation:
    """Create a host organisation (when `organisation` is None) or rename one."""
    changes = dict(_only(ORGANISATION_FIELDS, changes))
    name = (changes.get("name") or "").strip()
    if not name:
        raise BackOfficeRuleError("Enter the organisation's name")
    clash = db.session.scalar(
        select(Organisation.id).where(func.lower(Organisation.name) == name.lower()))
    if clash and (organisation is None or clash != organisation.id):
        raise BackOfficeRuleError(f"There is already an organisation called {name}")
    changes["name"] = name
    from portal.models.onboarding import Nation

    nation = changes.get("nation") or Nation.ENGLAND_AND_WALES
    if nation not in {n.value for n in Nation}:
        raise BackOfficeRuleError("Select where the organisation is from the list")
    changes["nation"] = nation
    if organisation is not None and organisation.is_own and nation == Nation.ABROAD:
        raise BackOfficeRuleError("The organisation that runs this portal is in the UK")
    if organisation is None:
        # The portal's own body exists from the start; the back office adds hosts.
        organisation = Organisation(name=name, is_own=False, nation=nation)
        db.session.add(organisation)
        with _first_one_wins(f"There is already an organisation called {name}"):
            db.session.flush()
        audit.record("organisation.created", actor=actor, obj=organisation,
                     summary="Created")
    else:
        changed = _apply(organisation, changes)
        if changed:
            audit.record("organisation.updated", actor=actor, obj=organisation,
                         summary=f"Changed {', '.join(changed)}")
    with _first_one_wins(f"There is already an organisation called {name}"):
        db.session.commit()
    return organisation


def save_department(actor: User, department: Department | None,
                    changes: dict) -> Department:
    """Create or change a department; its head must work for the same organisation."""
    changes = dict(_only(DEPARTMENT_FIELDS, changes))
    organisation = changes.get("organisation") or (department and department.organisation)
    name = (changes.get("name") or "").strip()
    if organisation is None:
        raise BackOfficeRuleError("Select the department's organisation")
    if not name:
        raise BackOfficeRuleError("Enter the department's name")
    head = changes.get("head")
    if head is not None and head.organisation_id != organisation.id:
        raise BackOfficeRuleError(
            "Select a head of department who works for the department's organisation")
    if head is not None and not head.organisation.is_own:
        # Heading a department is an internal role, never one for a host contact.
        raise BackOfficeRuleError(
            f"{head.name} works for a host organisation: choose a head of department in "
            "your own organisation")
    clash = db.session.scalar(
        select(Department.id).where(Department.organisation_id == organisation.id,
                                    func.lower(Department.name) == name.lower()))
    if clash and (department is None or clash != department.id):
        raise BackOfficeRuleError(f"{organisation.name} already has a department called {name}")
    if department is not None and organisation.id != department.organisation_id:
        seated = db.session.scalar(
            select(User.id).where(User.department_id == department.id).limit(1))
        if seated:
            raise BackOfficeRuleError(
                "People sit in this department: move them before changing its organisation")
    changes["name"] = name
    if department is None:
        department = Department(**changes)
        db.session.add(department)
        with _first_one_wins(f"{organisation.name} already has a department called {name}"):
            db.session.flush()
        audit.record("department.created", actor=actor, obj=department, summary="Created")
    else:
        changed = _apply(department, changes)
        if changed:
            audit.record("department.updated", actor=actor, obj=department,
                         summary=f"Changed {', '.join(changed)}")
    with _first_one_wins(f"{organisation.name} already has a department called {name}"):
        db.session.commit()
    return department


def person_by_email(email: str, *conditions) -> User | None:
    """The person with this e-mail address (any case) who meets `conditions`, or None:
    one lookup on the index of lower-cased addresses."""
    email = (email or "").strip().lower()
    if not email or len(email) > 320 or "\x00" in email:
        return None
    return db.session.scalar(select(User).where(func.lower(User.email) == email,
                                                *conditions).order_by(User.id).limit(1))


def member_of_staff(email: str, organisation_id: int) -> User | None:
    """The enabled person of this organisation with this e-mail address, or None."""
    return person_by_email(email, User.organisation_id == organisation_id,
                           User.is_enabled.is_(True))
