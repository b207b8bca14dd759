"""The import as a nightly sync: what a second export changes, line managers that go
round in a circle or are nowhere, leavers with the decisions waiting on them (listed,
then disabled with their sessions ended), the dry run, one transaction, and the
`flask import-staff` command's output and exit codes."""

import io
import sys

import pytest
from sqlalchemy import func, select

from portal import cli
from portal.extensions import db
from portal.models import AuditEvent, Department, User, UserSession
from portal.models.applications import ApplicationStatus
from portal.permissions import Role
from portal.services import applications as application_service
from portal.services import sessions
from portal.services.staff_import import (
    ImportOptions,
    apply_staff_import,
    plan_staff_import,
    writing,
)
from tests.factories import make_department, make_opportunity, make_organisation, make_user

HEADER = "name,email,department,line_manager_email,grade\n"
STAFF = (HEADER
         + "Dana Head,dana@example.org,Planning,,Band 8\n"
         + "Mo Manager,mo@example.org,Planning,dana@example.org,Band 7\n"
         + "Ann Applicant,ann@example.org,Planning,mo@example.org,Band 6\n"
         + "Kim Keeper,kim@example.org,Finance,dana@example.org,Band 6\n")


def csv(text: str) -> io.BytesIO:
    return io.BytesIO(text.encode())


def plan(text: str, **options):
    return plan_staff_import(csv(text), ImportOptions(**options))


def apply(text: str, actor=None, **options):
    return apply_staff_import(csv(text), ImportOptions(**options), actor=actor)


def person(email: str) -> User:
    db.session.expire_all()
    return db.session.scalar(select(User).where(User.email == email))


def count(model, *where) -> int:
    return db.session.scalar(select(func.count(model.id)).where(*where))


def events(action: str) -> list[AuditEvent]:
    return db.session.scalars(select(AuditEvent).where(AuditEvent.action == action)
                              .order_by(AuditEvent.id)).all()


def test_a_second_export_counts_what_it_changes(app):
    assert apply(STAFF).created == 4
    changed = (HEADER
               + "Dana Head,dana@example.org,Planning,,Band 8\n"        # unchanged
               + "Mo Manager,MO@example.org,Finance,dana@example.org,Band 7\n"  # moved
               + "Ann Applicant,ann@example.org,Planning,kim@example.org,Band 6\n"  # manager
               + "Kim Keeper,kim@example.org,Finance,dana@example.org,Band 7\n"  # grade
               + "New Starter,new@example.org,Legal,kim@example.org,\n")

    planned = plan(changed)
    assert (planned.created, planned.updated, planned.unchanged, planned.moved_department,
            planned.new_line_manager) == (1, 3, 1, 1, 1)
    assert planned.new_departments == ["Legal"]

    applied = apply(changed)
    assert (applied.created, applied.updated, applied.moved_department,
            applied.new_line_manager, applied.disabled) == (1, 3, 1, 1, 0)
    assert person("mo@example.org").department.name == "Finance"
    assert person("ann@example.org").line_manager.email == "kim@example.org"
    assert person("kim@example.org").grade == "Band 7"
    assert person("new@example.org").line_manager.email == "kim@example.org"
    assert [e.summary for e in events("staff.imported")][-1] == (
        "5 rows: 1 created, 3 updated, 1 moved department, 1 new line manager, 0 disabled")
    assert plan(changed).updated == 0  # applied: nothing left to change


def test_a_department_in_another_case_is_the_same_department(app):
    make_department("Planning")
    assert apply(HEADER + "Alex,alex@example.org,PLANNING,,\n").new_departments == []
    assert count(Department) == 1


def test_line_managers_going_round_in_a_circle_are_refused_on_each_line(app):
    result = plan(HEADER
                  + "Ann,ann@example.org,Planning,bob@example.org,\n"
                  + "Bob,bob@example.org,Planning,ann@example.org,\n"
                  + "Cat,cat@example.org,Planning,dan@example.org,\n"
                  + "Dan,dan@example.org,Planning,eve@example.org,\n"
                  + "Eve,eve@example.org,Planning,cat@example.org,\n"
                  + "Fay,fay@example.org,Planning,ann@example.org,\n")
    assert result.errors == [
        "Line 2: ann@example.org's line managers go round in a circle: "
        "ann@example.org → bob@example.org → ann@example.org",
        "Line 3: bob@example.org's line managers go round in a circle: "
        "ann@example.org → bob@example.org → ann@example.org",
        "Line 4: cat@example.org's line managers go round in a circle: "
        "cat@example.org → dan@example.org → eve@example.org → cat@example.org",
        "Line 5: dan@example.org's line managers go round in a circle: "
        "cat@example.org → dan@example.org → eve@example.org → cat@example.org",
        "Line 6: eve@example.org's line managers go round in a circle: "
        "cat@example.org → dan@example.org → eve@example.org → cat@example.org"]


def test_a_circle_through_someone_the_file_leaves_out_is_refused(app):
    ann = make_user("Ann", email="ann@example.org")
    make_user("Xavier", email="xavier@example.org", line_manager=ann)
    result = plan(HEADER + "Ann,ann@example.org,Planning,xavier@example.org,\n")
    assert result.errors == [
        "Line 2: ann@example.org's line managers go round in a circle: "
        "ann@example.org → xavier@example.org → ann@example.org"]


def test_a_line_manager_must_be_in_the_file_or_a_member_of_staff(app):
    make_user("Stays", email="stays@example.org")
    make_user("Gone", email="gone@example.org", enabled=False)
    make_user("Host", email="host@partner.example",
              organisation=make_organisation("Partner"), roles=[Role.HOST_CONTACT])
    text = (HEADER
            + "A,a@example.org,Planning,stays@example.org,\n"
            + "B,b@example.org,Planning,ghost@example.org,\n"
            + "C,c@example.org,Planning,gone@example.org,\n"
            + "D,d@example.org,Planning,host@partner.example,\n"
            + "E,e@example.org,Planning,not-an-address,\n")
    keep = plan(text)
    assert keep.errors == [
        "Line 3: line manager ghost@example.org is neither in the file nor known as a "
        "member of staff",
        "Line 4: line manager gone@example.org is not in the file and is disabled in the "
        "portal",
        "Line 5: line manager host@partner.example works for a host organisation: choose "
        "a line manager in your own organisation",
        "Line 6: line manager 'not-an-address' is not a valid e-mail address"]
    # A sync would disable the manager who is not in the file.
    disable = plan(text, leavers="disable")
    assert disable.errors[0] == (
        "Line 2: line manager stays@example.org is not in the file, so disabling the "
        "people who are not would disable them: add them to the file")


def test_a_host_organisations_contact_is_not_staff(app):
    make_user("Host", email="host@partner.example", organisation=make_organisation("P"))
    result = apply(HEADER + "Host,host@partner.example,Planning,,\n")
    assert result.errors == ["Line 2: host@partner.example is a host organisation's "
                             "contact in the portal, not a member of staff"]
    assert person("host@partner.example").department is None


@pytest.fixture
def waiting(app):
    """Staff imported, and two applications waiting on two people the next export no
    longer has: one for Mo's endorsement as line manager, one for Dana's release as
    head of Planning. Mo and Dana are signed in."""
    apply(STAFF)
    dana, ann, kim = (db.session.scalar(select(User).where(User.email == email))
                      for email in ("dana@example.org", "ann@example.org", "kim@example.org"))
    ann.department.head = kim.department.head = dana
    db.session.commit()
    officer = make_user("Pat People", email="pat@example.org",
                        roles=[Role.STAFF, Role.PEOPLE_SERVICES])
    answers = dict(motivation="To learn.", evidence="GIS.", learning_objectives="Lead.",
                   cover_plan="Jo covers.", discussed_with_manager=True, has_conflict=False)
    first = make_opportunity(officer, publish=True, title="Data adviser")
    second = make_opportunity(officer, publish=True, title="Policy lead")
    for applicant, opportunity in ((ann, first), (kim, second)):
        endorsed = application_service.start_application(applicant, opportunity)
        application_service.save_draft(endorsed, applicant, answers)
        application_service.submit(endorsed, applicant)
    application_service.decide_endorsement(endorsed, dana, support=True,
                                           expected_version=endorsed.version)
    assert endorsed.status == ApplicationStatus.ENDORSED
    keys = {who: sessions.start_session(person(f"{who}@example.org"), "staff", None)
            for who in ("mo", "dana", "kim")}
    db.session.commit()
    return {"officer": officer, "keys": keys}


NEXT_NIGHT = (HEADER
              + "Ann Applicant,ann@example.org,Planning,kim@example.org,Band 6\n"
              + "Kim Keeper,kim@example.org,Finance,,Band 6\n"
              + "Pat People,pat@example.org,People Services,,\n")


def test_leavers_are_listed_with_the_decisions_waiting_on_them(waiting):
    result = plan(NEXT_NIGHT, leavers="disable")
    assert result.ok, result.errors
    assert result.disabled == result.not_in_file == 2
    by_email = {leaver.email: leaver for leaver in result.leavers}
    mo, dana = by_email["mo@example.org"], by_email["dana@example.org"]
    assert [(d.waiting_for, d.applicant, d.opportunity) for d in mo.open_decisions] == [
        ("Endorsement as line manager", "Ann Applicant", "Data adviser")]
    assert [(d.waiting_for, d.applicant, d.opportunity) for d in dana.open_decisions] == [
        ("Release as head of department", "Kim Keeper", "Policy lead")]
    assert dana.heads == ["Finance", "Planning"] and mo.heads == []
    assert mo.open_decisions[0].reference.startswith("SEC-")
    # Kept, they are counted but neither listed nor disabled.
    kept = plan(NEXT_NIGHT)
    assert (kept.not_in_file, kept.disabled, kept.leavers) == (2, 0, [])


def test_disabling_leavers_ends_their_sessions(waiting):
    officer = waiting["officer"]
    result = apply(NEXT_NIGHT, actor=officer, leavers="disable")

    assert result.ok and result.applied and result.disabled == 2
    assert not person("mo@example.org").is_enabled
    assert not person("dana@example.org").is_enabled
    assert person("kim@example.org").is_enabled
    keys = waiting["keys"]
    assert sessions.user_for_session(keys["mo"]) is None
    assert sessions.user_for_session(keys["dana"]) is None
    assert sessions.user_for_session(keys["kim"]) is not None
    ended = db.session.scalars(select(UserSession.end_reason).where(
        UserSession.ended_at.is_not(None))).all()
    assert ended == ["disabled", "disabled"]
    assert {e.object_id for e in events("user.disabled")} == {
        str(person("mo@example.org").id), str(person("dana@example.org").id)}
    assert all(e.actor_id == officer.id for e in events("user.disabled"))
    [imported] = events("staff.imported")[-1:]
    assert imported.actor_id == officer.id and imported.summary.endswith("2 disabled")


def test_the_dry_run_changes_nothing(waiting):
    before = db.session.execute(select(User.email, User.name, User.is_enabled,
                                       User.department_id, User.line_manager_id,
                                       User.session_version).order_by(User.id)).all()
    audit_before = count(AuditEvent)

    result = apply(NEXT_NIGHT + "New,new@example.org,Legal,,\n", leavers="disable",
                   dry_run=True)

    assert result.ok and not result.applied
    assert (result.created, result.new_line_manager, result.disabled) == (1, 2, 2)
    db.session.expire_all()
    assert db.session.execute(select(User.email, User.name, User.is_enabled,
                                     User.department_id, User.line_manager_id,
                                     User.session_version).order_by(User.id)).all() == before
    assert count(AuditEvent) == audit_before
    assert sessions.user_for_session(waiting["keys"]["mo"]) is not None


def test_nobody_disables_themselves_or_half_the_organisation(waiting):
    officer = waiting["officer"]
    without_me = NEXT_NIGHT.replace("Pat People,pat@example.org,People Services,,\n", "")
    result = apply(without_me, actor=officer, leavers="disable")
    assert result.errors == ["You (pat@example.org) are not in the file: it would disable "
                             "your own account"]
    too_many = apply(NEXT_NIGHT, leavers="disable", max_leavers=1)
    assert too_many.errors == ["2 people of the organisation are not in the file, more "
                               "than the 1 it may disable: is it the whole export?"]
    assert person("mo@example.org").is_enabled
    assert [e.summary for e in events("staff.import_refused")] == [
        "Nothing imported: 1 problem in 2 rows", "Nothing imported: 1 problem in 3 rows"]


def test_people_of_host_organisations_are_never_leavers(app):
    make_user("Host", email="host@partner.example", organisation=make_organisation("P"))
    result = apply(STAFF, leavers="disable")
    assert result.ok and result.disabled == 0
    assert person("host@partner.example").is_enabled


def test_an_import_never_enables_a_disabled_person_again(app):
    make_user("Gone", email="gone@example.org", enabled=False)
    result = apply(HEADER + "Gone,gone@example.org,Planning,,\n")
    assert result.ok and result.still_disabled == 1
    assert not person("gone@example.org").is_enabled


def test_a_failure_while_writing_leaves_nothing_half_imported(app, monkeypatch):
    def fail(self):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(writing._Writer, "link_managers", fail)
    with pytest.raises(RuntimeError):
        apply(STAFF)
    assert count(User) == count(Department) == count(AuditEvent) == 0


def test_many_problems_are_listed_up_to_a_thousand(app):
    result = plan(HEADER + "".join(f",x{n}@example.org,Planning,,\n" for n in range(1500)))
    assert len(result.errors) == 1001 and result.problems == 1500
    assert result.errors[-1] == "… and 500 more problems not listed"


# The command, as cron and People Services run it.

def invoke(app, *args):
    return app.test_cli_runner().invoke(args=["import-staff", *map(str, args)])


def test_the_command_applies_and_says_what_changed(app, tmp_path):
    path = tmp_path / "staff.csv"
    path.write_text(STAFF, encoding="utf-16")
    done = invoke(app, path)
    assert done.exit_code == 0, done.output
    assert "Imported staff: 4 created, 0 updated, 0 moved department, 0 new line " \
           "manager, 0 disabled. 4 rows read (UTF-16, separated by commas)" in done.output
    assert "  new departments:          2 (Finance, Planning)" in done.output


def test_the_commands_dry_run_prints_changes_and_leavers_open_decisions(app, waiting,
                                                                       tmp_path):
    path = tmp_path / "staff.csv"
    path.write_text(NEXT_NIGHT, encoding="utf-8")
    dry = invoke(app, path, "--dry-run", "--leavers", "disable")
    assert dry.exit_code == 0, dry.output
    out = dry.output
    assert "Dry run: nothing was changed. 3 rows read (UTF-8, separated by commas)" in out
    # Ann and Kim get new line managers, Pat (from the back office) a department.
    for line in ("  created:                  0", "  updated:                  3",
                 "  moved department:         1", "  new line manager:         2",
                 "  disabled:                 2", "  new departments:          1 (People "
                 "Services)"):
        assert line in out
    assert "Leaver would be disabled: Mo Manager <mo@example.org>" in out
    assert "    Endorsement as line manager on SEC-" in out
    assert "(Ann Applicant, Data adviser): give it to someone else" in out
    assert "    Head of Planning: give it to someone else" in out
    assert person("mo@example.org").is_enabled

    kept = invoke(app, path)
    assert "2 people of the organisation are not in the file and were kept" in kept.output


def test_the_commands_exit_codes(app, tmp_path):
    good, bad = tmp_path / "good.csv", tmp_path / "bad.csv"
    good.write_text(STAFF)
    bad.write_text(HEADER + "Alex,alex@example.org,Planning,ghost@example.org,\n")

    refused = invoke(app, bad)
    assert refused.exit_code == 1
    assert "No staff were imported. Correct these rows and run it again:" in refused.output
    assert "  Line 2: line manager ghost@example.org is neither in the file" in refused.output
    assert invoke(app, bad, "--dry-run").exit_code == 1
    assert count(User) == 0

    for usage in ([good, "--encoding", "klingon"], [good, "--leavers", "fire"],
                  [tmp_path / "missing.csv"], []):
        assert invoke(app, *usage).exit_code == 2, usage
    assert "'klingon' is not an encoding" in invoke(app, good, "--encoding", "klingon").output

    assert invoke(app, good, "--dry-run").exit_code == 0 and count(User) == 0
    assert invoke(app, good).exit_code == 0 and count(User) == 4


def test_the_command_reports_progress_in_plain_lines_when_not_on_a_terminal(
        app, tmp_path, monkeypatch):
    monkeypatch.setattr(cli, "PLAIN_PROGRESS_ROWS", 1000)
    path = tmp_path / "staff.csv"
    path.write_text(HEADER + "".join(f"P{n},p{n}@example.org,Planning,,\n"
                                     for n in range(2500)))
    done = invoke(app, path)
    assert done.exit_code == 0, done.output
    assert done.output.splitlines()[:5] == [
        "1,000 rows read", "2,000 rows read", "1,000 rows written", "2,000 rows written",
        "Imported staff: 2,500 created, 0 updated, 0 moved department, 0 new line manager, "
        "0 disabled. 2,500 rows read (UTF-8, separated by commas):"]


def test_the_progress_bar_on_a_terminal_reaches_its_end(app, monkeypatch):
    class Terminal(io.StringIO):
        def isatty(self):
            return True

    terminal = Terminal()
    monkeypatch.setattr(sys, "stdout", terminal)
    with cli._import_progress(io.BytesIO(STAFF.encode()), passes=2) as progress:
        for read in range(1, 5):
            progress(read, 0)
        for written in range(1, 5):
            progress(4, written)
    assert "100%" in terminal.getvalue()


def test_a_second_import_while_one_runs_is_refused_on_postgresql(app):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("the lock between imports is PostgreSQL's (advisory lock)")
    from sqlalchemy import text

    from portal.services.staff_import import _LOCK

    with db.engine.connect() as running:
        running.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _LOCK})
        result = apply(STAFF)
        assert result.errors == ["Another staff import is running: nothing was imported. "
                                 "Try again when it has finished"]
        running.rollback()
    db.session.rollback()
    assert count(User) == 0
    assert apply(STAFF).applied
