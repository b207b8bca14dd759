"""What the placements put on each persona's home page, from the demo placements in
every state (`portal.demo.placements`), seeded once for the module; and that each kind
of thing waiting is bounded, with the "more" line, in a constant number of queries."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from portal.extensions import db
from portal.models.placements import AgreementStatus, Placement, PlacementStatus
from portal.permissions import Role
from portal.services.opportunities import london_today
from tests.conftest import make_config, running_app
from tests.factories import make_organisation, make_placement, make_user
from tests.helpers import Page, count_queries, persona

SUBJECTS = ("people-sam", "legal-ruth", "board-george", "staff-alex", "manager-priya",
            "head-david", "host-maria", "host-omar")


# --- bounded, in a constant number of queries -----------------------------------------

@pytest.fixture
def cast(app):
    lakes = make_organisation("Lakes National Park Authority")
    officer = make_user("Pat People", roles=[Role.STAFF, Role.PEOPLE_SERVICES])
    contact = make_user("Hana Host", organisation=lakes, roles=[Role.HOST_CONTACT])
    secondee = make_user("Sue Secondee", line_manager=make_user("Mo Manager"))
    return lakes, officer, contact, secondee


def _corrected(cast, count: int) -> None:
    from portal.services import placements

    lakes, officer, contact, secondee = cast
    for _ in range(count):
        placement = make_placement(officer, secondee, partner=lakes)
        placements.propose_corrections(contact, placement, "The start is a week later.",
                                       expected_version=placement.version)


def test_people_services_see_five_of_a_kind_and_a_link_to_the_rest_in_constant_queries(
        cast, client):
    from blueprints.placements.home import waiting_on_people_services

    officer = cast[1]
    _corrected(cast, 2)
    with client.application.test_request_context():
        with count_queries() as few:
            items = waiting_on_people_services(officer)
        assert [i.text for i in items] == ["Consider the corrections proposed to Policy "
                                           "adviser (Sue Secondee)"] * 2
        _corrected(cast, 9)
        with count_queries() as many:
            items = waiting_on_people_services(officer)
    assert len(many) == len(few)
    assert len(items) == 6
    assert items[-1].text == "And 6 more: see every proposed placement"
    assert items[-1].href == "/placements?status=proposed"
    assert items[0].href == f"/placements/{db.session.scalar(select(func.min(Placement.id)))}"


def test_for_others_the_more_line_leads_to_the_next_placement_not_shown(cast, client):
    from blueprints.placements.home import durations_to_decide
    from portal.services import placements

    lakes, officer, _, secondee = cast
    board = make_user("Bo Board", roles=[Role.STAFF, Role.RESOURCES_BOARD])
    start = london_today() + timedelta(days=30)
    for _ in range(7):
        placement = make_placement(officer, secondee, partner=lakes,
                                   end_date=start + timedelta(days=800),
                                   duration_reason="A three-season programme.")
        placements.ask_board(officer, placement, expected_version=placement.version)
    with client.application.test_request_context():
        items = durations_to_decide(board)
    ids = db.session.scalars(select(Placement.id).order_by(Placement.id)).all()
    assert len(items) == 6
    assert items[-1].text == "And 2 more: the next is Policy adviser (Sue Secondee)"
    assert items[-1].href == f"/placements/{ids[5]}"
    # Nobody decides on a placement they set up (R3).
    with client.application.test_request_context():
        assert durations_to_decide(officer) == []


# --- the demo ---------------------------------------------------------------------------
# (after the tests above: the demo's records stay for the rest of the module)

@pytest.fixture(scope="module")
def demo(database_url, identity_providers):
    from portal.demo import seed_demo_data
    from portal.demo.applications import seed_demo_applications
    from portal.demo.opportunities import seed_demo_opportunities
    from portal.demo.placements import seed_demo_placements

    with running_app(make_config(database_url, identity_providers)) as app:
        seed_demo_data(identity_providers)
        seed_demo_opportunities()
        seed_demo_applications()
        seed_demo_placements()
        homes = {}
        for subject in SUBJECTS:
            client = app.test_client()
            client.sign_in(subject)
            homes[subject] = Page(client.get("/home"))
        yield app, homes


def things_to_do(page: Page) -> list[str]:
    heading = next(h for h in page.soup.find_all("h2") if h.get_text(strip=True)
                   == "Things to do")
    listed = heading.find_next_sibling()
    return [li.get_text(" ", strip=True) for li in listed.find_all("li")] \
        if listed.name == "ul" else []


def test_the_demo_has_placements_in_every_state_with_genuine_agreements(demo):
    counts = dict(db.session.execute(
        select(Placement.status, func.count()).group_by(Placement.status)).all())
    for status in (PlacementStatus.PROPOSED, PlacementStatus.WITH_BOARD,
                   PlacementStatus.WITH_LEGAL, PlacementStatus.SIGNING,
                   PlacementStatus.READY, PlacementStatus.ACTIVE):
        assert counts.get(status), status
    part_signed = db.session.scalar(select(Placement).where(
        Placement.status == PlacementStatus.SIGNING))
    agreement = part_signed.current_agreement
    assert agreement.status == AgreementStatus.RATIFIED
    assert [s.party for s in agreement.signatures] == ["partner"]
    assert {s.sha256 for s in agreement.signatures} == {agreement.pdf_sha256}
    ready = db.session.scalar(select(Placement).where(
        Placement.status == PlacementStatus.READY))
    assert ready.current_agreement.status == AgreementStatus.EXECUTED
    assert ready.current_agreement.executed_pdf.startswith(b"%PDF")


@pytest.mark.parametrize("subject, expected", [
    ("people-sam", ["Consider the corrections proposed to Health and planning liaison",
                    "Legal returned the agreement for Budget analyst (internal)",
                    "Ask the Resources Board to approve Three-season peatland programme",
                    "Start Nadia Hussain's placement, Ranger service improvement lead"]),
    ("legal-ruth", ["Ratify or return the agreement for Peatland restoration planner"]),
    ("board-george", ["Decide on Long-term estates secondment (Owen Price)",
                      # the host manager, who manages no one
                      "Agree the informal arrangement for Tom Reid"]),
    ("staff-alex", ["Sign the agreement for Planning and health partnership officer"]),
    ("head-david", ["Sign the agreement for Planning and health partnership officer "
                    "(Alex Morgan)"]),
    ("manager-priya", ["Agree the informal arrangement for Tom Reid"]),
])
def test_each_persona_finds_what_the_placements_wait_for_from_them(demo, subject, expected):
    _, homes = demo
    things = things_to_do(homes[subject])
    for text in expected:
        assert any(t.startswith(text) for t in things), (text, things)


def test_a_manager_sees_the_placements_of_the_people_they_manage(demo):
    _, homes = demo
    page = homes["manager-priya"]
    heading = next(h for h in page.soup.find_all("h2")
                   if h.get_text(strip=True) == "Placements of people you manage")
    listed = [li.get_text(" ", strip=True) for li in heading.find_next_sibling().find_all("li")]
    assert any(t.startswith("Alex Morgan: Planning and health partnership officer")
               for t in listed)
    # Bounded: five shown and the line that leads to the rest.
    assert len(listed) == 6 and listed[-1].startswith("And ")


def test_nothing_of_the_placements_waits_for_those_it_does_not_concern(demo):
    _, homes = demo
    things = things_to_do(homes["staff-alex"])
    assert not any("Ratify" in t or "Resources Board" in t or "Start " in t for t in things)
    assert not any("Consider the corrections" in t for t in things_to_do(homes["legal-ruth"]))


def test_the_demo_gives_each_host_contact_only_their_own_organisation(demo):
    app, _ = demo
    maria, omar = persona("host-maria"), persona("host-omar")
    assert omar.organisation.name == "Lakes National Park Authority"
    from portal.services.placements import may_view

    placements = db.session.scalars(select(Placement)).all()
    theirs = {who: {p.id for p in placements if may_view(who, p)} for who in (maria, omar)}
    assert theirs[maria] and theirs[omar] and not theirs[maria] & theirs[omar]
    # Each has something waiting for them: details to confirm (their own section of the
    # home page, with the host pages, lists it).
    from portal.services.placements import waiting_on

    for who in (maria, omar):
        waiting = [w.who for p in placements if p.id in theirs[who] for w in waiting_on(p)]
        assert f"{who.organisation.name}'s contact" in waiting
