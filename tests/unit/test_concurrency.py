"""Two people acting on one application at the same moment (optimistic locking).

Each person is a thread with an application context of its own, so a session of its
own on a connection of its own: two real connections to PostgreSQL, both holding the
application as it was when they loaded it, as two browsers do. The version column lets
exactly one of them win; the other's commit finds the row changed and changes nothing.
"""

import threading
import time

import pytest
from sqlalchemy import event, select, text
from sqlalchemy.orm.exc import StaleDataError

from portal.extensions import db
from portal.models import Application, AuditEvent, Decision, User
from portal.permissions import Role
from portal.services import applications as service
from portal.services.opportunities import StaleRecord
from tests.factories import make_department, make_opportunity, make_user

WAIT = 10  # seconds: far more than any step needs; a hang fails instead of blocking


@pytest.fixture
def postgres(app):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("needs PostgreSQL: SQLite locks the whole file for each write, so two "
                    "connections never hold the same row at once (run without "
                    "TEST_DATABASE_URL=sqlite, with PostgreSQL on 127.0.0.1:5432)")


@pytest.fixture
def people(app):
    head = make_user("Dana Head")
    department = make_department("Planning", head=head)
    manager = make_user("Mo Manager", department=department, line_manager=head)
    applicant = make_user("Ann Applicant", department=department, line_manager=manager)
    officer = make_user("Pat People", roles=[Role.STAFF, Role.PEOPLE_SERVICES])
    head.department = department
    db.session.commit()
    return {"head": head, "manager": manager, "applicant": applicant, "officer": officer}


@pytest.fixture
def application(people):
    applicant = people["applicant"]
    application = service.start_application(
        applicant, make_opportunity(people["officer"], publish=True))
    service.save_draft(application, applicant, dict(
        motivation="To learn.", evidence="GIS.", learning_objectives="Lead.",
        cover_plan="Jo covers.", discussed_with_manager=True, has_conflict=False))
    service.submit(application, applicant)
    return application


def support(application):
    manager = db.session.get(User, application.line_manager_id)
    service.decide_endorsement(application, manager, support=True,
                               expected_version=application.version)


def refuse(application):
    manager = db.session.get(User, application.line_manager_id)
    service.decide_endorsement(application, manager, support=False, grounds=["cover"],
                               rationale="Nobody can cover.",
                               expected_version=application.version)


def withdraw(application):
    applicant = db.session.get(User, application.applicant_id)
    service.withdraw(application, applicant, reason="Changed my mind",
                     expected_version=application.version)


class Person(threading.Thread):
    """Loads the application in a session of their own, waits for `go`, then acts."""

    def __init__(self, app, application_id, act, go: threading.Event,
                 loaded: threading.Barrier, on_session=None):
        super().__init__(daemon=True)
        self.app, self.application_id, self.act = app, application_id, act
        self.go, self.loaded, self.on_session = go, loaded, on_session
        self.outcome = None

    def run(self):
        with self.app.app_context():
            try:
                application = db.session.get(Application, self.application_id)
                application.decisions  # noqa: B018 - what the rules read, loaded now
                self.loaded.wait(WAIT)
                if self.on_session:
                    self.on_session(db.session())
                assert self.go.wait(WAIT), "never told to go"
                self.act(application)
                self.outcome = "committed"
            except Exception as error:  # noqa: BLE001 - the outcome is what the test checks
                db.session.rollback()
                self.outcome = error


def final_state(application_id):
    application = db.session.get(Application, application_id, populate_existing=True)
    decisions = db.session.scalars(
        select(Decision).where(Decision.application_id == application_id)
        .execution_options(populate_existing=True)).all()
    actions = db.session.scalars(
        select(AuditEvent.action).where(AuditEvent.object_type == "Application",
                                        AuditEvent.object_id == str(application_id))
        .order_by(AuditEvent.id)).all()
    return application.status, [d.outcome for d in decisions], actions


@pytest.mark.parametrize(("first", "second", "status", "outcomes", "action"), [
    (support, withdraw, "endorsed", ["supported"], "application.support"),
    (withdraw, refuse, "withdrawn", [], "application.withdraw"),
    (support, refuse, "endorsed", ["supported"], "application.support"),
])
def test_both_loaded_the_first_commit_wins_and_the_second_changes_nothing(
        app, postgres, application, first, second, status, outcomes, action):
    loaded = threading.Barrier(2)
    go_first, go_second = threading.Event(), threading.Event()
    one = Person(app, application.id, first, go_first, loaded)
    two = Person(app, application.id, second, go_second, loaded)
    one.start()
    two.start()

    go_first.set()
    one.join(WAIT)
    go_second.set()
    two.join(WAIT)

    assert not one.is_alive() and not two.is_alive()
    assert one.outcome == "committed"
    assert isinstance(two.outcome, StaleDataError), two.outcome
    got_status, got_outcomes, actions = final_state(application.id)
    assert (got_status, got_outcomes) == (status, outcomes)
    assert actions[-1] == action and actions.count(action) == 1
    assert actions[-2] == "application.submit"      # nothing of the second's was written


def test_at_the_same_instant_the_second_waits_for_the_first_then_loses(app, postgres,
                                                                       application):
    """The first has written its change but not committed when the second writes: the
    second waits on the row lock, and once the first commits it finds the version gone."""
    loaded = threading.Barrier(2)
    go_first, go_second, second_waiting = (threading.Event(), threading.Event(),
                                           threading.Event())
    first_flushed = threading.Event()

    def hold_before_commit(session):
        def hold(session, flush_context):
            # Once the application's row is written (and so locked), before the commit.
            if first_flushed.is_set() or not any(
                    isinstance(o, Application) for o in session.dirty):
                return
            first_flushed.set()
            assert second_waiting.wait(WAIT), "the second never reached the row lock"

        event.listen(session, "after_flush", hold)

    one = Person(app, application.id, support, go_first, loaded,
                 on_session=hold_before_commit)
    two = Person(app, application.id, withdraw, go_second, loaded)
    one.start()
    two.start()
    go_first.set()
    assert first_flushed.wait(WAIT)
    go_second.set()
    _wait_for_a_lock_waiter()
    second_waiting.set()
    one.join(WAIT)
    two.join(WAIT)

    assert one.outcome == "committed"
    assert isinstance(two.outcome, StaleDataError), two.outcome
    status, outcomes, actions = final_state(application.id)
    assert (status, outcomes) == ("endorsed", ["supported"])
    assert "application.withdraw" not in actions


def test_the_service_refuses_an_out_of_date_version_before_touching_anything(application):
    """The page's own check, on any database: a version older than the record's is
    refused at once."""
    old_version = application.version
    support(application)
    manager = db.session.get(User, application.line_manager_id)

    with pytest.raises(StaleRecord):
        service.decide_endorsement(application, manager, support=False, grounds=["skills"],
                                   rationale="x", expected_version=old_version)
    db.session.rollback()
    assert final_state(application.id)[:2] == ("endorsed", ["supported"])


def _wait_for_a_lock_waiter():
    """Until another connection to this database is waiting on a row lock."""
    deadline = time.monotonic() + WAIT
    with db.engine.connect() as conn:
        while time.monotonic() < deadline:
            waiting = conn.execute(text(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                "AND wait_event_type = 'Lock'")).scalar()
            if waiting:
                return
            time.sleep(0.02)
    raise AssertionError("the second person's write never waited on the first's lock")
