"""What the import keeps of the file while it reads it: each e-mail address it names (as
a person or as a line manager), on which line, who manages whom, and later the person's
id. Numbers in arrays beside one dictionary of addresses, about 150 bytes a person:
enough to find duplicates, line managers missing from the file and line-manager cycles
once the whole file is read, without keeping its rows."""

from array import array

from sqlalchemy import func, select
from sqlalchemy.orm import aliased

from portal.extensions import db
from portal.models import User

NO_ONE = -1
# What the file changes on a person already in the portal, one byte each.
CHANGES_RECORD = 1   # name, grade or department
CHANGES_MANAGER = 2
BATCH = 1000


class Roster:
    def __init__(self):
        self.index: dict[str, int] = {}
        self.line = array("l")       # the line they are on; 0 for a manager not in the file
        self.manager = array("l")    # the index of their line manager, or NO_ONE
        self.ids = array("q")        # their id in the portal; 0 while they have none
        self.changes = bytearray()   # CHANGES_* bits, for the write

    def __len__(self) -> int:
        return len(self.index)

    def _of(self, email: str) -> int:
        at = self.index.get(email)
        if at is None:
            at = self.index[email] = len(self.line)
            self.line.append(0)
            self.manager.append(NO_ONE)
            self.ids.append(0)
            self.changes.append(0)
        return at

    def add(self, line: int, email: str, manager: str) -> int:
        """Record a row; returns the line the address was first on when it is there
        twice (the row is then not recorded), else 0."""
        at = self._of(email)
        if self.line[at]:
            return self.line[at]
        self.line[at] = line
        if manager and manager != email:
            self.manager[at] = self._of(manager)
        return 0

    def at(self, email: str) -> int:
        return self.index[email]

    def in_file(self, email: str) -> bool:
        at = self.index.get(email)
        return at is not None and self.line[at] > 0

    def outside_managers(self, own_id: int | None) -> dict[int, str]:
        """Look up the line managers the file names but does not have, with their own
        line managers in the portal (who stay theirs), until every chain ends; returns
        why each of them cannot manage anyone here (for the lines naming them), or is
        not in the portal at all. Their ids are kept."""
        wanted = [at for at, line in enumerate(self.line) if not line]
        emails = self.emails(wanted)
        known: dict[int, str] = {}
        manager = aliased(User)
        while wanted:
            batch, wanted = wanted[:BATCH], wanted[BATCH:]
            found = {}
            for email, person_id, organisation_id, enabled, boss in db.session.execute(
                    select(func.lower(User.email), User.id, User.organisation_id,
                           User.is_enabled, func.lower(manager.email))
                    .outerjoin(manager, manager.id == User.line_manager_id)
                    .where(func.lower(User.email).in_([emails[at] for at in batch]))
                    .order_by(User.id.desc())):
                found[email] = (person_id, organisation_id, enabled, boss)
            for at in batch:
                person = found.get(emails[at])
                if person is None:
                    known[at] = "unknown"
                    continue
                person_id, organisation_id, enabled, boss = person
                self.ids[at] = person_id
                known[at] = ("host" if organisation_id != own_id
                             else "disabled" if not enabled else "staff")
                if boss and boss != emails[at]:
                    before = len(self.line)
                    self.manager[at] = self._of(boss)
                    if len(self.line) > before:
                        emails[self.manager[at]] = boss
                        wanted.append(self.manager[at])
        return known

    def cycles(self) -> list[list[int]]:
        """The chains of line managers that come back to where they began, each once."""
        state = bytearray(len(self.line))  # 0 not seen, 1 on the chain now, 2 done
        found = []
        for start in range(len(self.line)):
            chain = []
            at = start
            while at != NO_ONE and state[at] == 0:
                state[at] = 1
                chain.append(at)
                at = self.manager[at]
            if at != NO_ONE and state[at] == 1:
                found.append(chain[chain.index(at):])
            for seen in chain:
                state[seen] = 2
        return found

    def emails(self, ats) -> dict[int, str]:
        """The addresses of these people, for messages: one scan of the dictionary."""
        wanted = set(ats)
        return {index: email for email, index in self.index.items() if index in wanted}
