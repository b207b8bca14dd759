"""The second pass over a file the first found good: new people inserted and changed
ones updated a thousand at a time (one statement each batch, not one per person), then
every line manager the file changes, then the leavers, all in the caller's transaction.
What to write comes from the roster the first pass filled: nothing is compared again."""

from array import array

from sqlalchemy import func, insert, select, update

from portal.extensions import db
from portal.models import Department, User
from portal.services.identity import own_organisation
from portal.services.staff_import.options import ImportOptions
from portal.services.staff_import.planning import Departments
from portal.services.staff_import.reading import Row, open_export
from portal.services.staff_import.results import ImportPlan
from portal.services.staff_import.roster import (
    BATCH,
    CHANGES_MANAGER,
    CHANGES_RECORD,
    NO_ONE,
    Roster,
)


class _Writer:
    def __init__(self, roster: Roster):
        self.roster = roster
        self.own = own_organisation()
        self.departments = Departments.of(self.own.id).ids
        self.relink = array("l")  # who gets a new line manager, once everyone has an id

    def department_id(self, name: str) -> int:
        key = name.casefold()
        if key not in self.departments:
            department = Department(organisation_id=self.own.id, name=name)
            db.session.add(department)
            db.session.flush()
            self.departments[key] = department.id
        return self.departments[key]

    def write(self, batch: list[Row]) -> None:
        roster, new, changed = self.roster, {}, []
        for row in batch:
            email = row.email.lower()
            at = roster.at(email)
            values = {"name": row.name, "grade": row.grade or None,
                      "department_id": self.department_id(row.department)}
            if roster.changes[at] & CHANGES_MANAGER:
                # Set now when the line manager has a record already (earlier in the file
                # or in the portal before); the others once everyone has one.
                boss = roster.manager[at]
                boss_id = roster.ids[boss] if boss != NO_ONE else None
                if boss_id == 0:
                    self.relink.append(at)
                else:
                    values["line_manager_id"] = boss_id
            if not roster.ids[at]:
                new[email] = dict({"line_manager_id": None}, **values, email=row.email,
                                  organisation_id=self.own.id)
            elif roster.changes[at] & (CHANGES_RECORD | CHANGES_MANAGER):
                changed.append(dict(values, id=roster.ids[at]))
        if new:
            self._insert(new)
        if changed:
            db.session.execute(update(User), changed)

    def _insert(self, new: dict[str, dict]) -> None:
        """One executemany, then the new ids read back by the primary key's range: a
        thousand rows' INSERT ... RETURNING is one statement of 8,000 parameters, which
        the PostgreSQL driver parses far more slowly than it inserts."""
        before = db.session.scalar(select(func.max(User.id))) or 0
        db.session.execute(insert(User), list(new.values()))
        for person_id, email in db.session.execute(
                select(User.id, func.lower(User.email)).where(User.id > before)
                .order_by(User.id)):
            if email in new:
                at = self.roster.at(email)
                if not self.roster.ids[at]:
                    self.roster.ids[at] = person_id
        if any(not self.roster.ids[self.roster.at(email)] for email in new):
            raise RuntimeError("a person just inserted was not found again")

    def link_managers(self) -> None:
        roster = self.roster
        for start in range(0, len(self.relink), BATCH):
            links = []
            for at in self.relink[start:start + BATCH]:
                boss = roster.manager[at]
                boss_id = roster.ids[boss] if boss != NO_ONE else None
                if boss_id == 0:
                    raise RuntimeError("a line manager the plan accepted has no record")
                links.append({"id": roster.ids[at], "line_manager_id": boss_id})
            db.session.execute(update(User), links)


def write(binary, options: ImportOptions, roster: Roster, result: ImportPlan,
          progress=None) -> None:
    """Write what `result` planned from the file (a seekable binary stream, from where
    it stands); the caller disables the leavers, records the event and commits."""
    writer = _Writer(roster)
    written = 0
    with open_export(binary, options) as export:
        batch: list[Row] = []
        for row in export.rows:
            batch.append(row)
            if len(batch) == BATCH:
                writer.write(batch)
                written += len(batch)
                batch = []
                if progress:
                    progress(result.rows, written)
        writer.write(batch)
        written += len(batch)
    writer.link_managers()
    if progress:
        progress(result.rows, written)
