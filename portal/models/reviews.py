"""Reviews of a placement while it runs (001 §5.5, 004): a start meeting on the work
programme and objectives, a review at four months and an end review; for an informal
placement, regular check-ins and a debrief at the end instead.

They are scheduled when the placement starts. Until one is held its due date follows the
placement's dates; the host manager records it (the day held, progress against the
objectives, notes), the secondee adds their comments, the substantive manager reads it.
A review the placement no longer reaches (it ended early) is cancelled, not deleted: the
record says it was due and why it went.
"""

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import Date, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, backref, mapped_column, relationship

from portal import limits
from portal.extensions import db
from portal.models.base import UTCDateTime, utcnow

__all__ = ["Review", "ReviewKind"]


class ReviewKind(StrEnum):
    START_MEETING = "start_meeting"
    FOUR_MONTH = "four_month"
    END_REVIEW = "end_review"
    CHECK_IN = "check_in"
    DEBRIEF = "debrief"

    @property
    def label(self) -> str:
        return {"start_meeting": "Start meeting", "four_month": "4-month review",
                "end_review": "End review", "check_in": "Check-in",
                "debrief": "Debrief"}[self.value]


class Review(db.Model):
    __tablename__ = "reviews"
    __table_args__ = (
        # One of each kind, and check-ins numbered, per placement: scheduling twice
        # (two starts racing, a retried request) cannot make a second set.
        UniqueConstraint("placement_id", "kind", "number"),
        Index("ix_reviews_placement_due", "placement_id", "due_date"),
        # Overdue and due reviews across every placement, for the lists and reminders.
        Index("ix_reviews_due", "due_date", "held_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    placement_id: Mapped[int] = mapped_column(ForeignKey("placements.id"))
    kind: Mapped[str] = mapped_column(String(20))
    # 1 for every kind but a check-in, which counts from 1 in order.
    number: Mapped[int] = mapped_column(Integer, default=1)
    due_date: Mapped[date] = mapped_column(Date)
    held_on: Mapped[date | None] = mapped_column(Date)
    progress: Mapped[str] = mapped_column(String(limits.ANSWER), default="")
    notes: Mapped[str] = mapped_column(String(limits.ANSWER), default="")
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    recorded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    secondee_comments: Mapped[str] = mapped_column(String(limits.ANSWER), default="")
    secondee_commented_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # No longer reached: the placement ended before it was due.
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # What changed it besides the people holding it: "Due date moved from ... when ...".
    note: Mapped[str] = mapped_column(String(limits.REASON), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}

    placement = relationship("Placement", backref=backref(
        "reviews", order_by="[Review.due_date, Review.id]"))
    recorded_by = relationship("User", foreign_keys=[recorded_by_id])

    @property
    def kind_enum(self) -> ReviewKind:
        return ReviewKind(self.kind)

    @property
    def label(self) -> str:
        """"4-month review", "Check-in 3"."""
        label = ReviewKind(self.kind).label
        return f"{label} {self.number}" if self.kind == ReviewKind.CHECK_IN else label

    @property
    def held(self) -> bool:
        return self.held_on is not None

    @property
    def cancelled(self) -> bool:
        return self.cancelled_at is not None

    @property
    def is_open(self) -> bool:
        """Still to be held: its due date follows the placement's dates."""
        return not self.held and not self.cancelled

    def __repr__(self) -> str:
        return f"<Review {self.placement_id} {self.kind} {self.number}>"
