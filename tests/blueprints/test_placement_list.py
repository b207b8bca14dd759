"""People Services' list of every placement: its filters, what each placement waits for
and on whom, its pages and its CSV export of exactly what is shown; refused to anyone
else; a constant number of queries whatever the number of placements.

The personas and a handful of placements are set up once for the module (`world`); the
tests that add placements come last."""

import csv
import io
from datetime import timedelta

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.models import Department, Organisation
from portal.models.placements import Placement
from portal.services import placements
from portal.services.opportunities import london_today
from portal.services.placements.listing import safe_cell
from tests.conftest import make_config, running_app
from tests.factories import make_placement, make_user
from tests.helpers import Page, count_queries, persona

FORMULA = "=HYPERLINK(\"http://evil.example\",\"Open\")"


@pytest.fixture(scope="module")
def world(database_url, identity_providers):
    from portal.demo import seed_demo_data

    with running_app(make_config(database_url, identity_providers)) as app:
        seed_demo_data(identity_providers)
        clients = {}
        for subject in ("people-sam", "staff-alex", "legal-ruth", "host-maria",
                        "manager-priya"):
            clients[subject] = app.test_client()
            clients[subject].sign_in(subject)
        sam, alex, priya = (persona(s) for s in ("people-sam", "staff-alex", "manager-priya"))
        lakes, northshire = (db.session.scalar(select(Organisation).where(
            Organisation.name == name)) for name in ("Lakes National Park Authority",
                                                     "Northshire NHS Foundation Trust"))
        finance = db.session.scalar(select(Department).where(Department.name == "Finance"))
        fay = make_user("Fay Finance", line_manager=priya, department=finance)
        today = london_today()
        records = {
            "lakes": make_placement(sam, alex, partner=lakes, title="Visitor data analyst",
                                    start_date=today + timedelta(days=20)).id,
            "north": make_placement(sam, fay, partner=northshire, title=FORMULA,
                                    start_date=today + timedelta(days=120)).id,
            "internal": make_placement(sam, fay, kind="internal", title="Budget analyst",
                                       host_department_id=finance.id,
                                       host_manager_staff_email=priya.email,
                                       start_date=today + timedelta(days=5)).id,
        }
        internal = db.session.get(Placement, records["internal"])
        placements.send_to_legal(sam, internal, expected_version=internal.version)
        records |= {"lakes_org": lakes.id, "finance": finance.id}
        yield app, clients, records


def rows(page: Page) -> list[list[str]]:
    return [[td.get_text(" ", strip=True) for td in tr.find_all("td")]
            for tr in page.soup.select("tbody tr")]


def export(client, query: str = "") -> list[list[str]]:
    response = client.get(f"/placements/export.csv{query}", buffered=True)
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    return list(csv.reader(io.StringIO(response.get_data(as_text=True))))


def test_people_services_see_every_placement_soonest_start_first_with_what_it_waits_for(
        world):
    _, clients, _ = world
    page = clients["people-sam"].page("/placements")
    assert page.h1 == "All placements"
    listed = rows(page)
    assert [r[1] for r in listed] == ["Budget analyst", "Visitor data analyst", FORMULA]
    budget, lakes, _ = listed
    assert budget[0] == "Fay Finance" and budget[2] == "Internal"
    assert budget[3].endswith(", Finance")
    assert budget[5] == "Agreement with legal"
    assert budget[6] == "Legal: ratify the agreement or send it back with comments"
    assert lakes[3] == "Lakes National Park Authority"
    assert lakes[6].startswith("Lakes National Park Authority's contact: confirm")
    # The newest start first, when asked.
    later = rows(clients["people-sam"].page("/placements?order=-start"))
    assert [r[1] for r in later] == [FORMULA, "Visitor data analyst", "Budget analyst"]
    # The section navigation has the list, current here.
    current = page.soup.select_one(".portal-section-nav__item--active")
    assert current.get_text(strip=True) == "Placements"


@pytest.mark.parametrize("query, titles", [
    ("?status=with_legal", ["Budget analyst"]),
    ("?status=proposed", ["Visitor data analyst", FORMULA]),
    ("?kind=internal", ["Budget analyst"]),
    ("?organisation={lakes_org}", ["Visitor data analyst"]),
    ("?department={finance}", ["Budget analyst", FORMULA]),
    ("?starting_within=30", ["Budget analyst", "Visitor data analyst"]),
    ("?starting_within=7", ["Budget analyst"]),
    ("?status=active", []),
])
def test_each_filter_narrows_the_list_and_the_export_alike(world, query, titles):
    _, clients, records = world
    query = query.format(**records)
    page = clients["people-sam"].page(f"/placements{query}")
    assert [r[1] for r in rows(page)] == titles
    exported = export(clients["people-sam"], query)
    assert exported[0] == ["Secondee", "Placement", "Kind", "Host", "Start date", "Status",
                           "Waiting on"]
    assert [r[1] for r in exported[1:]] == [safe_cell(t) for t in titles]
    if not titles:
        assert "No placements match these filters" in page.text


@pytest.mark.parametrize("query, field, message", [
    ("?status=archived", "status", "Select a status from the list"),
    ("?kind=%00", "kind", "Select a kind of placement from the list"),
    ("?starting_within=8", "starting_within",
     "Select how soon the placements start from the list"),
    ("?starting_within=99999999999999999999999", "starting_within",
     "Select how soon the placements start from the list"),
    ("?organisation=99999999999999999999999", "organisation",
     "Select an organisation from the list"),
    ("?department=x", "department", "Select a department from the list"),
])
def test_a_filter_the_list_cannot_use_is_an_error_next_to_it_and_the_export_waits(
        world, query, field, message):
    _, clients, _ = world
    page = clients["people-sam"].page(f"/placements{query}")
    assert page.title.startswith("Error:")
    error = page.soup.select_one(f"#{field}-error")
    assert error is not None and message in error.get_text()
    # Everything is listed, unfiltered, beside the error...
    assert len(rows(page)) == 3
    # ...but the export does not guess: back to the list and its error.
    response = clients["people-sam"].get(f"/placements/export.csv{query}")
    assert response.status_code == 302
    assert response.location.startswith("/placements?")


def test_the_export_writes_formulas_as_text(world):
    _, clients, _ = world
    exported = export(clients["people-sam"], "?order=-start")
    first = exported[1]
    assert first[1] == "'" + FORMULA
    assert first[0] == "Fay Finance" and first[2] == "Outgoing"
    assert first[4] == (london_today() + timedelta(days=120)).isoformat()
    assert safe_cell("+1") == "'+1" and safe_cell("-1") == "'-1" and safe_cell("@x") == "'@x"
    assert safe_cell("Plain") == "Plain"


@pytest.mark.parametrize("subject", ["staff-alex", "legal-ruth", "host-maria",
                                     "manager-priya"])
def test_no_one_but_people_services_gets_the_list_or_its_export(world, subject):
    _, clients, _ = world
    assert clients[subject].get("/placements").status_code == 403
    assert clients[subject].get("/placements/export.csv").status_code == 403


def test_anyone_signed_out_is_asked_to_sign_in(world):
    app, _, _ = world
    response = app.test_client().get("/placements/export.csv")
    assert response.status_code == 302 and "/sign-in" in response.location


def test_past_a_few_hundred_organisations_the_filter_is_typed(world, monkeypatch):
    from portal.services.placements import listing

    _, clients, _ = world
    monkeypatch.setattr(listing, "ORGANISATION_SELECT_LIMIT", 2)
    page = clients["people-sam"].page("/placements?organisation_name=lakes%20national")
    assert page.soup.select_one("select#organisation") is None
    assert page.soup.select_one("input#organisation_name")["value"] == "lakes national"
    assert [r[1] for r in rows(page)] == ["Visitor data analyst"]
    assert [r[1] for r in export(clients["people-sam"], "?organisation_name=Lakes")[1:]] == [
        "Visitor data analyst"]


# --- adding placements: last, as they change the module's records ------------------------

def _more(count: int) -> None:
    """Each with a secondee of their own, so that a row reading its secondee by itself
    would show as a query more per row."""
    sam, priya = persona("people-sam"), persona("manager-priya")
    lakes = db.session.scalar(select(Organisation).where(
        Organisation.name == "Lakes National Park Authority"))
    for n in range(count):
        start = london_today() + timedelta(days=200 + n)
        secondee = make_user(f"Ranger {n:02}", line_manager=priya)
        make_placement(sam, secondee, partner=lakes, title=f"Ranger {n:02}", start_date=start,
                       end_date=start + timedelta(days=90))


def test_the_list_and_the_export_read_as_many_queries_for_many_placements_as_for_few(
        world):
    _, clients, _ = world
    sam = clients["people-sam"]
    sam.get("/placements")  # the templates compiled once
    with count_queries() as few_page:
        sam.page("/placements")
    with count_queries() as few_export:
        export(sam)
    _more(30)
    with count_queries() as many_page:
        page = sam.page("/placements")
    with count_queries() as many_export:
        exported = export(sam)
    assert len(many_page) == len(few_page)
    assert len(many_export) == len(few_export)
    # A page of 25, and every one of the 33 in the export.
    assert len(rows(page)) == 25
    assert "33 placements" in page.soup.select_one("caption").get_text()
    assert len(exported) == 34
    assert page.soup.select_one(".govuk-pagination") is not None
    second = sam.page("/placements?page=2")
    assert len(rows(second)) == 8
    beyond = sam.page("/placements?page=9")
    assert "there is no page 9" in beyond.text
