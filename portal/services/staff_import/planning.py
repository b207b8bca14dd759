"""The first pass over the file, which changes nothing: every row checked as it is read
and compared with the portal 500 at a time, then, once the whole file is known,
the line managers it names and the people it leaves out."""

import re
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import aliased

from portal.extensions import db
from portal.models import Department, Organisation, User
from portal.services.staff_import.leavers import find_leavers
from portal.services.staff_import.options import ImportOptions
from portal.services.staff_import.reading import ExportProblem, Row, open_export
from portal.services.staff_import.results import ImportPlan
from portal.services.staff_import.roster import (
    CHANGES_MANAGER,
    CHANGES_RECORD,
    NO_ONE,
    Roster,
)

# Rows compared with the portal at a time. PostgreSQL looks 500 addresses up through the
# index of lower-cased addresses; at 1,000 it reads the whole table instead, each time.
LOOKUP = 500
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
# The columns' sizes in the database (portal/models/people.py).
LONGEST = (("name", 200), ("email", 320), ("department", 200),
           ("line_manager_email", 320), ("grade", 50))
_LABELS = {"name": "name", "email": "e-mail address", "department": "department",
           "line_manager_email": "line manager's e-mail address", "grade": "grade"}
# Why a line manager outside the file cannot manage anyone the file names.
_OUTSIDE = {
    "unknown": "is neither in the file nor known as a member of staff",
    "host": "works for a host organisation: choose a line manager in your own "
            "organisation",
    "disabled": "is not in the file and is disabled in the portal",
    "leaver": "is not in the file, so disabling the people who are not would disable "
              "them: add them to the file",
}


@dataclass
class Departments:
    """The organisation's departments by name, in any case: a handful, not the file."""

    ids: dict[str, int]       # casefolded name -> id
    names: dict[int, str]     # id -> casefolded name

    @classmethod
    def of(cls, organisation_id: int | None) -> "Departments":
        rows = db.session.execute(select(Department.id, Department.name).where(
            Department.organisation_id == organisation_id).order_by(Department.id)).all()
        ids: dict[str, int] = {}
        for department_id, name in rows:
            ids.setdefault(name.casefold(), department_id)
        return cls(ids, {department_id: name.casefold() for department_id, name in rows})


def own_organisation_id() -> int | None:
    """The organisation running the portal, without creating it (a plan changes
    nothing): None before anyone has signed in or been imported."""
    return db.session.scalar(select(Organisation.id).where(Organisation.is_own.is_(True))
                             .order_by(Organisation.id).limit(1))


def plan(binary, options: ImportOptions, progress=None, actor=None
         ) -> tuple[ImportPlan, Roster]:
    """Read and check the whole file (a seekable binary stream, from where it stands)."""
    result, roster = ImportPlan(), Roster()
    own_id = own_organisation_id()
    departments = Departments.of(own_id)
    new_departments: dict[str, str] = {}
    try:
        with open_export(binary, options) as export:
            result.encoding, result.separator = export.encoding_label, export.delimiter_name
            batch: list[Row] = []
            for row in export.rows:
                _check(row, roster, result)
                batch.append(row)
                if len(batch) == LOOKUP:
                    _compare(batch, roster, result, departments, new_departments, own_id)
                    batch = []
                    if progress:
                        progress(result.rows, 0)
            _compare(batch, roster, result, departments, new_departments, own_id)
    except ExportProblem as problem:
        result.problem(0, str(problem))
        return result.finish(), roster
    if progress:
        progress(result.rows, 0)
    if not result.rows:
        result.problem(0, "The file has no rows of staff")
        return result.finish(), roster
    result.new_departments = sorted(new_departments.values(), key=str.casefold)
    _check_outside_managers(roster, own_id, options, result)
    _check_cycles(roster, result)
    find_leavers(roster, own_id, options, result, actor)
    return result.finish(), roster


def _check(row: Row, roster: Roster, result: ImportPlan) -> None:
    line = row.line
    result.rows += 1
    email, manager = row.email.lower(), row.line_manager_email.lower()
    if not row.name:
        result.problem(line, f"Line {line}: enter the person's name")
    manager_ok = not manager or (manager != email and EMAIL.match(manager) is not None)
    if not EMAIL.match(email):
        result.problem(line, f"Line {line}: {row.email!r} is not a valid e-mail address")
    else:
        first = roster.add(line, email, manager if manager_ok else "")
        if first:
            result.problem(line, f"Line {line}: {email} appears more than once "
                                 f"(first on line {first})")
    if not row.department:
        result.problem(line, f"Line {line}: enter the person's department")
    if manager and manager == email:
        result.problem(line, f"Line {line}: a person cannot be their own line manager")
    elif not manager_ok:
        result.problem(line, f"Line {line}: line manager {row.line_manager_email!r} is "
                             "not a valid e-mail address")
    for column, longest in LONGEST:
        value = getattr(row, column)
        if len(value) > longest:
            result.problem(line, f"Line {line}: the {_LABELS[column]} is longer than "
                                 f"{longest} characters")
        if "\x00" in value:  # no database column holds one; nor does any HR export's text
            result.problem(line, f"Line {line}: the {_LABELS[column]} holds a NUL byte: "
                                 "is this the export, saved as text?")


def _compare(batch: list[Row], roster: Roster, result: ImportPlan,
             departments: Departments, new_departments: dict[str, str],
             own_id: int | None) -> None:
    """Count what the batch's rows change, and note it for the write."""
    mine = [row for row in batch
            if roster.index.get(row.email.lower()) is not None
            and roster.line[roster.at(row.email.lower())] == row.line]
    if not mine:
        return
    manager = aliased(User)
    found = {}
    # The lowest id wins where two records share an address in different cases.
    for person in db.session.execute(
            select(func.lower(User.email).label("email"), User.id, User.organisation_id,
                   User.is_enabled, User.name, User.grade, User.department_id,
                   func.lower(manager.email).label("manager"))
            .outerjoin(manager, manager.id == User.line_manager_id)
            .where(func.lower(User.email).in_([row.email.lower() for row in mine]))
            .order_by(User.id.desc())):
        found[person.email] = person
    for row in mine:
        email = row.email.lower()
        at = roster.at(email)
        department = row.department.casefold()
        if department and department not in departments.ids:
            new_departments.setdefault(department, row.department)
        manager_email = row.line_manager_email.lower()
        person = found.get(email)
        if person is None:
            result.created += 1
            roster.changes[at] = CHANGES_MANAGER if roster.manager[at] != NO_ONE else 0
            continue
        if person.organisation_id != own_id:
            result.problem(row.line, f"Line {row.line}: {email} is a host organisation's "
                                     "contact in the portal, not a member of staff")
            continue
        roster.ids[at] = person.id
        moved = departments.names.get(person.department_id) != department
        changes = CHANGES_RECORD if (moved or person.name != row.name
                                     or person.grade != (row.grade or None)) else 0
        if (person.manager or "") != manager_email:
            changes |= CHANGES_MANAGER
        roster.changes[at] = changes
        result.updated += bool(changes)
        result.unchanged += not changes
        result.moved_department += moved
        result.new_line_manager += bool(changes & CHANGES_MANAGER)
        result.still_disabled += not person.is_enabled


def _check_outside_managers(roster: Roster, own_id: int | None, options: ImportOptions,
                            result: ImportPlan) -> None:
    """A line manager not in the file must be a member of staff who stays enabled."""
    outside = roster.outside_managers(own_id)
    why = {at: ("leaver" if what == "staff" and options.leavers == "disable" else what)
           for at, what in outside.items()}
    why = {at: what for at, what in why.items() if what != "staff"}
    if not why:
        return
    emails = roster.emails(why)
    for at, line in enumerate(roster.line):
        boss = roster.manager[at]
        if line and boss in why:
            result.problem(line, f"Line {line}: line manager {emails[boss]} {_OUTSIDE[why[boss]]}")


def _check_cycles(roster: Roster, result: ImportPlan) -> None:
    """A manages B manages A: an error on each of their lines."""
    cycles = roster.cycles()
    if not cycles:
        return
    emails = roster.emails(at for cycle in cycles for at in cycle)
    for cycle in cycles:
        chain = [emails[at] for at in cycle]
        shown = " → ".join(chain[:6] + (["…"] if len(chain) > 6 else []) + chain[:1])
        for at in cycle:
            line = roster.line[at]
            if line:
                result.problem(line, f"Line {line}: {emails[at]}'s line managers go round "
                                     f"in a circle: {shown}")
