"""The staff import's page (issue 14): People Services upload the HR export, see its dry
run (the problems by line, or what it would change), then apply it from a check page.
The upload is kept between the two steps only, and an upload is applied once."""

import hashlib
import io
import threading
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from portal.demo.applications import ANSWERS
from portal.extensions import db
from portal.models import Application, AuditEvent, User
from portal.models.applications import ApplicationStatus
from portal.models.staff_imports import StaffImportUpload
from portal.permissions import Role
from portal.services import applications as service
from portal.services import staff_uploads
from tests.factories import make_opportunity, make_user
from tests.helpers import Page, persona

UPLOAD = "/people-services/staff-import"

HEADER = "name,email,department,line_manager_email,grade\n"
GOOD = (HEADER
        + "Nia Newcomer,nia.newcomer@example.org,Coastal Services,priya.shah@example.org,Band 5\n"
        + "Ola Other,ola.other@example.org,Coastal Services,nia.newcomer@example.org,Band 4\n"
        + "Alex Morgan,alex.morgan@example.org,Coastal Services,priya.shah@example.org,Band 6\n")
# The same file with Ola's address mistyped on line 3.
BAD = GOOD.replace("ola.other@example.org", "ola.other-at-example.org")


@pytest.fixture
def sam(client, demo_data):
    client.sign_in("people-sam")
    return client


def token(client, url=UPLOAD) -> str:
    return client.csrf_token(url)


def upload(client, content, filename="staff.csv", encoding="detect", leavers="keep",
           **extra):
    data = {"csrf_token": token(client), "encoding": encoding, "leavers": leavers,
            **extra}
    if content is not None:
        data["export"] = (io.BytesIO(content if isinstance(content, bytes)
                                     else content.encode()), filename)
    return client.post(UPLOAD, data=data, content_type="multipart/form-data")


def apply(client, upload_id: int, sha256: str | None = None):
    url = f"{UPLOAD}/{upload_id}"
    if sha256 is None:
        sha256 = Page(client.get(url)).soup.find("input", {"name": "sha256"})["value"]
    return client.post(url, data={"csrf_token": client.session_csrf_token(),
                                  "sha256": sha256})


def staged() -> list[StaffImportUpload]:
    db.session.expire_all()
    return list(db.session.scalars(select(StaffImportUpload).order_by(StaffImportUpload.id)))


def user(email: str) -> User | None:
    db.session.expire_all()
    return db.session.scalar(select(User).where(func.lower(User.email) == email))


def events(action: str) -> list[AuditEvent]:
    return list(db.session.scalars(select(AuditEvent).where(AuditEvent.action == action)
                                   .order_by(AuditEvent.id)))


def summary_rows(page) -> dict[str, str]:
    return {row.select_one("dt").get_text(strip=True): row.select_one("dd").get_text(
        " ", strip=True) for row in page.select(".govuk-summary-list__row")}


def uploaded(client, content=GOOD, **kwargs) -> int:
    """Upload a good file; the id of the upload its check page applies."""
    response = upload(client, content, **kwargs)
    assert response.status_code == 302, Page(response).error_messages()
    return int(response.location.rsplit("/", 1)[1])


# --- who may --------------------------------------------------------------------------

@pytest.mark.parametrize("subject", ["staff-alex", "manager-priya", "head-david",
                                     "admin-jo", "legal-ruth", "host-maria"])
def test_only_people_services_may_upload(client, demo_data, subject):
    client.sign_in(subject)
    assert client.get(UPLOAD).status_code == 403
    response = client.post(UPLOAD, data={"csrf_token": client.session_csrf_token(),
                                         "export": (io.BytesIO(GOOD.encode()), "staff.csv"),
                                         "encoding": "detect", "leavers": "keep"},
                           content_type="multipart/form-data")
    assert response.status_code == 403
    assert user("nia.newcomer@example.org") is None and not staged()


def test_anonymous_visitors_are_sent_to_sign_in(client, demo_data):
    response = client.get(UPLOAD)
    assert response.status_code == 302
    assert response.location.startswith("/sign-in?next=/people-services/staff-import")


def test_others_cannot_see_or_apply_an_upload(sam, make_client, demo_data):
    upload_id = uploaded(sam)
    alex = make_client()
    alex.sign_in("staff-alex")
    assert alex.get(f"{UPLOAD}/{upload_id}").status_code == 403
    assert apply(alex, upload_id, sha256="0" * 64).status_code == 403
    assert len(staged()) == 1 and user("nia.newcomer@example.org") is None


def test_posts_without_the_csrf_token_are_refused(sam):
    response = sam.post(UPLOAD, data={"export": (io.BytesIO(GOOD.encode()), "staff.csv"),
                                      "encoding": "detect", "leavers": "keep"},
                        content_type="multipart/form-data")
    assert response.status_code == 400 and not staged()
    upload_id = uploaded(sam)
    sha256 = staged()[0].sha256
    assert sam.post(f"{UPLOAD}/{upload_id}", data={"sha256": sha256}).status_code == 400
    assert len(staged()) == 1 and user("nia.newcomer@example.org") is None


def test_the_people_services_page_links_to_it(sam):
    page = sam.page("/people-services")
    assert UPLOAD in {a["href"] for a in page.select("main a")}


# --- the dry run ------------------------------------------------------------------------

def test_a_file_with_one_bad_row_shows_the_line_and_nothing_is_imported(sam):
    page = Page(upload(sam, BAD))
    assert page.response.status_code == 200
    assert page.title.startswith("Error: ")
    problem = "Line 3: 'ola.other-at-example.org' is not a valid e-mail address"
    assert page.error_messages() == ["Error: " + problem]
    summary = page.select(".govuk-error-summary__list a")
    assert [(a.get_text(strip=True), a["href"]) for a in summary] == [(problem, "#export")]
    assert [li.get_text(" ", strip=True) for li in page.select("main ul.govuk-list--bullet li")
            ] == [problem]
    assert user("nia.newcomer@example.org") is None
    assert not staged()
    planned = events("staff.import_planned")
    assert len(planned) == 1 and "1 problems in 3 rows" in planned[0].summary


def test_a_file_with_several_problems_says_how_many_next_to_the_field(sam):
    page = Page(upload(sam, BAD.replace("Nia Newcomer", "")))
    assert page.error_messages() == [
        "Error: The file has 2 problems, listed below: correct them and upload the file again"]
    assert len(page.select("main ul.govuk-list--bullet li")) == 2


def test_the_corrected_file_shows_the_summary_and_changes_nothing(sam):
    upload(sam, BAD)
    response = upload(sam, GOOD)
    assert response.status_code == 302
    [kept] = staged()
    assert response.location == f"{UPLOAD}/{kept.id}"
    page = sam.page(response.location)
    assert page.h1 == "Check the staff import before applying it"
    rows = summary_rows(page)
    assert rows["File"] == "staff.csv"
    assert rows["Read as"] == "UTF-8, separated by commas"
    assert rows["People in the file"] == "3"
    assert rows["To add"] == "2"
    assert rows["Records to change"] == "1"
    assert rows["Moving department"] == "1"
    assert rows["To disable"] == "0"
    assert "Coastal Services" in page.text  # a department to add
    assert "People not in the file" in rows and rows["People not in the file"] == "Kept as they are"
    assert user("nia.newcomer@example.org") is None
    assert user("alex.morgan@example.org").department.name == "Planning and Environment"
    assert kept.sha256 == hashlib.sha256(GOOD.encode()).hexdigest()
    assert kept.filename == "staff.csv" and kept.leavers == "keep"
    planned = events("staff.import_planned")
    assert len(planned) == 2
    assert planned[1].object_type == "StaffImportUpload" and planned[1].object_id == str(kept.id)
    assert "3 rows: 2 created, 1 updated, 1 moved department" in planned[1].summary


def test_leavers_to_disable_are_listed_with_the_decisions_waiting_on_them(sam):
    """Everyone but Sam and the file's people would be disabled: Priya, with Alex's
    application waiting for her endorsement, is listed first."""
    alex = persona("staff-alex")
    opportunity = make_opportunity(persona("people-sam"), publish=True,
                                   title="Harbour survey lead")
    application = service.start_application(alex, opportunity)
    service.save_draft(application, alex, ANSWERS)
    service.submit(application, alex)
    assert db.session.get(Application, application.id).status == ApplicationStatus.SUBMITTED
    content = (HEADER + "Sam Whitfield,sam.whitfield@example.org,People Services,,Band 6\n"
               + "Alex Morgan,alex.morgan@example.org,Planning and Environment,"
               "sam.whitfield@example.org,Band 6\n")
    upload_id = uploaded(sam, content, leavers="disable")
    page = sam.page(f"{UPLOAD}/{upload_id}")
    first = page.select("table tbody tr")[0].get_text(" ", strip=True)
    assert "Priya Shah" in first and "Harbour survey lead" in first
    assert application.reference in first and "Endorsement as line manager" in first
    assert "David Okafor" in page.text and "Head of Planning and Environment" in page.text
    assert user("priya.shah@example.org").is_enabled
    assert apply(sam, upload_id).status_code == 200
    assert not user("priya.shah@example.org").is_enabled
    assert user("sam.whitfield@example.org").is_enabled


# --- applying -------------------------------------------------------------------------

def test_applying_imports_the_file_and_removes_it(sam):
    upload_id = uploaded(sam)
    response = apply(sam, upload_id)
    page = Page(response)
    assert response.status_code == 200
    assert page.h1.startswith("Staff import applied")
    rows = summary_rows(page)
    assert rows["Added"] == "2" and rows["Records changed"] == "1"
    nia = user("nia.newcomer@example.org")
    assert nia.line_manager.email == "priya.shah@example.org"
    assert user("ola.other@example.org").line_manager_id == nia.id
    assert user("alex.morgan@example.org").department.name == "Coastal Services"
    assert not staged()
    imported = events("staff.imported")
    assert len(imported) == 1 and "2 created, 1 updated" in imported[0].summary
    assert imported[0].actor_id == persona("people-sam").id


def test_a_second_apply_of_the_same_upload_is_refused_and_imports_nothing(sam):
    upload_id = uploaded(sam)
    page = sam.page(f"{UPLOAD}/{upload_id}")
    sha256 = page.soup.find("input", {"name": "sha256"})["value"]
    assert apply(sam, upload_id, sha256).status_code == 200
    again = apply(sam, upload_id, sha256)
    assert again.status_code == 404
    assert "no longer waiting to be applied" in Page(again).text
    assert sam.get(f"{UPLOAD}/{upload_id}").status_code == 404
    assert len(events("staff.imported")) == 1


@pytest.mark.parametrize("sha256", ["", "f" * 64, "\x00", "x" * 100_000, ["a", "b"]])
def test_an_apply_that_does_not_name_the_file_seen_is_refused(sam, sha256):
    upload_id = uploaded(sam)
    response = sam.post(f"{UPLOAD}/{upload_id}", data={
        "csrf_token": sam.session_csrf_token(), "sha256": sha256})
    assert response.status_code == 409
    assert Page(response).h1 == "This staff import changed while you were looking at it"
    response = sam.post(f"{UPLOAD}/{upload_id}", data={"csrf_token": sam.session_csrf_token()})
    assert response.status_code == 409
    assert len(staged()) == 1 and user("nia.newcomer@example.org") is None


def test_a_file_with_problems_leaves_the_last_upload_waiting(sam):
    first = uploaded(sam)
    assert upload(sam, BAD).status_code == 200
    assert [u.id for u in staged()] == [first]
    assert apply(sam, first).status_code == 200


def test_an_upload_is_forgotten_after_a_day(sam):
    """Not found once a day old, and removed by the next upload kept, anyone's."""
    other = make_user("Olive Officer", roles=[Role.STAFF, Role.PEOPLE_SERVICES])
    _plan, old = staff_uploads.plan_upload(other, "old.csv", io.BytesIO(GOOD.encode()),
                                           None, "keep")
    old.created_at = old.created_at - timedelta(days=1, minutes=1)
    db.session.commit()
    assert sam.get(f"{UPLOAD}/{old.id}").status_code == 404
    assert [u.id for u in staged()] == [old.id]
    kept = uploaded(sam)
    assert [u.id for u in staged()] == [kept]


def test_an_upload_the_records_no_longer_allow_imports_nothing(sam):
    """Between the dry run and the apply the line manager the file names left: the
    import refuses, and the page asks for the file again."""
    upload_id = uploaded(sam)
    priya = user("priya.shah@example.org")
    priya.email = "priya.shah@elsewhere.example"
    db.session.commit()
    response = apply(sam, upload_id)
    page = Page(response)
    assert response.status_code == 200
    assert page.error_messages()[0].startswith("Error: Nothing was imported")
    assert "priya.shah@example.org" in page.text
    assert user("nia.newcomer@example.org") is None
    assert len(events("staff.import_refused")) == 1


def test_two_applies_at_once_import_once(sam, app, make_client, database_url):
    """Two tabs posting the same apply at the same moment: one imports, the other is
    told the upload is gone (on PostgreSQL the second waits for the first's commit)."""
    if not database_url.startswith("postgresql"):
        pytest.skip("SQLite lets one writer in at a time: the race is PostgreSQL's")
    upload_id = uploaded(sam)
    sha256 = sam.page(f"{UPLOAD}/{upload_id}").soup.find("input", {"name": "sha256"})["value"]
    other = make_client()
    other.sign_in("people-sam")
    answers = []
    start = threading.Barrier(2)

    def post(client):
        data = {"csrf_token": client.session_csrf_token(), "sha256": sha256}
        start.wait()
        answers.append(client.post(f"{UPLOAD}/{upload_id}", data=data).status_code)

    threads = [threading.Thread(target=post, args=(c,)) for c in (sam, other)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(answers) == [200, 404]
    assert len(events("staff.imported")) == 1
    assert db.session.scalar(select(func.count()).select_from(User).where(
        User.email == "nia.newcomer@example.org")) == 1


# --- what the field refuses -------------------------------------------------------------

def field_error(response) -> list[str]:
    return Page(response).error_messages()


def test_a_missing_file_field_and_an_empty_choice_are_field_errors(sam):
    response = upload(sam, None)
    assert response.status_code == 200
    assert field_error(response) == ["Error: Select the HR system's export"]
    response = sam.post(UPLOAD, data={"csrf_token": token(sam)},
                        content_type="multipart/form-data")
    assert set(field_error(response)) == {
        "Error: Select the HR system's export", "Error: Select the file's encoding",
        "Error: Select what happens to the people who are not in the file"}


def test_a_file_chosen_with_no_name_is_no_file(sam):
    assert field_error(upload(sam, GOOD, filename="")) == [
        "Error: Select the HR system's export"]


def test_an_empty_file_is_refused(sam):
    assert field_error(upload(sam, b"")) == ["Error: The selected file is empty"]
    assert field_error(upload(sam, b"\n\n")) == [
        "Error: The file is empty: its first line should name the columns (name, email, "
        "department, line_manager_email, grade)"]
    assert not staged()


@pytest.mark.parametrize("filename, content", [
    ("staff.xlsx", GOOD.encode()),
    ("staff.pdf", b"%PDF-1.7\n"),
    ("staff.csv", b"PK\x03\x04\x14\x00\x06\x00"),   # a workbook renamed
    ("staff.csv", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"),  # an old .xls renamed
])
def test_a_file_that_is_not_csv_is_refused(sam, filename, content):
    assert field_error(upload(sam, content, filename=filename)) == [
        "Error: The selected file must be a CSV file"]
    assert not staged()


def test_a_file_over_the_limit_is_refused(sam, monkeypatch):
    monkeypatch.setattr(staff_uploads, "MAX_UPLOAD_BYTES", 2 * 1024 * 1024)
    message = ["Error: The selected file must be smaller than 2 MB"]
    # Over the limit, within the request's margin: read, measured, refused.
    just_over = GOOD.encode() + b"x" * (2 * 1024 * 1024)
    response = upload(sam, just_over)
    assert response.status_code == 200 and field_error(response) == message
    # Far over: refused before it is read, with the same message.
    response = upload(sam, b"x" * (4 * 1024 * 1024))
    assert response.status_code == 413 and field_error(response) == message
    assert Page(response).title.startswith("Error: Import staff from the HR system")
    assert not staged()


def test_nul_bytes_in_the_file_are_problems_not_errors(sam):
    response = upload(sam, GOOD.replace("Ola Other", "Ola\x00Other"))
    assert response.status_code == 200
    [message] = field_error(response)
    assert message.startswith("Error: Line 3: the name holds a NUL byte")
    assert not staged()
    response = upload(sam, GOOD, filename="staff\x00.csv")
    assert response.status_code == 302
    assert staged()[0].filename == "staff.csv"


def test_a_path_in_the_file_name_is_not_kept(sam):
    uploaded(sam, filename="exports/2026/staff.csv")
    assert staged()[0].filename == "staff.csv"
    # As old browsers on Windows sent it.
    assert staff_uploads.shown_name("C:\\Users\\sam\\staff.csv") == "staff.csv"
    assert staff_uploads.shown_name("\x00\x1f") == "export.csv"


def test_each_encoding_chosen_is_read_as_chosen(sam):
    content = GOOD.replace("Nia Newcomer", "Niamh Ó Súilleabháin")
    assert upload(sam, content.encode("cp1252"), encoding="cp1252").status_code == 302
    assert upload(sam, content.encode("utf-16"), encoding="utf-16").status_code == 302
    assert upload(sam, content.encode("utf-16"), encoding="detect").status_code == 302
    response = upload(sam, content.encode("cp1252"), encoding="utf-8")
    assert field_error(response) == [
        "Error: The file is not in UTF-8: line 2 cannot be read"]
    upload_id = uploaded(sam, content.encode("cp1252"), encoding="cp1252")
    assert apply(sam, upload_id).status_code == 200
    assert user("nia.newcomer@example.org").name == "Niamh Ó Súilleabháin"


def test_a_choice_not_offered_is_a_field_error(sam):
    response = upload(sam, GOOD, encoding="ebcdic", leavers="everyone")
    assert response.status_code == 200
    assert len(field_error(response)) == 2
    assert not staged()
