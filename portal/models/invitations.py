"""Invitations that let a contact at an external host organisation in."""

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.extensions import db
from portal.models.base import UTCDateTime, utcnow


class HostInvitation(db.Model):
    """A single-use invitation, bound to the first partner sign-in that presents it.

    Partners are never linked by e-mail: the invitation link is what ties an identity
    at the partner provider to a contact of one organisation."""

    __tablename__ = "host_invitations"

    id: Mapped[int] = mapped_column(primary_key=True)
    # SHA-256 of the token in the link; the link itself is only in the e-mail.
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str] = mapped_column(String(320))
    invited_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    accepted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    accepted_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    organisation = relationship("Organisation")
    invited_by = relationship("User", foreign_keys=[invited_by_id])
    accepted_user = relationship("User", foreign_keys=[accepted_user_id])
