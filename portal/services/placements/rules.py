"""The rules a placement's terms keep, in the users' words, field by field.

R3: over 12 months needs a recorded reason; over 24 months, initially, the Resources
Board's approval before the agreement goes to legal. R2: an incoming secondee stays up to
24 months. R11: the post and grade the secondee returns to are written down. R12: who pays
salary and expenses, and whether the home body invoices the host. A new placement cannot
start in the past, and no placement ends before it starts.
"""

import calendar
from datetime import date

from portal.models.placements import OpportunityKind as K
from portal.models.placements import Placement

REASON_NEEDED_AFTER_MONTHS = 12      # R3
BOARD_APPROVAL_AFTER_MONTHS = 24     # R3
INCOMING_LIMIT_MONTHS = 24           # R2 (002 §4.1)
INFORMAL_LIMIT_MONTHS = 6            # 004
LONGEST_MONTHS = 60
LONGEST_NOTICE_WEEKS = 52
CHECK_IN_WEEKS = range(1, 13)        # 004: regular check-ins, every 1 to 12 weeks


def add_months(day: date, months: int) -> date:
    """The same day `months` later (the month's last day where it is shorter)."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return day.replace(year=year, month=month,
                       day=min(day.day, calendar.monthrange(year, month)[1]))


def lasts_over(start: date, end: date, months: int) -> bool:
    """Whether a placement from `start` to `end` (both days worked) lasts more than
    `months` months: 1 January to 31 December is 12 months, to 1 January 13 days more."""
    return end >= add_months(start, months)


def needs_board(placement: Placement) -> bool:
    """R3: over 24 months initially needs the Resources Board's approval."""
    return bool(placement.start_date and placement.end_date and lasts_over(
        placement.start_date, placement.end_date, BOARD_APPROVAL_AFTER_MONTHS))


def board_has_approved(placement: Placement) -> bool:
    return bool(placement.board_approved)


def term_problems(terms: dict, today: date, *, new: bool) -> dict[str, str]:
    """What is wrong with a placement's terms, by field: the dates (R2, R3, 004), the
    right of return (R11), the check-ins' cadence (004) and, for an international
    placement, what must be agreed before the start (002 §5.4). `terms` holds the
    form's values."""
    problems: dict[str, str] = {}
    for field, words in (("title", "Enter the placement's title: the role the secondee "
                                   "takes on"),
                         ("start_date", "Enter the start date"),
                         ("end_date", "Enter the end date")):
        if not terms.get(field) or (isinstance(terms[field], str) and not terms[field].strip()):
            problems[field] = words
    start, end, kind = terms.get("start_date"), terms.get("end_date"), terms.get("kind")
    notice = terms.get("notice_weeks")
    if notice is not None and not 0 <= notice <= LONGEST_NOTICE_WEEKS:
        problems["notice_weeks"] = (f"Notice must be between 0 and {LONGEST_NOTICE_WEEKS} "
                                    "weeks")
    weeks = terms.get("check_in_weeks")
    if weeks is not None and (isinstance(weeks, bool) or weeks not in CHECK_IN_WEEKS):
        # 004: an informal placement's check-ins come at the cadence chosen here.
        problems["check_in_weeks"] = (f"Check-ins must be every {CHECK_IN_WEEKS[0]} to "
                                      f"{CHECK_IN_WEEKS[-1]} weeks")
    if start and new and start < today:
        problems["start_date"] = "The start date must be today or in the future"
    if start and end:
        if end < start:
            problems["end_date"] = "The end date must be on or after the start date"
        elif lasts_over(start, end, LONGEST_MONTHS):
            problems["end_date"] = f"A placement can last up to {LONGEST_MONTHS} months"
        elif kind == K.INCOMING and lasts_over(start, end, INCOMING_LIMIT_MONTHS):
            problems["end_date"] = ("An incoming secondee can stay up to 24 months: "
                                    "the end date must be within 24 months of the start")
        elif kind == K.INFORMAL and lasts_over(start, end, INFORMAL_LIMIT_MONTHS):
            problems["end_date"] = ("An informal secondment or job shadowing lasts up to "
                                    "6 months: use a formal placement for longer")
        elif lasts_over(start, end, REASON_NEEDED_AFTER_MONTHS) and not (
                terms.get("duration_reason") or "").strip():
            over = ("24 months: the Resources Board decides on it"
                    if lasts_over(start, end, BOARD_APPROVAL_AFTER_MONTHS) else "12 months")
            problems["duration_reason"] = f"Explain why the placement needs more than {over}"
    if kind != K.INFORMAL:
        if not (terms.get("return_post") or "").strip():
            problems["return_post"] = ("Enter the post the secondee returns to: they keep "
                                       "the right to return to it")
        if not (terms.get("return_grade") or "").strip():
            problems["return_grade"] = "Enter the grade the secondee returns to"
    if kind == K.INTERNATIONAL or (terms.get("country") or "United Kingdom").strip().lower() \
            not in ("united kingdom", "uk", ""):
        for field, words in (("accommodation", "accommodation"),
                             ("subsistence", "subsistence"), ("travel", "travel"),
                             ("insurance", "insurance and health cover")):
            if not (terms.get(field) or "").strip():
                problems[field] = (f"Enter what is agreed about {words}: an international "
                                   "placement agrees it before the start")
    return problems


def legal_problems(placement: Placement, today: date) -> list[str]:
    """What stops the agreement going to legal now, in words (R3, R1, R7)."""
    problems = []
    if placement.informal:
        problems.append("An informal arrangement needs no agreement for legal: People "
                        "Services approve it once both managers agree")
    if placement.start_date and placement.start_date < today:
        problems.append("The start date has passed: change it before sending the "
                        "agreement to legal")
    if needs_board(placement) and not board_has_approved(placement):
        problems.append("It lasts more than 24 months: the Resources Board must approve "
                        "it first")
    if placement.route == "named_request" and not placement.fairness_record.strip():
        problems.append("A named request needs its fairness record: why it was not "
                        "advertised and whether that could be damaging if made public")
    if placement.external_organisation_id and placement.host_confirmed_at is None:
        problems.append("The other organisation's contact has not confirmed the details yet")
    if placement.secondee_id is None:
        problems.append("Link the secondee's account first: they sign the agreement "
                        "signed in with it")
    if not placement.signatory_id:
        problems.append("Choose who signs for the organisation")
    return problems
