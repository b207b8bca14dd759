"""A placement's reviews (001 §5.5, 004): scheduled as it starts (the start meeting in
working days of its nation, the 4-month review by the calendar, the end review 2 weeks
before the end; an informal placement's check-ins at the cadence chosen at set-up and a
debrief instead), following a start or end date that moves, recorded by the host's side
and commented on by the secondee only, audited, refused from a stale page, and listed
when overdue. Extensions moving the end date: test_extensions.py."""

from datetime import date, timedelta
from types import SimpleNamespace

import pytest
from sqlalchemy import func, select

from portal.extensions import db
from portal.models import AuditEvent
from portal.models.onboarding import Nation
from portal.models.placements import Placement
from portal.models.placements import PlacementStatus as P
from portal.models.reviews import Review
from portal.models.reviews import ReviewKind as R
from portal.permissions import Role
from portal.services import placements, reviews
from portal.services.errors import RuleError, StaleRecord
from portal.services.onboarding.workdays import working_days_from
from portal.services.opportunities import london_today
from portal.services.reviews import scheduling
from tests.factories import (
    complete_blocking_items,
    make_organisation,
    make_placement,
    make_user,
)

TODAY = london_today()


@pytest.fixture
def cast(app):
    lakes = make_organisation("Lakes National Park Authority")
    ridings = make_organisation("Ridings Water")
    manager = make_user("Mo Manager")
    return SimpleNamespace(
        lakes=lakes, ridings=ridings, manager=manager,
        officer=make_user("Pat People", roles=[Role.STAFF, Role.PEOPLE_SERVICES]),
        secondee=make_user("Sam Secondee", line_manager=manager),
        host=make_user("Hal Host-Manager"), buddy=make_user("Bea Buddy"),
        lawyer=make_user("Lee Legal", roles=[Role.STAFF, Role.LEGAL]),
        stranger=make_user("Stu Stranger"),
        contact=make_user("Hana Host", organisation=lakes, roles=[Role.HOST_CONTACT]),
        other=make_user("Rhi Ridings", organisation=ridings, roles=[Role.HOST_CONTACT]))


def as_found(placement: Placement, *, start: date, end: date, status: str = P.ACTIVE,
             **columns) -> Placement:
    """The placement with these dates and status, set as found: the rules under test
    read them, not the steps that led there."""
    placement.start_date, placement.end_date, placement.status = start, end, status
    for column, value in columns.items():
        setattr(placement, column, value)
    db.session.commit()
    return placement


def internal(cast, **overrides) -> Placement:
    return make_placement(cast.officer, cast.secondee, kind="internal",
                          host_manager_staff_email=cast.host.email,
                          buddy_email=cast.buddy.email, **overrides)


def running(cast, *, start: date, end: date, kind: str = "internal", **columns):
    """A running placement with its reviews scheduled as its start made them."""
    placement = (internal(cast) if kind == "internal" else
                 make_placement(cast.officer, cast.secondee, partner=cast.lakes))
    as_found(placement, start=start, end=end, **columns)
    scheduling.schedule(placement, cast.officer)
    db.session.commit()
    return placement


def due(placement: Placement) -> list[tuple[str, int, date]]:
    """The open reviews in date order (a list loaded before one was added keeps its
    own order)."""
    return sorted(((r.kind, r.number, r.due_date) for r in placement.reviews if r.is_open),
                  key=lambda r: (r[2], r[0] != R.START_MEETING))


# --- when reviews fall due --------------------------------------------------------------

@pytest.mark.parametrize(("nation", "meeting"), [
    # 5 working days from Wednesday 24 March 2027: Good Friday and, outside Scotland,
    # Easter Monday are skipped.
    (Nation.ENGLAND_AND_WALES, date(2027, 4, 2)),
    (Nation.SCOTLAND, date(2027, 4, 1)),
])
def test_a_formal_placement_has_a_start_meeting_a_4_month_and_an_end_review(
        cast, nation, meeting):
    placement = internal(cast)
    placement.host_organisation.nation = nation
    as_found(placement, start=date(2027, 3, 24), end=date(2028, 3, 23), status=P.READY)
    assert [(p.kind, p.number, p.due) for p in scheduling.plan(placement)] == [
        (R.START_MEETING, 1, meeting),
        (R.FOUR_MONTH, 1, date(2027, 7, 24)),          # 4 calendar months
        (R.END_REVIEW, 1, date(2028, 3, 9))]           # 2 weeks before the end
    assert meeting == working_days_from(date(2027, 3, 24), 5, nation)


def test_months_are_counted_by_the_calendar_to_a_shorter_months_last_day(cast):
    placement = as_found(internal(cast), start=date(2027, 10, 31), end=date(2028, 10, 30))
    four = next(p for p in scheduling.plan(placement) if p.kind == R.FOUR_MONTH)
    assert four.due == date(2028, 2, 29)


def test_a_placement_shorter_than_4_months_has_no_4_month_review(cast):
    placement = as_found(internal(cast), start=date(2027, 6, 1), end=date(2027, 8, 31))
    assert [p.kind for p in scheduling.plan(placement)] == [R.START_MEETING, R.END_REVIEW]
    # A 4-month review falling on or after the end review's day is not held either.
    as_found(placement, start=date(2027, 6, 1), end=date(2027, 10, 15))
    assert [p.kind for p in scheduling.plan(placement)] == [R.START_MEETING, R.END_REVIEW]
    as_found(placement, start=date(2027, 6, 1), end=date(2027, 10, 16))
    assert R.FOUR_MONTH in [p.kind for p in scheduling.plan(placement)]


def test_a_very_short_placement_keeps_its_reviews_within_its_dates_and_in_order(cast):
    # Tuesday 1 to Friday 4 June: 5 working days would be after the end.
    placement = as_found(internal(cast), start=date(2027, 6, 1), end=date(2027, 6, 4))
    assert [(p.kind, p.due) for p in scheduling.plan(placement)] == [
        (R.START_MEETING, date(2027, 6, 4)), (R.END_REVIEW, date(2027, 6, 4))]
    # Three weeks: the end review 2 weeks before the end would precede the start meeting.
    as_found(placement, start=date(2027, 6, 1), end=date(2027, 6, 18))
    assert [(p.kind, p.due) for p in scheduling.plan(placement)] == [
        (R.START_MEETING, date(2027, 6, 8)), (R.END_REVIEW, date(2027, 6, 8))]


@pytest.mark.parametrize(("weeks", "check_ins"), [
    (3, [date(2027, 3, 22), date(2027, 4, 12), date(2027, 5, 3), date(2027, 5, 24)]),
    (4, [date(2027, 3, 29), date(2027, 4, 26), date(2027, 5, 24)]),
    (12, [date(2027, 5, 24)]),
])
def test_an_informal_placement_has_check_ins_at_its_cadence_and_a_debrief(
        cast, weeks, check_ins):
    placement = make_placement(cast.officer, cast.secondee, kind="informal",
                               host_manager_staff_email=cast.host.email,
                               end_date=TODAY + timedelta(days=60), check_in_weeks=weeks)
    as_found(placement, start=date(2027, 3, 1), end=date(2027, 5, 31))
    assert [(p.kind, p.number, p.due) for p in scheduling.plan(placement)] == [
        *[(R.CHECK_IN, n, day) for n, day in enumerate(check_ins, start=1)],
        (R.DEBRIEF, 1, date(2027, 5, 31))]        # instead of the end review (004)


@pytest.mark.parametrize("weeks", [0, 13, -1, True, "4", 2.5])
def test_the_check_in_cadence_is_a_whole_number_of_1_to_12_weeks(cast, weeks):
    with pytest.raises(RuleError) as refused:
        make_placement(cast.officer, cast.secondee, kind="informal",
                       host_manager_staff_email=cast.host.email,
                       end_date=TODAY + timedelta(days=60), check_in_weeks=weeks)
    assert refused.value.errors == {"check_in_weeks": "Check-ins must be every 1 to 12 weeks"}


def test_the_cadence_is_chosen_at_set_up_and_changed_with_the_terms(cast):
    placement = make_placement(cast.officer, cast.secondee, kind="informal",
                               host_manager_staff_email=cast.host.email,
                               end_date=TODAY + timedelta(days=60))
    assert placement.check_in_weeks == 4          # the default, the form unchanged
    placements.update_terms(cast.officer, placement, {"check_in_weeks": 2},
                            expected_version=placement.version)
    assert db.session.get(Placement, placement.id).check_in_weeks == 2
    with pytest.raises(RuleError):
        placements.update_terms(cast.officer, placement, {"check_in_weeks": 13},
                                expected_version=placement.version)
    db.session.rollback()
    assert placements.terms_of(placement)["check_in_weeks"] == 2
    longer = make_placement(cast.officer, cast.secondee, kind="informal",
                            host_manager_staff_email=cast.host.email,
                            end_date=TODAY + timedelta(days=60), check_in_weeks=12)
    assert longer.check_in_weeks == 12


# --- scheduled as the placement starts --------------------------------------------------

def test_the_reviews_are_scheduled_when_the_placement_starts_and_only_then(cast):
    placement = internal(cast, start_date=TODAY + timedelta(days=30))
    # The start date moves before the start: the reviews come from the one it starts on.
    placements.update_terms(cast.officer, placement, {"start_date": TODAY},
                            expected_version=placement.version)
    assert placement.reviews == []
    as_found(placement, start=TODAY, end=TODAY + timedelta(days=364), status=P.READY)
    complete_blocking_items(placement, [cast.officer, cast.host, cast.manager, cast.secondee])
    placements.start(cast.officer, placement, expected_version=placement.version)
    db.session.expire_all()
    placement = db.session.get(Placement, placement.id)
    assert placement.status == P.ACTIVE
    assert due(placement) == [
        (R.START_MEETING, 1, working_days_from(TODAY, 5)),
        (R.FOUR_MONTH, 1, scheduling.add_months(TODAY, 4)),
        (R.END_REVIEW, 1, TODAY + timedelta(days=350))]
    events = db.session.scalars(select(AuditEvent).where(
        AuditEvent.action == "review.schedule").order_by(AuditEvent.id)).all()
    assert [(e.object_id, e.actor_id) for e in events] == [
        (str(r.id), cast.officer.id) for r in sorted(placement.reviews, key=lambda r: r.id)]
    # Scheduling again (a retried start) makes no second set.
    assert scheduling.schedule(placement) == []
    assert db.session.scalar(select(func.count(Review.id))) == 3


def test_not_yet_held_reviews_follow_a_start_date_that_moves(cast):
    placement = running(cast, start=date(2027, 3, 24), end=date(2028, 3, 23))
    meeting, four, end = sorted(placement.reviews, key=lambda r: r.due_date)
    meeting.held_on, meeting.progress = date(2027, 4, 1), "Objectives agreed."
    db.session.commit()
    placement.start_date = date(2027, 4, 7)
    changes = scheduling.follow_dates(placement, cast.officer, today=date(2027, 4, 2))
    db.session.commit()
    assert changes["moved"] == [four] and changes["added"] == changes["cancelled"] == []
    assert four.due_date == date(2027, 8, 7)
    assert four.note == ("Due date moved from 24 July 2027 to 7 August 2027 when the "
                         "placement's dates became 7 April 2027 to 23 March 2028.")
    assert meeting.due_date == date(2027, 4, 2) and meeting.note == ""   # held: as it was
    assert end.due_date == date(2028, 3, 9)                              # end unchanged
    assert db.session.scalar(select(AuditEvent.summary).where(
        AuditEvent.action == "review.move")) == four.note


def test_a_later_end_adds_the_reviews_it_now_reaches(cast):
    placement = running(cast, start=date(2027, 6, 1), end=date(2027, 8, 31))
    assert [k for k, _, _ in due(placement)] == [R.START_MEETING, R.END_REVIEW]
    placement.end_date = date(2027, 12, 31)
    changes = scheduling.follow_dates(placement, today=date(2027, 7, 1))
    db.session.commit()
    assert [r.kind for r in changes["added"]] == [R.FOUR_MONTH]
    assert due(placement)[1:] == [(R.FOUR_MONTH, 1, date(2027, 10, 1)),
                                  (R.END_REVIEW, 1, date(2027, 12, 17))]


def test_an_earlier_end_cancels_what_it_no_longer_reaches_and_is_never_in_the_past(cast):
    placement = running(cast, start=date(2027, 3, 24), end=date(2028, 3, 23))
    four = next(r for r in placement.reviews if r.kind == R.FOUR_MONTH)
    placement.end_date = date(2027, 7, 9)
    changes = scheduling.follow_dates(placement, today=date(2027, 7, 2))
    db.session.commit()
    assert changes["cancelled"] == [four] and four.cancelled and not four.is_open
    assert four.note.startswith("Cancelled: the placement now runs 24 March 2027 to "
                                "9 July 2027")
    # 2 weeks before 9 July is 25 June, already past: due today instead.
    assert due(placement) == [(R.START_MEETING, 1, date(2027, 4, 2)),
                              (R.END_REVIEW, 1, date(2027, 7, 2))]
    # An overdue review whose date stands stays overdue.
    placement.end_date = date(2027, 7, 8)
    scheduling.follow_dates(placement, today=date(2027, 7, 3))
    assert due(placement)[0] == (R.START_MEETING, 1, date(2027, 4, 2))


def test_an_informal_placement_that_ends_later_gains_check_ins(cast):
    placement = make_placement(cast.officer, cast.secondee, kind="informal",
                               host_manager_staff_email=cast.host.email,
                               end_date=TODAY + timedelta(days=60), check_in_weeks=4)
    as_found(placement, start=date(2027, 3, 1), end=date(2027, 4, 30))
    scheduling.schedule(placement)
    db.session.commit()
    assert [n for k, n, _ in due(placement) if k == R.CHECK_IN] == [1, 2]
    placement.end_date = date(2027, 6, 30)
    scheduling.follow_dates(placement, today=date(2027, 4, 1))
    assert due(placement) == [
        (R.CHECK_IN, 1, date(2027, 3, 29)), (R.CHECK_IN, 2, date(2027, 4, 26)),
        (R.CHECK_IN, 3, date(2027, 5, 24)), (R.CHECK_IN, 4, date(2027, 6, 21)),
        (R.DEBRIEF, 1, date(2027, 6, 30))]


def test_a_placement_never_scheduled_is_left_alone_when_its_dates_move(cast):
    placement = as_found(internal(cast), start=date(2027, 3, 24), end=date(2028, 3, 23))
    placement.end_date = date(2028, 6, 30)
    assert scheduling.follow_dates(placement) == {"added": [], "moved": [], "cancelled": []}


# --- who records, comments on and sees a review -----------------------------------------

def outgoing_without_host_account(cast) -> Placement:
    start = TODAY - timedelta(days=30)
    placement = make_placement(cast.officer, cast.secondee, partner=cast.lakes)
    return running_from(cast, placement, start)


def running_from(cast, placement: Placement, start: date) -> Placement:
    as_found(placement, start=start, end=start + timedelta(days=300))
    scheduling.schedule(placement)
    db.session.commit()
    return placement


def test_the_host_side_records_the_secondee_comments_and_the_substantive_manager_sees(cast):
    inside = running_from(cast, internal(cast), TODAY - timedelta(days=30))
    outside = outgoing_without_host_account(cast)
    people = vars(cast)
    expected = {
        # (may see, may record) before it is held, for each placement.
        inside: {"host": (True, True), "manager": (True, False), "secondee": (True, False),
                 "officer": (True, False), "contact": (False, False),
                 "buddy": (False, False), "lawyer": (False, False),
                 "stranger": (False, False), "other": (False, False)},
        # At an external host with no host manager account here, its contacts hold them.
        outside: {"host": (False, False), "manager": (True, False),
                  "secondee": (True, False), "officer": (True, False),
                  "contact": (True, True), "other": (False, False),
                  "stranger": (False, False)},
    }
    for placement, table in expected.items():
        review = placement.reviews[0]
        found = {name: (reviews.may_see(people[name], review),
                        reviews.may_record(people[name], review)) for name in table}
        assert found == table, placement
        assert not any(reviews.may_comment(people[name], review) for name in table)
    review = inside.reviews[0]
    reviews.record(cast.host, review, held_on=TODAY, progress="Work programme agreed.",
                   notes="Objectives set.", expected_version=review.version)
    assert [n for n in expected[inside] if reviews.may_comment(people[n], review)] == [
        "secondee"]
    reviews.comment(cast.secondee, review, comments="A good start.",
                    expected_version=review.version)
    # Commented on: what the secondee commented on is not changed under them.
    assert not reviews.may_record(cast.host, review)
    with pytest.raises(PermissionError):
        reviews.record(cast.host, review, held_on=TODAY, progress="Changed.",
                       expected_version=review.version)
    with pytest.raises(PermissionError):
        reviews.comment(cast.manager, review, comments="Mine.",
                        expected_version=review.version)


def test_a_secondee_who_is_also_the_host_manager_records_nothing_of_their_own(cast):
    placement = running_from(cast, internal(cast), TODAY - timedelta(days=30))
    placement.host_manager_id = cast.secondee.id
    db.session.commit()
    assert not reviews.may_record(cast.secondee, placement.reviews[0])


def test_a_review_is_recorded_with_a_date_not_in_the_future_and_the_progress(cast):
    placement = running_from(cast, internal(cast), TODAY - timedelta(days=30))
    review = placement.reviews[0]
    cases = [
        (dict(held_on=None, progress="p"), {"held_on": "Enter the date the review was held"}),
        (dict(held_on=TODAY + timedelta(days=1), progress="p"),
         {"held_on": "The date the review was held must be today or in the past"}),
        (dict(held_on=TODAY - timedelta(days=31), progress="p"),
         {"held_on": "The date the review was held must be on or after the placement's "
                     f"start, {placement.start_date:%-d %B %Y}"}),
        (dict(held_on=TODAY, progress="  "),
         {"progress": "Enter the progress made against the objectives"}),
        (dict(held_on=TODAY, progress="x" * 6001),
         {"progress": "Progress must be 6,000 characters or fewer"}),
    ]
    for values, errors in cases:
        with pytest.raises(RuleError) as refused:
            reviews.record(cast.host, review, expected_version=review.version, **values)
        assert refused.value.errors == errors
    assert not db.session.get(Review, review.id).held
    reviews.record(cast.host, review, held_on=TODAY - timedelta(days=30), progress="p",
                   expected_version=review.version)
    assert review.held and review.recorded_by_id == cast.host.id


def test_a_cancelled_review_or_one_of_a_placement_not_started_is_not_recorded(cast):
    placement = running_from(cast, internal(cast), TODAY - timedelta(days=30))
    review = placement.reviews[-1]
    review.cancelled_at = review.created_at
    db.session.commit()
    assert not reviews.may_record(cast.host, review)
    as_found(placement, start=placement.start_date, end=placement.end_date, status=P.READY)
    assert not reviews.may_record(cast.host, placement.reviews[0])


def test_recording_and_commenting_are_audited_and_a_stale_page_is_refused(cast):
    placement = running_from(cast, internal(cast), TODAY - timedelta(days=30))
    review = placement.reviews[0]
    shown = review.version
    reviews.record(cast.host, review, held_on=TODAY, progress="On track.",
                   expected_version=shown)
    with pytest.raises(StaleRecord):     # a second page loaded before the first save
        reviews.record(cast.host, review, held_on=TODAY, progress="Behind.",
                       expected_version=shown)
    reviews.record(cast.host, review, held_on=TODAY, progress="Ahead.",
                   expected_version=review.version)
    with pytest.raises(StaleRecord):
        reviews.comment(cast.secondee, review, comments="Yes.", expected_version=shown)
    with pytest.raises(RuleError) as refused:
        reviews.comment(cast.secondee, review, comments=" ",
                        expected_version=review.version)
    assert refused.value.errors == {"secondee_comments": "Enter your comments on the review"}
    reviews.comment(cast.secondee, review, comments="Agreed.",
                    expected_version=review.version)
    reviews.comment(cast.secondee, review, comments="Agreed, with thanks.",
                    expected_version=review.version)
    db.session.expire_all()
    review = db.session.get(Review, review.id)
    assert (review.progress, review.secondee_comments) == ("Ahead.", "Agreed, with thanks.")
    rows = db.session.scalars(select(AuditEvent).where(
        AuditEvent.object_type == "Review", AuditEvent.object_id == str(review.id),
        AuditEvent.action != "review.schedule").order_by(AuditEvent.id)).all()
    held = f"{TODAY:%-d %B %Y}"
    assert [(r.action, r.actor_id, r.summary) for r in rows] == [
        ("review.record", cast.host.id, f"Start meeting recorded: held on {held}"),
        ("review.record", cast.host.id, f"Start meeting corrected: held on {held}"),
        ("review.comment", cast.secondee.id, "Start meeting: the secondee's comments added"),
        ("review.comment", cast.secondee.id,
         "Start meeting: the secondee's comments changed")]


# --- overdue reviews ------------------------------------------------------------------

def test_overdue_reviews_for_people_services_and_each_manager(cast):
    inside = running_from(cast, internal(cast), TODAY - timedelta(days=150))
    outside = outgoing_without_host_account(cast)
    returned = running_from(cast, internal(cast), TODAY - timedelta(days=200))
    as_found(returned, start=returned.start_date, end=TODAY - timedelta(days=1),
             status=P.RETURNED)
    ending = running_from(cast, internal(cast), TODAY - timedelta(days=200))
    as_found(ending, start=ending.start_date, end=TODAY + timedelta(days=10),
             status=P.ENDED_EARLY)
    # inside: start meeting and 4-month review overdue; hold the first.
    meeting, four = inside.reviews[:2]
    reviews.record(cast.host, meeting, held_on=TODAY, progress="p",
                   expected_version=meeting.version)
    overdue = reviews.overdue_reviews()
    assert overdue == sorted([four, outside.reviews[0], *ending.reviews[:2]],
                             key=lambda r: (r.due_date, r.id))
    assert returned.reviews[0] not in overdue       # over: nobody's reminder any more
    assert set(reviews.overdue_reviews(cast.host)) == {four, *ending.reviews[:2]}
    assert set(reviews.overdue_reviews(cast.manager)) == set(overdue)
    assert reviews.overdue_reviews(cast.contact) == [outside.reviews[0]]
    for nobody in (cast.other, cast.stranger, cast.buddy, cast.secondee, cast.officer):
        assert reviews.overdue_reviews(nobody) == []
    # Tomorrow, what falls due today is overdue too.
    assert len(reviews.overdue_reviews(today=TODAY + timedelta(days=400))) > len(overdue)


def test_overdue_reviews_take_the_same_number_of_queries_at_two_sizes(cast):
    from sqlalchemy import event

    made = []

    def queries_for(count: int) -> int:
        for _ in range(count):
            running_from(cast, internal(cast), TODAY - timedelta(days=150))
        db.session.expire_all()
        ran = []
        listener = lambda *args: ran.append(args[2])    # noqa: E731
        event.listen(db.engine, "before_cursor_execute", listener)
        try:
            names = [(r.placement.host_manager.name, r.placement.substantive_manager.name,
                      r.placement.host_organisation.name)
                     for r in reviews.overdue_reviews(cast.manager)]
        finally:
            event.remove(db.engine, "before_cursor_execute", listener)
        made.extend(range(count))
        assert len(names) == 2 * len(made)    # each: its start meeting and 4-month review
        return len(ran)

    assert queries_for(2) == queries_for(8)
