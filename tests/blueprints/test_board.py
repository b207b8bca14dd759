"""The staff board and adverts as people meet them: incoming secondments on their own
public page and feeds, who offers an opportunity, restricted pools, pages past the
end, the selected filters and the closing time."""

import json
from datetime import timedelta
from urllib.parse import parse_qs, urlsplit
from xml.etree import ElementTree as ET

import pytest

from portal.services.opportunities import london_today
from tests.factories import make_department, make_opportunity, make_organisation
from tests.helpers import count_queries, persona

ATOM = {"a": "http://www.w3.org/2005/Atom"}


def titles(page) -> list[str]:
    return [a.get_text(strip=True) for a in page.select(".portal-result__title a")]


def long(day) -> str:
    return f"{day.day} {day:%B %Y}"


# --- incoming secondments: off the staff board, on a public page ----------------------

@pytest.fixture
def incoming(demo_data):
    sam = persona("people-sam")
    nhs = make_organisation("Northshire NHS Trust")
    department = make_department("Digital and Data Services")
    fellow = make_opportunity(
        sam, publish=True, kind="incoming", title="Incoming digital fellow",
        department=department, host_organisation_id=nhs.id,
        incoming_not_contractor=True, incoming_not_permanent_cover=True)
    make_opportunity(sam, publish=True, kind="incoming", title="Incoming named analyst",
                     audience="named_request", publicity_assessment="Low risk")
    make_opportunity(sam, kind="incoming", title="Incoming draft")
    make_opportunity(sam, publish=True, kind="incoming", title="Incoming long closed",
                     closing_date=london_today() - timedelta(days=1))
    make_opportunity(sam, publish=True, title="Internal planner")
    return fellow


def test_incoming_secondments_are_not_on_the_staff_board_or_its_feeds(client, incoming):
    client.sign_in("staff-alex")
    board = client.page("/opportunities")
    assert titles(board) == ["Internal planner"]
    assert "1 opportunity" in board.text
    # Not offered as a kind to filter by; a link to where they are instead.
    assert board.soup.find(id="kind-incoming") is None
    assert board.soup.find("a", href="/opportunities/incoming")
    assert titles(client.page("/opportunities?kind=incoming")) == ["Internal planner"]
    assert [o["title"] for o in client.get("/opportunities.json").json["opportunities"]] == [
        "Internal planner"]
    assert b"Incoming" not in client.get("/opportunities/feed.atom").data
    assert b"Incoming" not in client.get("/opportunities/closing-dates.ics").data


def test_staff_following_a_link_to_an_incoming_advert_are_sent_to_its_public_advert(
        client, incoming):
    client.sign_in("staff-alex")
    answer = client.get(f"/opportunities/{incoming.id}")
    assert answer.status_code == 302
    assert answer.location == f"/opportunities/incoming/{incoming.id}"
    # Nobody can apply for it from the staff side either.
    assert client.post(f"/opportunities/{incoming.id}/apply",
                       data={"csrf_token": client.csrf_token()}).status_code == 404


def test_people_services_still_sees_the_staff_advert_of_an_incoming_secondment(
        client, incoming):
    client.sign_in("people-sam")
    advert = client.page(f"/opportunities/{incoming.id}")
    assert advert.h1 == "Incoming digital fellow"
    # With the public advert's address, to send to partner organisations.
    assert advert.soup.find("a", string="public advert")["href"] == (
        f"/opportunities/incoming/{incoming.id}")


def test_publishing_an_incoming_secondment_gives_the_link_for_partners(client, demo_data):
    from portal.extensions import db
    from portal.models import BusinessCase
    from tests.blueprints.test_vacancies import post_form

    sam = persona("people-sam")
    draft = make_opportunity(sam, kind="incoming", title="Incoming fellow to publish",
                             host_organisation_id=make_organisation("Partner body").id,
                             incoming_not_contractor=True, incoming_not_permanent_cover=True)
    # R6: the Resources Board approved its business case.
    db.session.add(BusinessCase(opportunity=draft, status="approved", skills="s",
                                priorities="knowledge_transfer", costs="c", cover="c"))
    db.session.commit()
    client.sign_in("people-sam")
    done = post_form(client, f"/opportunities/{draft.id}/publish", {})
    assert done.status_code == 200, done.get_data(as_text=True)[:3000]
    body = done.get_data(as_text=True)
    assert "public page of secondments for people from other organisations" in body
    assert f"/opportunities/incoming/{draft.id}</a>" in body
    assert "vacancies board for staff" not in body


def test_the_partner_page_lists_open_incoming_secondments_to_anyone(client, incoming):
    page = client.page("/opportunities/incoming")  # nobody signed in
    assert titles(page) == ["Incoming digital fellow"]
    assert "1 open secondment" in page.text
    assert page.title == "Secondments into Example Council – Secondments – Example Council"
    assert "Offered by Digital and Data Services" in page.text
    assert f"Closes at 11:59pm on {long(incoming.closing_date)} (in 10 days)" in page.text
    assert page.soup.find("link", {"type": "application/atom+xml"})["href"] == (
        "/opportunities/incoming.atom")


def test_the_public_advert_says_who_offers_it_and_keeps_private_fields_private(
        client, incoming):
    page = client.page(f"/opportunities/incoming/{incoming.id}")
    rows = {row.select_one(".govuk-summary-list__key").get_text(strip=True):
            row.select_one(".govuk-summary-list__value").get_text(strip=True)
            for row in page.select(".govuk-summary-list__row")}
    assert rows["Offered by"] == "Digital and Data Services"
    assert rows["Sending organisation"] == "Northshire NHS Trust"
    assert "Host organisation" not in rows
    assert "not open to self-employed contractors, consultants or students" in page.text.lower()
    sam = persona("people-sam")
    assert sam.email not in page.text and "Questions:" not in page.text
    assert "people.services@example.org" in page.text


@pytest.mark.parametrize("title", ["Incoming named analyst", "Incoming draft",
                                   "Incoming long closed", "Internal planner"])
def test_nothing_but_an_open_advertised_incoming_secondment_is_public(
        client, incoming, title):
    from sqlalchemy import select

    from portal.extensions import db
    from portal.models import Opportunity

    other = db.session.scalar(select(Opportunity).where(Opportunity.title == title))
    assert client.get(f"/opportunities/incoming/{other.id}").status_code == 404
    assert title not in client.page("/opportunities/incoming").text


def test_the_partner_feeds_carry_only_what_a_website_needs(client, incoming):
    data = client.get("/opportunities/incoming.json").json
    [item] = data["opportunities"]
    assert item["title"] == "Incoming digital fellow"
    assert item["offered_by"] == "Digital and Data Services"
    assert item["url"].endswith(f"/opportunities/incoming/{incoming.id}")
    assert item["closes"] == f"Closes at 11:59pm on {long(incoming.closing_date)}"
    assert set(item) == {"title", "summary", "offered_by", "location", "country", "grade",
                         "grades_in_pool", "duration_months", "start_date", "closing_date",
                         "closes", "url"}
    assert persona("people-sam").email not in json.dumps(data)

    atom = client.get("/opportunities/incoming.atom")
    assert atom.mimetype == "application/atom+xml"
    root = ET.fromstring(atom.data)
    [entry] = root.findall("a:entry", ATOM)
    assert entry.findtext("a:title", namespaces=ATOM) == "Incoming digital fellow"
    assert entry.findtext("a:summary", namespaces=ATOM).endswith(
        f"Offered by Digital and Data Services. Closes at 11:59pm on "
        f"{long(incoming.closing_date)}.")


def test_the_partner_page_reads_the_same_number_of_rows_at_any_size(client, incoming):
    sam = persona("people-sam")
    with count_queries() as few:
        assert client.get("/opportunities/incoming").status_code == 200
    for n in range(30):
        make_opportunity(sam, publish=True, kind="incoming", title=f"Incoming {n}",
                         host_organisation_id=make_organisation(f"Body {n}").id)
    with count_queries() as many:
        page = client.page("/opportunities/incoming")
    assert len(few) == len(many) <= 3, (len(few), len(many))
    assert len(titles(page)) == 20 and page.select(".govuk-pagination")


# --- who offers it ---------------------------------------------------------------------

def test_offered_by_names_the_offering_department_or_an_outgoing_host(client, demo_data):
    sam = persona("people-sam")
    host = make_organisation("Environment Regulator Agency")
    department = make_department("Planning Services")
    make_opportunity(sam, publish=True, title="Planner swap", department=department)
    make_opportunity(sam, publish=True, title="Regulator secondment", kind="outgoing",
                     host_organisation_id=host.id)
    abroad = make_opportunity(sam, publish=True, title="Brussels adviser", kind="international",
                              department=department, host_organisation_id=host.id)
    client.sign_in("staff-alex")
    metas = {li.select_one(".portal-result__title").get_text(strip=True):
             li.select_one(".portal-result__meta").get_text(" ", strip=True)
             for li in client.page("/opportunities").select(".portal-result")}
    assert " · Planning Services · " in metas["Planner swap"]
    assert " · Environment Regulator Agency · " in metas["Regulator secondment"]
    assert " · Planning Services · " in metas["Brussels adviser"]
    advert = client.page(f"/opportunities/{abroad.id}")
    rows = {row.select_one(".govuk-summary-list__key").get_text(strip=True):
            row.select_one(".govuk-summary-list__value").get_text(strip=True)
            for row in advert.select(".govuk-summary-list__row")}
    assert rows["Offered by"] == "Planning Services"
    assert rows["Host organisation"] == "Environment Regulator Agency"


def test_drafting_an_incoming_secondment_asks_for_its_sending_organisation(client, demo_data):
    sam = persona("people-sam")
    nhs = make_organisation("Northshire NHS Trust")
    draft = make_opportunity(sam, kind="incoming", title="Incoming draft",
                             host_organisation_id=nhs.id)
    outgoing = make_opportunity(sam, kind="outgoing", title="Outgoing draft",
                                host_organisation_id=nhs.id)
    client.sign_in("people-sam")
    where = client.page(f"/opportunities/{draft.id}/edit/where")
    assert where.soup.find("label", {"for": "host_organisation_id"}).get_text(strip=True) == (
        "Sending organisation")
    check = client.page(f"/opportunities/{draft.id}/check")
    keys = [k.get_text(strip=True) for k in check.select(".govuk-summary-list__key")]
    assert "Sending organisation" in keys and "Host organisation" not in keys
    where = client.page(f"/opportunities/{outgoing.id}/edit/where")
    assert where.soup.find("label", {"for": "host_organisation_id"}).get_text(strip=True) == (
        "Host organisation")


# --- restricted pools ------------------------------------------------------------------

def test_a_restricted_advert_names_the_grades_in_its_pool(client, demo_data):
    o = make_opportunity(persona("people-sam"), publish=True, title="GDPR specialist",
                         audience="restricted_pool", pool_grades="Band 6, Band 7, Band 8",
                         restriction_justification="Needs a data protection qualification.")
    client.sign_in("staff-alex")
    advert = client.page(f"/opportunities/{o.id}")
    warning = advert.soup.find(id="restricted-pool").get_text(" ", strip=True)
    assert "staff at Band 6, Band 7 and Band 8" in warning
    assert "Needs a data protection qualification." in warning
    assert "Only Band 6, Band 7 and Band 8 may apply" in advert.text
    board = client.page("/opportunities")
    assert "Restricted pool Band 6, Band 7 and Band 8 only" in board.text


def test_a_pool_recorded_without_its_grades_is_still_shown_as_restricted(client, demo_data):
    o = make_opportunity(persona("people-sam"), publish=True, title="Older restricted one",
                         audience="restricted_pool", pool_grades=" , ",
                         restriction_justification="Needs GIS.")
    client.sign_in("staff-alex")
    warning = client.page(f"/opportunities/{o.id}").soup.find(id="restricted-pool")
    assert warning.get_text(" ", strip=True) == (
        "! Warning Open to a restricted pool only. Needs GIS.")


def test_an_advert_open_to_all_staff_says_nothing_of_a_pool(client, demo_data):
    o = make_opportunity(persona("people-sam"), publish=True, title="Open one")
    client.sign_in("staff-alex")
    advert = client.page(f"/opportunities/{o.id}")
    assert advert.soup.find(id="restricted-pool") is None
    assert "Grades in the pool" not in advert.text


# --- pages ----------------------------------------------------------------------------

@pytest.fixture
def many(demo_data):
    sam = persona("people-sam")
    for n in range(20 * 8 + 2):  # 9 pages, the last with 2
        make_opportunity(sam, publish=True, title=f"Many {n:03}")


def test_a_page_past_the_end_says_there_are_no_more_and_links_to_the_last(client, many):
    client.sign_in("staff-alex")
    page = client.page("/opportunities?page=999&sort=newest")
    assert page.soup.find(id="results-heading").get_text(strip=True) == "No more results"
    assert "162 opportunities match, on 9 pages: there is no page 999." in page.text
    assert "match your filters" not in page.text and not titles(page)
    link = page.soup.find("a", string="Go to the last page (page 9)")
    assert parse_qs(urlsplit(link["href"]).query) == {"page": ["9"], "sort": ["newest"]}
    assert not page.select(".govuk-pagination")
    last = client.page(link["href"])
    assert len(titles(last)) == 2


def test_a_search_with_no_results_still_says_none_match(client, many):
    client.sign_in("staff-alex")
    page = client.page("/opportunities?q=astronaut&page=3")
    assert page.soup.find(id="results-heading").get_text(strip=True) == "0 opportunities"
    assert "No open opportunities match your filters." in page.text


@pytest.mark.parametrize("number, shown", [
    (4, ["1", "2", "3", "4", "5", "9"]),      # page 2 is one page: its number, no ellipsis
    (6, ["1", "5", "6", "7", "8", "9"]),
    (1, ["1", "2", "9"])])
def test_a_single_page_left_out_is_shown_as_its_number(client, many, number, shown):
    client.sign_in("staff-alex")
    page = client.page(f"/opportunities?page={number}")
    assert [a.get_text(strip=True) for a in page.select(".govuk-pagination__item a")] == shown


# --- the filter panel and the filters in use ------------------------------------------

@pytest.fixture
def filtered(demo_data):
    sam = persona("people-sam")
    make_opportunity(sam, publish=True, title="Ranger", kind="shorter_term", duration_months=2,
                     working_pattern="part_time", hours_detail="2 days")
    make_opportunity(sam, publish=True, title="Analyst", grade="Band 7")


def selected(page) -> dict[str, str]:
    return {a.get_text(" ", strip=True): a["href"]
            for a in page.select(".portal-selected-filters__remove")}


def test_each_filter_in_use_is_listed_with_a_link_that_removes_only_it(client, filtered):
    client.sign_in("staff-alex")
    page = client.page("/opportunities?q=ranger&kind=internal&kind=shorter_term"
                       "&part_time=yes&sort=newest&page=2")
    links = selected(page)
    assert list(links) == ["Remove filter Keyword: ‘ranger’", "Remove filter Kind: Internal",
                           "Remove filter Kind: Shorter-term",
                           "Remove filter Hours: Part time only"]
    remove_internal = parse_qs(urlsplit(links["Remove filter Kind: Internal"]).query)
    assert remove_internal == {"q": ["ranger"], "kind": ["shorter_term"],
                               "part_time": ["yes"], "sort": ["newest"]}
    after = client.page(links["Remove filter Keyword: ‘ranger’"])
    assert list(selected(after)) == ["Remove filter Kind: Internal",
                                     "Remove filter Kind: Shorter-term",
                                     "Remove filter Hours: Part time only"]
    assert titles(after) == ["Ranger"]
    # The panel's toggle says how many are in use; closed until something needs fixing.
    summary = page.soup.select_one(".portal-filter-panel summary").get_text(" ", strip=True)
    assert summary == "Filter opportunities (4 selected)"
    assert not page.soup.select_one(".portal-filter-panel").has_attr("open")


def test_no_filters_no_summary(client, filtered):
    client.sign_in("staff-alex")
    page = client.page("/opportunities?sort=newest")
    assert not page.select(".portal-selected-filters")
    assert page.soup.select_one(".portal-filter-panel summary").get_text(strip=True) == (
        "Filter opportunities")


def test_a_filter_value_the_board_cannot_use_opens_the_panel_with_its_error(
        client, filtered):
    client.sign_in("staff-alex")
    page = client.page("/opportunities?duration=5&grade=Band+7")
    assert page.soup.select_one(".portal-filter-panel").has_attr("open")
    assert ["Error: Select a duration from the list"] == page.error_messages()
    assert list(selected(page)) == ["Remove filter Grade: Band 7"]


# --- the closing time -----------------------------------------------------------------

def test_closing_times_are_the_last_minute_of_the_day_everywhere(client, demo_data):
    closing = london_today() + timedelta(days=3)
    o = make_opportunity(persona("people-sam"), publish=True, title="Clear closing",
                         closing_date=closing)
    client.sign_in("staff-alex")
    expected = f"Closes at 11:59pm on {long(closing)} (in 3 days)"
    board = client.page("/opportunities")
    assert expected in board.text and "midnight" not in board.text
    advert = client.page(f"/opportunities/{o.id}")
    assert f"This opportunity closes at 11:59pm on {long(closing)} (in 3 days)." in advert.text
    root = ET.fromstring(client.get("/opportunities/feed.atom").data)
    assert root.find("a:entry", ATOM).findtext("a:summary", namespaces=ATOM).endswith(
        f"Closes at 11:59pm on {long(closing)}.")
