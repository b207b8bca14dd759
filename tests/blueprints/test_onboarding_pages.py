"""The onboarding pages through the test client (R9): a placement's checklist as a task
list, an item's status moved by its owner with what it records, each owner's tasks, and
the refusals: another organisation's contact and strangers get 404, someone who sees
the checklist but does not own the item 403, bad input an error next to its field with
nothing saved."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from portal.extensions import db
from portal.models import AuditEvent
from portal.models.onboarding import ChecklistItem, ItemStatus
from portal.models.placements import Placement
from portal.permissions import Role
from portal.services import invitations
from portal.services.opportunities import london_today
from tests.factories import make_organisation, make_placement, make_user
from tests.helpers import post_form


@pytest.fixture
def cast(app, identity_providers):
    staff = identity_providers["staff"]
    lakes = make_organisation("Lakes National Park Authority")
    fells = make_organisation("Fells Water Board")
    manager = make_user("Mo Manager", issuer=staff, subject="mo-manager")
    officer = make_user("Pat People", roles=[Role.STAFF, Role.PEOPLE_SERVICES],
                        issuer=staff, subject="pat-people")
    secondee = make_user("Sam Secondee", line_manager=manager, issuer=staff,
                         subject="sam-secondee")
    it = make_user("Ira IT", roles=[Role.STAFF, Role.IT], issuer=staff, subject="ira-it")
    stranger = make_user("Stan Stranger", issuer=staff, subject="stan-stranger")
    going = make_placement(officer, secondee, partner=lakes, title="Visitor data lead",
                           start_date=london_today() + timedelta(days=40))
    return {"lakes": lakes, "fells": fells, "manager": manager, "officer": officer,
            "secondee": secondee, "it": it, "stranger": stranger, "placement": going}


def _sign_in_contact(client, officer, organisation, subject: str, name: str):
    token = invitations.invite(officer, organisation, name, f"{subject}@partner.example")
    client.page(f"/invitations/{token}")
    assert client.sign_in(subject, provider="partner").status_code == 302


def _item(placement: Placement, title: str) -> ChecklistItem:
    return db.session.scalar(select(ChecklistItem).where(
        ChecklistItem.placement_id == placement.id, ChecklistItem.title == title))


def _url(item: ChecklistItem) -> str:
    return f"/placements/{item.placement_id}/checklist/{item.id}"


def test_the_checklist_is_a_task_list_by_phase_with_owners_and_what_blocks_the_start(
        cast, client):
    client.sign_in("pat-people")
    page = client.page(f"/placements/{cast['placement'].id}/checklist")
    assert page.h1 == "Onboarding checklist: Sam Secondee"
    headings = [h.get_text(strip=True) for h in page.soup.select("h2.govuk-heading-m")]
    assert headings == ["Before the start", "First week"]
    names = [a.get_text(strip=True) for a in page.soup.select(".govuk-task-list__link")]
    assert "Host organisation's details confirmed" in names
    assert "Pay and expenses arranged" in names
    blocking = page.soup.select_one("#blocking").get_text(" ", strip=True)
    assert "Pay and expenses arranged (People Services)" in blocking
    assert "Host organisation's details confirmed (The host organisation's contact)" in blocking
    statuses = {s.get_text(strip=True) for s in page.soup.select(".govuk-task-list__status")}
    assert statuses == {"Not yet started"}
    assert "0 of 5 items done." in page.text
    # The placement's page says how far the checklist has got and links to it.
    placement_page = client.page(f"/placements/{cast['placement'].id}")
    assert "0 of 5 items done; 2 still block the start." in placement_page.text


def test_an_owner_completes_an_item_recording_its_date_and_the_audit_trail_says_so(
        cast, client):
    client.sign_in("pat-people")
    item = _item(cast["placement"], "Pay and expenses arranged")
    page = client.page(_url(item))
    choices = [i["value"] for i in page.soup.select("input[name=action]")]
    assert choices == ["start", "wait", "complete", "not_applicable"]
    answer = post_form(client, _url(item), {"action": "complete"})
    assert answer.status_code == 302
    assert answer.location.endswith(f"/placements/{item.placement_id}/checklist#item-{item.id}")
    db.session.expire_all()
    assert item.status == ItemStatus.DONE
    assert item.completed_by_id == cast["officer"].id
    assert db.session.scalar(select(func.count()).select_from(AuditEvent).where(
        AuditEvent.object_type == "ChecklistItem", AuditEvent.object_id == str(item.id))) == 1
    page = client.page(f"/placements/{item.placement_id}/checklist")
    assert "1 of 5 items done." in page.text


def test_an_item_that_records_a_date_needs_one_and_refuses_a_future_one(cast, client):
    client.sign_in("pat-people")
    item = _item(cast["placement"], "Host induction booked")   # a host contact's item
    for data, field, message in [
        ({"action": "complete"}, "recorded_date", "Enter the date of the induction"),
        ({"action": "complete", "recorded_date": ["31", "2", "2027"]}, "recorded_date",
         "Date must be a real date"),
        ({"action": "not_applicable", "reason": "  "}, "reason",
         "Say why this does not apply to this placement"),
        ({"action": "wait"}, "reason", "Say what this is waiting for"),
        ({"action": "finish"}, "action", "Not a valid choice."),
        ({}, "action", "Select the status of this item"),
        ({"action": "wait", "reason": "A\x00B"}, "reason", None),
    ]:
        answer = post_form(client, _url(item), data)
        assert answer.status_code == 200, data
        page = client.page(_url(item))   # nothing changed
        assert "Not yet started" in page.text
        from tests.helpers import Page

        errors = Page(answer).error_messages()
        assert errors, data
        near = Page(answer).soup.select_one(f"#{field}-error, #{field}-date-input-error")
        assert near is not None, (data, errors)
        if message:
            assert message in near.get_text(" ", strip=True), (data, errors)
        assert Page(answer).title.startswith("Error: ")
    db.session.expire_all()
    assert item.status == ItemStatus.NOT_STARTED and item.recorded_date is None
    far = london_today() + timedelta(days=400)
    answer = post_form(client, _url(item), {
        "action": "complete", "recorded_date": [str(far.day), str(far.month), str(far.year)]})
    assert "The date of the induction must be within a year of today" in answer.get_data(
        as_text=True)
    # An induction is booked ahead: a date next week is what it records.
    booked = london_today() + timedelta(days=7)
    assert post_form(client, _url(item), {
        "action": "complete",
        "recorded_date": [str(booked.day), str(booked.month), str(booked.year)]}
    ).status_code == 302
    db.session.expire_all()
    assert (item.status, item.recorded_date) == (ItemStatus.DONE, booked)


def test_a_stale_page_is_refused_as_changed_meanwhile(cast, client, make_client):
    client.sign_in("pat-people")
    item = _item(cast["placement"], "Pay and expenses arranged")
    page = client.page(_url(item))
    token = page.soup.find("input", {"name": "csrf_token"})["value"]
    version = page.soup.find("input", {"name": "version"})["value"]
    assert post_form(client, _url(item), {"action": "start"}).status_code == 302
    stale = client.post(_url(item), data={"csrf_token": token, "version": version,
                                          "action": "complete"})
    assert stale.status_code == 409
    db.session.expire_all()
    assert item.status == ItemStatus.IN_PROGRESS


def test_the_substantive_manager_sees_the_whole_checklist_but_moves_only_their_items(
        cast, client):
    placement = cast["placement"]
    client.sign_in("mo-manager")
    page = client.page(f"/placements/{placement.id}/checklist")
    links = [a.get_text(strip=True) for a in page.soup.select(".govuk-task-list__link")]
    assert links == ["Handover of current work", "Keeping in touch agreed"]
    assert "Pay and expenses arranged" in page.text
    pay = _item(placement, "Pay and expenses arranged")
    assert client.get(_url(pay)).status_code == 403
    assert post_form(client, _url(_item(placement, "Handover of current work")),
                     {"action": "start"}).status_code == 302
    token = client.csrf_token(f"/placements/{placement.id}/checklist")
    refused = client.post(_url(pay), data={"csrf_token": token, "version": pay.version,
                                           "action": "start"})
    assert refused.status_code == 403
    db.session.expire_all()
    assert pay.status == ItemStatus.NOT_STARTED


def test_it_services_reach_their_items_from_their_tasks_without_seeing_the_placement(
        cast, client):
    placement = make_placement(cast["officer"], cast["secondee"], kind="internal",
                               title="Internal move")
    client.sign_in("ira-it")
    tasks = client.page("/onboarding/your-tasks")
    assert "Access to the host team's systems" in tasks.text
    assert "Internal move" in tasks.text
    access = _item(placement, "Access to the host team's systems")
    assert post_form(client, _url(access), {"action": "complete"}).status_code == 302
    assert client.get(f"/placements/{placement.id}/checklist").status_code == 404
    assert client.get(f"/placements/{placement.id}").status_code == 404
    # Back to their tasks, where the item is no longer waiting.
    assert "Access to the host team's systems" not in client.page(
        "/onboarding/your-tasks").text
    assert "Access to the host team's systems" in client.page(
        "/onboarding/your-tasks?show=all").text


def test_a_host_contact_sees_and_moves_only_their_organisations_items(cast, client):
    theirs = make_placement(cast["officer"], cast["secondee"], partner=cast["fells"],
                            title="Reservoir planner")
    _sign_in_contact(client, cast["officer"], cast["lakes"], "hana-at-lakes", "Hana Host")
    page = client.page(f"/placements/{cast['placement'].id}/checklist")
    titles = [a.get_text(strip=True) for a in page.soup.select(".govuk-task-list__link")]
    assert titles == ["Host organisation's details confirmed", "Host induction booked"]
    assert "Pay and expenses arranged" not in page.text
    assert "These are the items your organisation does." in page.text
    ours = _item(cast["placement"], "Host induction booked")
    today = london_today()
    assert post_form(client, _url(ours), {
        "action": "complete",
        "recorded_date": [str(today.day), str(today.month), str(today.year)]}
    ).status_code == 302
    # Another organisation's placement, its items, and People Services' items: 404.
    assert client.get(f"/placements/{theirs.id}/checklist").status_code == 404
    other = _item(theirs, "Host induction booked")
    assert client.get(_url(other)).status_code == 404
    token = client.csrf_token(f"/placements/{cast['placement'].id}/checklist")
    assert client.post(_url(other), data={"csrf_token": token, "version": other.version,
                                          "action": "start"}).status_code == 404
    db.session.expire_all()
    assert other.status == ItemStatus.NOT_STARTED
    pay = _item(cast["placement"], "Pay and expenses arranged")
    assert client.get(_url(pay)).status_code == 404
    # An item id under the wrong placement, and ids no item has.
    assert client.get(f"/placements/{theirs.id}/checklist/{ours.id}").status_code == 404
    assert client.get(f"/placements/{cast['placement'].id}/checklist/"
                      f"{2**63 - 1}").status_code == 404
    assert client.get(f"/placements/{cast['placement'].id}/checklist/"
                      f"{2**64}").status_code == 404
    tasks = client.page("/onboarding/your-tasks")
    assert "Host organisation's details confirmed" in tasks.text
    assert "Reservoir planner" not in tasks.text


def test_a_stranger_finds_no_checklist(cast, client):
    client.sign_in("stan-stranger")
    placement = cast["placement"]
    item = _item(placement, "Pay and expenses arranged")
    assert client.get(f"/placements/{placement.id}/checklist").status_code == 404
    assert client.get(_url(item)).status_code == 404
    assert "No onboarding items are waiting for you" in client.page(
        "/onboarding/your-tasks").text


def test_tasks_list_overdue_first_and_home_counts_them(cast, client):
    soon = make_placement(cast["officer"], cast["secondee"], partner=cast["lakes"],
                          title="Soon", start_date=london_today() + timedelta(days=3))
    client.sign_in("pat-people")
    page = client.page("/onboarding/your-tasks")
    rows = page.soup.select("tbody tr")
    assert "Soon" in rows[0].get_text(" ", strip=True)
    assert "Overdue" in rows[0].get_text(" ", strip=True)
    assert "Visitor data lead" in rows[-1].get_text(" ", strip=True)
    home = client.page("/")
    assert "Onboarding: 2 checklist items to do, 1 overdue" in home.text
    assert soon.id


def test_people_services_dashboard_counts_filters_and_exports(cast, client):
    client.sign_in("pat-people")
    item = _item(cast["placement"], "Pay and expenses arranged")
    post_form(client, _url(item), {"action": "complete"})
    make_placement(cast["officer"], cast["secondee"], kind="internal", title="Internal move",
                   start_date=london_today() + timedelta(days=100))
    page = client.page("/people-services/checklists")
    rows = [r.get_text(" ", strip=True) for r in page.soup.select("tbody tr")]
    assert len(rows) == 2
    assert "Visitor data lead" in rows[0] and "1 of 5" in rows[0]
    assert "Internal move" in rows[1] and "0 of 4" in rows[1]
    only = client.page("/people-services/checklists?kind=internal")
    assert len(only.soup.select("tbody tr")) == 1
    owned = client.page("/people-services/checklists?owner=host_contact")
    assert [r.get_text(" ", strip=True) for r in owned.soup.select("tbody tr")][0].count(
        "Visitor data lead") == 1
    within = client.page("/people-services/checklists?starts_within=60")
    assert len(within.soup.select("tbody tr")) == 1
    bad = client.page("/people-services/checklists?owner=nobody&starts_within=x")
    assert bad.title.startswith("Error: ")
    assert "Error: Select an owner from the list" in bad.error_messages()
    export = client.get("/people-services/checklists.csv?kind=internal")
    lines = export.get_data(as_text=True).splitlines()
    assert lines[0].startswith("Secondee,Placement,Kind,Start date,Item")
    assert len(lines) == 1 + 4
    assert all("Internal move" in line for line in lines[1:])
    assert client.get("/people-services/checklists.csv?owner=x").status_code == 302


def test_the_dashboard_and_tasks_are_refused_to_others(cast, client):
    client.sign_in("sam-secondee")
    assert client.get("/people-services/checklists").status_code == 403
    assert client.get("/people-services/checklists.csv").status_code == 403
    assert client.get("/people-services/checklist-templates").status_code == 403


# --- the checklist templates ----------------------------------------------------------

def _template(kind: str):
    from portal.models.onboarding import ChecklistTemplate

    return db.session.scalar(select(ChecklistTemplate).where(ChecklistTemplate.kind == kind))


ITEM = {"title": "Car park pass", "guidance": "From facilities.", "owner_type": "it",
        "days": "3", "when": "before", "phase": "before_start", "blocking": "no",
        "records": "reference", "record_label": "Pass number",
        "change": "Staff need a pass to park on site."}


def test_people_services_add_an_item_as_a_new_version_leaving_checklists_made_alone(
        cast, client):
    client.sign_in("pat-people")
    template = _template("outgoing")
    listing = client.page("/people-services/checklist-templates")
    assert "Outgoing secondees" in listing.text
    page = client.page(f"/people-services/checklist-templates/{template.id}")
    assert "Version 1." in page.text
    url = f"/people-services/checklist-templates/{template.id}/items/new"
    answer = post_form(client, url, ITEM)
    assert answer.status_code == 302
    page = client.page(f"/people-services/checklist-templates/{template.id}")
    assert "Version 2." in page.text
    assert "Car park pass" in page.text and "3 working days before" in page.text
    assert "Version 2" in page.text and "Staff need a pass to park on site." in page.text
    # The placement set up before keeps version 1; the next one gets version 2.
    assert _item(cast["placement"], "Car park pass") is None
    later = make_placement(cast["officer"], cast["secondee"], partner=cast["lakes"],
                           title="Later")
    added = _item(later, "Car park pass")
    assert (added.owner_type, added.offset_days, added.records) == ("it", -3, "reference")
    assert added.template_version.number == 2
    checklist = client.page(f"/placements/{later.id}/checklist")
    assert "Outgoing secondees, version 2" in checklist.text


def test_changing_and_removing_an_item_make_versions_and_the_audit_trail_says_so(
        cast, client):
    client.sign_in("pat-people")
    template = _template("outgoing")
    base = f"/people-services/checklist-templates/{template.id}/items"
    form = client.page(f"{base}/1")
    assert form.soup.find("input", {"name": "title"})["value"] == (
        "Host organisation's details confirmed")
    assert post_form(client, f"{base}/1", ITEM | {"title": "Host's details confirmed",
                                                  "owner_type": "host_contact",
                                                  "records": "none", "record_label": "",
                                                  "blocking": "yes"}).status_code == 302
    assert post_form(client, f"{base}/2/remove",
                     {"change": "Payroll is told by the HR system now."}).status_code == 302
    page = client.page(f"/people-services/checklist-templates/{template.id}")
    assert "Version 3." in page.text
    assert "Host's details confirmed" in page.text
    assert "Pay and expenses arranged" not in page.text.split("History")[0]
    summaries = [e.summary for e in db.session.scalars(select(AuditEvent).where(
        AuditEvent.action == "checklist_template.change").order_by(AuditEvent.id))]
    assert summaries == [
        "Outgoing secondees: version 2: changed Host's details confirmed",
        "Outgoing secondees: version 3: removed Pay and expenses arranged"]
    assert _item(cast["placement"], "Pay and expenses arranged") is not None


def test_a_template_item_is_refused_field_by_field_and_nothing_is_saved(cast, client):
    from portal.models.onboarding import ChecklistTemplateVersion
    from tests.helpers import Page

    client.sign_in("pat-people")
    template = _template("outgoing")
    url = f"/people-services/checklist-templates/{template.id}/items/new"
    for changes, field, message in [
        ({"title": " "}, "title", "Enter what needs to be done"),
        ({"owner_type": "person"}, "owner_email",
         "Enter the e-mail address of the person who does it"),
        ({"owner_type": "person", "owner_email": "nobody@example.org"}, "owner_email",
         "There is no one with a portal account at that e-mail address"),
        ({"owner_type": "mayor"}, "owner_type", "Not a valid choice."),
        ({"days": "-4"}, "days", "Working days must be a whole number, like 10"),
        ({"days": "9" * 30}, "days", "It must be due within 130 working days of the start"),
        ({"days": "200"}, "days", "It must be due within 130 working days of the start"),
        ({"when": "after", "days": "2"}, "when",
         "An item done before the start must be due on or before it"),
        ({"phase": "first_week", "when": "before"}, "when",
         "An item done in the first week must be due on or after the start"),
        ({"records": "date", "record_label": ""}, "record_label",
         "Enter what the date or reference is, for example Visa expiry date"),
        ({"change": ""}, "change", "Say what changed and why, for the template's history"),
        ({"title": "x" * 201}, "title", "What needs to be done must be 200 characters or fewer"),
        ({"title": "pass\x00"}, "title", None),
    ]:
        answer = post_form(client, url, ITEM | changes)
        page = Page(answer)
        assert answer.status_code == 200, changes
        assert page.title.startswith("Error: "), changes
        near = page.soup.select_one(f"#{field}-error")
        assert near is not None, (changes, page.error_messages())
        if message:
            assert message in near.get_text(" ", strip=True), (changes, page.error_messages())
    assert db.session.scalar(select(func.count()).select_from(ChecklistTemplateVersion).where(
        ChecklistTemplateVersion.template_id == template.id)) == 1
    # A page shown before another officer's change is out of date.
    page = client.page(url)
    number = page.soup.find("input", {"name": "version"})["value"]
    assert post_form(client, url, ITEM).status_code == 302
    token = client.csrf_token(url)
    stale = client.post(url, data=ITEM | {"csrf_token": token, "version": number})
    assert stale.status_code == 409
    assert client.get(f"/people-services/checklist-templates/{template.id}/items/99"
                      ).status_code == 404
    assert client.get(f"/people-services/checklist-templates/{2**64}").status_code == 404


# --- a constant number of queries ------------------------------------------------------

def test_the_dashboard_tasks_and_export_read_a_constant_number_of_queries(cast, app):
    from blueprints.onboarding import home
    from portal.services.onboarding import listing
    from tests.helpers import count_queries

    def sizes():
        with app.test_request_context():
            with count_queries() as dashboard:
                page = listing.open_checklists(listing.ChecklistFilters())
                [(r.placement.secondee, r.placement.host_organisation) for r in page.items]
            with count_queries() as tasks:
                found = listing.tasks_for(cast["officer"])
                [(t.item.placement.secondee, t.item.owner_person) for t in found.items]
            with count_queries() as export:
                rows = list(listing.export_rows(listing.ChecklistFilters()))
            with count_queries() as on_home:
                home.checklist_tasks(cast["officer"])
        return (len(dashboard), len(tasks), len(export), len(on_home)), len(rows)

    few, few_rows = sizes()
    for n in range(6):
        make_placement(cast["officer"], make_user(f"Secondee {n}"), partner=cast["lakes"],
                       title=f"Placement {n}")
    many, many_rows = sizes()
    assert many_rows > few_rows * 5
    assert many == few
