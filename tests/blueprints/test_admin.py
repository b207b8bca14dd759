"""The back office (Flask-Admin at /back-office): who may open what, what each view may
change, and that it keeps the portal's CSRF, escaping and CSP rules."""

import re
from urllib.parse import urlparse

import pytest
from bs4 import BeautifulSoup
from sqlalchemy import func, select, text
from sqlalchemy.exc import DBAPIError

from blueprints.admin import SecuredView
from portal.extensions import db
from portal.models import AuditEvent, Department, Organisation, RoleAssignment, User, UserSession
from portal.permissions import Role, undeclared_endpoints, view_declaration
from portal.services import audit
from portal.services.identity import own_organisation
from portal.services.sessions import start_session
from tests.factories import make_department, make_organisation, make_user
from tests.helpers import Page

HOSTILE = ("<script>alert(1)</script>", '"><svg onload=alert(1)>', "{{7*7}}")


def sign_in_as(client, user: User) -> None:
    """A signed-in session for `user`, made directly (no identity provider needed)."""
    key = start_session(user, "staff", None)
    db.session.commit()
    with client.session_transaction() as session:
        session["_user_id"] = key
        session["_fresh"] = True


def person(subject: str) -> User:
    return db.session.scalar(select(User).where(User.subject == subject))


def audit_events(action: str) -> list[AuditEvent]:
    return list(db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)))


def form_token(client, url: str) -> str:
    page = client.page(url)
    field = page.soup.find("input", {"name": "csrf_token"})
    assert field is not None and field["value"], f"no CSRF token on {url}"
    return field["value"]


def back_office_views(app) -> list:
    return app.extensions["admin"][0]._views


@pytest.fixture
def admin_client(make_client, demo_data):
    client = make_client()
    client.sign_in("admin-jo")
    return client


# Access ---------------------------------------------------------------------------

def test_refused_back_office_access_is_audited(client, demo_data):
    client.sign_in("people-sam")

    assert client.get("/back-office/people/").status_code == 403

    refused = audit_events("access.refused")
    assert refused[-1].actor_id == person("people-sam").id
    assert "/back-office/people/" in refused[-1].summary


def test_people_services_see_only_the_audit_trail_in_the_menu(client, demo_data):
    client.sign_in("people-sam")

    page = client.page("/back-office/")
    menu = [a.get_text(strip=True) for a in page.select("nav a")]

    assert "Audit trail" in menu
    assert not {"People", "Role assignments", "Organisations", "Departments"} & set(menu)


def test_every_admin_endpoint_belongs_to_a_secured_view(app):
    admin_endpoints = [e for e in app.view_functions if e.startswith("admin")]
    assert "admin.index" in admin_endpoints
    assert {e.split(".")[0] for e in admin_endpoints} == {
        "admin", "admin_audit", "admin_people", "admin_roles", "admin_organisations",
        "admin_departments"}

    for endpoint in admin_endpoints:
        view = app.view_functions[endpoint]
        if endpoint.endswith(".static"):
            # Flask-Admin's own CSS and JavaScript: public files, declared so.
            assert view_declaration(view) == "public", endpoint
            continue
        owner = getattr(view, "__self__", None)
        assert isinstance(owner, SecuredView), endpoint
        assert owner.required_permission is not None, endpoint
    # The route walk reads the secured view's permission for each of its routes.
    assert not [e for e in undeclared_endpoints(app) if e.startswith("admin")]


def test_every_back_office_view_is_secured_and_named_for_the_route_walk(app):
    views = back_office_views(app)
    assert [v.endpoint for v in views] == [
        "admin", "admin_audit", "admin_people", "admin_roles", "admin_organisations",
        "admin_departments"]
    for view in views:
        assert isinstance(view, SecuredView), view
        assert view.required_permission is not None, view


def test_no_view_exports_or_offers_mass_actions(app, admin_client):
    with app.test_request_context():
        for view in back_office_views(app)[1:]:
            assert view.can_export is False, view.endpoint
            assert view.get_actions_list() == ([], {}), view.endpoint

    token = admin_client.csrf_token("/")
    for name in ("audit", "people", "roles", "organisations", "departments"):
        assert admin_client.get(f"/back-office/{name}/export/csv/").status_code == 403
        response = admin_client.post(f"/back-office/{name}/action/", data={
            "csrf_token": token, "action": "delete", "rowid": "1"})
        assert response.status_code == 403, name


# People ---------------------------------------------------------------------------

def edit_person(client, user: User, **fields):
    url = f"/back-office/people/edit/?id={user.id}"
    data = {
        "csrf_token": form_token(client, url),
        "name": user.name,
        "grade": user.grade or "",
        "department": str(user.department_id or "__None"),
        "line_manager": user.line_manager.email if user.line_manager else "",
        "is_enabled": "y" if user.is_enabled else "",
    }
    data.update(fields)
    data = {k: v for k, v in data.items() if v != ""}
    return client.post(url, data=data)


def test_person_form_offers_only_the_allow_listed_fields(admin_client):
    alex = person("staff-alex")

    page = admin_client.page(f"/back-office/people/edit/?id={alex.id}")
    fields = {f["name"] for f in page.select("form input[name], form select[name]")
              if f.find_parent("form").get("method", "").upper() == "POST"
              and f.get("type") != "submit"}

    assert fields == {"csrf_token", "name", "grade", "department", "line_manager",
                      "is_enabled"}


def test_person_form_selects_the_current_department_and_line_manager(admin_client):
    alex = person("staff-alex")

    page = admin_client.page(f"/back-office/people/edit/?id={alex.id}")

    selected = page.select('select[name="department"] option[selected]')
    assert [o["value"] for o in selected] == [str(alex.department_id)]
    # A line manager is named by e-mail address, not chosen from a list of everyone.
    assert page.soup.find("input", {"name": "line_manager"})["value"] == \
        alex.line_manager.email
    assert not page.select('select[name="line_manager"]')


def test_admin_changes_a_persons_line_manager(admin_client):
    alex = person("staff-alex")
    david = person("head-david")

    response = edit_person(admin_client, alex, line_manager=david.email)

    assert response.status_code == 302
    db.session.expire_all()
    assert person("staff-alex").line_manager_id == david.id
    assert [e.summary for e in audit_events("user.updated")] == ["Changed line manager"]
    row = next(tr for tr in admin_client.page("/back-office/people/").select("tr")
               if tr.select_one("td.col-name") and
               tr.select_one("td.col-name").get_text(strip=True) == "Alex Morgan")
    assert row.select_one("td.col-line_manager").get_text(strip=True) == "David Okafor"


def test_admin_disables_a_person_and_their_open_session_stops_working(
        admin_client, make_client):
    alex_browser = make_client()
    alex_browser.sign_in("staff-alex")
    assert alex_browser.get("/home").status_code == 200
    alex = person("staff-alex")

    response = edit_person(admin_client, alex, is_enabled="")

    assert response.status_code == 302
    home = alex_browser.get("/home")
    assert home.status_code == 302 and home.location.startswith("/sign-in")
    db.session.expire_all()
    alex = person("staff-alex")
    assert alex.is_enabled is False
    assert db.session.scalar(select(func.count()).select_from(UserSession).where(
        UserSession.user_id == alex.id, UserSession.ended_at.is_(None))) == 0
    disabled = audit_events("user.disabled")
    assert len(disabled) == 1
    assert disabled[0].actor_id == person("admin-jo").id
    assert (disabled[0].object_type, disabled[0].object_id) == ("User", str(alex.id))


def test_admin_enables_a_person_again(admin_client):
    alex = person("staff-alex")
    alex.is_enabled = False
    db.session.commit()

    edit_person(admin_client, alex, is_enabled="y")

    db.session.expire_all()
    assert person("staff-alex").is_enabled is True
    assert len(audit_events("user.enabled")) == 1


def test_admin_cannot_disable_their_own_account(admin_client):
    jo = person("admin-jo")

    response = edit_person(admin_client, jo, is_enabled="")

    assert response.status_code == 200
    assert "You cannot disable your own account" in response.get_data(as_text=True)
    db.session.expire_all()
    assert person("admin-jo").is_enabled is True
    assert admin_client.get("/back-office/").status_code == 200


def test_extra_fields_posted_to_a_person_are_ignored(admin_client):
    alex = person("staff-alex")
    before = (alex.issuer, alex.subject, alex.session_version, alex.email,
              alex.organisation_id)
    elsewhere = make_organisation("Somewhere Else")

    response = edit_person(admin_client, alex, grade="Band 7", issuer="https://evil.example",
                           subject="someone-else", session_version="99",
                           email="evil@example.org", organisation=str(elsewhere.id),
                           organisation_id=str(elsewhere.id), id="999")

    assert response.status_code == 302
    db.session.expire_all()
    alex = person("staff-alex")
    assert alex.grade == "Band 7"
    assert (alex.issuer, alex.subject, alex.session_version, alex.email,
            alex.organisation_id) == before
    updated = audit_events("user.updated")
    assert [e.summary for e in updated] == ["Changed grade"]


def test_a_department_of_another_organisation_is_refused(admin_client):
    alex = person("staff-alex")
    host_department = make_department("Wards", organisation=make_organisation())

    response = edit_person(admin_client, alex, department=str(host_department.id))

    assert "Select a department of the person&#39;s own organisation" in response.get_data(
        as_text=True)
    db.session.expire_all()
    assert person("staff-alex").department_id != host_department.id


def test_a_person_cannot_be_their_own_line_manager(admin_client):
    priya = person("manager-priya")
    alex = person("staff-alex")  # reports to Priya

    response = edit_person(admin_client, priya, line_manager=alex.email)

    assert "who is not the person or someone who reports to them" in response.get_data(
        as_text=True)
    db.session.expire_all()
    assert person("manager-priya").line_manager_id == person("head-david").id


def test_people_cannot_be_created_or_deleted_in_the_back_office(admin_client):
    alex = person("staff-alex")
    token = admin_client.csrf_token("/")

    assert admin_client.get("/back-office/people/new/").status_code == 403
    created = admin_client.post("/back-office/people/new/", data={
        "csrf_token": token, "name": "Intruder", "is_enabled": "y"})
    deleted = admin_client.post("/back-office/people/delete/", data={
        "csrf_token": token, "id": str(alex.id)})

    assert (created.status_code, deleted.status_code) == (403, 403)
    assert db.session.scalar(select(User).where(User.name == "Intruder")) is None
    assert db.session.get(User, alex.id) is not None


# CSRF -----------------------------------------------------------------------------

def test_back_office_posts_without_a_csrf_token_are_refused(admin_client):
    alex = person("staff-alex")
    marias_role = db.session.scalar(select(RoleAssignment).where(
        RoleAssignment.role == Role.HOST_CONTACT))
    organisations = db.session.scalar(select(func.count()).select_from(Organisation))

    attempts = [
        (f"/back-office/people/edit/?id={alex.id}", {"name": "Changed", "is_enabled": ""}),
        ("/back-office/organisations/new/", {"name": "Forged Trust"}),
        ("/back-office/roles/new/", {"person": alex.email, "role": "admin"}),
        ("/back-office/roles/delete/", {"id": str(marias_role.id)}),
    ]
    for url, data in attempts:
        assert admin_client.post(url, data=data).status_code == 400, url
        forged = admin_client.post(url, data=data | {"csrf_token": "forged"})
        assert forged.status_code == 400, url

    db.session.expire_all()
    alex = person("staff-alex")
    assert (alex.name, alex.is_enabled) == ("Alex Morgan", True)
    assert Role.ADMIN not in alex.roles
    assert db.session.scalar(select(func.count()).select_from(Organisation)) == organisations
    assert db.session.get(RoleAssignment, marias_role.id) is not None


# Audit trail ----------------------------------------------------------------------

def test_audit_trail_cannot_be_changed_through_the_back_office(admin_client):
    event = db.session.scalar(select(AuditEvent).order_by(AuditEvent.id))
    before = (event.action, event.summary)
    count = db.session.scalar(select(func.count()).select_from(AuditEvent))
    token = admin_client.csrf_token("/")
    edit = f"/back-office/audit/edit/?id={event.id}"

    assert admin_client.get(edit).status_code == 403
    assert admin_client.post(edit, data={"csrf_token": token, "action": "forged",
                                         "summary": "forged"}).status_code == 403
    assert admin_client.get("/back-office/audit/new/").status_code == 403
    assert admin_client.post("/back-office/audit/new/", data={
        "csrf_token": token, "action": "forged"}).status_code == 403
    assert admin_client.post("/back-office/audit/delete/", data={
        "csrf_token": token, "id": str(event.id)}).status_code == 403
    assert admin_client.post("/back-office/audit/action/", data={
        "csrf_token": token, "action": "delete", "rowid": str(event.id)}).status_code == 403

    db.session.expire_all()
    assert (db.session.get(AuditEvent, event.id).action,
            db.session.get(AuditEvent, event.id).summary) == before
    # Only the refusals were added; nothing was changed or removed.
    after = db.session.scalar(select(func.count()).select_from(AuditEvent))
    assert after - count == len(audit_events("access.refused"))
    page = admin_client.page("/back-office/audit/")
    assert not page.select('a[href*="/audit/edit/"]')
    assert not page.select('form[action*="/audit/delete/"]')
    assert not page.select("a[href*='/audit/new/']")


def test_database_refuses_update_and_delete_on_audit_events(app):
    event = audit.record_now("test.event", summary="as written")

    with pytest.raises(DBAPIError, match="append-only"):
        db.session.execute(text("UPDATE audit_events SET summary = 'rewritten' WHERE id = :id"),
                           {"id": event.id})
    db.session.rollback()
    with pytest.raises(DBAPIError, match="append-only"):
        db.session.execute(text("DELETE FROM audit_events WHERE id = :id"), {"id": event.id})
    db.session.rollback()

    assert db.session.scalar(select(AuditEvent.summary).where(
        AuditEvent.id == event.id)) == "as written"


def test_audit_trail_lists_newest_first_and_searches(client, demo_data):
    sam = person("people-sam")
    for n in range(3):
        audit.record(f"test.step{n}", actor=sam, summary=f"step {n}")
        db.session.commit()
    client.sign_in("people-sam")

    page = client.page("/back-office/audit/")
    actions = [td.get_text(strip=True) for td in page.select("td.col-action")]
    # Actions in words, not their codes.
    assert actions[0] == "Signed in"
    steps = [a for a in actions if a.startswith("Test step")]
    assert steps == ["Test step2", "Test step1", "Test step0"]

    found = client.page("/back-office/audit/?search=step+1")
    assert [td.get_text(strip=True) for td in found.select("td.col-action")] == ["Test step1"]


def test_audit_trail_filters_by_action_and_time(client, demo_data):
    audit.record_now("test.filtered", summary="the one")
    client.sign_in("people-sam")

    page = client.page("/back-office/audit/")
    labels = {label.get_text(strip=True): label["for"]
              for label in page.select("details form label")}
    assert {"When is after", "When is before", "Action contains"} <= set(labels)
    after = labels["When is after"]

    by_time = client.page(f"/back-office/audit/?{after}=2000-01-01+00:00:00")
    assert "Test filtered" in by_time.text
    future = client.page(f"/back-office/audit/?{after}=2999-01-01+00:00:00")
    assert "Test filtered" not in future.text
    by_action = client.page(f"/back-office/audit/?{labels['Action contains']}=filtered")
    assert [td.get_text(strip=True) for td in by_action.select("td.col-action")] == [
        "Test filtered"]
    # The form sends every field; the empty ones are dropped, not "equal to nothing".
    everything = client.get(f"/back-office/audit/?{after}=&{labels['Action contains']}=")
    assert everything.status_code == 302 and everything.location == "/back-office/audit/"


def test_control_characters_in_a_search_or_filter_are_dropped_not_sent_to_the_database(
        client, demo_data):
    audit.record_now("test.plain", summary="planning step")
    audit.record_now("test.other", summary="another step")
    client.sign_in("people-sam")

    plain = client.page("/back-office/audit/?search=planning")
    hostile = client.page("/back-office/audit/", query_string={"search": "plan\x00ning"})
    actions = [td.get_text(strip=True) for td in hostile.select("td.col-action")]
    assert actions == ["Test plain"]
    assert actions == [td.get_text(strip=True) for td in plain.select("td.col-action")]
    filtered = client.page("/back-office/audit/", query_string={"flt0_3": "test.pl\x00ain"})
    assert "Test plain" in filtered.text and "Test other" not in filtered.text


# Role assignments -----------------------------------------------------------------

def grant(client, user: User, role: Role, **extra):
    data = {"csrf_token": form_token(client, "/back-office/roles/new/"),
            "person": user.email, "role": role.value} | extra
    return client.post("/back-office/roles/new/", data=data)


def test_admin_grants_a_role_recorded_as_back_office_and_by_them(admin_client, make_client):
    alex = person("staff-alex")
    jo = person("admin-jo")

    response = grant(admin_client, alex, Role.PEOPLE_SERVICES, source="claim",
                     granted_by_id=str(alex.id), granted_by=str(alex.id),
                     user_id=str(jo.id))

    assert response.status_code == 302
    assignment = db.session.scalar(select(RoleAssignment).where(
        RoleAssignment.role == Role.PEOPLE_SERVICES, RoleAssignment.user_id == alex.id))
    assert assignment.source == RoleAssignment.SOURCE_BACK_OFFICE
    assert assignment.granted_by_id == jo.id
    granted = audit_events("role.granted")
    assert [(e.actor_id, e.object_id, e.summary) for e in granted] == [
        (jo.id, str(alex.id), "People Services granted")]
    # And it takes effect: Alex may now read the audit trail.
    alex_browser = make_client()
    alex_browser.sign_in("staff-alex")
    assert alex_browser.get("/back-office/audit/").status_code == 200


def test_admin_removes_a_back_office_role_and_the_persons_sessions_end(
        admin_client, make_client):
    alex = person("staff-alex")
    grant(admin_client, alex, Role.LEGAL)
    assignment = db.session.scalar(select(RoleAssignment).where(
        RoleAssignment.user_id == alex.id, RoleAssignment.role == Role.LEGAL))
    alex_browser = make_client()
    alex_browser.sign_in("staff-alex")
    page = admin_client.page("/back-office/roles/")
    form = page.soup.find("form", action=re.compile("/roles/delete/"),
                          attrs={"data-confirm": True})
    assert form is not None

    response = admin_client.post("/back-office/roles/delete/", data={
        "csrf_token": form.find("input", {"name": "csrf_token"})["value"],
        "id": str(assignment.id)})

    assert response.status_code == 302
    assert db.session.scalar(select(RoleAssignment.id).where(
        RoleAssignment.id == assignment.id)) is None
    removed = audit_events("role.removed")
    assert [(e.object_id, e.summary) for e in removed] == [(str(alex.id), "Legal removed")]
    assert alex_browser.get("/home").status_code == 302


def test_roles_from_the_providers_groups_are_read_only(admin_client, make_client):
    make_client().sign_in("people-sam")  # the provider's groups give Sam their role
    sam = person("people-sam")
    claimed = db.session.scalar(select(RoleAssignment).where(
        RoleAssignment.user_id == sam.id, RoleAssignment.role == Role.PEOPLE_SERVICES))
    assert claimed.source == RoleAssignment.SOURCE_CLAIM

    page = admin_client.page("/back-office/roles/")
    delete_ids = {f.find("input", {"name": "id"})["value"]
                  for f in page.select('form[action*="/roles/delete/"]')}
    assert str(claimed.id) not in delete_ids
    assert admin_client.get(f"/back-office/roles/edit/?id={claimed.id}").status_code == 403

    response = admin_client.post("/back-office/roles/delete/", data={
        "csrf_token": admin_client.csrf_token("/"),
        "id": str(claimed.id)}, follow_redirects=True)

    assert "change it there" in response.get_data(as_text=True)
    assert db.session.get(RoleAssignment, claimed.id) is not None
    assert audit_events("role.removed") == []


def test_roles_keep_host_contacts_and_staff_apart(admin_client):
    maria = person("host-maria")
    alex = person("staff-alex")

    refused = grant(admin_client, maria, Role.PEOPLE_SERVICES)
    assert "only the host organisation contact role can be granted" in refused.get_data(
        as_text=True)
    refused = grant(admin_client, alex, Role.HOST_CONTACT)
    assert "only for people of a host organisation" in refused.get_data(as_text=True)
    derived = grant(admin_client, alex, Role.LINE_MANAGER)
    assert derived.status_code == 200  # not a choice on the form

    db.session.expire_all()
    assert Role.PEOPLE_SERVICES not in person("host-maria").roles
    assert Role.HOST_CONTACT not in person("staff-alex").roles
    assert audit_events("role.granted") == []


def test_a_role_already_held_is_not_granted_twice(admin_client):
    maria = person("host-maria")  # already a host contact, from the back office

    response = grant(admin_client, maria, Role.HOST_CONTACT)

    assert "already has the Host organisation contact role" in response.get_data(
        as_text=True)
    assert db.session.scalar(select(func.count()).select_from(RoleAssignment).where(
        RoleAssignment.user_id == maria.id)) == 1


# Organisations and departments ----------------------------------------------------

def test_admin_adds_and_renames_a_host_organisation(admin_client):
    token = form_token(admin_client, "/back-office/organisations/new/")

    response = admin_client.post("/back-office/organisations/new/", data={
        "csrf_token": token, "name": "  Harbour Trust ", "is_own": "y"})

    assert response.status_code == 302
    trust = db.session.scalar(select(Organisation).where(Organisation.name == "Harbour Trust"))
    assert trust.is_own is False
    url = f"/back-office/organisations/edit/?id={trust.id}"
    admin_client.post(url, data={"csrf_token": form_token(admin_client, url),
                                 "name": "Harbour NHS Trust", "is_own": "y"})
    db.session.expire_all()
    trust = db.session.get(Organisation, trust.id)
    assert (trust.name, trust.is_own) == ("Harbour NHS Trust", False)
    assert own_organisation().name == "Example Council"
    assert [e.action for e in db.session.scalars(select(AuditEvent).where(
        AuditEvent.object_type == "Organisation"))] == [
        "organisation.created", "organisation.updated"]

    clash = admin_client.post("/back-office/organisations/new/", data={
        "csrf_token": token, "name": "harbour nhs trust"})
    assert clash.status_code == 200
    assert db.session.scalar(select(func.count()).select_from(Organisation).where(
        func.lower(Organisation.name) == "harbour nhs trust")) == 1


def test_admin_adds_a_department_with_a_head_from_its_organisation(admin_client):
    own = own_organisation()
    david = person("head-david")
    maria = person("host-maria")
    token = form_token(admin_client, "/back-office/departments/new/")

    refused = admin_client.post("/back-office/departments/new/", data={
        "csrf_token": token, "organisation": str(own.id), "name": "Housing",
        "head": maria.email})
    assert "works for the department&#39;s organisation" in refused.get_data(as_text=True)

    created = admin_client.post("/back-office/departments/new/", data={
        "csrf_token": token, "organisation": str(own.id), "name": "Housing",
        "head": david.email})

    assert created.status_code == 302
    housing = db.session.scalar(select(Department).where(Department.name == "Housing"))
    assert (housing.organisation_id, housing.head_id) == (own.id, david.id)
    assert [e.action for e in audit_events("department.created")] == ["department.created"]


# Output: escaping and the content security policy ---------------------------------

@pytest.fixture
def hostile_records(demo_data):
    """The hostile strings in every text the back office shows."""
    organisation = make_organisation(HOSTILE[0] + " Trust")
    department = make_department(HOSTILE[1], organisation=own_organisation())
    user = make_user(" ".join(HOSTILE), department=department)
    user.grade = HOSTILE[2]
    db.session.commit()
    audit.record_now(HOSTILE[0], actor=user, obj=user, summary=" ".join(HOSTILE))
    return {"user": user, "department": department, "organisation": organisation}


def hostile_pages(records) -> list[str]:
    user, department, organisation = (records["user"], records["department"],
                                      records["organisation"])
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == HOSTILE[0]))
    return ["/back-office/people/", f"/back-office/people/details/?id={user.id}",
            f"/back-office/people/edit/?id={user.id}", "/back-office/audit/",
            f"/back-office/audit/details/?id={event.id}", "/back-office/roles/",
            "/back-office/organisations/",
            f"/back-office/organisations/edit/?id={organisation.id}",
            "/back-office/departments/",
            f"/back-office/departments/edit/?id={department.id}",
            "/back-office/people/?search=script", "/back-office/audit/?search=svg"]


def test_hostile_text_is_shown_escaped_on_every_back_office_page(
        hostile_records, admin_client):
    for url in hostile_pages(hostile_records):
        html = admin_client.page(url).response.get_data(as_text=True)
        assert "<script>alert(1)</script>" not in html, url
        assert "<svg onload" not in html, url
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html or "&lt;svg" in html, url

    people = admin_client.page("/back-office/people/")
    cell = people.soup.find("td", string=re.compile("alert"))
    assert cell is not None and cell.find("script") is None
    assert "{{7*7}}" in people.text and ">49<" not in people.response.get_data(as_text=True)

    # Messages that name the person are escaped too.
    refused = grant(admin_client, hostile_records["user"], Role.STAFF)
    html = refused.get_data(as_text=True)
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &#34;&gt;&lt;svg" in html
    assert "already has the Staff role" in html
    assert "<script>alert(1)</script>" not in html


def csp_directives(response) -> dict[str, list[str]]:
    policy = response.headers["Content-Security-Policy"]
    return {parts[0]: parts[1:] for parts in
            (d.split() for d in policy.split(";") if d.strip())}


def test_back_office_pages_carry_a_fresh_nonce_on_every_inline_script(
        hostile_records, admin_client):
    nonces = set()
    for url in ["/back-office/", "/back-office/roles/new/", *hostile_pages(hostile_records)]:
        response = admin_client.get(url)
        directives = csp_directives(response)
        nonce_sources = [s for s in directives["script-src"] if s.startswith("'nonce-")]
        assert len(nonce_sources) == 1, url
        nonce = nonce_sources[0][len("'nonce-"):-1]
        assert directives["style-src"] == ["'self'", f"'nonce-{nonce}'"], url
        assert "'unsafe-inline'" not in response.headers["Content-Security-Policy"]
        assert directives["object-src"] == ["'none'"]
        soup = BeautifulSoup(response.get_data(as_text=True), "html.parser")
        scripts = soup.find_all("script")
        assert scripts, url
        for script in scripts:
            assert script.get("nonce") == nonce, (url, str(script)[:80])
        for tag in soup.find_all(True):
            # Inline handlers cannot carry a nonce: the policy would refuse them.
            assert not [a for a in tag.attrs if a.startswith("on")], (url, str(tag)[:80])
        nonces.add(nonce)
    assert len(nonces) == len(hostile_pages(hostile_records)) + 2


def test_back_office_assets_are_served_from_the_portal_itself(admin_client):
    assets = set()
    for url in ("/back-office/", "/back-office/people/",
                f"/back-office/people/edit/?id={person('staff-alex').id}",
                "/back-office/audit/"):
        soup = admin_client.page(url).soup
        assets |= {t["src"] for t in soup.find_all("script", src=True)}
        assets |= {t["href"] for t in soup.find_all("link", href=True)}

    assert assets
    for asset in assets:
        parsed = urlparse(asset)
        if parsed.scheme == "data":  # in the page itself (the empty icon)
            continue
        assert not parsed.scheme and not parsed.netloc, asset
        response = admin_client.get(asset)
        assert response.status_code == 200, asset
        response.close()


def test_portal_pages_keep_a_policy_without_nonces(admin_client):
    admin_client.get("/back-office/")  # a nonce made for one response ...

    for url in ("/home", "/", "/no-such-page", "/back-office/no-such-page"):
        directives = csp_directives(admin_client.get(url))
        assert directives["script-src"] == ["'self'"], url  # ... is never reused
        assert directives["style-src"] == ["'self'"], url


# Roles derived from the staff data stay inside the organisation ----------------------

INTERNAL_PAGES = ("/opportunities", "/opportunities/feed.atom", "/opportunities.json",
                  "/opportunities/closing-dates.ics", "/decisions", "/opportunities/yours",
                  "/opportunities/new")


def test_a_host_contact_named_in_the_staff_data_gains_no_internal_page(
        make_client, demo_data):
    # However the data came to say it (an import, an old edit), a host contact who is
    # someone's line manager and a department's head is still only a host contact.
    maria = person("host-maria")
    alex = person("staff-alex")
    alex.line_manager = maria
    host_department = make_department("Estates", organisation=maria.organisation, head=maria)
    db.session.commit()
    browser = make_client()
    browser.sign_in("host-maria")

    statuses = {url: browser.get(url).status_code for url in INTERNAL_PAGES}

    assert statuses == dict.fromkeys(INTERNAL_PAGES, 403)
    db.session.expire_all()
    assert person("host-maria").roles == {Role.HOST_CONTACT}
    assert host_department.head_id == maria.id


def test_the_back_office_refuses_a_host_contact_as_line_manager(admin_client):
    alex = person("staff-alex")
    maria = person("host-maria")

    response = edit_person(admin_client, alex, line_manager=maria.email)

    assert response.status_code == 200
    assert ("Maria Lopez works for a host organisation: choose a line manager in your "
            "own organisation") in response.get_data(as_text=True)
    db.session.expire_all()
    assert person("staff-alex").line_manager_id == person("manager-priya").id
    assert audit_events("user.updated") == []


def test_the_back_office_refuses_a_host_contact_as_head_of_department(admin_client):
    maria = person("host-maria")
    url = "/back-office/departments/new/"

    response = admin_client.post(url, data={
        "csrf_token": form_token(admin_client, url),
        "organisation": str(maria.organisation_id), "name": "Estates",
        "head": maria.email})

    assert response.status_code == 200
    assert ("Maria Lopez works for a host organisation: choose a head of department in "
            "your own organisation") in response.get_data(as_text=True)
    assert db.session.scalar(select(Department).where(Department.name == "Estates")) is None


# Return addresses and ids are checked before anything changes ----------------------

@pytest.mark.parametrize("return_to", [
    "http:evil.example", "https://evil.example/", "//evil.example", "/\\evil.example",
    "/back-office/people/\r\nSet-Cookie: x=1", "/" + "a" * 100_000])
def test_a_return_address_off_the_site_is_refused_before_the_change(
        admin_client, return_to):
    alex = person("staff-alex")
    url = f"/back-office/people/edit/?id={alex.id}"
    token = form_token(admin_client, url)

    response = admin_client.post("/back-office/people/edit/",
                                 query_string={"id": alex.id, "url": return_to}, data={
        "csrf_token": token, "name": alex.name, "grade": "Band 9",
        "department": str(alex.department_id), "line_manager": alex.line_manager.email,
        "is_enabled": "y"})

    assert response.status_code == 400
    assert "Location" not in response.headers
    db.session.expire_all()
    assert person("staff-alex").grade != "Band 9"
    assert audit_events("user.updated") == []


def test_a_return_address_on_the_site_is_followed(admin_client):
    alex = person("staff-alex")
    response = edit_person(admin_client, alex, grade="Band 9")
    assert response.status_code == 302

    url = f"/back-office/people/edit/?id={alex.id}&url=/back-office/people/?page=1"
    followed = admin_client.post(url, data={
        "csrf_token": form_token(admin_client, url), "name": alex.name, "grade": "Band 8",
        "department": str(alex.department_id), "line_manager": alex.line_manager.email,
        "is_enabled": "y"})
    assert followed.status_code == 302
    assert followed.location == "/back-office/people/?page=1"


@pytest.mark.parametrize("query", [
    "id=9223372036854775808", "id=99999999999999999999999", "id=-1", "id=1e3", "id=",
    "id=%00"])
@pytest.mark.parametrize("page", ["people/details/", "people/edit/", "audit/details/",
                                  "departments/edit/", "organisations/edit/"])
def test_an_id_no_record_can_have_is_not_found(admin_client, page, query):
    assert admin_client.get(f"/back-office/{page}?{query}").status_code == 404


@pytest.mark.parametrize("page", ["people/", "audit/", "roles/", "departments/"])
def test_a_page_number_past_any_database_is_not_found(admin_client, page):
    assert admin_client.get(f"/back-office/{page}?page=9223372036854775807").status_code == 404
    assert admin_client.get(f"/back-office/{page}?page=3").status_code == 200


@pytest.mark.parametrize(("typed", "message"), [
    ("nobody@example.org", "Enter the e-mail address of a person in the portal"),
    ("x" * 400, "Enter the e-mail address of a person in the portal"),
])
def test_a_line_manager_nobody_has_is_refused_next_to_the_field(admin_client, typed,
                                                                 message):
    alex = person("staff-alex")
    before = alex.line_manager_id

    response = edit_person(admin_client, alex, line_manager=typed)

    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    db.session.expire_all()
    assert person("staff-alex").line_manager_id == before


def test_a_line_manager_is_named_in_any_case_and_left_empty_for_none(admin_client):
    alex = person("staff-alex")
    david = person("head-david")

    assert edit_person(admin_client, alex, line_manager=david.email.upper()).status_code == 302
    db.session.expire_all()
    assert person("staff-alex").line_manager_id == david.id
    alex = person("staff-alex")
    assert edit_person(admin_client, alex, line_manager="").status_code == 302
    db.session.expire_all()
    assert person("staff-alex").line_manager_id is None


def test_back_office_pages_read_like_the_rest_of_the_portal(admin_client):
    """GOV.UK headings and tables, yes or no in words, UK times, no Bootstrap."""
    from datetime import UTC, datetime

    alex = person("staff-alex")
    alex.last_signed_in_at = datetime(2026, 7, 1, 13, 15, tzinfo=UTC)
    db.session.commit()

    page = admin_client.page("/back-office/people/")
    assert page.h1 == "People"
    assert page.title == "People – Back office – Secondments – Example Council"
    assert page.select("table.govuk-table")
    assert not page.select('link[href*="bootstrap"]') and not page.select(".fa")
    row = next(tr for tr in page.select("tr")
               if tr.select_one("td.col-name")
               and tr.select_one("td.col-name").get_text(strip=True) == "Alex Morgan")
    assert row.select_one("td.col-is_enabled").get_text(strip=True) == "Yes"
    assert row.select_one("td.col-last_signed_in_at").get_text(strip=True) == (
        "1 July 2026, 2:15pm")  # British Summer Time
    nav = [a.get_text(strip=True) for a in page.select(".portal-section-nav a")]
    assert nav[:3] == ["Overview", "Audit trail", "People"]

    edit = admin_client.page(f"/back-office/people/edit/?id={alex.id}")
    assert edit.h1.endswith("Change person")
    assert edit.select("input.govuk-input#name") and edit.select("select.govuk-select")
    assert edit.select('input.govuk-checkboxes__input[name="is_enabled"]')


def test_back_office_messages_are_in_the_portals_words(admin_client):
    form = admin_client.page("/back-office/roles/new/")
    token = form.soup.find("input", {"name": "csrf_token"})["value"]

    refused = admin_client.post("/back-office/roles/new/", data={
        "csrf_token": token, "person": "", "role": "people_services"})
    page = Page(refused)
    assert page.title.startswith("Error: ")
    assert "Enter the e-mail address of the person" in page.error_messages()[0]
    assert "Failed to create record" not in page.text

    granted = admin_client.post("/back-office/roles/new/", data={
        "csrf_token": token, "person": person("staff-alex").email,
        "role": "people_services"}, follow_redirects=True)
    assert "Role granted." in Page(granted).text


def test_an_organisation_abroad_sends_international_secondees(admin_client):
    from portal.models.onboarding import Nation
    from portal.services.onboarding.generation import template_kinds
    from tests.factories import make_placement

    token = form_token(admin_client, "/back-office/organisations/new/")
    answer = admin_client.post("/back-office/organisations/new/", data={
        "csrf_token": token, "name": "Icelandic Nature Institute", "nation": "abroad"})
    assert answer.status_code == 302
    institute = db.session.scalar(select(Organisation).where(
        Organisation.name == "Icelandic Nature Institute"))
    assert institute.nation == Nation.ABROAD
    listing = admin_client.get("/back-office/organisations/").get_data(as_text=True)
    assert "Outside the UK" in listing
    wrong = admin_client.post("/back-office/organisations/new/", data={
        "csrf_token": token, "name": "Nowhere Trust", "nation": "atlantis"})
    assert wrong.status_code == 200
    assert db.session.scalar(select(Organisation.id).where(
        Organisation.name == "Nowhere Trust")) is None
    own = own_organisation()
    url = f"/back-office/organisations/edit/?id={own.id}"
    admin_client.post(url, data={"csrf_token": form_token(admin_client, url),
                                 "name": own.name, "nation": "abroad"})
    db.session.expire_all()
    assert own_organisation().nation == Nation.ENGLAND_AND_WALES
    # A secondee coming in from it, to work here, gets the international checklist.
    officer = make_user("Pat People", roles=[Role.STAFF, Role.PEOPLE_SERVICES])
    coming = make_placement(officer, make_user("Sigrun"), kind="incoming", partner=institute,
                            secondee_name="Sigrun Jonsdottir", not_contractor=True)
    assert coming.international
    assert [k.value for k in template_kinds(coming)] == [
        "incoming", "international", "international_incoming"]
    assert any(i.title.startswith("Visa") for i in coming.checklist_items)
