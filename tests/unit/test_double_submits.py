"""The same request sent several times at once (a double click, two tabs, a retry): one
record, and every other copy answered as the portal answers a repeat, never with a
database error. Each copy is a thread with a session on a connection of its own, on
PostgreSQL, where the copies really overlap (SQLite runs one writer at a time)."""

import threading

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm.exc import StaleDataError

from portal.extensions import db
from portal.models import (
    Appeal,
    AuditEvent,
    BusinessCase,
    Department,
    Opportunity,
    Organisation,
    RoleAssignment,
    User,
)
from portal.models.opportunities import OpportunityKind
from portal.permissions import Role
from portal.services import applications as application_service
from portal.services import opportunities as opportunity_service
from portal.services import people
from portal.services.errors import StaleRecord
from portal.workflow import TransitionRefused
from tests.factories import make_department, make_opportunity, make_organisation, make_user

COPIES = 4


class AlreadyGone(Exception):
    """What the back office answers a copy that loads a record another copy has just
    deleted: Flask-Admin says "Record does not exist" and calls no service."""


# What a repeat may be answered with: the rule it now breaks, "changed meanwhile", or
# the record gone before the copy could load it.
REPEAT_ANSWERS = (people.BackOfficeRuleError, TransitionRefused, StaleRecord,
                  StaleDataError, AlreadyGone)


@pytest.fixture
def postgres(app):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("needs PostgreSQL: SQLite runs one writer at a time, so the copies "
                    "never overlap")


def at_once(app, act, copies: int = COPIES) -> list:
    """Run `act()` in `copies` threads released together; each outcome is "done" or the
    exception it raised."""
    ready = threading.Barrier(copies, timeout=10)
    outcomes = []

    def copy():
        with app.app_context():
            try:
                ready.wait()
                act()
                outcomes.append("done")
            except Exception as error:  # noqa: BLE001 - the outcome is what is checked
                db.session.rollback()
                outcomes.append(error)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=copy) for _ in range(copies)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(20)
    return outcomes


def assert_one_done_and_repeats_refused(outcomes):
    assert outcomes.count("done") == 1, outcomes
    others = [o for o in outcomes if o != "done"]
    assert all(isinstance(o, REPEAT_ANSWERS) for o in others), others


def count(model, *where) -> int:
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


@pytest.fixture
def admin(app):
    admin = make_user("Ada Admin", roles=[Role.STAFF, Role.ADMIN])
    db.session.commit()
    return admin.id


def test_an_organisation_added_several_times_at_once_is_added_once(app, postgres, admin):
    def add():
        people.save_organisation(db.session.get(User, admin), None, {"name": "Dale Trust"})

    assert_one_done_and_repeats_refused(at_once(app, add))
    assert count(Organisation, Organisation.name == "Dale Trust") == 1


def test_a_department_added_several_times_at_once_is_added_once(app, postgres, admin):
    own = db.session.get(User, admin).organisation_id

    def add():
        people.save_department(db.session.get(User, admin), None, {
            "name": "Parks", "organisation": db.session.get(Organisation, own)})

    assert_one_done_and_repeats_refused(at_once(app, add))
    assert count(Department, Department.name == "Parks") == 1


def test_a_role_granted_several_times_at_once_is_granted_once(app, postgres, admin):
    person = make_user("Pat Person").id
    db.session.commit()

    def grant():
        people.grant_role(db.session.get(User, admin), db.session.get(User, person),
                          Role.LEGAL)

    assert_one_done_and_repeats_refused(at_once(app, grant))
    assert count(RoleAssignment, RoleAssignment.user_id == person,
                 RoleAssignment.role == Role.LEGAL) == 1


def test_a_role_removed_several_times_at_once_is_removed_once(app, postgres, admin):
    person = make_user("Pat Person")
    people.grant_role(db.session.get(User, admin), person, Role.LEGAL)
    assignment = db.session.scalar(select(RoleAssignment.id).where(
        RoleAssignment.user_id == person.id, RoleAssignment.role == Role.LEGAL))

    def remove():
        # A copy released after another has committed finds nothing to load, as the
        # back office's delete page would; one still holding the row meets the rule.
        loaded = db.session.get(RoleAssignment, assignment)
        if loaded is None:
            raise AlreadyGone(assignment)
        people.remove_role(db.session.get(User, admin), loaded)

    assert_one_done_and_repeats_refused(at_once(app, remove))
    assert count(RoleAssignment, RoleAssignment.id == assignment) == 0
    removals = db.session.scalar(select(func.count()).select_from(AuditEvent).where(
        AuditEvent.action == "role.removed"))
    assert removals == 1


def test_a_business_case_sent_several_times_at_once_is_sent_once(app, postgres):
    officer = make_user("Pat People", roles=[Role.STAFF, Role.PEOPLE_SERVICES])
    opportunity = make_opportunity(officer, kind=OpportunityKind.OUTGOING,
                                   host_organisation_id=make_organisation("Dale Trust").id)
    ids = opportunity.id, officer.id

    def send():
        opportunity_service.submit_business_case(
            db.session.get(Opportunity, ids[0]), db.session.get(User, ids[1]),
            skills="Planning", priorities=["strategic_outputs"], costs="None", cover="Jo")

    assert_one_done_and_repeats_refused(at_once(app, send))
    assert count(BusinessCase, BusinessCase.opportunity_id == ids[0]) == 1


def test_an_appeal_lodged_several_times_at_once_is_lodged_once(app, postgres):
    from portal.models import Application

    head = make_user("Dana Head")
    department = make_department("Planning", head=head)
    manager = make_user("Mo Manager", department=department, line_manager=head)
    applicant = make_user("Ann Applicant", department=department, line_manager=manager)
    officer = make_user("Pat People", roles=[Role.STAFF, Role.PEOPLE_SERVICES])
    application = application_service.start_application(
        applicant, make_opportunity(officer, publish=True))
    application_service.save_draft(application, applicant, dict(
        motivation="To learn.", evidence="GIS.", learning_objectives="Lead.",
        cover_plan="Jo covers.", discussed_with_manager=True, has_conflict=False))
    application_service.submit(application, applicant)
    application_service.decide_endorsement(application, manager, support=False,
                                           grounds=["cover"], rationale="No cover.")
    ids = application.id, applicant.id, application.version

    def lodge():
        application_service.lodge_appeal(
            db.session.get(Application, ids[0]), db.session.get(User, ids[1]),
            "Cover is arranged.", expected_version=ids[2])

    assert_one_done_and_repeats_refused(at_once(app, lodge))
    assert count(Appeal, Appeal.application_id == ids[0]) == 1
