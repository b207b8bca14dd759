"""People Services: every application in every state with filters, the conflicts of
interest register (append-only, open to auditors) and the equality report in aggregate
only."""

from datetime import timedelta

import pytest
from sqlalchemy import select, text

from portal.extensions import db
from portal.models import Application, ConflictAction, ConflictDeclaration, EqualityResponse
from portal.models.applications import ApplicationStatus as A
from portal.models.base import utcnow
from portal.models.people import User
from portal.permissions import Role
from portal.services import applications as service
from portal.services.identity import own_organisation
from tests.blueprints.test_selection import (
    applicant,
    make_team,
    persona,
    post_from,
    released,
    submitted,
)
from tests.factories import make_opportunity, make_user
from tests.helpers import count_queries


def officer() -> User:
    """People Services, without signing in (the personas' roles come with their sign-in)."""
    return make_user("Olive Officer", roles=[Role.STAFF, Role.PEOPLE_SERVICES])



@pytest.fixture
def team(demo_data):
    return make_team()


@pytest.fixture
def cases(team):
    """Applications in several states for two opportunities, one with a declared
    conflict, and a draft that People Services never see."""
    sam = persona("people-sam")
    survey = make_opportunity(sam, publish=True, title="Coastal survey lead")
    harbour = make_opportunity(sam, publish=True, title="Harbour master's deputy")
    waiting = submitted(applicant(team, "Wanda Waiting"), survey)
    released_one = released(team, applicant(team, "Rufus Released"), survey)
    conflicted = submitted(applicant(team, "Cora Conflicted"), harbour, has_conflict=True,
                           conflict_details="My cousin Quillon is the harbour master.")
    refused = submitted(applicant(team, "Rex Refused"), harbour)
    service.decide_endorsement(refused, team.manager, support=False, grounds=["cover"],
                               rationale="No one can cover the winter surveys.")
    draft = service.start_application(applicant(team, "Dora Draft"), harbour)
    declaration = db.session.scalar(select(ConflictDeclaration))
    return {"survey": survey.id, "harbour": harbour.id, "waiting": waiting.reference,
            "released": released_one.reference, "conflicted": conflicted.reference,
            "refused": refused.reference, "draft": draft.id, "declaration": declaration.id}


# --- the hub -------------------------------------------------------------------------------

def test_the_hub_links_to_each_page(client, cases):
    client.sign_in("people-sam")
    page = client.page("/people-services")
    links = {a["href"] for a in page.select("main a")}
    assert {"/people-services/applications", "/people-services/conflicts",
            "/people-services/equality", "/opportunities/named-requests"} <= links
    current = [a.get_text(strip=True) for a in page.select("[aria-current]")]
    assert current == ["People Services"]


# --- every application ---------------------------------------------------------------------

def references(client, query=""):
    page = client.page("/people-services/applications" + query)
    return {row.select("td")[0].get_text(strip=True)
            for row in page.select("tbody tr")}


def test_every_application_in_every_state_but_drafts(client, cases):
    client.sign_in("people-sam")
    page = client.page("/people-services/applications")
    assert references(client) == {cases["waiting"], cases["released"], cases["conflicted"],
                                  cases["refused"]}
    assert "4 applications" in page.text
    assert "Dora Draft" not in page.text
    for words in ("With the line manager", "Released for selection", "Refused"):
        assert words in page.text


def test_filters_by_status_and_opportunity(client, cases):
    client.sign_in("people-sam")
    assert references(client, "?status=refused") == {cases["refused"]}
    assert references(client, f"?opportunity={cases['survey']}") == {
        cases["waiting"], cases["released"]}
    assert references(client, f"?status=submitted&opportunity={cases['harbour']}") == {
        cases["conflicted"]}
    empty = client.page("/people-services/applications?status=withdrawn")
    assert "No applications match these filters" in empty.text
    # The choices: each status People Services can see; opportunities are searched for.
    page = client.page("/people-services/applications?status=refused")
    statuses = [o["value"] for o in page.select("#status option")]
    assert "draft" not in statuses and "refused" in statuses
    assert page.soup.select_one("#status option[selected]")["value"] == "refused"
    assert references(client, "?search=harbour") == {cases["conflicted"]} | (
        references(client, f"?opportunity={cases['harbour']}"))
    filtered = client.page(f"/people-services/applications?opportunity={cases['survey']}")
    assert "Applications for Coastal survey lead only." in filtered.text
    assert filtered.soup.select_one("input[name=opportunity]")["value"] == str(cases["survey"])
    # Malformed filters are ignored rather than failing the page.
    assert len(references(client, "?status=bogus&opportunity=abc&page=-3")) == 4


def _many_applications(count: int, opportunities) -> None:
    """Bulk rows, quicker than the service: references, states and people vary."""
    now = utcnow()
    states = [s for s in A if s != A.DRAFT]
    people = [User(name=f"Bulk applicant {n}", email=f"bulk{n}-{count}@example.org",
                   organisation=own_organisation()) for n in range(count)]
    db.session.add_all(people)
    db.session.flush()
    db.session.add_all([
        Application(opportunity_id=opportunities[n % len(opportunities)].id,
                    applicant_id=person.id, status=states[n % len(states)],
                    reference=f"SEC-BULK-{count}-{n:03d}",
                    submitted_at=now - timedelta(minutes=n))
        for n, person in enumerate(people)])
    db.session.commit()


def test_the_list_uses_the_same_number_of_queries_for_5_and_60(client, demo_data):
    sam = persona("people-sam")
    opportunities = [make_opportunity(sam, publish=True, title=f"Bulk {n}") for n in range(2)]
    client.sign_in("people-sam")
    client.get("/people-services/applications")  # warm up: session and roles are cached

    _many_applications(5, opportunities)
    with count_queries() as few:
        page = client.page("/people-services/applications")
    assert len(page.select("tbody tr")) == 5
    _many_applications(55, opportunities)
    with count_queries() as many:
        page = client.page("/people-services/applications")
    assert len(page.select("tbody tr")) == 25
    assert len(few) == len(many), (len(few), len(many))
    assert len(many) <= 10

    assert "60 applications" in page.text
    last = client.page("/people-services/applications?page=3")
    assert len(last.select("tbody tr")) == 10
    filtered = client.page(f"/people-services/applications?opportunity={opportunities[0].id}")
    assert "31 applications" in filtered.text
    next_link = filtered.soup.select_one(".govuk-pagination__next a")["href"]
    assert f"opportunity={opportunities[0].id}" in next_link and "page=2" in next_link


# --- conflicts of interest (R8) --------------------------------------------------------------

def test_the_register_shows_each_declaration_and_records_actions(client, make_client, cases):
    client.sign_in("people-sam")
    register = client.page("/people-services/conflicts")
    card = register.soup.find(id=f"declaration-{cases['declaration']}")
    assert "Cora Conflicted" in card.get_text()
    assert "Harbour master's deputy" in card.get_text()
    assert "My cousin Quillon is the harbour master." in card.get_text()
    assert cases["conflicted"] in card.get_text()
    assert "No action recorded yet." in card.get_text()

    action_url = f"/people-services/conflicts/{cases['declaration']}/actions"
    empty = post_from(client, action_url, action="  ")
    assert "Describe the action taken" in empty.get_data(as_text=True)
    assert "<title>Error: " in empty.get_data(as_text=True)
    answer = post_from(client, action_url, action="Kept Quillon off the selection panel.")
    assert answer.status_code == 302
    assert answer.location.endswith(
        f"/people-services/conflicts#declaration-{cases['declaration']}")

    auditor = make_client()
    auditor.sign_in("admin-jo")
    assert post_from(auditor, action_url, action="Checked at the annual audit.").status_code == 302
    card = client.page("/people-services/conflicts").soup.find(
        id=f"declaration-{cases['declaration']}")
    entries = [li.get_text(" ", strip=True) for li in card.select("ol li")]
    assert len(entries) == 2
    assert entries[0].startswith(
        "Kept Quillon off the selection panel. Recorded by Sam Whitfield on ")
    assert entries[1].startswith("Checked at the annual audit. Recorded by Jo Adeyemi on ")
    actions = db.session.scalars(select(ConflictAction)).all()
    assert {a.recorded_by_id for a in actions} == {persona("people-sam").id,
                                                   persona("admin-jo").id}


def test_nothing_on_the_register_can_be_changed_or_removed(app, client, cases):
    client.sign_in("people-sam")
    register = client.page("/people-services/conflicts")
    assert not register.select("form[method=post]:not(.portal-sign-out)")
    assert client.post("/people-services/conflicts",
                       data={"csrf_token": client.csrf_token()}).status_code == 405
    rules = [r for r in app.url_map.iter_rules() if "conflicts" in r.rule]
    assert {r.endpoint for r in rules} == {"people_services.list_conflicts",
                                            "people_services.record_conflict_action"}
    assert not any({"PUT", "PATCH", "DELETE"} & r.methods for r in rules)
    assert client.get("/people-services/conflicts/999999/actions").status_code == 404


def test_the_database_refuses_to_change_or_remove_declarations_and_actions(cases):
    declaration = db.session.get(ConflictDeclaration, cases["declaration"])
    service.record_conflict_action(declaration, officer(), "Panel changed")
    for statement in ("UPDATE conflict_declarations SET text = 'changed'",
                      "DELETE FROM conflict_declarations",
                      "UPDATE conflict_actions SET action = 'changed'",
                      "DELETE FROM conflict_actions"):
        with pytest.raises(Exception, match="append-only"):
            with db.engine.begin() as conn:
                conn.execute(text(statement))
    with db.engine.connect() as conn:
        assert conn.execute(text("SELECT action FROM conflict_actions")).scalar_one() == (
            "Panel changed")
        assert conn.execute(text("SELECT text FROM conflict_declarations")).scalar_one() == (
            "My cousin Quillon is the harbour master.")


def test_user_text_is_escaped(client, team):
    nasty = '"><svg onload=alert(1)> {{7*7}} <script>x</script>'
    sam = persona("people-sam")
    o = make_opportunity(sam, publish=True, title=nasty)
    person = applicant(team, "Xavier Scriptwright")
    person.name = nasty
    db.session.commit()
    submitted(person, o, has_conflict=True, conflict_details=nasty)
    declaration = db.session.scalar(select(ConflictDeclaration))
    service.record_conflict_action(declaration, officer(), nasty)
    client.sign_in("people-sam")
    for url in ("/people-services/applications", "/people-services/conflicts",
                f"/people-services/conflicts/{declaration.id}/actions"):
        html = client.get(url).get_data(as_text=True)
        assert "<svg onload" not in html and "<script>x" not in html, url
        assert "&lt;script&gt;x" in html, url


# --- equality monitoring (R13) ---------------------------------------------------------------

def _answered(opportunities, answers: list[tuple[str | None, str, str]]) -> None:
    """One application with monitoring answers for each (sex, age band, status)."""
    people = [User(name=f"Equality applicant {n}", email=f"equal{n}@example.org",
                   organisation=own_organisation()) for n in range(len(answers))]
    db.session.add_all(people)
    db.session.flush()
    for n, (person, (sex, age, status)) in enumerate(zip(people, answers, strict=True)):
        application = Application(opportunity_id=opportunities[n % 2].id,
                                  applicant_id=person.id, status=status,
                                  reference=f"SEC-EQ-{n:03d}", submitted_at=utcnow())
        db.session.add(application)
        db.session.flush()
        db.session.add(EqualityResponse(application_id=application.id, sex=sex, age_band=age))
    db.session.commit()


def test_the_equality_report_is_aggregate_with_small_numbers_suppressed(client, demo_data):
    sam = persona("people-sam")
    opportunities = [make_opportunity(sam, publish=True) for _ in range(2)]
    _answered(opportunities,
              [("Female", "25 to 34", A.OFFERED), ("Female", "25 to 34", A.ACCEPTED)]
              + [("Female", "25 to 34", A.RELEASED)] * 4
              + [("Male", "35 to 44", A.RELEASED)] * 5
              + [(None, "35 to 44", A.SUBMITTED)])
    client.sign_in("people-sam")
    page = client.page("/people-services/equality")

    def table(caption):
        found = next(t for t in page.select("table")
                     if t.caption.get_text(strip=True) == caption)
        return [[c.get_text(strip=True) for c in row.select("th, td")]
                for row in found.select("tbody tr")]

    # Six women, five men, one who did not say: the one is hidden, and so is the smallest
    # count beside it, or it could be worked out from the age table's total of 12.
    assert table("Sex") == [["Female", "6", "fewer than 5"],
                            ["Male", "withheld", "0"],
                            ["Not answered", "fewer than 5", "0"]]
    assert table("Age") == [["25 to 34", "6", "fewer than 5"], ["35 to 44", "6", "0"]]
    assert table("Religion or belief") == [["Not answered", "12", "fewer than 5"]]
    assert "never a person's answers" in page.text
    html = page.response.get_data(as_text=True)
    for individual in ("Equality applicant", "equal1@example.org", "SEC-EQ-"):
        assert individual not in html


def test_the_equality_report_before_anyone_answers(client, demo_data):
    client.sign_in("people-sam")
    page = client.page("/people-services/equality")
    assert "No applicant has answered the equality monitoring questions yet." in page.text
    assert not page.select("table")


def test_administrators_reach_the_conflicts_register_from_the_back_office(client, demo_data):
    client.sign_in("admin-jo")
    page = client.page("/back-office/")
    link = page.soup.find("a", string="Conflicts of interest register")
    assert link is not None and link["href"] == "/people-services/conflicts"
    assert client.get(link["href"]).status_code == 200


def test_people_services_find_applications_by_reference_or_title(client, cases):
    sam = officer()
    planning = make_opportunity(sam, publish=True, title="Planning 100% lead")
    other = make_opportunity(sam, publish=True, title="Harbour works")
    _many_applications(2, [planning])
    _many_applications(1, [other])
    client.sign_in("people-sam")
    page = client.page("/people-services/applications")
    assert not page.select("select#opportunity")  # no list of every opportunity

    by_title = references(client, "?search=100%25")
    wanted = {a.reference for a in db.session.scalars(
        select(Application).where(Application.opportunity_id == planning.id))}
    assert by_title == wanted and len(wanted) == 2
    one = sorted(wanted)[0]
    assert references(client, f"?search={one.lower()}") == {one}
    assert references(client, "?search=%25") == wanted  # a % is a percent sign, not "any"
    assert references(client, "?search=nothing+like+it") == set()
