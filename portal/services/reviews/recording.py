"""Holding a review (001 §5.5, R10): the host manager records it (the day it was held,
progress against the objectives, notes); the secondee adds their comments; the
substantive manager, who stays the overall manager, reads it, as do People Services
(R13). Who may do each is said once here, as access.py says it for the placement.

The host manager may correct what they recorded until the secondee has commented on it;
the secondee may change their comments. Every step is audited, and refused when the page
was loaded before someone else's change (the review's version).
"""

from datetime import date

from portal import limits
from portal.extensions import db
from portal.models.base import utcnow
from portal.models.placements import PlacementStatus as P
from portal.models.reviews import Review
from portal.roles import Permission
from portal.services import audit
from portal.services.errors import RuleError, StaleRecord
from portal.services.opportunities import london_today
from portal.services.placements.access import is_host_side

# A placement's reviews are held once it has started, and may be recorded after it ends.
STARTED = (P.ACTIVE, P.EXTENDED, P.ENDED_EARLY, P.RETURNED)


def may_see(person, review: Review) -> bool:
    """The secondee, both managers (the host's side: the host manager or the external
    host's contacts) and People Services; not the buddy, the signatory or legal, who
    see the placement but not how the secondee is doing."""
    placement = review.placement
    return bool(person.can(Permission.MANAGE_PLACEMENTS)
                or person.id in (placement.secondee_id, placement.substantive_manager_id)
                or is_host_side(person, placement))


def may_record(person, review: Review) -> bool:
    """R10: the host's side holds the reviews and records them, once the placement has
    started, until the secondee has commented; never the secondee themselves."""
    placement = review.placement
    return (placement.status in STARTED and not review.cancelled
            and review.secondee_commented_at is None and is_host_side(person, placement))


def may_comment(person, review: Review) -> bool:
    """The secondee adds their comments once the review is recorded."""
    return (review.held and not review.cancelled
            and person.id == review.placement.secondee_id)


def record_problems(review: Review, *, held_on: date | None, progress: str,
                    notes: str, today: date | None = None) -> dict[str, str]:
    today = today or london_today()
    errors = {}
    if held_on is None:
        errors["held_on"] = "Enter the date the review was held"
    elif held_on > today:
        errors["held_on"] = "The date the review was held must be today or in the past"
    elif held_on < review.placement.start_date:
        errors["held_on"] = ("The date the review was held must be on or after the "
                             f"placement's start, {review.placement.start_date:%-d %B %Y}")
    if not progress.strip():
        errors["progress"] = "Enter the progress made against the objectives"
    elif len(progress.strip()) > limits.ANSWER:
        errors["progress"] = f"Progress must be {limits.ANSWER:,} characters or fewer"
    if len(notes.strip()) > limits.ANSWER:
        errors["notes"] = f"Notes must be {limits.ANSWER:,} characters or fewer"
    return errors


def record(person, review: Review, *, held_on: date | None, progress: str,
           notes: str = "", expected_version: int | None) -> Review:
    """The host's side records the review held (or corrects what they recorded)."""
    if not may_record(person, review):
        raise PermissionError("record this review")
    _same_version(review, expected_version)
    errors = record_problems(review, held_on=held_on, progress=progress, notes=notes)
    if errors:
        raise RuleError(errors)
    corrected = review.held
    review.held_on, review.progress, review.notes = held_on, progress.strip(), notes.strip()
    review.recorded_by_id, review.recorded_at = person.id, utcnow()
    audit.record("review.record", actor=person, obj=review,
                 summary=f"{review.label} {'corrected' if corrected else 'recorded'}: held "
                         f"on {held_on:%-d %B %Y}")
    db.session.commit()
    return review


def comment(person, review: Review, *, comments: str,
            expected_version: int | None) -> Review:
    """The secondee adds (or changes) their own comments on a recorded review."""
    if not may_comment(person, review):
        raise PermissionError("comment on this review")
    _same_version(review, expected_version)
    comments = comments.strip()
    if not comments:
        raise RuleError({"secondee_comments": "Enter your comments on the review"})
    if len(comments) > limits.ANSWER:
        raise RuleError({"secondee_comments": f"Your comments must be {limits.ANSWER:,} "
                                              "characters or fewer"})
    changed = review.secondee_commented_at is not None
    review.secondee_comments, review.secondee_commented_at = comments, utcnow()
    audit.record("review.comment", actor=person, obj=review,
                 summary=f"{review.label}: the secondee's comments "
                         f"{'changed' if changed else 'added'}")
    db.session.commit()
    return review


def _same_version(review: Review, expected_version: int | None) -> None:
    # The page's version: someone else's change since it was loaded is not overwritten.
    if expected_version is not None and expected_version != review.version:
        raise StaleRecord()
