"""The HR export uploaded through People Services' page: a dry run first, the file kept
(in the database: several workers serve the portal) until the person confirms it, then
applied by the same import as `flask import-staff`, with the same rules.

Each person has at most one upload waiting: a new one that passes its dry run replaces
theirs, and any is forgotten a day after it was made. Applying it removes it in the
same transaction as the import's writes, and only the request that removes it applies
it, so a second click, or the same page in another tab, cannot import the file twice.
Every dry run is in the audit trail with its counts; the import records its own run
when it is applied or refused.
"""

import hashlib
import io
import os
import re
from dataclasses import asdict
from datetime import timedelta

from sqlalchemy import delete, select

from portal.extensions import db
from portal.models.base import utcnow
from portal.models.staff_imports import StaffImportUpload
from portal.services import audit
from portal.services.staff_import import (
    ImportPlan,
    apply_staff_import,
    plan_staff_import,
    read_options,
)

MAX_UPLOAD_BYTES = 50 * 1024 * 1024
KEPT_FOR = timedelta(days=1)
# The check page lists this many of the people the file would disable; the rest are
# counted (a file that disables more is almost certainly not the whole export).
LEAVERS_KEPT = 500
NEW_DEPARTMENTS_KEPT = 100

# Extensions of the files HR systems save their exports as.
CSV_EXTENSIONS = (".csv", ".txt", ".tsv")
# What a spreadsheet or a document starts with: a workbook saved as .xlsx (a zip),
# an old .xls (OLE), a PDF. Renamed to .csv they are still not one.
NOT_TEXT = (b"PK\x03\x04", b"\xd0\xcf\x11\xe0", b"%PDF")

_NOT_IN_A_NAME = re.compile(r"[\x00-\x1f\x7f]")


class UploadGone(Exception):
    """The upload is no longer waiting: applied already, replaced, or too old."""


def too_large() -> str:
    return f"The selected file must be smaller than {MAX_UPLOAD_BYTES // (1024 * 1024)} MB"


def file_problem(filename: str, stream) -> str | None:
    """Why this uploaded file (a seekable binary stream, left at its start) cannot be
    the HR export, in GOV.UK words, or None."""
    stream.seek(0, io.SEEK_END)
    size = stream.tell()
    stream.seek(0)
    head = stream.read(len(max(NOT_TEXT, key=len)))
    stream.seek(0)
    if size > MAX_UPLOAD_BYTES:
        return too_large()
    if size == 0:
        return "The selected file is empty"
    if not filename.lower().endswith(CSV_EXTENSIONS) or head.startswith(NOT_TEXT):
        return "The selected file must be a CSV file"
    return None


def shown_name(filename: str) -> str:
    """The file's own name, as the person's computer gave it: no folders (some browsers
    send the whole path), no control characters, at most 255 characters."""
    name = os.path.basename((filename or "").replace("\\", "/"))
    return _NOT_IN_A_NAME.sub("", name)[:255] or "export.csv"


def plan_upload(person, filename: str, stream, encoding: str | None, leavers: str
                ) -> tuple[ImportPlan, StaffImportUpload | None]:
    """The dry run of an uploaded export (a seekable binary stream). When it finds no
    problem the file is kept for the person to confirm, in place of their earlier
    upload, and every upload older than a day is forgotten. A file with problems
    changes nothing but the audit trail."""
    options = read_options(encoding=encoding, leavers=leavers, dry_run=True)
    plan = plan_staff_import(stream, options, actor=person)
    name = shown_name(filename)
    upload = None
    if plan.ok:
        db.session.execute(delete(StaffImportUpload).where(
            (StaffImportUpload.uploaded_by_id == person.id)
            | (StaffImportUpload.created_at < utcnow() - KEPT_FOR)))
        stream.seek(0)
        content = stream.read()
        upload = StaffImportUpload(
            uploaded_by_id=person.id, filename=name, content=content, size=len(content),
            sha256=hashlib.sha256(content).hexdigest(), encoding=options.encoding,
            leavers=options.leavers, summary=summary_of(plan))
        db.session.add(upload)
        db.session.flush()
        audit.record("staff.import_planned", actor=person, obj=upload,
                     summary=f"Dry run of {name} (SHA-256 {upload.sha256[:12]}, leavers "
                             f"{options.leavers}): {plan.summary()}")
    else:
        audit.record("staff.import_planned", actor=person,
                     summary=f"Dry run of {name} (leavers {options.leavers}): nothing to "
                             f"import, {plan.problems} problems in {plan.rows} rows")
    db.session.commit()
    return plan, upload


def apply_upload(person, upload: StaffImportUpload
                 ) -> tuple[ImportPlan, StaffImportUpload | None]:
    """Apply a kept upload with the options of its dry run; with the import's result,
    the upload if it still waits (only when the import refused it before reading it:
    another import was running). Raises UploadGone when another request
    applied or replaced it first, ValueError when the stored file is not the one its
    dry run read."""
    upload_id = upload.id
    content = db.session.scalar(
        select(StaffImportUpload.content).where(StaffImportUpload.id == upload_id))
    if content is None:
        raise UploadGone()
    if hashlib.sha256(content).hexdigest() != upload.sha256:
        raise ValueError(f"staff import upload {upload_id} does not match its SHA-256")
    options = read_options(encoding=upload.encoding, leavers=upload.leavers)
    # Kept as it is for the page that follows, whatever the transaction does next.
    db.session.expunge(upload)
    # Removing it is what claims it, in the import's own transaction: on PostgreSQL a
    # second request waits here for the first to commit, then finds nothing to remove.
    claimed = db.session.execute(
        delete(StaffImportUpload).where(StaffImportUpload.id == upload_id),
        execution_options={"synchronize_session": False}).rowcount
    if not claimed:
        db.session.rollback()
        raise UploadGone()
    result = apply_staff_import(io.BytesIO(content), options, actor=person)
    if result.applied:
        return result, None
    # Refused: by its checks (the import commits the refusal to the audit trail, and
    # with it the removal: the records changed since the dry run, so the file must be
    # planned again), or before reading it, with nothing committed.
    db.session.rollback()
    return result, db.session.get(StaffImportUpload, upload_id)


def is_waiting(upload: StaffImportUpload) -> bool:
    return upload.created_at >= utcnow() - KEPT_FOR


def summary_of(plan: ImportPlan) -> dict:
    """What the check page shows again, as JSON."""
    return {
        "rows": plan.rows, "created": plan.created, "updated": plan.updated,
        "unchanged": plan.unchanged, "moved_department": plan.moved_department,
        "new_line_manager": plan.new_line_manager,
        "new_departments": plan.new_departments[:NEW_DEPARTMENTS_KEPT],
        "new_departments_count": len(plan.new_departments),
        "not_in_file": plan.not_in_file, "disabled": plan.disabled,
        "still_disabled": plan.still_disabled, "encoding": plan.encoding,
        "separator": plan.separator, "open_decisions": plan.open_decisions,
        "leavers": [asdict(leaver) for leaver in _leavers_first(plan)[:LEAVERS_KEPT]],
    }


def _leavers_first(plan: ImportPlan) -> list:
    """The leavers something waits on first: theirs is the work to give to others."""
    return sorted(plan.leavers, key=lambda leaver: not (leaver.open_decisions or leaver.heads))
