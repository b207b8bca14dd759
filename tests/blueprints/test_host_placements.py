"""A host organisation's contact and their organisation's placements: the list (only
theirs, paged, in a constant number of queries), what waits on them on their home page,
confirming the details and naming the host manager or proposing corrections, and their
access ending at once when People Services revoke it."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from portal.extensions import db
from portal.models import AuditEvent, OutboxMessage, User
from portal.models.placements import Placement, PlacementStatus
from portal.permissions import Role
from portal.services import host_contacts, invitations, placements
from portal.services.placements import contacts
from tests.factories import make_organisation, make_placement, make_user
from tests.helpers import Page, count_queries, post_form


def sign_in_contact(client, officer, organisation, subject: str, name: str) -> User:
    """The contact's whole way in: the invitation's link, then their partner sign-in."""
    token = invitations.invite(officer, organisation, name, f"{subject}@partner.example")
    client.page(f"/invitations/{token}")
    assert client.sign_in(subject, provider="partner").status_code == 302
    return db.session.scalar(select(User).where(User.subject == subject))


def incoming(officer, sending, name: str, **terms) -> Placement:
    """A secondee coming in from `sending`, which is then the placement's other
    organisation."""
    from tests.factories import placement_terms

    return placements.create_direct(officer, placement_terms(**terms) | {
        "kind": "incoming", "partner_organisation_id": sending.id, "secondee_name": name,
        "secondee_email": f"{name.split()[0].lower()}@sending.example",
        "not_contractor": True, "signatory_email": officer.email})


def to_signing(cast, placement: Placement) -> Placement:
    """Confirmed by its contact, sent to legal, ratified: the parties sign now."""
    placements.confirm_details(cast["contact_user"], placement, host_manager_name="Hugh Host",
                               host_manager_email="hugh@lakes.example",
                               expected_version=placement.version)
    placements.send_to_legal(cast["officer"], placement, expected_version=placement.version)
    placements.ratify(cast["lawyer"], placement, expected_version=placement.version)
    return placement


@pytest.fixture
def cast(app, identity_providers):
    lakes = make_organisation("Lakes National Park Authority")
    other = make_organisation("Fells Water Board")
    manager = make_user("Mo Manager")
    officer = make_user("Pat People", roles=[Role.STAFF, Role.PEOPLE_SERVICES])
    return {
        "lakes": lakes, "other": other, "officer": officer, "manager": manager,
        # Sam signs in through the organisation's provider as "sam-secondee".
        "secondee": make_user("Sam Secondee", line_manager=manager,
                              issuer=identity_providers["staff"], subject="sam-secondee"),
        "lawyer": make_user("Lee Legal", roles=[Role.STAFF, Role.LEGAL]),
    }


@pytest.fixture
def contact(cast, client):
    """Hana, the contact for Lakes, signed in on `client`."""
    cast["contact_user"] = sign_in_contact(client, cast["officer"], cast["lakes"],
                                           "hana-at-lakes", "Hana Host")
    return cast["contact_user"]


def test_the_list_shows_only_the_organisations_own_placements(cast, contact, client):
    going = make_placement(cast["officer"], cast["secondee"], partner=cast["lakes"],
                           title="Visitor data lead")
    coming = incoming(cast["officer"], cast["lakes"], "Ines Incoming", title="Ranger fellow")
    make_placement(cast["officer"], cast["secondee"], partner=cast["other"],
                   title="Reservoir planner")
    make_placement(cast["officer"], cast["secondee"], kind="internal", title="Internal move")

    home = client.page("/")
    menu = home.soup.select_one(".govuk-service-navigation")
    assert menu.find("a", href="/host/placements").get_text(strip=True) == "Placements"
    page = client.page("/host/placements")
    assert page.soup.select_one(".govuk-service-navigation [aria-current]").get_text(
        strip=True) == "Placements"

    rows = [tr.get_text(" ", strip=True) for tr in page.select("tbody tr")]
    assert len(rows) == 2
    assert "Visitor data lead" in rows[0] and "Proposed" in rows[0]
    assert contacts.CONFIRM in rows[0]
    assert "Ranger fellow" in rows[1] and "Ines Incoming" in rows[1]
    assert "Reservoir planner" not in page.text and "Internal move" not in page.text
    confirm = next(a for a in page.select("tbody a") if contacts.CONFIRM in a.get_text())
    assert confirm["href"] == f"/placements/{going.id}/confirm"
    assert {a["href"] for a in page.select("tbody td:first-child a")} == {
        f"/placements/{going.id}", f"/placements/{coming.id}"}


def test_the_list_is_for_host_contacts_only(cast, client):
    make_placement(cast["officer"], cast["secondee"], partner=cast["lakes"])
    # The secondee of one of its placements is no contact of the organisation.
    client.sign_in("sam-secondee", provider="staff")
    assert client.get("/host/placements").status_code == 403
    assert db.session.scalar(select(AuditEvent.id).where(
        AuditEvent.action == "access.refused"))


def test_the_list_is_paged_in_a_constant_number_of_queries(cast, contact, client):
    def queries(url: str) -> int:
        with count_queries() as statements:
            assert client.get(url).status_code == 200
        return len(statements)

    make_placement(cast["officer"], cast["secondee"], partner=cast["lakes"])
    one = queries("/host/placements")
    for n in range(contacts.PER_PAGE + 4):
        make_placement(cast["officer"], cast["secondee"], partner=cast["lakes"],
                       title=f"Role {n:02d}")
    full = client.page("/host/placements")
    assert len(full.select("tbody tr")) == contacts.PER_PAGE
    assert f"{contacts.PER_PAGE + 5} placements" in full.text
    assert queries("/host/placements") == one
    second = client.page("/host/placements?page=2")
    assert len(second.select("tbody tr")) == 5
    # A page past the end, or no number at all, is the nearest real page.
    assert len(client.page("/host/placements?page=99").select("tbody tr")) == 5
    assert len(client.page("/host/placements?page=x").select("tbody tr")) == contacts.PER_PAGE


def test_the_home_page_lists_what_waits_on_the_contact_bounded(cast, contact, client):
    assert "Nothing needs your organisation" in client.page("/home").text
    first = make_placement(cast["officer"], cast["secondee"], partner=cast["lakes"],
                           title="Visitor data lead")
    signing = to_signing(cast, make_placement(
        cast["officer"], cast["secondee"], partner=cast["lakes"], title="Trail surveyor",
        start_date=first.start_date - timedelta(days=1),
        end_date=first.end_date - timedelta(days=1)))
    assert signing.status == PlacementStatus.SIGNING

    page = client.page("/home")

    links = {a.get_text(" ", strip=True): a["href"] for a in page.select("main a")}
    sign = next(text for text in links if text.startswith(contacts.SIGN))
    assert "Trail surveyor" in sign
    # The agreement's own signing page once it is there, the placement's until then.
    assert links[sign] in (f"/placements/{signing.id}/sign", f"/placements/{signing.id}")
    confirm = next(text for text in links if text.startswith(contacts.CONFIRM))
    assert links[confirm] == f"/placements/{first.id}/confirm"
    assert links["See all your organisation's placements"] == "/host/placements"

    # Once the contact has signed, the agreement waits on the others, not on them.
    placements.sign(contact, signing, shown_sha256=signing.current_agreement.pdf_sha256,
                    issuer=contact.issuer, expected_version=signing.version)
    assert not any(a.get_text().startswith(contacts.SIGN)
                   for a in client.page("/home").select("main a"))

    for n in range(6):
        make_placement(cast["officer"], cast["secondee"], partner=cast["lakes"],
                       title=f"Role {n}")
    page = client.page("/home")
    waiting = [a for a in page.select("main a") if a.get_text().startswith(
        (contacts.CONFIRM, contacts.SIGN))]
    assert len(waiting) == 5
    assert "And 2 more: see your organisation's placements" in page.text
    # However many wait, the section costs the same queries.
    with count_queries() as few:
        client.get("/home")
    for _ in range(10):
        make_placement(cast["officer"], cast["secondee"], partner=cast["lakes"])
    with count_queries() as many:
        assert "And 12 more" in client.page("/home").text
    assert len(many) == len(few)


# --- confirming the details -------------------------------------------------------------

def test_the_contact_confirms_and_names_the_host_manager(cast, contact, client):
    placement = make_placement(cast["officer"], cast["secondee"], partner=cast["lakes"])
    url = f"/placements/{placement.id}/confirm"
    form = client.page(url)
    assert form.h1 == "Confirm the placement of Sam Secondee"
    assert "Kendal" in form.text

    answer = post_form(client, url, {"answer": "confirm", "host_manager_name": "Hugh Host",
                                     "host_manager_email": "hugh@lakes.example",
                                     "comment": "ignored", "status": "active"})

    done = answer.get_data(as_text=True)
    assert answer.status_code == 200 and "Details confirmed" in done
    db.session.expire_all()
    placement = db.session.get(Placement, placement.id)
    assert placement.host_confirmed_by_id == contact.id
    assert placement.host_manager_name == "Hugh Host"
    assert placement.host_comment == "" and placement.status == PlacementStatus.PROPOSED
    told = db.session.scalar(select(OutboxMessage).where(
        OutboxMessage.template == "placement_confirmed"))
    assert told is not None
    assert db.session.scalar(select(AuditEvent.id).where(
        AuditEvent.action == "placement.confirm_details"))
    assert "Hana Host confirmed these details on" in client.page(f"/placements/{placement.id}"
                                                                  "/confirm").text
    # Nothing waits on the contact for it any more.
    row = client.page("/host/placements").select("tbody tr")[0].get_text(" ", strip=True)
    assert contacts.CONFIRM not in row


@pytest.mark.parametrize("data, field, message", [
    ({}, "answer", "Select whether you confirm the details or propose corrections"),
    ({"answer": "confirm", "host_manager_email": "hugh@lakes.example"},
     "host_manager_name", "Enter the name of the host manager"),
    ({"answer": "confirm", "host_manager_name": "Hugh Host", "host_manager_email": "hugh"},
     "host_manager_email", "Enter an e-mail address in the correct format"),
    ({"answer": "correct", "comment": "  "}, "comment", "Say what needs correcting"),
    ({"answer": "correct", "comment": "x" * 2001}, "comment", "2,000 characters or fewer"),
    ({"answer": "confirm", "host_manager_name": "Hugh\x00Host",
      "host_manager_email": "hugh@lakes.example"}, "host_manager_name", "hidden characters"),
    ({"answer": "maybe"}, "answer", "Not a valid choice"),
])
def test_bad_answers_are_refused_next_to_their_field(cast, contact, client, data, field,
                                                     message):
    placement = make_placement(cast["officer"], cast["secondee"], partner=cast["lakes"])
    version = placement.version

    answer = post_form(client, f"/placements/{placement.id}/confirm", data)

    assert answer.status_code == 200
    from tests.helpers import Page

    page = Page(answer)
    assert page.title.startswith("Error: ")
    group = page.soup.find(id=field) or page.soup.find(attrs={"name": field})
    assert group is not None
    errors = " ".join(e.get_text(" ", strip=True) for e in page.select(".govuk-error-message"))
    assert message in errors
    db.session.expire_all()
    placement = db.session.get(Placement, placement.id)
    assert placement.version == version and placement.host_confirmed_at is None
    assert placement.host_comment == ""


def test_the_contact_proposes_corrections(cast, contact, client):
    placement = make_placement(cast["officer"], cast["secondee"], partner=cast["lakes"])
    url = f"/placements/{placement.id}/confirm"

    answer = post_form(client, url, {"answer": "correct", "host_manager_name": "",
                                     "comment": "The start is a week later: 3 March. "
                                                "<script>alert(1)</script>"})

    assert answer.status_code == 200 and "Corrections sent" in answer.get_data(as_text=True)
    db.session.expire_all()
    placement = db.session.get(Placement, placement.id)
    assert placement.host_comment.startswith("The start is a week later: 3 March.")
    assert placement.host_confirmed_at is None
    told = db.session.scalar(select(OutboxMessage).where(
        OutboxMessage.template == "placement_corrections"))
    assert told is not None and "3 March" in told.body
    again = client.page(url)
    assert "3 March" in again.text and not again.soup.find("script", string="alert(1)")
    waiting = client.page(f"/placements/{placement.id}").text
    assert "consider the corrections" in waiting


def test_confirming_is_for_the_contact_only(cast, contact, client, make_client):
    placement = make_placement(cast["officer"], cast["secondee"], partner=cast["lakes"])
    url = f"/placements/{placement.id}/confirm"
    other = make_client()
    sign_in_contact(other, cast["officer"], cast["other"], "fen-at-fells", "Fen Fells")
    assert other.get(url).status_code == 404
    stranger = make_client()
    stranger.sign_in("someone-new", provider="staff")
    # Someone the placement does not concern: its existence is private.
    assert stranger.get(url).status_code == 404
    assert client.get("/placements/999999/confirm").status_code == 404
    # The secondee sees the placement, but confirming is its other organisation's.
    secondee = make_client()
    secondee.sign_in("sam-secondee", provider="staff")
    assert secondee.get(f"/placements/{placement.id}").status_code == 200
    assert secondee.get(url).status_code == 403
    assert post_form(secondee, url, {"answer": "confirm"}, from_url=f"/placements/{placement.id}"
                     ).status_code in (400, 403)


def test_once_with_legal_the_details_are_settled(cast, contact, client):
    placement = make_placement(cast["officer"], cast["secondee"], partner=cast["lakes"])
    url = f"/placements/{placement.id}/confirm"
    token_page = client.page(url)
    placements.confirm_details(contact, placement, host_manager_name="Hugh Host",
                               host_manager_email="hugh@lakes.example",
                               expected_version=placement.version)
    placements.send_to_legal(cast["officer"], placement, expected_version=placement.version)

    page = client.page(url, status=409)
    assert "cannot be done now" in page.text.lower()
    token = token_page.soup.find("input", {"name": "csrf_token"})["value"]
    answer = client.post(url, data={"csrf_token": token, "answer": "correct",
                                    "comment": "Too late", "version": "1"})
    assert answer.status_code == 409
    db.session.expire_all()
    assert db.session.get(Placement, placement.id).host_comment == ""


def test_a_form_opened_before_a_change_is_not_applied(cast, contact, client):
    placement = make_placement(cast["officer"], cast["secondee"], partner=cast["lakes"])
    url = f"/placements/{placement.id}/confirm"
    page = client.page(url)
    placements.propose_corrections(contact, placement, "Wrong location",
                                   expected_version=placement.version)

    answer = client.post(url, data={
        "csrf_token": page.soup.find("input", {"name": "csrf_token"})["value"],
        "version": page.soup.find("input", {"name": "version"})["value"],
        "answer": "confirm", "host_manager_name": "Hugh Host",
        "host_manager_email": "hugh@lakes.example"})

    assert answer.status_code == 409
    db.session.expire_all()
    assert db.session.get(Placement, placement.id).host_confirmed_at is None


# --- revoking -----------------------------------------------------------------------------

def test_a_revoked_contact_is_out_at_once_and_cannot_sign_in_again(cast, contact, client):
    placement = make_placement(cast["officer"], cast["secondee"], partner=cast["lakes"])
    url = f"/placements/{placement.id}"
    assert client.get(url).status_code == 200

    host_contacts.revoke(cast["officer"], contact)

    answer = client.get(url)
    assert answer.status_code == 302 and answer.location.startswith("/sign-in")
    assert client.get(f"{url}/confirm").status_code == 302
    assert client.sign_in("hana-at-lakes", provider="partner").status_code != 302
    assert client.get("/host/placements").status_code == 302
    db.session.expire_all()
    assert not contacts.partner_contacts(db.session.get(Placement, placement.id))


# --- the invitation ------------------------------------------------------------------------

def test_the_invitation_says_what_contacts_do_now(cast, client, caplog):
    with caplog.at_level("INFO", logger="portal.notifications"):
        token = invitations.invite(cast["officer"], cast["lakes"], "Rae Ranger",
                                   "rae@lakes.example")
    page = client.page(f"/invitations/{token}")
    # The e-mail, as delivered (its stored copy is erased: it held a single-use link).
    email = " ".join(caplog.text.split())
    for text in (page.text, email):
        assert "confirm the details of each placement" in text
        assert "name the host manager" in text
        assert "sign the secondment agreement" in text
    assert db.session.scalar(select(func.count()).select_from(OutboxMessage)) == 1


# --- the rule behind every list ----------------------------------------------------------

def test_the_lists_query_picks_exactly_the_placements_whose_other_organisation_it_is(cast):
    """The SQL of the lists and the placement's own `external_organisation_id` (which
    the pages' access check reads) say the same for every kind of placement."""
    officer, lakes, other = cast["officer"], cast["lakes"], cast["other"]
    made = [
        make_placement(officer, cast["secondee"], partner=lakes),
        make_placement(officer, cast["secondee"], partner=lakes, kind="international",
                       country="France", **{field: "Agreed" for field in (
                           "accommodation", "subsistence", "travel", "insurance")}),
        make_placement(officer, cast["secondee"], partner=other),
        make_placement(officer, cast["secondee"], kind="internal"),
        incoming(officer, lakes, "Ines Incoming"),
        incoming(officer, other, "Ivo Inbound"),
    ]
    contact = make_user("Hana Host", organisation=lakes, roles=[Role.HOST_CONTACT])

    listed = {p.id for p in contacts.organisation_placements(contact).items}

    assert listed == {p.id for p in made if p.external_organisation_id == lakes.id}
    assert len(listed) == 3
    # Anyone but an enabled contact of an external organisation has no such list.
    for person in (cast["officer"], make_user(organisation=lakes, roles=[Role.HOST_CONTACT],
                                              enabled=False)):
        with pytest.raises(PermissionError):
            contacts.organisation_placements(person)
        with pytest.raises(PermissionError):
            contacts.things_waiting(person)


def test_the_sending_organisation_confirms_an_incoming_placement_naming_no_host_manager(
        cast, contact, client):
    """Coming in, the host manager is here: the sending organisation's contact confirms
    the dates and place, and is not asked to name one of their own people."""
    coming = incoming(cast["officer"], cast["lakes"], "Ines Incoming", title="Ranger fellow")
    url = f"/placements/{coming.id}/confirm"
    page = client.page(url)
    assert "name the person at your organisation" not in page.text
    assert page.soup.find("input", {"name": "host_manager_name"}) is None
    answer = post_form(client, url, {"answer": "confirm", "host_manager_name": "Someone There",
                                     "host_manager_email": "someone@lakes.example"})
    assert answer.status_code == 200
    assert Page(answer).error_messages() == []
    db.session.expire_all()
    coming = db.session.get(Placement, coming.id)
    assert coming.host_confirmed_by_id == contact.id
    assert (coming.host_manager_name, coming.host_manager_email) == ("", "")
