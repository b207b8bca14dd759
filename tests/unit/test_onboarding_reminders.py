"""The daily onboarding reminders (R9, issue 12): one digest per person of the items they
own that are overdue or due within 5 working days (the placement's nation's bank
holidays skipped), at most one a day however often `send-reminders` runs and from
however many hosts, and People Services told of visa and right-to-work dates coming up.

The days are fixed: Thursday 24 December 2026, so that Christmas, Boxing Day's
substitute and New Year's Day (and in Scotland the 2nd of January's substitute) fall
inside the 5 working days."""

import threading
import time
from datetime import date, timedelta

import pytest
from sqlalchemy import event, func, select, text

from portal.extensions import db
from portal.models import OutboxMessage
from portal.models.onboarding import (
    ChecklistItem,
    ChecklistTemplateVersion,
    ItemStatus,
    OwnerType,
    RecordKind,
    ReminderDigest,
)
from portal.permissions import Role
from portal.services import placements
from portal.services.onboarding.reminders import send_reminders
from portal.services.opportunities import london_today
from tests.factories import make_organisation, make_placement, make_user
from tests.helpers import count_queries
from tests.smtp import smtp_server  # noqa: F401 - the fixture

TODAY = date(2026, 12, 24)          # a Thursday
FIFTH_WORKING_DAY = date(2027, 1, 5)  # 29, 30, 31 December, 4 and 5 January
WAIT = 10
ABROAD = dict(country="France", accommodation="A flat in Lyon", subsistence="Per diem",
              travel="Two return flights", insurance="Health cover abroad")


@pytest.fixture
def cast(app):
    lakes = make_organisation("Lakes National Park Authority")
    manager = make_user("Mo Manager", email="mo@example.org")
    return {
        "officer": make_user("Pat People", roles=[Role.STAFF, Role.PEOPLE_SERVICES]),
        "it": make_user("Ian Itsupport", email="ian@example.org",
                        roles=[Role.STAFF, Role.IT]),
        "manager": manager,
        "secondee": make_user("Sam Secondee", email="sam@example.org",
                              line_manager=manager),
        "contact": make_user("Hana Host", email="hana@lakes.example", organisation=lakes,
                             roles=[Role.HOST_CONTACT]),
        "lakes": lakes,
        "people_services": app.config["PEOPLE_SERVICES_EMAIL"],
    }


def empty_placement(cast, title="Policy adviser", **overrides):
    """An outgoing placement to Lakes whose generated checklist is removed, so that each
    test says which items it has."""
    placement = make_placement(cast["officer"], cast["secondee"], partner=cast["lakes"],
                               title=title, **overrides)
    for item in list(placement.checklist_items):
        db.session.delete(item)
    db.session.commit()
    db.session.expire(placement, ["checklist_items"])
    return placement


_positions = iter(range(1000, 100000))


def add_item(placement, title, owner, due, *, status=ItemStatus.NOT_STARTED, **values):
    version_id = db.session.scalar(select(func.min(ChecklistTemplateVersion.id)))
    item = ChecklistItem(placement=placement, template_version_id=version_id,
                         position=next(_positions), title=title, owner_type=owner,
                         offset_days=0, due_date=due, phase="before_start", status=status,
                         **values)
    db.session.add(item)
    db.session.commit()
    return item


def digests() -> dict[str, OutboxMessage]:
    db.session.expire_all()
    messages = db.session.scalars(select(OutboxMessage).where(
        OutboxMessage.template == "checklist_reminder").order_by(OutboxMessage.id)).all()
    found = {}
    for message in messages:
        assert message.recipients not in found, f"two digests to {message.recipients}"
        found[message.recipients] = message
    return found


def lines(body: str) -> list[str]:
    return [line for line in body.splitlines() if line.startswith("- ")]


def test_each_owner_gets_one_digest_overdue_first_then_due_within_5_working_days(cast):
    p = empty_placement(cast)
    add_item(p, "Mandatory training done", OwnerType.SECONDEE, date(2027, 1, 4))
    add_item(p, "Read the induction pack", OwnerType.SECONDEE, date(2026, 12, 1),
             status=ItemStatus.IN_PROGRESS)
    add_item(p, "Sign the confidentiality undertaking", OwnerType.SECONDEE, TODAY)
    add_item(p, "Security briefing", OwnerType.SECONDEE, date(2026, 12, 22),
             status=ItemStatus.CANNOT_START, reason="Waiting for the vetting")
    add_item(p, "Bank details", OwnerType.SECONDEE, FIFTH_WORKING_DAY)
    # Not in anyone's digest: the 6th working day, and closed items however late.
    add_item(p, "Language training", OwnerType.SECONDEE, FIFTH_WORKING_DAY + timedelta(1))
    add_item(p, "Photograph for the pass", OwnerType.SECONDEE, date(2026, 12, 2),
             status=ItemStatus.DONE)
    add_item(p, "Relocation", OwnerType.SECONDEE, date(2026, 12, 2),
             status=ItemStatus.NOT_APPLICABLE, reason="Lives nearby")
    add_item(p, "New-starter paperwork", OwnerType.PEOPLE_SERVICES, date(2026, 12, 23),
             blocking=True)
    add_item(p, "Equipment ready", OwnerType.IT, date(2026, 12, 29))
    add_item(p, "Return-to-post plan", OwnerType.SUBSTANTIVE_MANAGER, date(2026, 12, 31))
    # The host manager here has no account: their items fall to the host's contacts.
    add_item(p, "Induction booked", OwnerType.HOST_MANAGER, date(2026, 12, 30))
    cancelled = empty_placement(cast, title="Cancelled adviser")
    add_item(cancelled, "Should not be told", OwnerType.SECONDEE, date(2026, 12, 1))
    add_item(cancelled, "Nor this", OwnerType.PEOPLE_SERVICES, date(2026, 12, 1))
    placements.cancel(cast["officer"], cancelled, "The host withdrew",
                      expected_version=cancelled.version)

    run = send_reminders(TODAY)

    told = digests()
    assert set(told) == {"sam@example.org", cast["people_services"], "ian@example.org",
                         "mo@example.org", "hana@lakes.example"}
    assert (run.queued, run.skipped, run.expiry_warnings) == (5, 0, 0)
    sam = told["sam@example.org"]
    assert sam.subject == ("Onboarding reminders: 2 overdue, "
                           "3 due in the next 5 working days")
    link = f"http://localhost/placements/{p.id}/checklist"
    assert lines(sam.body) == [
        "- Read the induction pack, for Sam Secondee's placement as Policy adviser: "
        "was due 1 December 2026",
        "- Security briefing, for Sam Secondee's placement as Policy adviser: "
        "was due 22 December 2026",
        "- Sign the confidentiality undertaking, for Sam Secondee's placement as "
        "Policy adviser: due 24 December 2026",
        "- Mandatory training done, for Sam Secondee's placement as Policy adviser: "
        "due 4 January 2027",
        "- Bank details, for Sam Secondee's placement as Policy adviser: "
        "due 5 January 2027",
    ]
    body = sam.body
    assert body.index("Overdue:") < body.index("Read the induction pack") < body.index(
        "Due in the next 5 working days:") < body.index("Sign the confidentiality")
    assert body.count(link) == 5
    assert "http://localhost/onboarding/your-tasks" in body
    assert "Cancelled" not in body and "Language training" not in body
    assert lines(told[cast["people_services"]].body) == [
        "- New-starter paperwork, for Sam Secondee's placement as Policy adviser: "
        "was due 23 December 2026 (must be done before the start)"]
    assert "Equipment ready" in told["ian@example.org"].body
    assert "Return-to-post plan" in told["mo@example.org"].body
    assert "Induction booked" in told["hana@lakes.example"].body
    rows = db.session.scalars(select(ReminderDigest).order_by(ReminderDigest.recipient)).all()
    assert {(r.recipient, r.day, r.items) for r in rows} == {
        ("sam@example.org", TODAY, 5), (cast["people_services"], TODAY, 1),
        ("ian@example.org", TODAY, 1), ("mo@example.org", TODAY, 1),
        ("hana@lakes.example", TODAY, 1)}


def test_the_5_working_days_skip_the_placement_nations_bank_holidays(cast):
    england = empty_placement(cast, title="English adviser")
    add_item(england, "Due on the 6th working day in England", OwnerType.SECONDEE,
             date(2027, 1, 6))
    highlands = make_organisation("Highland Council")
    highlands.nation = "scotland"
    db.session.commit()
    scotland = make_placement(cast["officer"], cast["secondee"], partner=highlands,
                              title="Scottish adviser")
    for item in list(scotland.checklist_items):
        db.session.delete(item)
    db.session.commit()
    # The 4th of January is a bank holiday in Scotland: the 6th is its 5th working day.
    add_item(scotland, "Due on the 5th working day in Scotland", OwnerType.SECONDEE,
             date(2027, 1, 6))
    add_item(scotland, "Due on the 6th working day in Scotland", OwnerType.SECONDEE,
             date(2027, 1, 7))

    send_reminders(TODAY)

    assert lines(digests()["sam@example.org"].body) == [
        "- Due on the 5th working day in Scotland, for Sam Secondee's placement as "
        "Scottish adviser: due 6 January 2027"]


def test_nothing_far_off_closed_or_cancelled_sends_nothing(cast):
    p = empty_placement(cast)
    add_item(p, "Far off", OwnerType.SECONDEE, date(2027, 2, 1))
    add_item(p, "Done late", OwnerType.SECONDEE, date(2026, 12, 1), status=ItemStatus.DONE)
    cancelled = empty_placement(cast, title="Cancelled adviser")
    add_item(cancelled, "Overdue but cancelled", OwnerType.SECONDEE, date(2026, 12, 1))
    placements.cancel(cast["officer"], cancelled, "The host withdrew",
                      expected_version=cancelled.version)

    run = send_reminders(TODAY)

    assert (run.queued, run.skipped) == (0, 0)
    assert digests() == {}
    assert db.session.scalar(select(func.count()).select_from(ReminderDigest)) == 0


def test_once_a_day_however_often_it_runs_and_again_the_next_working_day(cast):
    p = empty_placement(cast)
    add_item(p, "Bank details", OwnerType.SECONDEE, date(2026, 12, 22))
    add_item(p, "New-starter paperwork", OwnerType.PEOPLE_SERVICES, date(2026, 12, 29))

    assert send_reminders(TODAY).queued == 2
    again = send_reminders(TODAY)
    assert (again.queued, again.skipped) == (0, 2)
    assert len(digests()) == 2
    assert db.session.scalar(select(func.count()).select_from(OutboxMessage)
                             .where(OutboxMessage.template == "checklist_reminder")) == 2

    next_day = send_reminders(date(2026, 12, 29))
    assert (next_day.queued, next_day.skipped) == (2, 0)
    assert db.session.scalar(select(func.count()).select_from(OutboxMessage)
                             .where(OutboxMessage.template == "checklist_reminder")) == 4
    assert db.session.scalar(select(func.count()).select_from(ReminderDigest)) == 4


def test_a_new_item_the_same_day_waits_for_tomorrows_digest(cast):
    """Once reminded today a person is not told again today, even of a new item: one
    digest a day is the promise."""
    p = empty_placement(cast)
    add_item(p, "Bank details", OwnerType.SECONDEE, date(2026, 12, 22))
    send_reminders(TODAY)
    add_item(p, "Late addition", OwnerType.SECONDEE, TODAY)
    assert send_reminders(TODAY).skipped == 1
    send_reminders(date(2026, 12, 29))
    db.session.expire_all()
    bodies = db.session.scalars(select(OutboxMessage.body).where(
        OutboxMessage.recipients == "sam@example.org").order_by(OutboxMessage.id)).all()
    assert len(bodies) == 2
    assert "Late addition" not in bodies[0] and "Late addition" in bodies[1]


def test_people_services_are_told_of_expiry_dates_within_60_days_in_their_digest(cast):
    p = empty_placement(cast)
    label = "Visa or right to work expiry date"
    add_item(p, "Right to work checked", OwnerType.PEOPLE_SERVICES, date(2026, 11, 2),
             status=ItemStatus.DONE, records=RecordKind.EXPIRY, record_label=label,
             recorded_date=TODAY + timedelta(days=60))
    add_item(p, "Visa checked", OwnerType.PEOPLE_SERVICES, date(2026, 11, 2),
             status=ItemStatus.DONE, records=RecordKind.EXPIRY, record_label=label,
             recorded_date=TODAY - timedelta(days=3))
    add_item(p, "Visa checked again", OwnerType.PEOPLE_SERVICES, date(2026, 11, 2),
             status=ItemStatus.DONE, records=RecordKind.EXPIRY, record_label=label,
             recorded_date=TODAY + timedelta(days=61))          # not yet
    add_item(p, "New-starter paperwork", OwnerType.PEOPLE_SERVICES, date(2026, 12, 23))
    cancelled = empty_placement(cast, title="Cancelled adviser")
    add_item(cancelled, "Visa checked", OwnerType.PEOPLE_SERVICES, date(2026, 11, 2),
             status=ItemStatus.DONE, records=RecordKind.EXPIRY, record_label=label,
             recorded_date=TODAY + timedelta(days=5))
    placements.cancel(cast["officer"], cancelled, "The host withdrew",
                      expected_version=cancelled.version)

    run = send_reminders(TODAY)

    assert (run.queued, run.expiry_warnings) == (1, 2)
    message = digests()[cast["people_services"]]
    assert message.subject == "Onboarding reminders: 1 overdue, 2 expiry dates to check"
    assert lines(message.body) == [
        "- New-starter paperwork, for Sam Secondee's placement as Policy adviser: "
        "was due 23 December 2026",
        f"- {label}, for Sam Secondee's placement as Policy adviser: "
        "expired on 21 December 2026",
        f"- {label}, for Sam Secondee's placement as Policy adviser: "
        "expires on 22 February 2027",
    ]
    assert "expire within 60 days, or have expired" in message.body
    assert send_reminders(TODAY).queued == 0    # still one a day with the expiry section


def test_expiry_dates_alone_make_people_services_a_digest(cast):
    p = empty_placement(cast)
    add_item(p, "Visa checked", OwnerType.PEOPLE_SERVICES, date(2026, 11, 2),
             status=ItemStatus.DONE, records=RecordKind.EXPIRY, record_label="Visa expiry",
             recorded_date=TODAY + timedelta(days=10))
    assert send_reminders(TODAY).expiry_warnings == 1
    message = digests()[cast["people_services"]]
    assert message.subject == "Onboarding reminders: 1 expiry date to check"
    assert "yours to do" not in message.body and "Overdue" not in message.body


def test_the_number_of_queries_does_not_grow_with_the_items(cast):
    """The same people on 2 pairs of placements and then on 8, each with its whole
    generated checklist due (outgoing and international, with a visa expiry; incoming,
    with IT's items): the run asks the same number of queries."""
    incomer = make_user("Ines Incoming", email="ines@lakes.example",
                        organisation=cast["lakes"])

    def placements_due(count):
        for n in range(count):
            abroad = make_placement(cast["officer"], cast["secondee"], partner=cast["lakes"],
                                    title=f"Adviser {n}", **ABROAD)
            incoming = make_placement(cast["officer"], incomer, partner=cast["lakes"],
                                      kind="incoming", title=f"Visiting adviser {n}",
                                      secondee_name=incomer.name, not_contractor=True,
                                      host_manager_staff_email="mo@example.org")
            for item in abroad.checklist_items + incoming.checklist_items:
                item.due_date = TODAY
                if item.records == RecordKind.EXPIRY:
                    item.status = ItemStatus.DONE
                    item.recorded_date = TODAY + timedelta(days=30)
            db.session.commit()

    placements_due(2)
    db.session.expire_all()
    with count_queries() as small:
        first = send_reminders(TODAY)
    placements_due(6)
    db.session.expire_all()
    with count_queries() as large:
        second = send_reminders(TODAY + timedelta(days=1))
    told = {"sam@example.org", "ines@lakes.example", "mo@example.org", "ian@example.org",
            "hana@lakes.example", cast["people_services"]}
    for day in (TODAY, TODAY + timedelta(days=1)):
        assert set(db.session.scalars(select(ReminderDigest.recipient)
                                      .where(ReminderDigest.day == day))) == told
    assert first.queued == second.queued == len(told)
    assert (first.expiry_warnings, second.expiry_warnings) == (2, 8)
    assert db.session.scalar(select(func.count()).select_from(ChecklistItem)) > 100
    assert len(large) == len(small), "\n".join(large)


def test_the_command_prints_what_it_did(app, cast):
    p = empty_placement(cast)
    add_item(p, "Bank details", OwnerType.SECONDEE, london_today() - timedelta(days=3))
    add_item(p, "Visa checked", OwnerType.PEOPLE_SERVICES, london_today(),
             status=ItemStatus.DONE, records=RecordKind.EXPIRY, record_label="Visa expiry",
             recorded_date=london_today() + timedelta(days=20))
    runner = app.test_cli_runner()

    result = runner.invoke(args=["send-reminders"])
    assert result.exit_code == 0, result.output
    assert result.output.strip() == (
        "Onboarding reminders: 2 digests queued, 0 people already reminded today "
        "skipped, 1 expiry warnings to People Services.")
    result = runner.invoke(args=["send-reminders"])
    assert result.output.strip() == (
        "Onboarding reminders: 0 digests queued, 2 people already reminded today "
        "skipped, 0 expiry warnings to People Services.")


def test_the_digest_arrives_through_smtp_from_the_outbox_worker(app, cast,
                                                                smtp_server):  # noqa: F811
    p = empty_placement(cast)
    add_item(p, "Bank details", OwnerType.SECONDEE, date(2026, 12, 22))
    add_item(p, "Mandatory training done", OwnerType.SECONDEE, date(2026, 12, 30))
    smtp_server.clear()   # the placement's own messages

    send_reminders(TODAY)
    received = smtp_server.to("sam@example.org")   # one pass of the worker first

    assert [m.subject for m in received] == [
        "Onboarding reminders: 1 overdue, 1 due in the next 5 working days"]
    body = received[0].body
    assert "Bank details, for Sam Secondee's placement as Policy adviser: " \
           "was due 22 December 2026" in body
    assert f"http://localhost/placements/{p.id}/checklist" in body
    assert "http://localhost/onboarding/your-tasks" in body
    send_reminders(TODAY)
    assert len(smtp_server.to("sam@example.org")) == 1


# --- Two hosts running it at the same moment ------------------------------------------


@pytest.fixture
def postgres(app):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("needs PostgreSQL: SQLite locks the whole file for each write, so two "
                    "runs never hold the same digest row at once (run without "
                    "TEST_DATABASE_URL=sqlite, with PostgreSQL on 127.0.0.1:5432)")


class Host(threading.Thread):
    """`send-reminders` on a host of its own: a session on a connection of its own."""

    def __init__(self, app, on_session=None):
        super().__init__(daemon=True)
        self.app, self.on_session = app, on_session
        self.outcome = None

    def run(self):
        with self.app.app_context():
            try:
                if self.on_session:
                    self.on_session(db.session())
                self.outcome = send_reminders(TODAY)
            except Exception as error:  # noqa: BLE001 - the outcome is what the test checks
                db.session.rollback()
                self.outcome = error
            finally:
                db.session.remove()


def _wait_for_a_lock_waiter(second: Host):
    """Until another connection to this database waits on a row lock. Each look is a
    transaction of its own: within one, PostgreSQL shows the activity as it first saw it."""
    deadline = time.monotonic() + WAIT
    with db.engine.connect() as conn:
        while time.monotonic() < deadline and second.is_alive():
            waiting = conn.execute(text(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                "AND wait_event_type = 'Lock'")).scalar()
            conn.rollback()
            if waiting:
                return
            time.sleep(0.02)
    raise AssertionError(f"the second run never waited on the first's digest rows: "
                         f"{second.outcome!r}")


def test_two_runs_at_once_queue_each_digest_once_and_neither_fails(app, postgres, cast):
    """The first run has inserted its digest rows but not committed when the second
    inserts the same: the second waits on them, then finds them there and skips."""
    p = empty_placement(cast)
    add_item(p, "Bank details", OwnerType.SECONDEE, date(2026, 12, 22))
    add_item(p, "New-starter paperwork", OwnerType.PEOPLE_SERVICES, date(2026, 12, 23))
    add_item(p, "Equipment ready", OwnerType.IT, date(2026, 12, 29))
    inserted, second_waiting = threading.Event(), threading.Event()

    def hold_before_commit(session):
        def hold(session):
            inserted.set()
            assert second_waiting.wait(WAIT), "the second run never reached the rows"

        event.listen(session, "before_commit", hold)

    first = Host(app, on_session=hold_before_commit)
    second = Host(app)
    first.start()
    assert inserted.wait(WAIT)
    second.start()
    _wait_for_a_lock_waiter(second)
    second_waiting.set()
    first.join(WAIT)
    second.join(WAIT)

    assert (first.outcome.queued, first.outcome.skipped) == (3, 0), first.outcome
    assert (second.outcome.queued, second.outcome.skipped) == (0, 3), second.outcome
    assert set(digests()) == {"sam@example.org", cast["people_services"], "ian@example.org"}


def test_two_runs_started_together_send_each_digest_once(app, postgres, cast):
    p = empty_placement(cast)
    for n in range(20):
        person = make_user(f"Manager {n}", email=f"manager{n}@example.org")
        add_item(p, f"Item {n}", OwnerType.PERSON, date(2026, 12, 22),
                 owner_person_id=person.id)
    start = threading.Barrier(2, timeout=WAIT)
    hosts = [Host(app, on_session=lambda session: start.wait()) for _ in range(2)]
    for host in hosts:
        host.start()
    for host in hosts:
        host.join(WAIT)

    assert all(not isinstance(h.outcome, Exception) for h in hosts), [h.outcome for h in hosts]
    assert sum(h.outcome.queued for h in hosts) == 20
    assert sum(h.outcome.skipped for h in hosts) == 20
    assert len(digests()) == 20
