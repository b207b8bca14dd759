"""E-mail waiting to be delivered, written in the same transaction as the change it
tells people about (the outbox), and delivered by the mail worker."""

from datetime import datetime

from sqlalchemy import Boolean, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from portal.extensions import db
from portal.models.base import UTCDateTime, utcnow


class OutboxMessage(db.Model):
    """One message to its recipients. Where it stands follows from its times: waiting
    until `sent_at` or `failed_at` is set, tried again at `next_attempt_at`."""

    __tablename__ = "outbox_messages"
    __table_args__ = (
        # The worker's question: which messages are due now?
        Index("ix_outbox_messages_due", "sent_at", "failed_at", "next_attempt_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # The same change told twice (a retried request) queues its message once.
    idempotency_key: Mapped[str] = mapped_column(String(64), unique=True)
    template: Mapped[str] = mapped_column(String(80))
    recipients: Mapped[str] = mapped_column(String(2000))  # addresses, comma-separated
    subject: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text)  # written by the portal from its template
    # The body holds a single-use link (an invitation): it is erased once delivered and
    # never shown on a page, so the link lives only in the recipient's mailbox.
    secret: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    failed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    last_error: Mapped[str] = mapped_column(String(500), default="")

    @property
    def recipient_list(self) -> list[str]:
        return [r for r in self.recipients.split(",") if r]

    @property
    def state_label(self) -> str:
        if self.sent_at:
            return "Sent"
        return "Not delivered" if self.failed_at else "Waiting"
