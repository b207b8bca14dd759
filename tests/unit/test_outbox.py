"""The e-mail outbox: every message is written with the change it reports, nothing is
lost while the mail server is down, no request waits for it, and several workers never
send one message twice. A real SMTP server on loopback receives what is delivered."""

import logging
import smtplib
import threading
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from portal import mail_worker, notifications
from portal.extensions import db
from portal.models import Application, AuditEvent, OutboxMessage
from portal.models.base import utcnow
from portal.notifications import WITHHELD
from portal.permissions import Role
from portal.services import applications as service
from portal.services import invitations, outbox
from tests.factories import make_department, make_opportunity, make_organisation, make_user
from tests.smtp import smtp_server  # noqa: F401 - the fixture

LATER = timedelta(days=1)  # far past every retry's wait


@pytest.fixture
def people(app):
    head = make_user("Dana Head")
    department = make_department("Planning", head=head)
    head.department = department
    manager = make_user("Mo Manager", department=department, line_manager=head)
    officer = make_user("Pat People", roles=[Role.STAFF, Role.PEOPLE_SERVICES])
    db.session.commit()
    return {"head": head, "manager": manager, "officer": officer, "department": department}


def submitted(people, name: str) -> Application:
    applicant = make_user(name, department=people["department"],
                          line_manager=people["manager"])
    application = service.start_application(
        applicant, make_opportunity(people["officer"], publish=True, title=f"Role for {name}"))
    service.save_draft(application, applicant, dict(
        motivation="To learn.", evidence="GIS.", learning_objectives="Lead.",
        cover_plan="Jo covers.", discussed_with_manager=True, has_conflict=False))
    service.submit(application, applicant)
    return application


def queued() -> list[OutboxMessage]:
    db.session.expire_all()
    return list(db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))


def point_at(app, port: int) -> None:
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=port)


def closed_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]  # nothing listens once the probe is closed


def test_a_change_and_its_e_mails_commit_together(app, people, smtp_server):  # noqa: F811
    application = submitted(people, "Ann Applicant")
    messages = queued()
    assert [m.template for m in messages] == ["application_received",
                                              "endorsement_requested"]
    assert all(m.sent_at is None for m in messages)  # waiting for the worker
    assert messages[0].subject == (f"Application received: Role for Ann Applicant "
                                   f"({application.reference})")

    # A change that fails takes its e-mails with it.
    before = len(queued())
    with pytest.raises(PermissionError):
        service.decide_endorsement(application, people["head"], support=True)
    db.session.rollback()
    assert len(queued()) == before


def test_the_same_change_told_twice_is_queued_once(app, people, smtp_server):  # noqa: F811
    application = submitted(people, "Ann Applicant")
    for _ in range(2):
        notifications.send([application.applicant], "application_withdrawn",
                           about=application, application=application)
    db.session.commit()
    assert [m.template for m in queued()].count("application_withdrawn") == 1


def test_no_request_opens_an_smtp_connection(client, demo_data, smtp_server,  # noqa: F811
                                              monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("a request opened an SMTP connection")

    monkeypatch.setattr(smtplib, "SMTP", refuse)
    client.sign_in("people-sam")
    page = client.page("/people-services/host-contacts")
    organisation = make_organisation("Dale Trust")
    answer = client.post("/people-services/host-contacts", data={
        "csrf_token": page.soup.find("input", {"name": "csrf_token"})["value"],
        "organisation_id": str(organisation.id), "name": "Rae Ranger",
        "email": "rae@dale.example"})
    assert answer.status_code == 302
    assert [m.template for m in queued()] == ["host_invitation"]


def test_mail_server_down_while_five_decisions_are_taken_then_all_five_arrive_once(
        app, people, smtp_server):  # noqa: F811
    port = app.config["MAIL_PORT"]
    applications = [submitted(people, f"Applicant {n}") for n in range(5)]
    smtp_server.clear()  # the submissions' own messages
    point_at(app, closed_port())  # the mail server is down
    for application in applications:
        service.decide_endorsement(application, people["manager"], support=False,
                                   grounds=["cover"], rationale="No cover this spring.")
    # One letter per decision, to the applicant and People Services together.
    assert mail_worker.deliver_due() == {"sent": 0, "retrying": 5, "failed": 0}
    assert mail_worker.deliver_due() == {"sent": 0, "retrying": 0, "failed": 0}  # waiting

    point_at(app, port)  # the mail server is back
    assert mail_worker.deliver_due(now=utcnow() + LATER)["sent"] == 5
    decisions = [m for m in smtp_server.received if m.subject.startswith("Decision on")]
    assert sorted(m.subject for m in decisions) == sorted(
        f"Decision on {a.reference}: refused" for a in applications)
    ids = [m.message["Message-ID"] for m in smtp_server.received]
    assert len(ids) == len(set(ids)) == 5
    assert mail_worker.deliver_due(now=utcnow() + LATER)["sent"] == 0


def test_a_message_is_retried_later_each_time_then_marked_not_delivered(
        app, people, smtp_server):  # noqa: F811
    app.config["MAIL_MAX_ATTEMPTS"] = 3
    submitted(people, "Ann Applicant")
    point_at(app, closed_port())
    now = utcnow()
    waits = []
    for _ in range(3):
        mail_worker.deliver_due(now=now)
        message = queued()[0]
        waits.append(message.next_attempt_at - now)
        now = max(m.next_attempt_at for m in queued())
    message = queued()[0]
    assert message.attempts == 3 and message.failed_at is not None
    assert "ConnectionRefusedError" in message.last_error
    assert waits[:2] == [timedelta(minutes=1), timedelta(minutes=2)]  # twice as long
    assert outbox.undelivered().total == 2


def test_two_workers_send_each_of_200_messages_exactly_once(app, smtp_server):  # noqa: F811
    if db.engine.dialect.name != "postgresql":
        pytest.skip("needs PostgreSQL: SQLite has no row locks that a second worker skips")
    for n in range(200):
        db.session.add(OutboxMessage(idempotency_key=f"load-{n}", template="load",
                                     recipients=f"person{n}@example.org",
                                     subject=f"Message {n}", body="Hello"))
    db.session.commit()
    ready = threading.Barrier(2, timeout=10)
    sent = []

    def worker():
        with app.app_context():
            ready.wait()
            sent.append(mail_worker.deliver_due()["sent"])
            db.session.remove()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)

    subjects = [m.subject for m in smtp_server.received]
    assert sorted(subjects) == sorted(f"Message {n}" for n in range(200))
    assert sum(sent) == 200 and all(sent), sent  # both worked, neither sent one twice
    assert db.session.scalar(select(func.count()).select_from(OutboxMessage)
                             .where(OutboxMessage.sent_at.is_(None))) == 0


def test_an_invitation_link_is_erased_from_the_outbox_once_delivered(
        app, people, smtp_server):  # noqa: F811
    token = invitations.invite(people["officer"], make_organisation("Dale Trust"),
                               "Rae Ranger", "rae@dale.example")
    assert token in queued()[0].body
    mail_worker.deliver_due()
    assert token in smtp_server.received[0].body
    assert queued()[0].body == WITHHELD


def test_without_a_mail_server_each_message_is_logged_once_committed(app, people, caplog):
    app.config["MAIL_SERVER"] = ""
    with caplog.at_level(logging.INFO, logger="portal.notifications"):
        application = submitted(people, "Ann Applicant")
    logged = [r.getMessage() for r in caplog.records if "E-mail" in r.getMessage()]
    assert len(logged) == 2 and application.reference in logged[0]
    assert all(m.sent_at is not None for m in queued())

    caplog.clear()
    with caplog.at_level(logging.INFO, logger="portal.notifications"):
        notifications.send([application.applicant], "application_withdrawn",
                           about=application, application=application)
        db.session.rollback()  # the change failed: nothing was told
    assert not [r for r in caplog.records if "E-mail" in r.getMessage()]


def test_people_services_send_an_undelivered_message_again(app, people,
                                                           smtp_server):  # noqa: F811
    app.config["MAIL_MAX_ATTEMPTS"] = 1
    port = app.config["MAIL_PORT"]
    submitted(people, "Ann Applicant")
    point_at(app, closed_port())
    mail_worker.deliver_due()
    message = queued()[0]
    assert message.failed_at is not None

    assert outbox.send_again(people["officer"], message) is True
    assert outbox.send_again(people["officer"], message) is False  # once is enough
    point_at(app, port)
    mail_worker.deliver_due()
    assert [m.subject for m in smtp_server.received] == [message.subject]
    assert db.session.scalar(select(func.count()).select_from(AuditEvent).where(
        AuditEvent.action == "email.sent_again")) == 1
    with pytest.raises(PermissionError):
        outbox.send_again(people["manager"], message)


def test_the_worker_command_delivers_what_is_due_and_stops(app, people,
                                                           smtp_server):  # noqa: F811
    submitted(people, "Ann Applicant")
    result = app.test_cli_runner().invoke(args=["deliver-mail", "--once"])
    assert result.exit_code == 0, result.output
    assert "2 sent" in result.output
    assert len(smtp_server.received) == 2

    app.config["MAIL_SERVER"] = ""
    result = app.test_cli_runner().invoke(args=["deliver-mail", "--once"])
    assert result.exit_code != 0 and "MAIL_SERVER is not set" in result.output
