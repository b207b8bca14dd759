"""A real SMTP server on loopback (aiosmtpd) that keeps what it receives.

The portal queues e-mail in its outbox and the mail worker sends it through smtplib
exactly as in production; the tests read the messages that arrived. Reading the mailbox
first runs one pass of the worker (`deliver_due`), as `flask deliver-mail` would have by
then, so a test reads what a person would find in their inbox. The fixture points the
application's settings at the server (before the application is made, or on it if it
already exists). Import it into a test module with
`from tests.smtp import smtp_server  # noqa: F401`.
"""

import socket
from dataclasses import dataclass
from email import message_from_bytes, policy
from email.message import EmailMessage

import pytest
from aiosmtpd.controller import Controller
from flask import current_app, has_app_context


@dataclass
class Received:
    sender: str
    recipients: list[str]
    message: EmailMessage

    @property
    def subject(self) -> str:
        return str(self.message["Subject"])

    @property
    def body(self) -> str:
        return self.message.get_content()


class Mailbox:
    """The handler aiosmtpd calls for each message, and what the tests read."""

    def __init__(self):
        self.received: list[Received] = []

    @property
    def messages(self) -> list[Received]:
        if has_app_context():
            from portal.mail_worker import deliver_due

            deliver_due()
        return self.received

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        self.received.append(Received(
            envelope.mail_from, list(envelope.rcpt_tos),
            message_from_bytes(envelope.original_content or envelope.content,
                               policy=policy.default)))
        return "250 Message accepted for delivery"

    def to(self, address: str) -> list[Received]:
        """Messages delivered to this address (by the envelope, as a server sees it)."""
        return [m for m in self.messages if address.lower() in
                (r.lower() for r in m.recipients)]

    def subjects(self, address: str | None = None) -> list[str]:
        return [m.subject for m in (self.to(address) if address else self.messages)]

    def clear(self) -> None:
        self.messages  # noqa: B018 - what is queued so far arrives, then is forgotten
        self.received.clear()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp_server(app_config):
    mailbox = Mailbox()
    controller = Controller(mailbox, hostname="127.0.0.1", port=_free_port())
    controller.start()
    settings = {"MAIL_SERVER": "127.0.0.1", "MAIL_PORT": controller.port,
                "MAIL_USE_TLS": False, "MAIL_USERNAME": ""}
    app_config.update(settings)
    if has_app_context():  # asked for after the application was made
        current_app.config.update(settings)
    try:
        yield mailbox
    finally:
        controller.stop()
