"""The HR export import: all rows or none, with every problem reported."""

import io
from datetime import timedelta

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


def demo_records() -> dict:
    """What a second run of the demo must leave as it found: the placements and every
    checklist item, as they stand."""
    from portal.models import ChecklistItem, Placement

    db.session.expire_all()
    return {
        "placements": db.session.execute(select(
            Placement.id, Placement.status, Placement.version).order_by(Placement.id)).all(),
        "items": db.session.execute(select(
            ChecklistItem.id, ChecklistItem.status, ChecklistItem.version,
            ChecklistItem.due_date, ChecklistItem.recorded_date,
            ChecklistItem.recorded_reference, ChecklistItem.reason,
            ChecklistItem.completed_by_id).order_by(ChecklistItem.id)).all(),
    }


def test_demo_data_command_is_idempotent(app):
    runner = app.test_cli_runner()
    first = runner.invoke(args=["demo-data"])
    assert first.exit_code == 0, first.output
    users = count_users()
    seeded = demo_records()
    second = runner.invoke(args=["demo-data"])
    assert second.exit_code == 0
    assert count_users() == users == 13  # nine personas, four more demo applicants
    assert "created" not in second.output.replace("Demo data ready", "")
    assert "0 new opportunities, 0 new applications, 0 new placements" in second.output
    # Nothing added or moved twice: no placement, no checklist item.
    assert demo_records() == seeded
    from portal.models import Opportunity
    from portal.services.opportunities import BoardFilters, board

    assert db.session.scalar(select(func.count(Opportunity.id))) == 30
    assert board(BoardFilters()).total >= 20
    check_demo_checklists()


def check_demo_checklists():
    """R9 in the demo: checklists at every stage, each step taken by the item's owner
    (People Services' own items, and IT's, for which the demo has no persona), some
    items overdue, and an international placement whose visa expires within 60 days."""
    from portal.demo.onboarding import ABROAD, PEOPLE, STEPS
    from portal.models import ChecklistItem, Placement
    from portal.models.onboarding import OPEN_STATUSES, ItemStatus, OwnerType
    from portal.services.onboarding.items import EXPIRY_WARNING_DAYS, expiring
    from portal.services.onboarding.owners import is_owner
    from portal.services.opportunities import london_today

    today = london_today()
    checklist = db.session.scalars(select(ChecklistItem)).all()
    assert {i.status for i in checklist} == set(ItemStatus)

    reached = {"start": ItemStatus.IN_PROGRESS, "wait": ItemStatus.CANNOT_START,
               "complete": ItemStatus.DONE, "not_applicable": ItemStatus.NOT_APPLICABLE}
    people = {key: db.session.scalar(select(User).where(User.email == email))
              for key, email in PEOPLE.items()}
    for step in STEPS:
        item = db.session.scalar(select(ChecklistItem).join(Placement).where(
            Placement.title == step.placement, ChecklistItem.title == step.item))
        assert item is not None and item.status == reached[step.action], step
        event = db.session.scalars(select(AuditEvent).where(
            AuditEvent.action == f"checklist_item.{step.action}",
            AuditEvent.object_type == "ChecklistItem",
            AuditEvent.object_id == str(item.id))).one()
        assert event.actor_id == people[step.who].id, step
        if step.who == "sam":
            assert item.owner_type in (OwnerType.PEOPLE_SERVICES, OwnerType.IT), step
        else:
            assert is_owner(people[step.who], item), step
        if step.action in ("wait", "not_applicable"):
            assert item.reason == step.reason
        if item.status == ItemStatus.DONE and item.records == "reference":
            assert item.recorded_reference
        if item.status == ItemStatus.DONE and item.records in ("date", "expiry"):
            assert item.recorded_date

    overdue = [i for i in checklist if i.status in OPEN_STATUSES and i.due_date < today]
    assert {i.status for i in overdue} == set(OPEN_STATUSES)
    assert {i.owner_type for i in overdue} >= {OwnerType.PEOPLE_SERVICES,
                                               OwnerType.SUBSTANTIVE_MANAGER,
                                               OwnerType.HOST_CONTACT}

    abroad = db.session.scalar(select(Placement).where(Placement.title == ABROAD))
    assert abroad.international and abroad.country == "Iceland"
    visa = next(i for i in abroad.checklist_items if i.title == "Visa and right to work")
    assert visa.status == ItemStatus.DONE
    assert today < visa.recorded_date <= today + timedelta(days=EXPIRY_WARNING_DAYS)
    assert expiring(abroad) == [visa]


def test_demo_data_refuses_to_run_in_production(app):
    app.config["PORTAL_ENV"] = "production"
    refused = app.test_cli_runner().invoke(args=["demo-data"])
    assert refused.exit_code != 0
    assert "does not run with PORTAL_ENV=production" in refused.output
    assert count_users() == 0
