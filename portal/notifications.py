"""E-mail to the people a change concerns.

Sent through SMTP (MAIL_SERVER, MAIL_PORT, MAIL_USE_TLS, MAIL_USERNAME, MAIL_PASSWORD).
Without MAIL_SERVER (the demo) each message is written to the log instead. Messages
are sent after the change they describe has been committed; a mail server that is down
is logged and does not undo or fail the decision.
"""

import logging
import smtplib
from email.message import EmailMessage

from flask import current_app

log = logging.getLogger(__name__)


def send(to, subject: str, body: str) -> None:
    """Send one plain-text message to each address in `to` (people or addresses)."""
    recipients = sorted({getattr(r, "email", r) for r in to if r} - {None, ""})
    if not recipients:
        return
    config = current_app.config
    message = EmailMessage()
    message["From"] = config["MAIL_SENDER"]
    message["To"] = ", ".join(recipients)
    message["Subject"] = subject
    message.set_content(body + _footer())
    if not config.get("MAIL_SERVER"):
        log.info("E-mail (no MAIL_SERVER set, not sent):\n%s", message)
        return
    try:
        with smtplib.SMTP(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=10) as smtp:
            if config.get("MAIL_USE_TLS"):
                smtp.starttls()
            if config.get("MAIL_USERNAME"):
                smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"])
            smtp.send_message(message)
    except (OSError, smtplib.SMTPException) as error:
        log.error("E-mail %r to %d recipient(s) not sent: %s", subject, len(recipients),
                  type(error).__name__)


def _footer() -> str:
    config = current_app.config
    return (f"\n\n--\n{config['ORGANISATION_NAME']} secondments portal. "
            f"Questions: {config['SUPPORT_EMAIL']}\n")
