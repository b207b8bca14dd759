"""What an extension must satisfy, in the users' words (R3, R2, 001 §5.6-5.7, 004).

Its length is counted in total, from the placement's start to the new end date, so every
extension already agreed counts together with this one: a placement of 10 months
extended by 1 and then by 2 lasts 13 months in total. Beyond 12 months in total both
sides confirm they considered the return (001 §5.7); beyond 24 months in total the
Resources Board decides (R3, 002 §1.3).
"""

from datetime import date

from sqlalchemy import select

from portal import limits
from portal.extensions import db
from portal.models.extensions import OPEN_STATUSES, Extension
from portal.models.placements import OpportunityKind as K
from portal.models.placements import Placement
from portal.services.placements.rules import (
    BOARD_APPROVAL_AFTER_MONTHS,
    INCOMING_LIMIT_MONTHS,
    INFORMAL_LIMIT_MONTHS,
    LONGEST_MONTHS,
    REASON_NEEDED_AFTER_MONTHS,
    lasts_over,
)


def over_12_months(placement: Placement, new_end: date) -> bool:
    """R3, 001 §5.7: beyond 12 months in total, every extension counted."""
    return lasts_over(placement.start_date, new_end, REASON_NEEDED_AFTER_MONTHS)


def over_24_months(placement: Placement, new_end: date) -> bool:
    """R3, 002 §1.3: beyond 24 months in total, every extension counted."""
    return lasts_over(placement.start_date, new_end, BOARD_APPROVAL_AFTER_MONTHS)


def needs_return_considered(extension: Extension) -> bool:
    return over_12_months(extension.placement, extension.new_end_date)


def needs_board(extension: Extension) -> bool:
    return over_24_months(extension.placement, extension.new_end_date)


def open_extension(placement: Placement) -> Extension | None:
    """The extension still being decided, if there is one (at most one at a time)."""
    return db.session.scalar(select(Extension).where(
        Extension.placement_id == placement.id, Extension.status.in_(OPEN_STATUSES))
        .order_by(Extension.id.desc()).limit(1))


def warnings(placement: Placement, new_end: date) -> list[str]:
    """What the proposal form says before it is sent (R3): who else must decide."""
    found = []
    if over_12_months(placement, new_end):
        found.append("It would last more than 12 months in total: the substantive manager "
                     "and the host must each confirm they have considered whether the "
                     "secondee can still return well to their post")
    if over_24_months(placement, new_end):
        found.append("It would last more than 24 months in total: once both agree, the "
                     "Resources Board decides")
    return found


def proposal_problems(placement: Placement, *, new_end_date: date | None, reason: str,
                      funding: str, today: date) -> dict[str, str]:
    """What is wrong with a proposed extension, field by field."""
    errors = {}
    if new_end_date is None:
        errors["new_end_date"] = "Enter the new end date"
    elif new_end_date <= placement.end_date:
        errors["new_end_date"] = ("The new end date must be after the current end date, "
                                  f"{placement.end_date:%-d %B %Y}")
    elif new_end_date < today:
        errors["new_end_date"] = "The new end date must be today or in the future"
    elif lasts_over(placement.start_date, new_end_date, LONGEST_MONTHS):
        errors["new_end_date"] = f"A placement can last up to {LONGEST_MONTHS} months in total"
    elif placement.kind == K.INCOMING and lasts_over(placement.start_date, new_end_date,
                                                     INCOMING_LIMIT_MONTHS):
        # R2 (002 §4.1)
        errors["new_end_date"] = ("An incoming secondee can stay up to 24 months in total: "
                                  "the new end date must be within 24 months of the start")
    elif placement.informal and lasts_over(placement.start_date, new_end_date,
                                           INFORMAL_LIMIT_MONTHS):
        # 004
        errors["new_end_date"] = ("An informal secondment or job shadowing lasts up to 6 "
                                  "months in total: use a formal placement for longer")
    for field, value, missing, name in (
            ("reason", reason, "Give the reason for the extension", "The reason"),
            ("funding", funding, "Say how the extension is funded", "The funding")):
        if not value.strip():
            errors[field] = missing
        elif len(value.strip()) > limits.REASON:
            errors[field] = f"{name} must be {limits.REASON:,} characters or fewer"
    return errors
