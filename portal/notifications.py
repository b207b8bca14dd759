"""E-mail to the people a change concerns, queued in the outbox.

`send()` renders a template from `templates/email/` and adds the message to the
database session of the change it reports, so that both commit together or not at all:
nothing is lost when the mail server is down, and no request waits for it. The mail
worker (`flask deliver-mail`, portal/mail_worker.py) delivers the outbox.

Without MAIL_SERVER (the demo) there is nothing to deliver to: each message is written
to the log once its change has committed, and kept in the outbox as sent.
"""

import hashlib
import logging

from flask import current_app, render_template
from sqlalchemy import event, select
from sqlalchemy.orm import Session

from portal.extensions import db
from portal.models.base import utcnow
from portal.models.outbox import OutboxMessage

log = logging.getLogger(__name__)

_TO_LOG = "portal.mail_to_log"  # the session's messages to log once it commits
WITHHELD = "(Erased once delivered: it held a single-use link.)"


def send(to, template: str, *, about, secret: bool = False, **context) -> None:
    """Queue `email/<template>.txt` for each address in `to` (people or addresses).

    `about` is the record the change is about: with the template and the recipients
    it makes the message's idempotency key, so the same change told twice queues one
    message. Every transition raises the record's version, so each is told once.
    `secret` marks a body that holds a single-use link: erased once delivered.
    """
    recipients = sorted({getattr(r, "email", r) for r in to if r} - {None, ""})
    if not recipients:
        return
    if about.id is None:
        db.session.flush()
    key = hashlib.sha256("|".join([
        template, type(about).__name__, str(about.id), str(getattr(about, "version", "")),
        ",".join(recipients)]).encode()).hexdigest()
    pending = [m for m in db.session.new if isinstance(m, OutboxMessage)]
    if any(m.idempotency_key == key for m in pending) or db.session.scalar(
            select(OutboxMessage.id).where(OutboxMessage.idempotency_key == key)):
        return
    subject, body = render(template, **context)
    message = OutboxMessage(idempotency_key=key, template=template,
                            recipients=",".join(recipients), subject=subject,
                            body=body + footer(), secret=secret)
    db.session.add(message)
    if not current_app.config.get("MAIL_SERVER"):
        db.session.info.setdefault(_TO_LOG, []).append(
            (", ".join(recipients), subject, message.body))
        message.sent_at = utcnow()
        if secret:
            message.body = WITHHELD


def render(template: str, **context) -> tuple[str, str]:
    """The subject (the template's first line) and the plain-text body (the rest)."""
    text = render_template(f"email/{template}.txt", **context)
    subject, _, body = text.strip().partition("\n")
    return " ".join(subject.split()), body.strip()


def footer() -> str:
    config = current_app.config
    return (f"\n\n--\n{config['ORGANISATION_NAME']} secondments portal. "
            f"Questions: {config['SUPPORT_EMAIL']}\n")


@event.listens_for(Session, "after_commit")
def _log_committed(session) -> None:
    for recipients, subject, body in session.info.pop(_TO_LOG, []):
        log.info("E-mail (no MAIL_SERVER set, not sent):\nTo: %s\nSubject: %s\n\n%s",
                 recipients, subject, body)


@event.listens_for(Session, "after_rollback")
def _forget_rolled_back(session) -> None:
    session.info.pop(_TO_LOG, None)
