"""An HR export uploaded through the portal, kept between its dry run and the person's
confirmation: several workers serve the portal, so the file cannot wait in one of them.
The row goes when the import is applied (in the same transaction), when the same person
uploads another file, and a day after it was uploaded."""

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Integer, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.extensions import db
from portal.models.base import UTCDateTime, utcnow
from portal.models.people import User


class StaffImportUpload(db.Model):
    __tablename__ = "staff_import_uploads"
    # An id is never given again (SQLite would reuse the last one once it is removed):
    # a page left open on an upload that went must not find the next one there.
    __table_args__ = {"sqlite_autoincrement": True}

    id: Mapped[int] = mapped_column(primary_key=True)
    uploaded_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    # As the person's computer named it: shown back to them, never used as a path.
    filename: Mapped[str] = mapped_column(String(255))
    # Up to the upload limit (portal/services/staff_import_uploads.py); loaded only
    # when the import is applied.
    content: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    # The options of the dry run, applied as they were: a Python codec name (None:
    # detected) and what happens to the people not in the file ("keep", "disable").
    encoding: Mapped[str | None] = mapped_column(String(20))
    leavers: Mapped[str] = mapped_column(String(10))
    # What the dry run found, to show again on the page that confirms it.
    summary: Mapped[dict] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)

    uploaded_by: Mapped[User] = relationship()

    def __repr__(self) -> str:
        return f"<StaffImportUpload {self.id} {self.filename!r}>"
