"""The vacancies board, adverts and the pages that create and look after them."""

import json
import re
from datetime import timedelta
from xml.etree import ElementTree as ET

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.models import AuditEvent, Opportunity, User
from portal.permissions import Role
from portal.services.opportunities import london_today
from tests import helpers
from tests.factories import make_department, make_opportunity, make_organisation, make_user
from tests.helpers import Page, count_queries, persona


@pytest.fixture
def officer(demo_data):
    return persona("people-sam")



def date_fields(name, value):
    return {name: [str(value.day), str(value.month), str(value.year)]}


def post_form(client, url, data, from_url=None):
    """A button-only action (publish, mark filled) is read from the page that shows it."""
    if from_url is None and url.endswith(("/publish", "/filled")):
        opportunity_path = url.rsplit("/", 1)[0]
        from_url = opportunity_path + ("/check" if url.endswith("/publish") else "/manage")
    return helpers.post_form(client, url, data, from_url)


# --- creating an opportunity through the question pages ------------------------------

def test_people_services_creates_and_publishes_an_internal_opportunity(client, officer):
    client.sign_in("people-sam")
    today = london_today()
    answer = post_form(client, "/opportunities/new", {"kind": "internal"})
    assert answer.status_code == 302
    opportunity_id = int(re.search(r"/opportunities/(\d+)/edit/details", answer.location)[1])
    base = f"/opportunities/{opportunity_id}/edit"
    planning = db.session.scalar(select(User.department_id).where(User.subject == "staff-alex"))
    steps = [
        ("details", {"title": "GIS analyst", "summary": "Map things for six months.",
                     "description": "Work with the planning team."}),
        ("where", {"offering_department_id": str(planning), "location": "Bakewell",
                   "country": "United Kingdom"}),
        ("terms", {"grade": "Band 6", "working_pattern": "part_time",
                   "hours_detail": "3 days a week", "duration_months": "6",
                   **date_fields("start_date", today + timedelta(days=60))}),
        ("money", {"salary_paid_by": "home", "expenses_paid_by": "host"}),
        ("audience", {"audience": "all_staff", "skills_sought": "GIS",
                      "eligibility": "All staff at Band 5 or above"}),
        ("closing", {"contact_email": officer.email.upper(),
                     **date_fields("closing_date", today + timedelta(days=14))}),
    ]
    for section, data in steps:
        answer = post_form(client, f"{base}/{section}", data)
        assert answer.status_code == 302, (section, answer.get_data(as_text=True)[:2000])

    check = client.page(f"/opportunities/{opportunity_id}/check")
    assert check.h1 == "Draft the opportunity"
    statuses = [s.get_text(strip=True) for s in check.select(".govuk-task-list__status")]
    assert statuses == ["Completed"] * 6 + ["Not started"]
    assert "GIS analyst" in check.text and "3 days a week" in check.text
    assert not check.select(".govuk-error-summary")

    done = post_form(client, f"/opportunities/{opportunity_id}/publish", {})
    assert done.status_code == 200
    assert "Opportunity published" in done.get_data(as_text=True)

    board = client.page("/opportunities")
    assert "GIS analyst" in board.text
    advert = client.page(f"/opportunities/{opportunity_id}")
    assert "closes at 11:59pm on " in advert.text and "(in 14 days)" in advert.text
    assert "Apply" not in [b.get_text(strip=True) for b in advert.select(".govuk-button")]
    actions = [e.action for e in db.session.scalars(
        select(AuditEvent).where(AuditEvent.object_type == "Opportunity"))]
    assert actions[0] == "opportunity.created" and actions[-1] == "opportunity.publish"


def test_question_page_shows_the_rule_error_next_to_its_field(client, officer):
    o = make_opportunity(officer)
    client.sign_in("people-sam")
    url = f"/opportunities/{o.id}/edit/audience"

    answer = post_form(client, url, {"audience": "restricted_pool",
                                     "restriction_justification": "", "pool_grades": "Band 6",
                                     "skills_sought": "x", "eligibility": "y"})

    assert answer.status_code == 200
    page = client.page  # noqa: F841 - the answer itself is the page
    html = answer.get_data(as_text=True)
    assert "<title>Error: " in html
    assert "Explain which specific skills justify restricting the pool" in html
    assert 'href="#restriction_justification"' in html
    db.session.expire_all()
    assert db.session.get(Opportunity, o.id).audience == "all_staff"


@pytest.mark.parametrize(("email", "why"), [
    ("nobody@example.org", "no such person"),
    ("maria.lopez@northshire-nhs.example", "a host organisation's contact, not staff"),
    ("", "left out"),
])
def test_the_contact_must_be_a_member_of_staff_named_by_e_mail(client, officer, email, why):
    o = make_opportunity(officer)
    before = o.contact_id
    client.sign_in("people-sam")
    page = client.page(f"/opportunities/{o.id}/edit/closing")
    assert page.soup.find("input", {"name": "contact_email"})["value"] == o.contact.email
    assert not page.select("select[name=contact_email], select[name=contact_id]")

    answer = post_form(client, f"/opportunities/{o.id}/edit/closing", {
        "contact_email": email,
        **date_fields("closing_date", london_today() + timedelta(days=14))})

    assert answer.status_code == 200, why
    error = Page(answer).soup.select_one("#contact_email-error").get_text(" ", strip=True)
    assert error == ("Error: Enter the contact person's e-mail address" if not email else
                     "Error: Enter the e-mail address of a member of staff in your "
                     "organisation")
    db.session.expire_all()
    assert db.session.get(Opportunity, o.id).contact_id == before


def test_empty_required_fields_get_govuk_messages(client, officer):
    o = make_opportunity(officer)
    client.sign_in("people-sam")
    answer = post_form(client, f"/opportunities/{o.id}/edit/details",
                       {"title": "", "summary": "", "description": ""})
    html = answer.get_data(as_text=True)
    for message in ("Enter a title", "Enter a summary", "Enter a description of the role"):
        assert message in html


def test_extra_fields_in_a_post_are_ignored(client, officer):
    o = make_opportunity(officer)
    client.sign_in("people-sam")
    post_form(client, f"/opportunities/{o.id}/edit/details",
              {"title": "Renamed", "summary": "s", "description": "d", "status": "published",
               "created_by_id": "999", "published_at": "2020-01-01"})
    db.session.expire_all()
    fresh = db.session.get(Opportunity, o.id)
    assert fresh.title == "Renamed" and fresh.status == "draft"
    assert fresh.created_by_id == officer.id and fresh.published_at is None


def test_someone_else_changed_it_meanwhile(client, make_client, officer):
    o = make_opportunity(officer)
    client.sign_in("people-sam")
    url = f"/opportunities/{o.id}/edit/details"
    data = {"title": "Mine", "summary": "s", "description": "d"}
    data["csrf_token"] = client.csrf_token(url)
    data["version"] = client.page(url).soup.find("input", {"name": "version"})["value"]

    other = make_client()
    other.sign_in("people-sam")
    assert post_form(other, url, {"title": "Theirs", "summary": "s",
                                  "description": "d"}).status_code == 302

    answer = client.post(url, data=data)
    assert answer.status_code == 409
    assert "changed while you were looking at it" in answer.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Opportunity, o.id).title == "Theirs"


def test_outgoing_goes_to_the_board_then_is_published(client, make_client, officer):
    host = make_organisation("Regional Environment Agency")
    o = make_opportunity(officer, kind="outgoing", host_organisation_id=host.id)
    client.sign_in("people-sam")

    check = client.page(f"/opportunities/{o.id}/check")
    assert "Resources Board" in check.text
    assert not check.soup.find("button", string="Publish")

    answer = post_form(client, f"/opportunities/{o.id}/business-case",
                       {"skills": "Enforcement", "priorities": ["knowledge_transfer"],
                        "costs": "Host pays salary", "cover": "Team absorbs"})
    assert "Business case sent" in answer.get_data(as_text=True)

    member = make_client()
    member.sign_in("board-george")
    assert o.title in member.page("/business-cases").text
    decided = post_form(member, f"/business-cases/{o.id}",
                        {"decision": "approve", "reason": "Strong case."})
    assert "Business case approved" in decided.get_data(as_text=True)

    manage = client.page(f"/opportunities/{o.id}/manage")
    assert "Approved" in manage.text and "Strong case." in manage.text
    assert post_form(client, f"/opportunities/{o.id}/publish", {}).status_code == 200
    db.session.expire_all()
    assert db.session.get(Opportunity, o.id).status == "published"


def test_an_opportunity_without_a_business_case_has_none_to_decide(client, officer):
    o = make_opportunity(officer)
    client.sign_in("board-george")
    assert client.get(f"/business-cases/{o.id}").status_code == 404


def test_publishing_before_the_board_approves_is_refused(client, officer):
    host = make_organisation()
    o = make_opportunity(officer, kind="outgoing", host_organisation_id=host.id)
    client.sign_in("people-sam")
    # There is no Publish button yet: a hand-made post is refused all the same.
    answer = post_form(client, f"/opportunities/{o.id}/publish", {"version": str(o.version)})
    assert answer.status_code == 422
    assert "Resources Board must approve" in answer.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Opportunity, o.id).status == "draft"


def test_extend_close_withdraw_and_fill(client, officer):
    o = make_opportunity(officer, publish=True)
    client.sign_in("people-sam")
    new_date = o.closing_date + timedelta(days=7)

    refused = post_form(client, f"/opportunities/{o.id}/extend",
                        {**date_fields("closing_date", new_date), "reason": ""})
    assert "Enter the reason for extending the closing date" in refused.get_data(as_text=True)

    answer = post_form(client, f"/opportunities/{o.id}/extend",
                       {**date_fields("closing_date", new_date), "reason": "Few applicants"})
    assert answer.status_code == 302
    advert = client.page(f"/opportunities/{o.id}")
    assert "Updated on" in advert.text

    closed = post_form(client, f"/opportunities/{o.id}/close", {"reason": "Enough applicants"})
    assert "Opportunity closed" in closed.get_data(as_text=True)
    assert o.title not in client.page("/opportunities").text
    assert post_form(client, f"/opportunities/{o.id}/filled", {}).status_code == 302
    db.session.expire_all()
    assert db.session.get(Opportunity, o.id).status == "filled"
    history = client.page(f"/opportunities/{o.id}/manage").text
    assert "Few applicants" in history and "Enough applicants" in history


def test_get_never_changes_an_opportunity(client, officer):
    o = make_opportunity(officer, publish=True)
    client.sign_in("people-sam")
    for path in ("filled", "publish"):
        assert client.get(f"/opportunities/{o.id}/{path}").status_code == 405
    db.session.expire_all()
    assert db.session.get(Opportunity, o.id).status == "published"


def test_state_changing_posts_need_csrf(client, officer):
    o = make_opportunity(officer, publish=True)
    client.sign_in("people-sam")
    answer = client.post(f"/opportunities/{o.id}/filled", data={"version": str(o.version)})
    assert answer.status_code == 400
    db.session.expire_all()
    assert db.session.get(Opportunity, o.id).status == "published"


# --- who may see and do what ----------------------------------------------------------

@pytest.fixture
def cases(demo_data):
    sam = persona("people-sam")
    published = make_opportunity(sam, publish=True, title="Published one")
    draft = make_opportunity(sam, title="Draft one")
    named = make_opportunity(sam, publish=True, audience="named_request",
                             publicity_assessment="Low risk", title="Named one")
    return {"published": published.id, "draft": draft.id, "named": named.id}


def test_manager_cannot_edit_another_managers_opportunity(client, demo_data):
    other = make_user(roles=[Role.STAFF], department=make_department())
    o = make_opportunity(other)
    client.sign_in("manager-priya")
    assert client.get(f"/opportunities/{o.id}/edit/details").status_code == 404
    published = make_opportunity(other, publish=True)
    assert client.get(f"/opportunities/{published.id}/manage").status_code == 403
    # A well-formed post (its token and version): refused for who sends it, nothing else.
    answer = client.post(f"/opportunities/{published.id}/close", data={
        "reason": "x", "version": str(published.version),
        "csrf_token": client.csrf_token("/home")})
    assert answer.status_code == 403
    db.session.expire_all()
    assert db.session.get(Opportunity, published.id).status == "published"


def test_closed_opportunity_stays_visible_to_its_creator_and_people_services(
        client, make_client, cases):
    o = db.session.get(Opportunity, cases["published"])
    o.closing_date = london_today() - timedelta(days=1)
    o.start_date = london_today() + timedelta(days=30)
    db.session.commit()
    client.sign_in("staff-alex")
    assert client.get(f"/opportunities/{o.id}").status_code == 404
    assert o.title not in client.page("/opportunities").text
    officer = make_client()
    officer.sign_in("people-sam")
    page = officer.page(f"/opportunities/{o.id}")
    assert "Closed" in page.text and "closed at 11:59pm on" in page.text


def test_named_requests_list_for_people_services(client, cases):
    client.sign_in("people-sam")
    page = client.page("/opportunities/named-requests")
    assert "Named one" in page.text and "Published one" not in page.text


# --- the board ------------------------------------------------------------------------

def test_board_filters_search_sort_and_empty_state(client, demo_data):
    sam = persona("people-sam")
    host = make_organisation("Lakes National Park Authority Trust")
    make_opportunity(sam, publish=True, title="Ranger for the moors", location="Buxton",
                     working_pattern="part_time", hours_detail="2 days a week")
    make_opportunity(sam, publish=True, title="Treasury analyst", grade="Band 7",
                     closing_date=london_today() + timedelta(days=3))
    make_opportunity(sam, publish=True, title="Abroad", kind="international", country="France",
                     location="Paris", host_organisation_id=host.id, duration_months=12)
    client.sign_in("staff-alex")

    def titles(query):
        page = client.page("/opportunities" + query)
        return [a.get_text(strip=True) for a in page.select(".portal-result__title a")]

    assert titles("") == ["Treasury analyst", "Ranger for the moors", "Abroad"]
    assert titles("?q=ranger") == ["Ranger for the moors"]
    assert titles("?part_time=yes") == ["Ranger for the moors"]
    assert titles("?grade=Band+7") == ["Treasury analyst"]
    assert titles("?closing=7") == ["Treasury analyst"]
    assert titles("?location=france") == ["Abroad"]
    assert titles("?kind=international") == ["Abroad"]
    assert titles(f"?host={host.id}") == ["Abroad"]
    assert titles("?kind=internal&kind=international&duration=6") == [
        "Treasury analyst", "Ranger for the moors"]
    assert titles("?sort=newest")[0] == "Abroad"
    assert "3 opportunities" in client.page("/opportunities").text
    empty = client.page("/opportunities?q=astronaut")
    assert "0 opportunities" in empty.text and "clearing them all" in empty.text
    # Malformed filters are ignored rather than failing the page.
    assert client.get("/opportunities?page=abc&duration=x&department=-1").status_code == 200


def test_board_is_paginated(client, demo_data):
    sam = persona("people-sam")
    for n in range(25):
        make_opportunity(sam, publish=True, title=f"Opportunity {n:02}")
    client.sign_in("staff-alex")
    first = client.page("/opportunities")
    assert len(first.select(".portal-result")) == 20
    assert first.select(".govuk-pagination")
    second = client.page("/opportunities?page=2")
    assert len(second.select(".portal-result")) == 5


def test_board_announces_its_atom_feed(client, demo_data):
    client.sign_in("staff-alex")
    link = client.page("/opportunities").soup.find("link", {"type": "application/atom+xml"})
    assert link["href"] == "/opportunities/feed.atom"


def test_board_uses_the_same_number_of_queries_for_10_and_2000(client, demo_data):
    from portal.models import Opportunity as O
    from tests.factories import opportunity_fields

    sam = persona("people-sam")
    host = make_organisation()
    department = make_department()
    client.sign_in("staff-alex")
    client.get("/opportunities")  # warm up: session and role lookups are cached after

    def add(count):
        from portal.models.base import utcnow

        now = utcnow()
        db.session.add_all([
            O(created_by_id=sam.id, contact_id=sam.id, published_at=now,
              offering_department_id=department.id if n % 2 else None,
              host_organisation_id=None if n % 2 else host.id,
              **opportunity_fields(status="published", title=f"Bulk {n}",
                                   kind="internal" if n % 2 else "outgoing"))
            for n in range(count)])
        db.session.commit()

    add(10)
    with count_queries() as few:
        assert client.get("/opportunities?sort=newest").status_code == 200
    add(1990)
    with count_queries() as many:
        assert client.get("/opportunities?sort=newest").status_code == 200
    assert len(few) == len(many), (len(few), len(many))
    assert len(many) <= 12


# --- feeds for the intranet -----------------------------------------------------------

@pytest.fixture
def feed_data(demo_data):
    sam = persona("people-sam")
    make_opportunity(sam, publish=True, title="Open to all <script>alert(1)</script>")
    make_opportunity(sam, publish=True, title="Restricted one", audience="restricted_pool",
                     restriction_justification="Needs GIS", pool_grades="Band 7")
    make_opportunity(sam, publish=True, title="Named one", audience="named_request",
                     publicity_assessment="Low risk")
    make_opportunity(sam, title="Draft one")


def test_feeds_list_only_open_opportunities_for_all_staff(client, feed_data):
    client.sign_in("staff-alex")
    data = client.get("/opportunities.json").json
    assert [o["title"] for o in data["opportunities"]] == [
        "Open to all <script>alert(1)</script>"]
    assert set(data["opportunities"][0]) == {"title", "summary", "closing_date", "url"}

    atom = client.get("/opportunities/feed.atom")
    assert atom.mimetype == "application/atom+xml"
    root = ET.fromstring(atom.data)
    ns = {"a": "http://www.w3.org/2005/Atom"}
    titles = [e.findtext("a:title", namespaces=ns) for e in root.findall("a:entry", ns)]
    assert titles == ["Open to all <script>alert(1)</script>"]
    assert b"<script>" not in atom.data  # escaped in the XML

    ics = client.get("/opportunities/closing-dates.ics")
    assert ics.mimetype == "text/calendar"
    body = ics.get_data(as_text=True)
    assert body.startswith("BEGIN:VCALENDAR\r\n") and body.count("BEGIN:VEVENT") == 1
    assert all(len(line.encode()) <= 75 for line in body.split("\r\n"))
    from icalendar import Calendar

    [event] = Calendar.from_ical(ics.data).walk("VEVENT")
    assert str(event["summary"]) == "Closing date: Open to all <script>alert(1)</script>"
    opportunity = db.session.scalar(select(Opportunity).where(
        Opportunity.title.startswith("Open to all")))
    assert event.decoded("dtstart") == opportunity.closing_date
    assert str(event["url"]).endswith(f"/opportunities/{opportunity.id}")


def test_the_calendar_keeps_commas_semicolons_and_line_breaks(client, demo_data):
    from icalendar import Calendar

    make_opportunity(persona("people-sam"), publish=True, title="Parks; trails, and paths",
                     summary="Two lines:\nfirst, then second; done.")
    client.sign_in("staff-alex")
    [event] = Calendar.from_ical(
        client.get("/opportunities/closing-dates.ics").data).walk("VEVENT")
    assert str(event["summary"]) == "Closing date: Parks; trails, and paths"
    assert str(event["description"]) == "Two lines:\nfirst, then second; done. Closes at 11:59pm."


def test_feeds_answer_a_server_with_the_feed_key(app, client, feed_data):
    app.config["FEED_KEY"] = "intranet-key-123"
    assert client.get("/opportunities.json").status_code == 302  # not signed in
    assert client.get("/opportunities.json?key=wrong").status_code == 403
    answer = client.get("/opportunities.json?key=intranet-key-123")
    assert answer.status_code == 200 and len(answer.json["opportunities"]) == 1
    assert client.get("/opportunities/feed.atom?key=intranet-key-123").status_code == 200
    assert client.get("/opportunities/closing-dates.ics?key=intranet-key-123").status_code == 200


def test_feeds_refuse_any_key_when_none_is_configured(app, client, feed_data):
    app.config["FEED_KEY"] = ""
    assert client.get("/opportunities.json?key=").status_code == 302
    assert client.get("/opportunities.json?key=anything").status_code == 403


def test_host_contact_cannot_read_the_feeds(client, feed_data):
    client.sign_in("host-maria")
    assert client.get("/opportunities.json").status_code == 403


def test_user_text_is_escaped_on_every_page(client, demo_data):
    sam = persona("people-sam")
    nasty = '"><svg onload=alert(1)> {{7*7}} <script>x</script>'
    o = make_opportunity(sam, publish=True, title=nasty, summary=nasty, description=nasty,
                         location=nasty)
    client.sign_in("people-sam")
    for url in ("/opportunities", f"/opportunities/{o.id}", f"/opportunities/{o.id}/manage",
                "/opportunities/yours"):
        html = client.get(url).get_data(as_text=True)
        assert "<svg onload" not in html and "<script>x" not in html, url
        assert "{{7*7}}" in html or "49" not in html


def test_json_feed_is_valid_json_for_plone(client, feed_data):
    client.sign_in("staff-alex")
    json.loads(client.get("/opportunities.json").get_data(as_text=True))


def test_home_page_points_to_the_board_and_to_waiting_cases(client, make_client, demo_data):
    sam = persona("people-sam")
    make_opportunity(sam, publish=True)
    host = make_organisation()
    o = make_opportunity(sam, kind="outgoing", host_organisation_id=host.id)
    from portal.services import opportunities as service

    service.submit_business_case(o, sam, skills="s", priorities=["knowledge_transfer"],
                                 costs="c", cover="v")
    client.sign_in("staff-alex")
    assert "1 open opportunity on the vacancies board" in client.page("/home").text
    member = make_client()
    member.sign_in("board-george")
    assert "1 business case waiting for the Resources Board" in member.page("/home").text
    maria = make_client()
    maria.sign_in("host-maria")
    assert "vacancies board" not in maria.page("/home").text


def test_a_tampered_version_reads_as_changed_meanwhile(client, officer):
    o = make_opportunity(officer)
    client.sign_in("people-sam")
    answer = post_form(client, f"/opportunities/{o.id}/edit/details",
                       {"title": "T", "summary": "s", "description": "d", "version": "abc"})
    assert answer.status_code == 409


def test_pagination_keeps_the_filters_and_shows_a_window_of_pages(client, demo_data):
    sam = persona("people-sam")
    for n in range(20 * 9):
        make_opportunity(sam, publish=True, title=f"Many {n:03}", working_pattern="part_time",
                         hours_detail="2 days")
    client.sign_in("staff-alex")
    page = client.page("/opportunities?part_time=yes&page=5")
    numbers = [a.get_text(strip=True) for a in page.select(".govuk-pagination__item a")]
    assert numbers == ["1", "4", "5", "6", "9"]
    assert len(page.select(".govuk-pagination__item--ellipsis")) == 2
    next_link = page.soup.select_one(".govuk-pagination__next a")["href"]
    assert "part_time=yes" in next_link and "page=6" in next_link


# Hostile input at the edge: a field error, nothing saved, never a server error -----

@pytest.mark.parametrize("field, value", [
    ("title", "Planning\x00 lead"), ("summary", "A\x07summary"), ("title", "Two\nlines"),
    ("description", "Text with a NUL\x00 byte")])
def test_control_characters_are_refused_next_to_the_field(client, officer, field, value):
    o = make_opportunity(officer)
    client.sign_in("people-sam")
    data = {"title": "Renamed", "summary": "s", "description": "d"} | {field: value}

    answer = post_form(client, f"/opportunities/{o.id}/edit/details", data)

    assert answer.status_code == 200
    html = answer.get_data(as_text=True)
    assert "must not include hidden characters" in html
    assert "Error:" in html
    db.session.expire_all()
    assert db.session.get(Opportunity, o.id).title == o.title


def test_text_past_its_limit_is_refused_next_to_the_field_and_nothing_is_saved(
        client, officer):
    o = make_opportunity(officer)
    client.sign_in("people-sam")
    answer = post_form(client, f"/opportunities/{o.id}/edit/details",
                       {"title": "Renamed", "summary": "s", "description": "x" * 100_000})

    page = Page(answer)
    assert answer.status_code == 200 and page.title.startswith("Error:")
    assert page.error_messages() == ["Error: Description must be 10,000 characters or fewer"]
    db.session.expire_all()
    assert db.session.get(Opportunity, o.id).title == o.title


@pytest.mark.parametrize("parts", [[], ["3"], ["1", "2", "2031", "4"], ["\x00", "1", "2031"]])
@pytest.mark.parametrize("page, name", [("edit/terms", "start_date"),
                                        ("edit/closing", "closing_date")])
def test_a_date_in_the_wrong_number_of_parts_is_a_field_error(
        client, officer, page, name, parts):
    o = make_opportunity(officer)
    client.sign_in("people-sam")

    answer = post_form(client, f"/opportunities/{o.id}/{page}", {name: parts})

    assert answer.status_code == 200
    assert "Error:" in answer.get_data(as_text=True)


def test_an_extension_date_in_the_wrong_number_of_parts_is_a_field_error(client, officer):
    o = make_opportunity(officer, publish=True)
    client.sign_in("people-sam")

    for parts in ([], ["1"], ["1", "2", "2031", "9"]):
        answer = post_form(client, f"/opportunities/{o.id}/extend",
                           {"closing_date": parts, "reason": "More time"})
        assert answer.status_code == 200
        assert "Error:" in answer.get_data(as_text=True)


def test_a_business_case_priority_sent_thirty_times_counts_once(client, officer):
    host = make_organisation()
    o = make_opportunity(officer, kind="outgoing", host_organisation_id=host.id)
    client.sign_in("people-sam")

    answer = post_form(client, f"/opportunities/{o.id}/business-case",
                       {"skills": "Enforcement", "priorities": ["knowledge_transfer"] * 30,
                        "costs": "Host pays salary", "cover": "Team absorbs"})

    assert "Business case sent" in answer.get_data(as_text=True)
    db.session.expire_all()
    case = db.session.get(Opportunity, o.id).business_case
    assert "knowledge_transfer" in str(case.priorities)
    assert str(case.priorities).count("knowledge_transfer") == 1
