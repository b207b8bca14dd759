"""People Services look after the contacts of host organisations: the contacts listed
with when each last signed in, an invitation sent again, a contact's access revoked."""

from sqlalchemy import select

from portal.extensions import db
from portal.models import AuditEvent, HostInvitation, OutboxMessage, User
from portal.services import invitations
from tests.blueprints.test_host_invitations import officer, trust


def person(subject: str) -> User:
    return db.session.scalar(select(User).where(User.subject == subject))


def signed_in_contact(make_client):
    browser = make_client()
    assert browser.sign_in("host-maria").status_code == 302
    return browser, person("host-maria")


def post_button(client, url: str):
    token = client.page(url).soup.find("input", {"name": "csrf_token"})["value"]
    return client.post(url, data={"csrf_token": token})


def test_the_contacts_are_listed_with_when_each_last_signed_in(client, make_client,
                                                               demo_data):
    _, maria = signed_in_contact(make_client)
    client.sign_in("people-sam")

    page = client.page("/people-services/host-contacts")

    row = next(tr for tr in page.select("tr") if maria.name in tr.get_text())
    cells = [td.get_text(" ", strip=True) for td in row.select("td")]
    assert maria.email in cells[0]
    assert cells[1] == maria.organisation.name
    assert cells[2].startswith(f"{maria.last_signed_in_at.day} ") and " at " in cells[2]
    assert "Revoke access" in cells[3]


def test_revoking_a_contact_ends_their_session_at_once(client, make_client, demo_data):
    browser, maria = signed_in_contact(make_client)
    assert browser.get("/home").status_code == 200
    client.sign_in("people-sam")
    url = f"/people-services/host-contacts/{maria.id}/revoke"

    confirm = client.page(url)
    assert confirm.h1 == f"Revoke {maria.name}'s access"
    assert "signed out at once" in confirm.text
    answer = post_button(client, url)

    assert answer.status_code == 302
    assert answer.location == "/people-services/host-contacts"
    # Their open page's next request is sent to sign in; signing in again is refused.
    assert browser.get("/home").status_code == 302
    assert browser.sign_in("host-maria").status_code != 302
    event = db.session.scalar(select(AuditEvent).where(
        AuditEvent.action == "host_contact.revoked"))
    assert event.object_id == str(maria.id) and "every session ended" in event.summary
    told = db.session.scalar(select(OutboxMessage).where(
        OutboxMessage.template == "host_access_revoked"))
    assert told.recipients == maria.email and "has ended" in told.subject
    listed = client.page("/people-services/host-contacts")
    assert "Access revoked" in listed.text
    # Already revoked: nothing to do twice.
    again = client.page(url)
    assert "already been revoked" in again.text and not again.select("main form")


def test_only_a_host_contact_can_be_revoked_here(client, demo_data):
    client.sign_in("people-sam")
    alex = person("staff-alex")
    assert client.get(f"/people-services/host-contacts/{alex.id}/revoke").status_code == 404
    assert client.get("/people-services/host-contacts/999999/revoke").status_code == 404


def test_only_people_services_revoke_or_send_again(client, make_client, demo_data):
    _, maria = signed_in_contact(make_client)
    invitation_token = invitations.invite(officer(), trust(), "Rae Ranger", "rae@lakes.example")
    assert invitation_token
    invitation = db.session.scalar(select(HostInvitation))
    for subject in ("staff-alex", "admin-jo", "host-maria"):
        client.sign_in(subject)
        assert client.get(f"/people-services/host-contacts/{maria.id}/revoke"
                          ).status_code == 403, subject
        assert client.get(f"/people-services/host-contacts/invitations/{invitation.id}"
                          "/send-again").status_code == 403, subject
        client.sign_out()
    db.session.expire_all()
    assert person("host-maria").is_enabled


def test_an_invitation_sent_again_has_a_new_link_and_the_old_one_stops(client, demo_data):
    first = invitations.invite(officer(), trust(), "Rae Ranger", "rae@lakes.example")
    invitation = db.session.scalar(select(HostInvitation))
    client.sign_in("people-sam")
    url = f"/people-services/host-contacts/invitations/{invitation.id}/send-again"

    confirm = client.page(url)
    assert confirm.h1 == "Send the invitation to Rae Ranger again"
    answer = post_button(client, url)

    assert answer.status_code == 302
    messages = db.session.scalars(select(OutboxMessage).where(
        OutboxMessage.template == "host_invitation")).all()
    assert len(messages) == 2
    assert client.get(f"/invitations/{first}").status_code == 404
    assert db.session.scalar(select(AuditEvent.id).where(
        AuditEvent.action == "host_contact.invitation_resent"))


def test_an_accepted_invitation_is_not_sent_again(client, demo_data):
    invitations.invite(officer(), trust(), "Rae Ranger", "rae@lakes.example")
    invitation = db.session.scalar(select(HostInvitation))
    client.sign_in("people-sam")
    url = f"/people-services/host-contacts/invitations/{invitation.id}/send-again"
    token = client.page(url).soup.find("input", {"name": "csrf_token"})["value"]
    invitation.accepted_at = invitation.created_at
    db.session.commit()

    # Accepted while People Services had the page open: the answer says so.
    answer = client.post(url, data={"csrf_token": token})

    assert answer.status_code == 200
    assert "already accepted" in answer.get_data(as_text=True)
    assert len(db.session.scalars(select(OutboxMessage).where(
        OutboxMessage.template == "host_invitation")).all()) == 1
    assert "nothing to send again" in client.page(url).text
    assert client.get("/people-services/host-contacts/invitations/999999/send-again"
                      ).status_code == 404
