"""Contacts at external host organisations get in only through an invitation, bound to
their first partner sign-in."""

from datetime import timedelta

import time_machine
from sqlalchemy import select

from portal.extensions import db
from portal.models import HostInvitation, Organisation, User
from portal.models.base import utcnow
from portal.permissions import Role
from portal.services import invitations


def officer():
    from tests.factories import make_user

    return make_user("Pat People", roles=[Role.STAFF, Role.PEOPLE_SERVICES])


def trust():
    return db.session.scalar(select(Organisation).where(
        Organisation.name == "Lakes National Park Authority"))


def test_people_services_invite_a_contact(client, demo_data, caplog):
    client.sign_in("people-sam")
    page = client.page("/people-services/host-contacts")
    token = page.soup.find("input", {"name": "csrf_token"})["value"]
    with caplog.at_level("INFO", logger="portal.notifications"):
        answer = client.post("/people-services/host-contacts", data={
            "csrf_token": token, "organisation_id": str(trust().id), "name": "Rae Ranger",
            "email": "rae@lakes.example"})
    assert answer.status_code == 302
    invitation = db.session.scalar(select(HostInvitation))
    assert invitation.email == "rae@lakes.example" and invitation.accepted_at is None
    assert "/invitations/" in caplog.text and "rae@lakes.example" in caplog.text
    assert "Rae Ranger" in client.page("/people-services/host-contacts").text


def test_invitation_form_errors_are_next_to_their_fields(client, demo_data):
    client.sign_in("people-sam")
    page = client.page("/people-services/host-contacts")
    answer = client.post("/people-services/host-contacts", data={
        "csrf_token": page.soup.find("input", {"name": "csrf_token"})["value"],
        "organisation_id": "0", "name": "", "email": "not-an-address"})
    html = answer.get_data(as_text=True)
    assert "Select the host organisation" in html and "Enter the contact&#39;s name" in html
    assert "Enter an e-mail address in the correct format" in html
    assert db.session.scalar(select(HostInvitation)) is None


def test_only_people_services_invite(client, demo_data):
    for subject in ("staff-alex", "manager-priya", "host-maria"):
        client.sign_in(subject)
        assert client.get("/people-services/host-contacts").status_code == 403, subject
        client.sign_out()


def test_the_first_partner_sign_in_with_the_link_becomes_the_contact(client, make_client,
                                                                      demo_data):
    token = invitations.invite(officer(), trust(), "Rae Ranger", "rae@lakes.example")
    page = client.page(f"/invitations/{token}")
    assert "You have been invited" in page.h1 and "Lakes National Park Authority" in page.text

    answer = client.sign_in("rae-at-lakes", provider="partner")

    assert answer.status_code == 302
    rae = db.session.scalar(select(User).where(User.subject == "rae-at-lakes"))
    assert rae.organisation.name == "Lakes National Park Authority"
    assert rae.roles == {Role.HOST_CONTACT}
    db.session.expire_all()
    invitation = db.session.scalar(select(HostInvitation))
    assert invitation.accepted_user_id == rae.id
    assert "Nothing needs your organisation in the portal" in client.page("/home").text
    # Used once: the link no longer works, for anyone.
    assert make_client().get(f"/invitations/{token}").status_code == 404
    client.sign_out()
    assert client.sign_in("rae-at-lakes", provider="partner").status_code == 302


def test_a_second_identity_cannot_reuse_an_accepted_invitation(make_client, demo_data):
    token = invitations.invite(officer(), trust(), "Rae Ranger", "rae@lakes.example")
    first, second = make_client(), make_client()
    first.page(f"/invitations/{token}")
    second.page(f"/invitations/{token}")  # opened in two browsers before either signs in
    assert first.sign_in("rae-at-lakes", provider="partner").status_code == 302
    assert second.sign_in("mallory-at-lakes", provider="partner").status_code == 400
    assert db.session.scalar(select(User).where(User.subject == "mallory-at-lakes")) is None


def test_an_expired_invitation_lets_nobody_in(client, demo_data):
    token = invitations.invite(officer(), trust(), "Rae Ranger", "rae@lakes.example")
    with time_machine.travel(utcnow() + timedelta(days=15), tick=False):
        assert client.get(f"/invitations/{token}").status_code == 404
    client.get(f"/invitations/{token}")
    with time_machine.travel(utcnow() + timedelta(days=15), tick=False):
        assert client.sign_in("rae-at-lakes", provider="partner").status_code == 400


def test_an_unknown_token_is_not_found(client, demo_data):
    assert client.get("/invitations/not-a-real-token").status_code == 404


def test_an_invitation_is_never_accepted_through_the_staff_provider(client, demo_data):
    token = invitations.invite(officer(), trust(), "Rae Ranger", "rae@lakes.example")
    client.page(f"/invitations/{token}")
    client.sign_in("rae-at-lakes", provider="staff")
    rae = db.session.scalar(select(User).where(User.subject == "rae-at-lakes"))
    assert rae.roles == {Role.STAFF} and rae.organisation.is_own
    db.session.expire_all()
    assert db.session.scalar(select(HostInvitation)).accepted_at is None
