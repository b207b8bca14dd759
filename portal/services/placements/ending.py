"""The end of a running placement: ended early, with a reason and the placement's
notice (002 §8), or returned from on or after its end date (R11). An extension, the
other way a running placement's end date moves, is portal/services/extensions.

Both steps go through the workflow engine, which audits them, runs what other services
registered for them (the reviews follow the new end date; an open extension is
withdrawn) and commits once, with the e-mails.
"""

from datetime import date, timedelta

from portal import notifications
from portal.models.base import utcnow
from portal.models.placements import Placement
from portal.models.placements import PlacementStatus as P
from portal.services.errors import RuleError
from portal.services.opportunities import london_today
from portal.services.placements.lifecycle import link, people_services
from portal.workflow import PLACEMENT, check, transition


def earliest_early_end(placement: Placement, today: date | None = None) -> date:
    """The first day a placement ended early now may end on: its notice from today."""
    return (today or london_today()) + timedelta(weeks=placement.notice_weeks or 0)


@PLACEMENT.guard("end_early")
def _notice_ends_before_the_end_date(placement: Placement, action: str) -> list[str]:
    # 002 §8: ending early means the notice runs out before the agreed end date. A
    # running placement has no `ended_at` but while this step records its new end date,
    # which the engine's second look must not read as the end date the notice runs past.
    earliest = earliest_early_end(placement)
    if placement.ended_at is None and earliest >= placement.end_date:
        return [f"Its notice of {placement.notice_weeks} weeks runs to "
                f"{earliest:%-d %B %Y}, on or after its end date of "
                f"{placement.end_date:%-d %B %Y}: it ends then"]
    return []


@PLACEMENT.guard("return")
def _end_date_reached(placement: Placement, action: str) -> list[str]:
    # R11: the secondee goes back to their post at the end; legal's "return" of an
    # agreement is another step of the same name, before the start.
    if P(placement.status).running and placement.end_date > london_today():
        return [f"It ends on {placement.end_date:%-d %B %Y}: the return is recorded on or "
                "after that day"]
    return []


def end_early(person, placement: Placement, *, reason: str, end_on: date | None = None,
              expected_version: int | None) -> Placement:
    """People Services or the substantive manager (R10) end a running placement early:
    it ends when its notice runs out (`notice_weeks` from today), or on the later day
    `end_on` given, before its end date; the reason is recorded."""
    check(PLACEMENT, placement, "end_early", person, expected_version=expected_version)
    earliest = earliest_early_end(placement)
    end_on = end_on or earliest
    errors = {}
    if not reason.strip():
        errors["reason"] = "Give the reason for ending the placement early"
    if end_on < earliest:
        errors["end_on"] = (f"The placement's notice is {placement.notice_weeks} weeks: it "
                            f"can end on {earliest:%-d %B %Y} at the earliest")
    elif end_on >= placement.end_date:
        errors["end_on"] = (f"The new end date must be before its end date of "
                            f"{placement.end_date:%-d %B %Y}")
    if errors:
        raise RuleError(errors)
    previous = placement.end_date
    placement.ended_by_id, placement.ended_at = person.id, utcnow()
    placement.end_date = end_on
    placement.end_reason = reason.strip()
    transition(PLACEMENT, placement, "end_early", person, expected_version=None,
               details=(f"ends on {end_on:%-d %B %Y} instead of {previous:%-d %B %Y}: "
                        f"{reason.strip()}"),
               tell=lambda: notifications.send(
                   _everyone(placement), "placement_ended_early", about=placement,
                   placement=placement, previous_end=previous, reason=reason.strip(),
                   link=link(placement)))
    return placement


def record_return(officer, placement: Placement, *, returned_on: date | None = None,
                  expected_version: int | None) -> Placement:
    """People Services record that the secondee is back in their substantive post and
    grade (R11), on the day given (today unless said), not before the end date."""
    check(PLACEMENT, placement, "return", officer, expected_version=expected_version)
    today = london_today()
    returned_on = returned_on or today
    if returned_on > today:
        raise RuleError({"returned_on": "The date of the return must be today or in the "
                                        "past"})
    if returned_on < placement.end_date:
        raise RuleError({"returned_on": "The date of the return must be on or after the "
                                        f"end date, {placement.end_date:%-d %B %Y}"})
    placement.returned_on = returned_on
    transition(PLACEMENT, placement, "return", officer, expected_version=None,
               details=(f"on {returned_on:%-d %B %Y} to {placement.return_post or 'their post'}"
                        f"{', ' + placement.return_grade if placement.return_grade else ''}"),
               tell=lambda: notifications.send(
                   _everyone(placement), "placement_returned", about=placement,
                   placement=placement, link=link(placement)))
    return placement


def _everyone(placement: Placement) -> list:
    return [placement.secondee or placement.secondee_email, placement.substantive_manager,
            placement.host_manager, placement.host_manager_email, people_services()]
