"""People Services' page of e-mail the mail worker could not deliver, and sending one
again."""

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.models import OutboxMessage
from portal.models.base import utcnow
from tests.helpers import Page, count_queries


def undelivered(n: int = 1, **fields) -> list[OutboxMessage]:
    messages = []
    for i in range(n):
        message = OutboxMessage(
            idempotency_key=f"failed-{i}-{fields.get('subject', '')}", template="decision",
            recipients="ann@example.org,people.services@example.org",
            subject=f"Decision on SEC-2026-{i:05d}: refused", body="Dear Ann, <b>refused</b>",
            attempts=7, failed_at=utcnow(), last_error="ConnectionRefusedError: refused")
        for name, value in fields.items():
            setattr(message, name, value)
        db.session.add(message)
        messages.append(message)
    db.session.commit()
    return messages


def test_people_services_see_what_was_not_delivered_and_send_it_again(client, demo_data):
    [message] = undelivered()
    client.sign_in("people-sam")
    hub = client.page("/people-services")
    assert hub.soup.find("a", string="E-mail not delivered")["href"] == "/people-services/e-mail"

    page = client.page("/people-services/e-mail")
    card = page.soup.find(id=f"message-{message.id}")
    assert "Decision on SEC-2026-00000: refused" in card.get_text()
    assert "ann@example.org, people.services@example.org" in card.get_text()
    assert "ConnectionRefusedError" in card.get_text()
    assert "&lt;b&gt;refused&lt;/b&gt;" in str(card.find("pre"))  # shown as written

    form = card.find("form")
    answer = client.post(form["action"], data={
        "csrf_token": form.find("input", {"name": "csrf_token"})["value"]})
    assert answer.status_code == 302
    after = Page(client.get(answer.location))
    assert "will be sent again in a moment" in after.text
    assert "Every e-mail the portal has written was delivered" in after.text
    db.session.expire_all()
    again = db.session.get(OutboxMessage, message.id)
    assert again.failed_at is None and again.attempts == 0 and again.sent_at is None


def test_a_message_with_a_single_use_link_is_not_shown(client, demo_data):
    [message] = undelivered(secret=True, body="Open https://portal/invitations/SECRET")
    client.sign_in("people-sam")
    page = client.page("/people-services/e-mail")
    assert "SECRET" not in page.response.get_data(as_text=True)
    assert "holds a single-use link" in page.soup.find(id=f"message-{message.id}").get_text()


@pytest.mark.parametrize("subject, status", [("staff-alex", 403), ("admin-jo", 403),
                                             ("manager-priya", 403), ("host-maria", 403)])
def test_only_people_services_reach_the_page_and_the_button(client, demo_data, subject,
                                                            status):
    [message] = undelivered()
    client.sign_in(subject)
    assert client.get("/people-services/e-mail").status_code == status
    token = client.csrf_token("/home")
    answer = client.post(f"/people-services/e-mail/{message.id}/send-again",
                         data={"csrf_token": token})
    assert answer.status_code == status
    db.session.expire_all()
    assert db.session.get(OutboxMessage, message.id).failed_at is not None


def test_anonymous_visitors_are_sent_to_sign_in(client, demo_data):
    answer = client.get("/people-services/e-mail")
    assert answer.status_code == 302 and "/sign-in" in answer.location


def test_sending_again_needs_the_forms_token_and_a_real_message(client, demo_data):
    [message] = undelivered()
    client.sign_in("people-sam")
    assert client.post(f"/people-services/e-mail/{message.id}/send-again").status_code == 400
    token = client.csrf_token("/people-services/e-mail")
    assert client.post("/people-services/e-mail/999999/send-again",
                       data={"csrf_token": token}).status_code == 404
    db.session.expire_all()
    assert db.session.get(OutboxMessage, message.id).failed_at is not None


def test_the_list_is_paged_with_a_constant_number_of_queries(client, demo_data):
    client.sign_in("people-sam")
    undelivered(3, subject="few")
    with count_queries() as few:
        client.page("/people-services/e-mail")
    undelivered(60, subject="many")
    with count_queries() as many:
        page = client.page("/people-services/e-mail")
    assert len(many) == len(few)
    assert len(page.select(".govuk-summary-card")) == 25
    assert page.soup.select_one(".govuk-pagination__next a")["href"].endswith("page=2")
    last = client.page("/people-services/e-mail?page=3")
    assert len(last.select(".govuk-summary-card")) == 13
    assert db.session.scalar(select(OutboxMessage.id).where(
        OutboxMessage.failed_at.is_(None))) is None


def test_home_tells_people_services_what_was_not_delivered(client, demo_data):
    client.sign_in("people-sam")
    assert "could not be delivered" not in client.page("/home").text
    undelivered(3)

    link = client.page("/home").soup.find("a", string="3 e-mails could not be delivered")

    assert link["href"] == "/people-services/e-mail"
    client.sign_out()
    client.sign_in("staff-alex")
    assert "could not be delivered" not in client.page("/home").text
