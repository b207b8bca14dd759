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
from portal.services.errors import StaleRecord
from portal.workflow import TransitionRefused
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


def test_a_decision_the_record_has_moved_past_is_refused_before_touching_anything(
        application):
    """The engine's order (table, actor, guards, version): a page shown before the
    application moved on asks for a step its new state does not have, and is refused
    in words, changing nothing."""
    old_version = application.version
    support(application)
    manager = db.session.get(User, application.line_manager_id)

    with pytest.raises(TransitionRefused) as refused:
        service.decide_endorsement(application, manager, support=False, grounds=["skills"],
                                   rationale="x", expected_version=old_version)
    assert refused.value.problems == [
        "This cannot be done while the application is with the head of department"]
    db.session.rollback()
    assert final_state(application.id)[:2] == ("endorsed", ["supported"])


def test_an_out_of_date_version_of_a_step_still_open_is_refused_before_touching_anything(
        people):
    """Two tabs on one draft: the second save, from a page shown before the first,
    is refused as out of date and saves nothing."""
    applicant = people["applicant"]
    application = service.start_application(
        applicant, make_opportunity(people["officer"], publish=True))
    shown = application.version
    service.save_draft(application, applicant, {"motivation": "First tab."},
                       expected_version=shown)

    with pytest.raises(StaleRecord):
        service.save_draft(application, applicant, {"motivation": "Second tab."},
                           expected_version=shown)
    db.session.rollback()
    assert db.session.get(Application, application.id).motivation == "First tab."


def _wait_for_a_lock_waiter():
    """Until another connection to this database is waiting on a row lock."""
    deadline = time.monotonic() + WAIT
    with db.engine.connect() as conn:
        while time.monotonic() < deadline:
            waiting = conn.execute(text(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                "AND wait_event_type = 'Lock'")).scalar()
            # A transaction keeps the statistics it first read: end it to see anew.
            conn.rollback()
            if waiting:
                return
            time.sleep(0.02)
    raise AssertionError("the second person's write never waited on the first's lock")


# --- One invitation link, several partner sign-ins returning at the same moment --------

from tests.conftest import _base_database_url  # noqa: E402

BROWSERS = 4


class Redeemer(threading.Thread):
    """A browser returning from the partner provider with the invitation link, as an
    identity of its own: a session of its own on a connection of its own, waiting at the
    barrier so that every one of them calls the sign-in service at the same moment."""

    def __init__(self, app, token: str, subject: str, start: threading.Barrier):
        super().__init__(daemon=True)
        self.app, self.token, self.subject, self.start_together = app, token, subject, start
        self.outcome = None

    def run(self):
        from portal.oidc import SignInError
        from portal.services import identity

        with self.app.app_context():
            issuer = self.app.config["OIDC_PROVIDERS"]["partner"].issuer
            claims = {"iss": issuer, "sub": self.subject, "name": self.subject,
                      "email": f"{self.subject}@lakes.example"}
            try:
                self.start_together.wait(WAIT)
                identity.sign_in("partner", claims, None, self.token)
                self.outcome = "signed in"
            except SignInError as error:
                identity.record_failed_sign_in("partner", error.reason)
                self.outcome = error
            except Exception as error:  # noqa: BLE001 - the outcome is what the test checks
                db.session.rollback()
                self.outcome = error


@pytest.mark.skipif(_base_database_url() == "sqlite",
                    reason="needs PostgreSQL: SQLite runs one writer at a time, so the "
                           "sign-ins never overlap")
def test_one_invitation_redeemed_by_several_browsers_at_once_lets_exactly_one_in(app,
                                                                                 postgres):
    from portal.models import HostInvitation, RoleAssignment
    from portal.oidc import SignInError
    from portal.services import invitations
    from tests.factories import make_organisation

    officer = make_user("Pat People", roles=[Role.STAFF, Role.PEOPLE_SERVICES])
    lakes = make_organisation("Lakes National Park Authority")
    db.session.commit()
    token = invitations.invite(officer, lakes, "Rae Ranger", "rae@lakes.example")
    db.session.commit()

    start = threading.Barrier(BROWSERS)
    browsers = [Redeemer(app, token, f"identity-{n}", start) for n in range(BROWSERS)]
    for browser in browsers:
        browser.start()
    for browser in browsers:
        browser.join(WAIT)

    assert not any(browser.is_alive() for browser in browsers)
    outcomes = [browser.outcome for browser in browsers]
    assert outcomes.count("signed in") == 1, outcomes
    refused = [o for o in outcomes if o != "signed in"]
    assert len(refused) == BROWSERS - 1
    assert all(isinstance(o, SignInError) for o in refused), refused
    assert all(o.reason.startswith("partner identity not invited") for o in refused), refused

    db.session.expire_all()
    winner = next(b.subject for b in browsers if b.outcome == "signed in")
    contacts = db.session.scalars(
        select(User).join(RoleAssignment, RoleAssignment.user_id == User.id)
        .where(RoleAssignment.role == Role.HOST_CONTACT)).all()
    assert [c.subject for c in contacts] == [winner]
    invitation = db.session.scalar(select(HostInvitation))
    assert invitation.accepted_user_id == contacts[0].id
    actions = db.session.scalars(select(AuditEvent.action)).all()
    assert actions.count("host_contact.invitation_accepted") == 1
    assert actions.count("sign_in.failed") == BROWSERS - 1
