"""Importing staff from the HR system's CSV export (name, e-mail, department, line
manager e-mail, grade).

A file is taken whole or not at all: every row is checked first, and any row that
cannot be taken is reported with its line number and why, and nothing is saved.
People are matched by e-mail; their sign-in identity is linked at first sign-in.
"""

import csv
import re
from dataclasses import dataclass, field

from sqlalchemy import func, select

from portal.extensions import db
from portal.models import Department, User
from portal.services import audit
from portal.services.identity import own_organisation

COLUMNS = ("name", "email", "department", "line_manager_email", "grade")
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    errors: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def _read_rows(stream) -> tuple[list[tuple[int, dict]], list[str]]:
    reader = csv.DictReader(stream)
    headers = [h.strip().lower() for h in (reader.fieldnames or [])]
    missing = [c for c in COLUMNS if c not in headers]
    if missing:
        return [], [f"The file has no column: {', '.join(missing)} "
                    f"(expected {', '.join(COLUMNS)})"]
    reader.fieldnames = headers
    rows = []
    for row in reader:
        rows.append((reader.line_num, {k: (v or "").strip() for k, v in row.items() if k}))
    if not rows:
        return [], ["The file has no rows of staff"]
    return rows, []


def import_staff(stream, actor=None) -> ImportResult:
    """Create or update staff from the CSV in `stream`; all rows or none."""
    result = ImportResult()
    rows, result.errors = _read_rows(stream)
    if result.errors:
        return result

    in_file: dict[str, int] = {}
    for line, row in rows:
        email = row["email"].lower()
        if not row["name"]:
            result.errors.append(f"Line {line}: enter the person's name")
        if not EMAIL.match(email):
            result.errors.append(f"Line {line}: {row['email']!r} is not a valid e-mail address")
        elif email in in_file:
            result.errors.append(
                f"Line {line}: {email} appears more than once (first on line {in_file[email]})")
        else:
            in_file[email] = line
        if not row["department"]:
            result.errors.append(f"Line {line}: enter the person's department")
    existing = {
        u.email.lower(): u
        for u in db.session.scalars(
            select(User).where(func.lower(User.email).in_(list(in_file) + [
                r["line_manager_email"].lower() for _, r in rows if r["line_manager_email"]
            ]))
        )
    }
    for line, row in rows:
        manager = row["line_manager_email"].lower()
        if not manager:
            continue
        if manager == row["email"].lower():
            result.errors.append(f"Line {line}: a person cannot be their own line manager")
        elif manager not in in_file and manager not in existing:
            result.errors.append(
                f"Line {line}: line manager {manager} is neither in the file nor known")
    if result.errors:
        return result

    own = own_organisation()
    departments = {d.name: d for d in db.session.scalars(
        select(Department).where(Department.organisation_id == own.id))}
    people: dict[str, User] = dict(existing)
    for _line, row in rows:
        email = row["email"].lower()
        dept = departments.get(row["department"])
        if dept is None:
            dept = departments[row["department"]] = Department(
                organisation=own, name=row["department"])
            db.session.add(dept)
        user = people.get(email)
        if user is None:
            user = User(email=row["email"], name=row["name"], organisation=own)
            db.session.add(user)
            people[email] = user
            result.created += 1
        else:
            result.updated += 1
        user.name, user.department, user.grade = row["name"], dept, row["grade"] or None
    for _line, row in rows:
        manager = row["line_manager_email"].lower()
        people[row["email"].lower()].line_manager = people[manager] if manager else None
    audit.record("staff.imported", actor=actor,
                 summary=f"{result.created} created, {result.updated} updated")
    db.session.commit()
    return result
