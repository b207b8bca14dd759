"""The HR export import: all rows or none, with every problem reported."""

import io

from sqlalchemy import func, select

from portal.extensions import db
from portal.models import AuditEvent, Department, User
from portal.services.staff_import import import_staff
from tests.factories import make_user

HEADER = "name,email,department,line_manager_email,grade\n"


def run(text):
    return import_staff(io.StringIO(text))


def count_users():
    return db.session.scalar(select(func.count(User.id)))


def test_creates_staff_departments_and_line_managers(app):
    result = run(HEADER
                 + "Alex Morgan,alex@example.org,Planning,priya@example.org,Band 6\n"
                 + "Priya Shah,priya@example.org,Planning,,Band 7\n")

    assert result.ok and (result.created, result.updated) == (2, 0)
    alex = db.session.scalar(select(User).where(User.email == "alex@example.org"))
    assert alex.line_manager.name == "Priya Shah"
    assert alex.department.name == "Planning" and alex.grade == "Band 6"
    assert alex.subject is None  # linked at first sign-in
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "staff.imported"))


def test_updates_people_it_already_knows_by_email_in_any_case(app):
    existing = make_user("Old Name", email="Alex@Example.org")
    result = run(HEADER + "Alex Morgan,alex@example.org,Finance,,Band 7\n")

    assert (result.created, result.updated) == (0, 1)
    db.session.expire_all()
    assert db.session.get(User, existing.id).name == "Alex Morgan"
    assert count_users() == 1


def test_line_manager_already_known_is_accepted(app):
    make_user("Priya", email="priya@example.org")
    assert run(HEADER + "Alex,alex@example.org,Planning,priya@example.org,\n").ok


def test_a_bad_file_is_taken_not_at_all_and_every_problem_reported(app):
    before = count_users()
    result = run(HEADER
                 + "Good Person,good@example.org,Planning,,Band 5\n"
                 + ",noname@example.org,Planning,,\n"
                 + "Bad Email,not-an-email,Planning,,\n"
                 + "Twice,good@example.org,Planning,,\n"
                 + "Own Manager,own@example.org,Planning,own@example.org,\n"
                 + "Unknown Manager,um@example.org,Planning,ghost@example.org,\n"
                 + "No Department,nodept@example.org,,,\n")

    assert not result.ok
    joined = "\n".join(result.errors)
    assert "Line 3: enter the person's name" in joined
    assert "Line 4: 'not-an-email' is not a valid e-mail address" in joined
    assert "Line 5: good@example.org appears more than once (first on line 2)" in joined
    assert "Line 6: a person cannot be their own line manager" in joined
    assert "Line 7: line manager ghost@example.org is neither in the file nor known" in joined
    assert "Line 8: enter the person's department" in joined
    assert count_users() == before
    assert db.session.scalar(select(func.count(Department.id))) == 0


def test_missing_columns_are_named(app):
    result = run("name,email\nA,a@example.org\n")
    assert result.errors == [
        "The file has no column: department, line_manager_email, grade "
        "(expected name, email, department, line_manager_email, grade)"]


def test_empty_file_is_refused(app):
    assert run(HEADER).errors == ["The file has no rows of staff"]


def test_cli_import_reports_and_exits_non_zero_on_a_bad_file(app, tmp_path):
    good = tmp_path / "good.csv"
    good.write_text(HEADER + "Alex,alex@example.org,Planning,,Band 6\n", encoding="utf-8")
    bad = tmp_path / "bad.csv"
    bad.write_text(HEADER + "Alex,broken,Planning,,\n", encoding="utf-8")
    runner = app.test_cli_runner()

    ok = runner.invoke(args=["import-staff", str(good)])
    assert ok.exit_code == 0, ok.output
    assert "1 created, 0 updated" in ok.output

    refused = runner.invoke(args=["import-staff", str(bad)])
    assert refused.exit_code == 1
    assert "No staff were imported" in refused.output
    assert "'broken' is not a valid e-mail address" in refused.output


def test_demo_data_command_is_idempotent(app):
    runner = app.test_cli_runner()
    first = runner.invoke(args=["demo-data"])
    assert first.exit_code == 0, first.output
    users = count_users()
    second = runner.invoke(args=["demo-data"])
    assert second.exit_code == 0
    assert count_users() == users == 13  # nine personas, four more demo applicants
    assert "created" not in second.output.replace("Demo data ready", "")
    assert "0 new opportunities, 0 new applications" in second.output
    from portal.models import Opportunity
    from portal.services.opportunities import BoardFilters, board

    assert db.session.scalar(select(func.count(Opportunity.id))) == 30
    assert board(BoardFilters()).total >= 20


def test_demo_data_refuses_to_run_in_production(app):
    app.config["PORTAL_ENV"] = "production"
    refused = app.test_cli_runner().invoke(args=["demo-data"])
    assert refused.exit_code != 0
    assert "does not run with PORTAL_ENV=production" in refused.output
    assert count_users() == 0
