"""The agreement's pages (R7): legal's list, ratifying or sending back with comments,
each party signing the exact PDF they were shown, the executed and sealed agreement,
People Services reopening the terms, and the printable page of the version as issued.
Refusals: 404 for people the placement is private from, 403 for people who see it but
are not the action's actor."""

import hashlib
import io

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from portal.extensions import db
from portal.models.placements import AgreementStatus, AgreementVersion, Placement
from portal.models.placements import PlacementStatus as P
from portal.services import placements
from portal.services.pdf import check_seal
from tests.factories import make_placement
from tests.helpers import Page, count_queries, persona, post_form

SUBJECTS = ("staff-alex", "manager-priya", "head-david", "people-sam", "legal-ruth",
            "board-george", "host-maria")


@pytest.fixture
def as_(make_client, demo_data):
    """A signed-in browser per persona, made on first use."""
    clients = {}

    def client_for(subject):
        if subject not in clients:
            clients[subject] = make_client()
            clients[subject].sign_in(subject)
        return clients[subject]
    return client_for


@pytest.fixture
def people(as_):
    """The personas; People Services and legal signed in, which gives them their roles
    (from their groups at the identity provider)."""
    as_("people-sam")
    as_("legal-ruth")
    return {s: persona(s) for s in SUBJECTS}


def with_legal(people) -> Placement:
    """Alex's outgoing placement to Maria's organisation, its details confirmed by
    her, with version 1 of its agreement sent to legal."""
    maria = people["host-maria"]
    placement = make_placement(people["people-sam"], people["staff-alex"],
                               partner=maria.organisation, signatory=people["head-david"])
    placements.confirm_details(maria, placement, host_manager_name="Hugh Host",
                               host_manager_email="hugh@northshire-nhs.example",
                               expected_version=placement.version)
    placements.send_to_legal(people["people-sam"], placement,
                             expected_version=placement.version)
    return placement


def ratified(people) -> Placement:
    placement = with_legal(people)
    placements.ratify(people["legal-ruth"], placement, expected_version=placement.version)
    return placement


def fresh(placement_id: int) -> Placement:
    db.session.expire_all()
    return db.session.get(Placement, placement_id)


def test_legal_see_what_waits_for_them_read_it_as_issued_and_ratify_it(people, as_):
    placement = with_legal(people)
    pid = placement.id
    issued = placement.current_agreement.document.html
    ruth = as_("legal-ruth")
    listed = ruth.page("/agreements")
    assert listed.h1 == "Agreements to ratify"
    assert "Alex Morgan" in listed.text and "Northshire NHS Foundation Trust" in listed.text
    assert any(a.get_text(strip=True) == "Agreements" for a in listed.select("nav a"))
    as_("staff-alex").page("/agreements", status=403)

    # The page is the version as issued, with the portal's panel after its <body>.
    page = ruth.page(f"/placements/{pid}/agreement")
    html = page.response.get_data(as_text=True)
    panel_start = html.index('<aside class="document-screen-links"')
    panel_end = html.index("</aside>", panel_start) + len("</aside>")
    assert html[:panel_start] + html[panel_end:] == issued
    assert placement.current_agreement.pdf_sha256 in page.text
    assert f"/placements/{pid}/agreement/ratify" in html

    # Before legal ratify it, nobody signs.
    before = as_("staff-alex").page(f"/placements/{pid}/sign")
    assert "Legal have not ratified this agreement yet" in before.text
    assert not before.select("input[name=confirm]")

    # Alex sees the placement but does not ratify; George is nothing to it.
    as_("staff-alex").page(f"/placements/{pid}/agreement/ratify", status=403)
    as_("board-george").page(f"/placements/{pid}/agreement/ratify", status=404)
    as_("board-george").page(f"/placements/{pid}/agreement", status=404)

    confirm = ruth.page(f"/placements/{pid}/agreement/ratify")
    assert confirm.h1 == "Ratify the agreement for Alex Morgan?"
    assert placement.current_agreement.pdf_sha256 in confirm.text
    answer = post_form(ruth, f"/placements/{pid}/agreement/ratify", {})
    assert answer.status_code == 302
    placement = fresh(pid)
    assert placement.status == P.SIGNING
    assert placement.current_agreement.status == AgreementStatus.RATIFIED
    after = ruth.page(f"/placements/{pid}/agreement")
    assert "Agreement ratified" in after.text
    # Ratified once: the page says why it cannot be done again, and a post is refused.
    again = ruth.page(f"/placements/{pid}/agreement/ratify")
    assert "cannot be done" in again.text and not again.select("main form")
    token = again.soup.find("meta", {"name": "csrf-token"})
    refused = ruth.post(f"/placements/{pid}/agreement/ratify", data={
        "csrf_token": token["content"] if token else ruth.csrf_token("/"),
        "version": placement.version})
    assert refused.status_code == 409


def test_legal_send_it_back_only_with_comments(people, as_):
    pid = with_legal(people).id
    ruth = as_("legal-ruth")
    url = f"/placements/{pid}/agreement/return"
    as_("staff-alex").page(url, status=403)
    as_("board-george").page(url, status=404)
    blank = Page(post_form(ruth, url, {"comments": "  "}))
    assert blank.title.startswith("Error: ")
    assert blank.error_messages() == [
        "Error: Enter what needs to change before legal can ratify the agreement"]
    assert fresh(pid).status == P.WITH_LEGAL
    answer = post_form(ruth, url, {"comments": "Clause 5: say who pays travel."})
    assert answer.status_code == 302
    placement = fresh(pid)
    assert placement.status == P.PROPOSED
    version = placement.agreements[-1]
    assert version.status == AgreementStatus.RETURNED
    assert version.legal_comments == "Clause 5: say who pays travel."


def test_each_party_signs_the_pdf_they_were_shown_and_the_last_signature_seals_it(
        people, as_):
    pid = ratified(people).id
    url = f"/placements/{pid}/sign"
    as_("manager-priya").page(url, status=403)   # sees the placement, signs nothing
    as_("board-george").page(url, status=404)

    alex = as_("staff-alex")
    page = alex.page(url)
    version = fresh(pid).current_agreement
    assert "version 1" in page.text and version.pdf_sha256 in page.text
    assert "You sign version 1 for: The secondee" in page.text
    assert "Alex Morgan, signed in through Example Council's staff sign-in" in page.text
    assert page.select("input[name=confirm]")
    shown = alex.get(f"/placements/{pid}/agreement.pdf").data

    unticked = Page(post_form(alex, url, {}))
    assert unticked.error_messages() == ["Error: Confirm that you have read version 1 "
                                         "and sign it"]
    other = post_form(alex, url, {"confirm": "y", "sha256": "0" * 64})
    assert other.status_code == 409
    moved = post_form(alex, url, {"confirm": "y", "version": "0"})
    assert moved.status_code == 409 and "changed" in Page(moved).text
    assert fresh(pid).current_agreement.signatures == []

    assert post_form(alex, url, {"confirm": "y"}).status_code == 302
    signature = fresh(pid).current_agreement.signatures[0]
    assert signature.sha256 == hashlib.sha256(shown).hexdigest()
    assert signature.signer_id == people["staff-alex"].id and signature.issuer
    assert "You have already signed version 1" in alex.page(url).text

    for subject in ("head-david", "host-maria"):
        client = as_(subject)
        shown = client.get(f"/placements/{pid}/agreement.pdf").data
        assert post_form(client, url, {"confirm": "y"}).status_code == 302
        assert fresh(pid).current_agreement.signatures[-1].sha256 == \
            hashlib.sha256(shown).hexdigest()

    placement = fresh(pid)
    assert placement.status == P.READY
    assert placement.current_agreement.status == AgreementStatus.EXECUTED
    executed = alex.get(f"/placements/{pid}/agreement.pdf").data
    assert executed == placement.current_agreement.executed_pdf
    sealed = check_seal(executed)
    assert sealed.intact and sealed.trusted
    signature_page = " ".join(" ".join((page.extract_text() or "").split())
                              for page in PdfReader(io.BytesIO(executed)).pages[-2:])
    for signed in ("Alex Morgan", "David Okafor", "Maria Lopez",
                   "Example Council's staff sign-in", "the partner organisations' sign-in"):
        assert signed in signature_page, signed
    changed = bytearray(executed)
    changed[len(changed) // 3] ^= 0x01
    assert not check_seal(bytes(changed)).intact
    assert "Signed by every party" in alex.page(f"/placements/{pid}/agreement").text


def test_people_services_reopen_the_terms_and_earlier_signatures_are_void(people, as_):
    placement = ratified(people)
    pid = placement.id
    placements.sign(people["staff-alex"], placement,
                    shown_sha256=placement.current_agreement.pdf_sha256,
                    issuer="https://staff", expected_version=placement.version)
    url = f"/placements/{pid}/agreement/reopen"
    as_("staff-alex").page(url, status=403)
    as_("board-george").page(url, status=404)
    sam = as_("people-sam")
    confirm = sam.page(url)
    assert "will be superseded and its 1 signature void" in confirm.text
    assert "You cannot undo this" in confirm.text
    assert post_form(sam, url, {}).status_code == 302
    placement = fresh(pid)
    assert placement.status == P.PROPOSED and placement.current_agreement is None
    assert placement.agreements[0].status == AgreementStatus.SUPERSEDED
    earlier = sam.page(f"/placements/{pid}/agreement")
    assert "Superseded" in earlier.text and "(void)" in earlier.text
    assert "cannot be done while the placement is proposed" in sam.page(url).text
    nothing = as_("staff-alex").page(f"/placements/{pid}/sign")
    assert "there is nothing to sign until legal ratify the next version" in nothing.text

    # A later version goes to legal: the old signature counts for nothing on it.
    placements.confirm_details(people["host-maria"], placement, host_manager_name="Hugh",
                               host_manager_email="hugh@northshire-nhs.example",
                               expected_version=placement.version)
    second = placements.send_to_legal(people["people-sam"], placement,
                                      expected_version=placement.version)
    placements.ratify(people["legal-ruth"], placement, expected_version=placement.version)
    assert second.number == 2 and second.signatures == []
    assert placements.signing_parties(people["staff-alex"], placement) == ["secondee"]
    rows = [row.get_text(" ", strip=True) for row in
            sam.page(f"/placements/{pid}/agreement").select("aside tbody tr")]
    assert rows[0].startswith("Version 2 (current)") and "Ratified" in rows[0]
    assert rows[1].startswith("Version 1") and "Superseded" in rows[1]
    assert "Alex Morgan" in rows[1] and "(void)" in rows[1] and "(void)" not in rows[0]


def test_a_stored_copy_that_no_longer_matches_is_not_shown(people, as_, monkeypatch):
    pid = with_legal(people).id
    from portal.services import documents

    monkeypatch.setattr(documents, "intact", lambda document: False)
    page = as_("legal-ruth").page(f"/placements/{pid}/agreement")
    assert "cannot be shown" in page.text
    assert "Secondment agreement" not in page.h1


def test_legals_list_is_paged_and_costs_the_same_queries_for_more_agreements(
        people, as_):
    ruth = as_("legal-ruth")
    with_legal(people)
    ruth.page("/agreements")
    with count_queries() as few:
        ruth.page("/agreements")
    for _ in range(3):
        with_legal(people)
    with count_queries() as more:
        listed = ruth.page("/agreements")
    assert listed.text.count("Alex Morgan") == 4
    assert len(more) == len(few)
    first, second = (placements.waiting_for_legal(page=n, per_page=3) for n in (1, 2))
    assert first.total == 4 and first.pages == 2
    assert len(first.items) == 3 and len(second.items) == 1
    assert not {v.id for v in first.items} & {v.id for v in second.items}
    waiting = db.session.scalars(select(AgreementVersion)).all()
    assert {v.id for v in first.items + second.items} == {v.id for v in waiting}
