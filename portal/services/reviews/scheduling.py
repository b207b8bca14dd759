"""When a placement's reviews fall due (001 §5.5, 004), made when it starts and kept in
step with its dates.

A formal placement has a start meeting on the work programme and objectives within its
first week (5 working days from the start, in its nation's working days), a review 4
calendar months from the start, and an end review 2 weeks before the end date. An
informal one has a check-in every `check_in_weeks` weeks (chosen at set-up) and a
debrief on its last day instead. A 4-month review or a check-in the placement does not
reach is not scheduled.

When the end date moves (an extension, an early end) or the start date does, every
review not yet held follows the dates as they now are: a new date is noted on it, one
the placement now reaches is added, and one it no longer reaches is cancelled with the
reason. A held review never changes. Each change is audited.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from portal.extensions import db
from portal.models.base import utcnow
from portal.models.placements import Placement
from portal.models.reviews import Review, ReviewKind
from portal.services import audit

# The module, not its function: the placements package (which imports this one to
# register its effects) may be loading because onboarding's generation is.
from portal.services.onboarding import generation as onboarding
from portal.services.onboarding.workdays import working_days_from
from portal.services.opportunities import london_today
from portal.services.placements.rules import add_months
from portal.workflow import PLACEMENT

START_MEETING_WORKING_DAYS = 5        # 001 §5.5: within the first week
REVIEW_AFTER_MONTHS = 4               # 001 §5.5: the 4-month JPAR
END_REVIEW_BEFORE = timedelta(weeks=2)
DEFAULT_CHECK_IN_WEEKS = 4            # 004


@dataclass(frozen=True)
class Planned:
    kind: ReviewKind
    number: int
    due: date

    @property
    def key(self) -> tuple[str, int]:
        return (self.kind.value, self.number)


def plan(placement: Placement) -> list[Planned]:
    """The reviews the placement's dates call for, in date order (R13: every case
    followed the same way)."""
    start, end = placement.start_date, placement.end_date
    if placement.informal:
        # 004: regular check-ins throughout, a debrief at the end.
        every = timedelta(weeks=placement.check_in_weeks or DEFAULT_CHECK_IN_WEEKS)
        planned, due = [], start + every
        while due < end:
            planned.append(Planned(ReviewKind.CHECK_IN, len(planned) + 1, due))
            due += every
        return [*planned, Planned(ReviewKind.DEBRIEF, 1, end)]
    # 001 §5.5: a start meeting, a review at 4 months, one at the end.
    nation = onboarding.nation_of(placement)
    meeting = min(working_days_from(start, START_MEETING_WORKING_DAYS, nation), end)
    end_review = max(end - END_REVIEW_BEFORE, meeting)   # never before the start meeting
    planned = [Planned(ReviewKind.START_MEETING, 1, meeting)]
    four_months = add_months(start, REVIEW_AFTER_MONTHS)
    if four_months < end_review:
        planned.append(Planned(ReviewKind.FOUR_MONTH, 1, four_months))
    planned.append(Planned(ReviewKind.END_REVIEW, 1, end_review))
    return sorted(planned, key=lambda p: (p.due, p.kind != ReviewKind.START_MEETING))


def schedule(placement: Placement, by=None) -> list[Review]:
    """Make the placement's reviews from its dates as it starts (the caller commits).
    Those it has already are left as they are, so scheduling twice makes no second set."""
    return _sync(placement, by, moved=False)["added"]


def follow_dates(placement: Placement, by=None, *, today: date | None = None
                 ) -> dict[str, list[Review]]:
    """Bring the reviews not yet held into line with the placement's dates as they now
    are (the caller commits): `{"added": [...], "moved": [...], "cancelled": [...]}`.
    A date moved into the past is due today instead: nobody could have held it on time.
    A placement with no reviews at all was never scheduled (it started before reviews
    were kept): it is left alone, for `schedule` to make them."""
    if not placement.reviews:
        return {"added": [], "moved": [], "cancelled": []}
    return _sync(placement, by, moved=True, today=today)


def _sync(placement: Placement, by, *, moved: bool, today: date | None = None
          ) -> dict[str, list[Review]]:
    today = today or london_today()
    existing = {(r.kind, r.number): r for r in placement.reviews}
    planned = {p.key: p for p in plan(placement)}
    dates = f"{placement.start_date:%-d %B %Y} to {placement.end_date:%-d %B %Y}"
    changes: dict[str, list[Review]] = {"added": [], "moved": [], "cancelled": []}
    for key, wanted in planned.items():
        review = existing.get(key)
        if review is not None and review.due_date == wanted.due:
            continue   # its date stands, overdue or not
        due = max(wanted.due, today) if moved else wanted.due
        if review is None:
            review = Review(placement=placement, kind=wanted.kind, number=wanted.number,
                            due_date=due)
            if moved:
                review.note = f"Added when the placement's dates became {dates}."
            db.session.add(review)
            changes["added"].append(review)
        elif review.is_open and review.due_date != due:
            review.note = (f"Due date moved from {review.due_date:%-d %B %Y} to "
                           f"{due:%-d %B %Y} when the placement's dates became {dates}.")
            review.due_date = due
            changes["moved"].append(review)
    for key, review in existing.items():
        if key not in planned and review.is_open:
            review.cancelled_at = utcnow()
            review.note = (f"Cancelled: the placement now runs {dates} and no longer "
                           "reaches it.")
            changes["cancelled"].append(review)
    if changes["added"]:
        db.session.flush()   # the audit trail names each review by its id
    for change, reviews in changes.items():
        action = {"added": "review.schedule", "moved": "review.move",
                  "cancelled": "review.cancel"}[change]
        for review in reviews:
            audit.record(action, actor=by, obj=review,
                         summary=review.note or f"{review.label} due "
                                                f"{review.due_date:%-d %B %Y}")
    return changes


@PLACEMENT.effect("start")
def _schedule_on_start(placement: Placement, person) -> None:
    schedule(placement, person)


@PLACEMENT.effect("extend", "end_early")
def _follow_the_new_end_date(placement: Placement, person) -> None:
    follow_dates(placement, person)
