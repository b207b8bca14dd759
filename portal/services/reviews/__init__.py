"""Reviews of a running placement (001 §5.5, 004): `scheduling` (when each falls due,
made as the placement starts and kept in step with its dates), `recording` (who records,
comments on and sees a review), `listing` (overdue reviews)."""

from portal.services.reviews import listing, recording, scheduling
from portal.services.reviews.listing import overdue_reviews
from portal.services.reviews.recording import (
    comment,
    may_comment,
    may_record,
    may_see,
    record,
)
from portal.services.reviews.scheduling import follow_dates, plan, schedule

__all__ = ["comment", "follow_dates", "listing", "may_comment", "may_record", "may_see",
           "overdue_reviews", "plan", "record", "recording", "schedule", "scheduling"]
