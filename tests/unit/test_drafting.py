"""The drafting rules added with the task list: dates a new opportunity may have, the
organisation's list of grades, the person a named request asks for, and where each
task of a draft stands."""

from datetime import timedelta

import pytest

from portal.extensions import db
from portal.models import Grade
from portal.models.grades import DEFAULT_GRADES
from portal.models.opportunities import BusinessCase, CaseStatus
from portal.permissions import Role
from portal.services import grades
from portal.services import opportunities as service
from portal.services.opportunities import RuleError, TaskStatus, london_today
from tests.factories import make_department, make_opportunity, make_organisation, make_user

T = TaskStatus


@pytest.fixture
def officer(app):
    return make_user("Sam Officer", roles=[Role.STAFF, Role.PEOPLE_SERVICES],
                     department=make_department("People Services"))


def test_a_start_date_in_the_past_or_today_is_refused(officer):
    o = make_opportunity(officer)
    for start in (london_today(), london_today() - timedelta(days=30)):
        with pytest.raises(RuleError) as error:
            service.update_draft(o, officer, {"start_date": start})
        assert error.value.errors == {"start_date": "Start date must be in the future"}


def test_a_draft_left_until_its_start_date_passed_cannot_be_published(officer):
    o = make_opportunity(officer, start_date=london_today() - timedelta(days=1),
                         closing_date=london_today())
    assert "Start date must be in the future" in service.publication_problems(o)


def test_clashing_dates_name_the_other_date(officer):
    o = make_opportunity(officer)
    start, closing = o.start_date, o.closing_date
    with pytest.raises(RuleError) as error:
        service.update_draft(o, officer, {"closing_date": start + timedelta(days=1)})
    assert error.value.errors["closing_date"] == (
        f"Closing date must be before the start date, {start.day} {start:%B %Y}")
    with pytest.raises(RuleError) as error:
        service.update_draft(o, officer, {"start_date": closing})
    assert error.value.errors["start_date"] == (
        f"Start date must be after the closing date, {closing.day} {closing:%B %Y}")


def test_the_default_grades_stand_until_an_administrator_writes_a_list(app):
    assert grades.grade_names() == DEFAULT_GRADES
    db.session.add_all([Grade(name="Grade 2", position=2, in_use=True),
                        Grade(name="Grade 10", position=10, in_use=True),
                        Grade(name="Grade 1", position=1, in_use=False)])
    db.session.commit()
    assert grades.grade_names() == ["Grade 2", "Grade 10"]
    assert grades.in_list_order(["Old", "Grade 10", "Grade 2", "Grade 10"]) == [
        "Grade 2", "Grade 10", "Old"]


def test_a_grade_off_the_list_is_refused_unless_the_opportunity_has_it(officer):
    o = make_opportunity(officer, grade="Scale 4")
    with pytest.raises(RuleError) as error:
        service.update_draft(o, officer, {"grade": "Scale 5"})
    assert error.value.errors == {"grade": "Select a grade from the list"}
    service.update_draft(o, officer, {"grade": "Scale 4", "duration_months": 7})
    assert o.grade == "Scale 4" and o.duration_months == 7
    with pytest.raises(RuleError) as error:
        service.update_draft(o, officer, {"pool_grades": ["Band 6", "Band 99"]})
    assert error.value.errors == {"pool_grades": "Select the grades in the pool from the list"}


def test_a_named_request_needs_the_person_requested_before_it_is_published(officer):
    o = make_opportunity(officer, audience="named_request",
                         publicity_assessment="Not damaging.")
    assert "Enter the e-mail address of the person requested" in \
        service.publication_problems(o)
    alex = make_user("Alex Morgan", email="alex@example.org")
    service.update_draft(o, officer, {"requested_person_email": "ALEX@example.org"})
    assert o.requested_person_id == alex.id
    assert service.publication_problems(o) == []


def test_a_person_of_another_organisation_cannot_be_requested(officer):
    outsider = make_user(email="out@example.net", organisation=make_organisation())
    o = make_opportunity(officer, audience="named_request", publicity_assessment="No.")
    with pytest.raises(RuleError) as error:
        service.update_draft(o, officer, {"requested_person_email": outsider.email})
    assert error.value.errors == {"requested_person_email": "Enter the e-mail address of "
                                  "a member of staff in your organisation"}


def test_draft_errors_saves_nothing(officer):
    o = make_opportunity(officer)
    found = service.draft_errors(o, officer, {
        "audience": "restricted_pool", "restriction_justification": "", "pool_grades": [],
        "closing_date": o.start_date})
    assert set(found) == {"restriction_justification", "pool_grades", "closing_date"}
    db.session.refresh(o)
    assert o.audience == "all_staff"


def statuses(o, actions) -> list[T]:
    return [task.status for task in service.drafting_tasks(o, actions)]


def test_the_tasks_of_an_outgoing_draft_through_the_board(officer):
    host = make_organisation()
    o = make_opportunity(officer, kind="outgoing", host_organisation_id=host.id)
    editing = ["edit", "submit_case", "publish", "withdraw"]
    assert statuses(o, editing) == [T.COMPLETED] * 6 + [T.NOT_STARTED, T.CANNOT_START]

    case = BusinessCase(opportunity=o, status=CaseStatus.SUBMITTED)
    db.session.add(case)
    db.session.commit()
    tasks = service.drafting_tasks(o, ["approve_case", "withdraw"])
    assert [t.status for t in tasks][-2:] == [T.WITH_THE_BOARD, T.CANNOT_START]
    assert not any(t.may_open for t in tasks)

    case.status = CaseStatus.REJECTED
    tasks = service.drafting_tasks(o, editing)
    assert tasks[-2].status == T.REJECTED and tasks[-2].may_open

    case.status = CaseStatus.APPROVED
    tasks = service.drafting_tasks(o, ["publish", "withdraw"])
    assert [t.status for t in tasks][-2:] == [T.COMPLETED, T.NOT_STARTED]
    assert tasks[-1].may_open and not tasks[0].may_open


def test_a_rule_broken_keeps_its_page_in_progress(officer):
    o = make_opportunity(officer, working_pattern="part_time", hours_detail="")
    assert statuses(o, ["edit"])[2] == T.IN_PROGRESS
    assert service.section_problems(o)["terms"] == ["Enter the hours or days a week"]
