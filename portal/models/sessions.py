"""Server-side records of signed-in sessions.

The browser's cookie carries only a random key; the record says whether that key is
still good. Signing out, disabling the person or an expired timeout ends the record,
so a copy of the cookie taken earlier stops working.
"""

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.extensions import db
from portal.models.base import UTCDateTime, utcnow


class UserSession(db.Model):
    __tablename__ = "user_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    # SHA-256 of the key held in the cookie: a copy of this table cannot sign anyone in.
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    provider: Mapped[str] = mapped_column(String(20))
    user_session_version: Mapped[int]
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    end_reason: Mapped[str | None] = mapped_column(String(40))
    # Kept for RP-initiated logout (`id_token_hint`); never logged.
    id_token: Mapped[str | None] = mapped_column(Text)

    user = relationship("User", foreign_keys=[user_id])
