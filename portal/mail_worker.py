"""The mail worker: delivers the outbox through SMTP. The only module that speaks SMTP.

Each message is taken with a row lock that other workers skip (`FOR UPDATE SKIP LOCKED`
on PostgreSQL), sent, and marked sent in the same transaction: several workers on
several hosts never send one message twice. A message the server refuses or cannot take
now is tried again later, waiting twice as long each time; after the last attempt it
is marked as not delivered, for People Services to see and send again.
"""

import logging
import smtplib
import time
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.utils import make_msgid

from flask import current_app
from sqlalchemy import select

from portal.extensions import db
from portal.models.base import utcnow
from portal.models.outbox import OutboxMessage
from portal.notifications import WITHHELD

log = logging.getLogger(__name__)

FIRST_RETRY = timedelta(minutes=1)


class _Connection:
    """One SMTP connection, opened when first needed and reused for a whole pass."""

    def __init__(self, config):
        self.config, self.smtp = config, None

    def send(self, message: EmailMessage) -> None:
        if self.smtp is None:
            smtp = smtplib.SMTP(self.config["MAIL_SERVER"], self.config["MAIL_PORT"],
                                timeout=10)
            if self.config.get("MAIL_USE_TLS"):
                smtp.starttls()
            if self.config.get("MAIL_USERNAME"):
                smtp.login(self.config["MAIL_USERNAME"], self.config["MAIL_PASSWORD"])
            self.smtp = smtp
        try:
            self.smtp.send_message(message)
        except (OSError, smtplib.SMTPServerDisconnected):
            self.close()
            raise

    def close(self) -> None:
        if self.smtp is not None:
            try:
                self.smtp.quit()
            except (OSError, smtplib.SMTPException):
                pass
            self.smtp = None


def _email(message: OutboxMessage, sender: str) -> EmailMessage:
    email = EmailMessage()
    email["From"] = sender
    email["To"] = ", ".join(message.recipient_list)
    email["Subject"] = message.subject
    # One outbox row is one Message-ID, however often it is tried.
    email["Message-ID"] = make_msgid(idstring=f"outbox-{message.id}",
                                     domain=sender.rpartition("@")[2] or None)
    email.set_content(message.body)
    return email


def _take_one_due(now: datetime) -> OutboxMessage | None:
    return db.session.scalar(
        select(OutboxMessage)
        .where(OutboxMessage.sent_at.is_(None), OutboxMessage.failed_at.is_(None),
               OutboxMessage.next_attempt_at <= now)
        .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id)
        .limit(1).with_for_update(skip_locked=True))


def deliver_due(now: datetime | None = None, limit: int = 500) -> dict[str, int]:
    """One pass over the messages due now; returns how many were sent, put off, failed."""
    config = current_app.config
    counts = {"sent": 0, "retrying": 0, "failed": 0}
    if not config.get("MAIL_SERVER"):
        return counts
    connection = _Connection(config)
    try:
        for _ in range(limit):
            at = now or utcnow()
            message = _take_one_due(at)
            if message is None:
                break
            counts[_deliver(message, connection, config, at)] += 1
            db.session.commit()  # marks it and lets its row lock go
    finally:
        db.session.rollback()
        connection.close()
    return counts


def _deliver(message: OutboxMessage, connection: _Connection, config, at: datetime) -> str:
    message.attempts += 1
    try:
        connection.send(_email(message, config["MAIL_SENDER"]))
    except (OSError, smtplib.SMTPException) as error:
        message.last_error = f"{type(error).__name__}: {error}"[:500]
        if message.attempts >= config["MAIL_MAX_ATTEMPTS"]:
            message.failed_at = at
            log.error("E-mail %s not delivered after %d attempts: %s", message.id,
                      message.attempts, type(error).__name__)
            return "failed"
        message.next_attempt_at = at + FIRST_RETRY * 2 ** (message.attempts - 1)
        return "retrying"
    message.sent_at = at
    if message.secret:
        message.body = WITHHELD
    return "sent"


def run(once: bool, poll_seconds: float = 5.0, echo=print) -> None:
    """Deliver until stopped (or, with `once`, until nothing is due)."""
    while True:
        counts = deliver_due()
        if any(counts.values()):
            echo(f"E-mail: {counts['sent']} sent, {counts['retrying']} to try again, "
                 f"{counts['failed']} not delivered")
        if once:
            return
        time.sleep(poll_seconds)
