"""Tenant isolation between external organisations (issue 11's quality bar).

Two host organisations, each with a contact signed in through the partner provider and
placements of its own, their ids interleaved as a database hands them out. Neither
contact can read, list, export, download, guess, sign or confirm anything of the
other's: every attempt on the other's placement, or on an id no placement has, is a
404 and is written to the audit trail.

The routes are read from the URL map, not listed here: every route that takes a
placement id (the placements and host blueprints', and any other's), GET and POST with
a valid CSRF token and a plausible form; every placements or host route without one
must refuse a contact (403/404) or show only their own organisation's rows. A page
added later is covered without editing this test.
"""

import re

import pytest
from sqlalchemy import func, select

from portal.extensions import db
from portal.models import AuditEvent, User
from portal.models.placements import AgreementSignature, Placement
from portal.permissions import Role
from portal.services import placements
from tests.blueprints.test_host_placements import incoming, sign_in_contact
from tests.conftest import make_config, running_app
from tests.factories import make_organisation, make_placement, make_user

BLUEPRINTS = ("placements.", "host.")


class World:
    def __init__(self, app, clients, ids, secret_words, officer):
        self.app, self.clients, self.ids = app, clients, ids
        self.secret_words, self.officer = secret_words, officer


def _ready_to_sign(placement, contact, officer, lawyer):
    placements.confirm_details(contact, placement, host_manager_name="Hugh Host",
                               host_manager_email="hugh@host.example",
                               expected_version=placement.version)
    placements.send_to_legal(officer, placement, expected_version=placement.version)
    placements.ratify(lawyer, placement, expected_version=placement.version)


@pytest.fixture(scope="module")
def world(database_url, identity_providers):
    with running_app(make_config(database_url, identity_providers)) as app:
        officer = make_user("Pat People", roles=[Role.STAFF, Role.PEOPLE_SERVICES])
        lawyer = make_user("Lee Legal", roles=[Role.STAFF, Role.LEGAL])
        orgs = {"a": make_organisation("Lakes National Park Authority"),
                "b": make_organisation("Fells Water Board")}
        secondees = {"a": make_user("Sam Secondee", line_manager=make_user("Mo Manager")),
                     "b": make_user("Bea Bystander", line_manager=make_user("Max Manager"))}
        clients, contacts = {}, {}
        for side, subject in (("a", "hana-at-lakes"), ("b", "fen-at-fells")):
            clients[side] = app.test_client()
            contacts[side] = sign_in_contact(clients[side], officer, orgs[side], subject,
                                             subject.split("-")[0].title())
        ids = {"a": [], "b": []}
        # Interleaved, so that each organisation's ids sit next to the other's.
        for n in range(2):
            for side in ("a", "b"):
                placement = make_placement(officer, secondees[side], partner=orgs[side],
                                           title=f"{orgs[side].name.split()[0]} role {n}")
                if n == 1:
                    _ready_to_sign(placement, contacts[side], officer, lawyer)
                ids[side].append(placement.id)
        ids["a"].append(incoming(officer, orgs["a"], "Ines Incoming",
                                 title="Lakes incoming fellow").id)
        ids["b"].append(incoming(officer, orgs["b"], "Ivo Inbound",
                                 title="Fells incoming fellow").id)
        ids["none"] = [db.session.scalar(select(func.max(Placement.id))) + 1]
        # What of each side's must never reach the other: names and titles.
        secret_words = {"a": ["Sam Secondee", "Ines Incoming", "Lakes role", "Lakes incoming"],
                        "b": ["Bea Bystander", "Ivo Inbound", "Fells role", "Fells incoming"]}
        # Held for the module: a commit would otherwise expire them between tests.
        world = World(app, clients, ids, secret_words, officer)
        world.contacts = contacts
        yield world


def _url(app, rule, placement_id: int | None) -> str:
    values = {}
    for name in rule.arguments:
        if name == "placement_id":
            values[name] = placement_id
        elif re.search(rf"<int(\([^)]*\))?:{name}>", rule.rule):
            values[name] = 1
        else:
            values[name] = "x"
    return app.url_map.bind("localhost").build(rule.endpoint, values)


def _routes(app, with_placement_id: bool):
    for rule in app.url_map.iter_rules():
        takes_id = "placement_id" in rule.arguments
        if with_placement_id and takes_id:
            yield rule
        elif not with_placement_id and not takes_id and rule.endpoint.startswith(BLUEPRINTS):
            yield rule


def _methods(rule):
    return sorted({"GET", "POST"} & set(rule.methods))


def _form(client, placement: Placement | None) -> dict:
    """A form as a page of the placement would post it: valid CSRF token, the current
    version, and an answer for every question the placements' forms ask."""
    form = {"csrf_token": client.session_csrf_token(), "answer": "confirm",
            "host_manager_name": "Mallory", "host_manager_email": "mallory@a.example",
            "comment": "Moved", "confirm": "yes", "decision": "ratify", "reason": "Because"}
    if placement is not None:
        form["version"] = str(placement.version)
        agreement = placement.current_agreement
        if agreement is not None:
            form["sha256"] = form["shown_sha256"] = agreement.pdf_sha256
    return form


def _not_found_events(contact: User) -> list[str]:
    return list(db.session.scalars(select(AuditEvent.summary).where(
        AuditEvent.action == "placement.not_found", AuditEvent.actor_id == contact.id)
        .order_by(AuditEvent.id)))


@pytest.mark.parametrize("side, other", [("a", "b"), ("b", "a")])
def test_every_placement_route_is_a_404_for_the_other_organisations_ids(world, side, other):
    client, contact = world.clients[side], world.contacts[side]
    rules = list(_routes(world.app, with_placement_id=True))
    assert {"placements.view_placement", "placements.agreement_pdf",
            "placements.confirm_placement"} <= {rule.endpoint for rule in rules}
    before = {p.id: p.version for p in db.session.scalars(select(Placement))}
    signatures = db.session.scalar(select(func.count()).select_from(AgreementSignature))
    wrong = {}
    for placement_id in world.ids[other] + world.ids["none"]:
        placement = db.session.get(Placement, placement_id)
        for rule in rules:
            url = _url(world.app, rule, placement_id)
            for method in _methods(rule):
                seen = len(_not_found_events(contact))
                if method == "GET":
                    answer = client.get(url)
                else:
                    answer = client.post(url, data=_form(client, placement))
                body = answer.get_data(as_text=True)
                db.session.expire_all()
                events = _not_found_events(contact)
                if answer.status_code != 404:
                    wrong[f"{method} {url}"] = answer.status_code
                elif len(events) != seen + 1 or not events[-1].startswith(f"{method} {url}:"):
                    wrong[f"{method} {url}"] = "404 not written to the audit trail"
                elif any(word in body for word in world.secret_words[other]):
                    wrong[f"{method} {url}"] = "404 that names the other's placement"
    assert wrong == {}
    # Nothing of the other's changed: no version moved, no signature was taken.
    after = {p.id: p.version for p in db.session.scalars(select(Placement))}
    assert after == before
    assert db.session.scalar(select(func.count()).select_from(AgreementSignature)) == signatures


@pytest.mark.parametrize("side", ["a", "b"])
def test_each_contact_reaches_their_own_placements(world, side):
    """The same routes answer the contact for their own organisation's placements: the
    404s above are the isolation, not pages that are broken for everyone."""
    client = world.clients[side]
    proposed, signing, coming = world.ids[side]
    for placement_id in (proposed, signing, coming):
        page = client.page(f"/placements/{placement_id}")
        assert not any(word in page.text for word in world.secret_words[
            "b" if side == "a" else "a"])
    assert client.page(f"/placements/{proposed}/confirm").h1.startswith("Confirm the placement")
    pdf = client.get(f"/placements/{signing}/agreement.pdf")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")


@pytest.mark.parametrize("side, other", [("a", "b"), ("b", "a")])
def test_lists_and_exports_show_a_contact_only_their_own_rows(world, side, other):
    client = world.clients[side]
    rules = list(_routes(world.app, with_placement_id=False))
    assert "host.list_placements" in {rule.endpoint for rule in rules}
    # Filters naming the other organisation are no way round it.
    query = {"organisation": world.contacts[other].organisation_id, "host": "b",
             "page": "1", "format": "csv"}
    wrong = {}
    for rule in rules:
        url = _url(world.app, rule, None)
        for method in _methods(rule):
            if method == "GET":
                answer = client.get(url, query_string=query)
            else:
                answer = client.post(url, data=_form(client, None))
            body = answer.get_data(as_text=True)
            leaked = [word for word in world.secret_words[other] if word in body]
            if answer.status_code in (403, 404, 405) or (answer.status_code < 400
                                                         and not leaked):
                continue
            wrong[f"{method} {url}"] = (answer.status_code, leaked)
    assert wrong == {}
    # The contact's own list is there, and lists every one of theirs.
    own = client.page("/host/placements").text
    assert all(word in own for word in world.secret_words[side])
    home = client.page("/home").text
    assert not any(word in home for word in world.secret_words[other])


def test_the_placement_guessed_next_is_refused_as_if_it_did_not_exist(world):
    """A contact counting up from their own ids finds the other's exactly as they find
    ids no placement has: the same 404 page, word for word."""
    client = world.clients["a"]
    theirs = client.get(f"/placements/{world.ids['b'][0]}").get_data(as_text=True)
    nobody = client.get(f"/placements/{world.ids['none'][0]}").get_data(as_text=True)

    def without_tokens(html: str) -> str:
        return re.sub(r'(nonce|value)="[^"]*"', "", html)

    assert without_tokens(theirs) == without_tokens(nobody)
