"""Values no record, page or search can have, sent to every route of the URL map: each
is a 404 or an ordinary page, never a server error (PostgreSQL refuses integers past
64 bits and NUL bytes that SQLite would let through)."""

import re

import pytest

from tests.factories import make_opportunity
from tests.helpers import persona

TOO_BIG = "9223372036854775808"   # one past the largest 64-bit id
FAR_TOO_BIG = "9" * 40


def routes_with_ids(app) -> list[tuple[str, str]]:
    """(endpoint, path) for every portal GET route that takes an id, ids made too big."""
    found = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint.startswith("admin") or "GET" not in rule.methods:
            continue
        if "<int:" not in rule.rule:
            continue
        path = re.sub(r"<int:[^>]+>", TOO_BIG, rule.rule)
        path = re.sub(r"<any\(([^,)]+)[^>]*>", r"\1", path)
        path = re.sub(r"<(?:string:)?[a-z_]+>", "terms", path)
        found.append((rule.endpoint, path))
    return found


@pytest.mark.parametrize("subject", ["people-sam", "staff-alex"])
def test_ids_past_64_bits_are_not_found_on_every_route(client, demo_data, app, subject):
    client.sign_in(subject)
    routes = routes_with_ids(app)
    assert len(routes) > 10

    statuses = {endpoint: client.get(path).status_code for endpoint, path in routes}
    huge = {endpoint: client.get(path.replace(TOO_BIG, FAR_TOO_BIG)).status_code
            for endpoint, path in routes}

    assert statuses == dict.fromkeys(statuses, 404)
    assert huge == dict.fromkeys(huge, 404)


LISTS = ["/opportunities", "/opportunities/yours", "/applications",
         "/people-services/applications", "/opportunities/named-requests",
         "/opportunities/incoming"]


@pytest.mark.parametrize("query", [
    {"page": TOO_BIG}, {"page": FAR_TOO_BIG}, {"page": "-1"}, {"page": "2.5"},
    {"department": TOO_BIG}, {"opportunity": TOO_BIG}, {"host": FAR_TOO_BIG},
    {"q": "plan\x00ning"}, {"location": "\x00"}, {"grade": "Band\x007"},
    {"page": ["1", "2", "3"]}])
def test_out_of_range_and_control_characters_in_queries_give_the_page(
        client, demo_data, query):
    client.sign_in("people-sam")
    statuses = {url: client.get(url, query_string=query).status_code for url in LISTS}
    assert statuses == dict.fromkeys(LISTS, 200)


def test_a_search_with_a_nul_byte_finds_what_the_search_without_it_finds(client, demo_data):
    make_opportunity(persona("people-sam"), publish=True, title="Strategic planning lead")
    client.sign_in("staff-alex")
    plain = client.page("/opportunities", query_string={"q": "planning"})
    hostile = client.page("/opportunities", query_string={"q": "plan\x00ning"})
    assert "planning" in plain.text.lower()
    assert hostile.soup.find("main").get_text() == plain.soup.find("main").get_text()


@pytest.mark.parametrize("url, query, field, message", [
    ("/opportunities", {"department": TOO_BIG}, "department",
     "Select a department from the list"),
    ("/opportunities", {"host": "abc"}, "host", "Select a host organisation from the list"),
    ("/opportunities", {"kind": ["sideways", "sideways"]}, "kind",
     "Select kinds of secondment from the list"),
    ("/opportunities", {"duration": "13"}, "duration", "Select a duration from the list"),
    ("/opportunities", {"sort": "\x00"}, "sort", "Select an order from the list"),
    ("/people-services/applications", {"opportunity": FAR_TOO_BIG}, "opportunity",
     "Search for the opportunity by its title instead"),
    ("/people-services/applications", {"status": "approved"}, "status",
     "Select a status from the list"),
])
def test_a_filter_value_the_list_cannot_use_is_an_error_next_to_the_filter(
        client, demo_data, url, query, field, message):
    from portal.demo.applications import seed_demo_applications
    from portal.demo.opportunities import seed_demo_opportunities

    seed_demo_opportunities()
    seed_demo_applications()
    client.sign_in("people-sam")
    unfiltered = client.page(url)

    page = client.page(url, query_string=query)

    assert page.title.startswith("Error:")
    summary = page.soup.select(".govuk-error-summary a")
    assert [(a.get_text(strip=True), a["href"]) for a in summary] == [(message, f"#{field}")]
    assert page.soup.find(id=field) is not None
    next_to_it = page.soup.find(id=f"{field}-error")
    assert next_to_it.get_text(" ", strip=True) == f"Error: {message}"
    # The bad value filters nothing: the list is the unfiltered one.
    assert "Data protection adviser" in results(unfiltered)
    assert results(page) == results(unfiltered)
    assert not unfiltered.title.startswith("Error:")


def results(page) -> str:
    """The page's list, without its filter panel and error summary."""
    main = page.soup.find("main")
    for element in main.select(".govuk-error-summary, form.portal-filters"):
        element.decompose()
    return main.get_text(" ", strip=True)


@pytest.mark.parametrize("page", [TOO_BIG, FAR_TOO_BIG, "-1", "2.5", "\x00", ["1", "2"]])
def test_a_deciders_lists_give_the_page_for_any_page_number(client, demo_data, page):
    client.sign_in("manager-priya")
    lists = ["/decisions", "/decisions/taken"]
    statuses = {url: client.get(url, query_string={"page": page}).status_code
                for url in lists}
    assert statuses == dict.fromkeys(lists, 200)
