"""Documents kept as issued: a letter (and, later, each version of an agreement) is
rendered once, when it is issued, and stored with its SHA-256. What is shown, printed,
e-mailed and signed afterwards is this stored copy, never a new rendering."""

from datetime import datetime

from markupsafe import Markup
from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column

from portal.extensions import db
from portal.models.base import UTCDateTime, utcnow


class IssuedDocument(db.Model):
    """Append-only: the database refuses UPDATE and DELETE (migration 0008)."""

    __tablename__ = "issued_documents"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(40))  # e.g. "decision_letter"
    # The page's markup as the portal's own (autoescaping) template rendered it.
    html: Mapped[str] = mapped_column(Text)
    # The same document in plain text, for e-mail.
    text: Mapped[str] = mapped_column(Text)
    sha256: Mapped[str] = mapped_column(String(64))
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    @property
    def markup(self) -> Markup:
        """The stored markup, to place in a page as it was issued. It was produced by
        the portal's templates with every person's words escaped at the time, and is
        shown only while it still matches its fingerprint (`intact`)."""
        # The portal's own rendering, escaped when issued and checked by its hash.
        return Markup(self.html)  # nosec B704  # noqa: S704
