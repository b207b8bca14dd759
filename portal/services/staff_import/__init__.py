"""Importing staff from the HR system's export (name, e-mail, department, line manager
e-mail, grade): how the portal learns who works where and who manages whom.

A file is taken whole or not at all. `plan_staff_import` reads and checks all of it and
changes nothing: every row that cannot be taken is reported with its line and why, with
what the file would change. `apply_staff_import` does the same, then, only when nothing
is wrong, writes it in batches inside one transaction, so a failure leaves nothing half
imported. Both read the file as a stream, in the same memory whatever its length.

People are matched by e-mail, in any case; their sign-in identity is linked at their
first sign-in. With leavers "disable" the import is a sync: everyone of the organisation
it does not have is disabled, their sessions ended. An import never enables anyone
again (People Services do that in the back office). Every applied or refused run is in
the audit trail with its counts; a plan, which changes nothing, is not.
"""

import io
import shutil
import tempfile

from sqlalchemy import text

from portal.config import STAFF_COLUMNS as COLUMNS
from portal.extensions import db
from portal.services import audit
from portal.services.staff_import import planning, writing
from portal.services.staff_import.leavers import disable_leavers
from portal.services.staff_import.options import (
    LEAVER_CHOICES,
    ImportOptions,
    ImportOptionsError,
    read_options,
)
from portal.services.staff_import.reading import seekable
from portal.services.staff_import.results import (
    MAX_LISTED,
    ImportPlan,
    ImportResult,
    Leaver,
    OpenDecision,
)

__all__ = ["COLUMNS", "LEAVER_CHOICES", "MAX_LISTED", "ImportOptions",
           "ImportOptionsError", "ImportPlan", "ImportResult", "Leaver", "OpenDecision",
           "apply_staff_import", "import_staff", "plan_staff_import", "read_options"]

# Two imports at once (the nightly sync and an upload) would both create the same new
# people: on PostgreSQL the second is refused while the first runs.
_LOCK = 0x57AFF1  # pg_advisory_xact_lock key of the staff import


def plan_staff_import(binary_stream, options: ImportOptions | None = None,
                      progress=None, actor=None) -> ImportPlan:
    """What the file would change, and every problem in it by line; changes nothing.
    `progress(read, written)` is called every 500 rows read (and, applying, every
    1,000 written)."""
    options = options or ImportOptions()
    with seekable(binary_stream) as stream:
        result, _roster = planning.plan(stream, options, progress, actor)
    return result


def apply_staff_import(binary_stream, options: ImportOptions | None = None, actor=None,
                       progress=None) -> ImportPlan:
    """Check the file as `plan_staff_import` does and, when nothing is wrong (and it is
    not a dry run), write it and disable the leavers if asked, in one transaction."""
    options = options or ImportOptions()
    if options.dry_run:
        return plan_staff_import(binary_stream, options, progress, actor)
    with seekable(binary_stream) as stream:
        start = stream.tell()
        try:
            if not _only_import_running():
                refused = ImportPlan()
                refused.problem(0, "Another staff import is running: nothing was imported. "
                                   "Try again when it has finished")
                return refused.finish()
            result, roster = planning.plan(stream, options, progress, actor)
            if not result.ok:
                audit.record("staff.import_refused", actor=actor,
                             summary=f"Nothing imported: {result.problems:,} "
                                     f"problem{'s' * (result.problems != 1)} in "
                                     f"{result.rows:,} rows")
                db.session.commit()
                return result
            stream.seek(start)
            writing.write(stream, options, roster, result, progress)
            if options.leavers == "disable":
                disable_leavers(result.leavers, actor)
            audit.record("staff.imported", actor=actor, summary=result.summary())
            _refresh_statistics(result)
            db.session.commit()
        except BaseException:
            db.session.rollback()
            raise
    result.applied = True
    return result


def _only_import_running() -> bool:
    if db.session.get_bind().dialect.name != "postgresql":
        # SQLite (the demo's, a small body's) has no such lock: two imports at the very
        # same moment there could each create the same new person.
        return True
    return bool(db.session.execute(text("SELECT pg_try_advisory_xact_lock(:key)"),
                                   {"key": _LOCK}).scalar())


def _refresh_statistics(result: ImportPlan) -> None:
    """After a first import PostgreSQL still believes the staff table empty until
    autovacuum next looks (up to a minute), and may plan the next import's lookups for
    an empty table: a full read of it for each batch of rows. ANALYZE counts this
    transaction's own rows, and takes no lock that ordinary reads and writes wait on."""
    if result.created > 1000 and db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(text("ANALYZE users"))


def import_staff(stream, actor=None) -> ImportPlan:
    """The import as it was first called: a text or binary stream, all rows or none,
    leavers kept. A text stream is encoded as UTF-8 into a temporary file."""
    if isinstance(stream, io.TextIOBase):
        if hasattr(stream, "buffer"):
            return apply_staff_import(stream.buffer, ImportOptions(), actor)
        with tempfile.TemporaryFile() as binary:
            encoded = io.TextIOWrapper(binary, encoding="utf-8", newline="")
            shutil.copyfileobj(stream, encoded)
            encoded.flush()
            encoded.detach()
            binary.seek(0)
            return apply_staff_import(binary, ImportOptions(encoding="utf-8"), actor)
    return apply_staff_import(stream, ImportOptions(), actor)
