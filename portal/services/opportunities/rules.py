"""The rules an opportunity must meet to be advertised: R1 fair advertising, R2
incoming secondees, R3 duration, R6 when the Resources Board must approve, R12 who pays.

Forms check shape only; every rule is decided here, as (field, message) pairs in the
words the person drafting will read.
"""

from datetime import date, datetime
from zoneinfo import ZoneInfo

from portal.formatting import closing_time, long_date
from portal.models.opportunities import (
    Audience,
    CaseStatus,
    Opportunity,
    OpportunityKind,
    OpportunityStatus,
    WorkingPattern,
)

LONDON = ZoneInfo("Europe/London")
K = OpportunityKind
S = OpportunityStatus

# R3: longer than this prompts a recorded reason; longer than the limit needs the Board.
REASON_NEEDED_AFTER_MONTHS = 12
BOARD_APPROVAL_AFTER_MONTHS = 24
# R2: incoming secondments last up to two years (002 §4.1).
INCOMING_LIMIT_MONTHS = 24
SHORTER_TERM_LIMIT_MONTHS = 3   # 001 §10.7
INFORMAL_LIMIT_MONTHS = 6       # 004
MAX_DURATION_MONTHS = 60


def london_today() -> date:
    return datetime.now(LONDON).date()


def is_open(opportunity: Opportunity, today: date | None = None) -> bool:
    """Open for applications: published and its closing date not yet passed."""
    today = today or london_today()
    return (opportunity.status == S.PUBLISHED and opportunity.closing_date is not None
            and opportunity.closing_date >= today)


def display_status(opportunity: Opportunity, today: date | None = None) -> S:
    """The status people see: a published opportunity past its closing date is closed."""
    if opportunity.status == S.PUBLISHED and not is_open(opportunity, today):
        return S.CLOSED
    return S(opportunity.status)


def closing_in_words(opportunity: Opportunity, today: date | None = None) -> str:
    """'closes at 11:59pm on 4 December 2026 (in 3 days)'."""
    if opportunity.closing_date is None:
        return "no closing date set"
    today = today or london_today()
    when = closing_time(opportunity.closing_date)
    days = (opportunity.closing_date - today).days
    if days < 0:
        return f"closed at {when}"
    if days == 0:
        return f"closes today at {when}"
    if days == 1:
        return f"closes tomorrow at {when}"
    return f"closes at {when} (in {days} days)"


EDITABLE_FIELDS = {
    "kind", "title", "summary", "description", "offering_department_id",
    "host_organisation_id", "location", "country", "grade", "acting_up",
    "working_pattern", "hours_detail", "start_date", "duration_months", "duration_reason",
    "salary_paid_by", "expenses_paid_by", "extra_cost", "skills_sought", "eligibility",
    "audience", "restriction_justification", "pool_grades", "publicity_assessment",
    "incoming_not_contractor", "incoming_not_permanent_cover", "closing_date", "contact_id",
    "requested_person_id",
}


FIELD_LABELS = {
    "kind": "kind", "title": "title", "summary": "summary", "description": "description",
    "offering_department_id": "offering department", "host_organisation_id":
    "host organisation", "location": "location", "country": "country", "grade": "grade",
    "acting_up": "acting up", "working_pattern": "hours", "hours_detail": "hours or pattern",
    "start_date": "start date", "duration_months": "duration", "duration_reason":
    "reason for the duration", "salary_paid_by": "who pays the salary", "expenses_paid_by":
    "who pays expenses", "extra_cost": "extra cost", "skills_sought": "skills sought",
    "eligibility": "eligibility", "audience": "audience", "restriction_justification":
    "justification of the restricted pool", "pool_grades": "grades in the pool",
    "publicity_assessment": "publicity assessment",
    "incoming_not_contractor": "confirmation: not a contractor, consultant or student",
    "incoming_not_permanent_cover": "confirmation: not cover for a permanent role",
    "closing_date": "closing date", "contact_id": "contact",
    "requested_person_id": "person requested",
}


def section_errors(opportunity: Opportunity, changes: dict) -> dict[str, str]:
    """The rule errors for a page's changes, judged with the rest of the draft."""
    merged = {f: getattr(opportunity, f) for f in EDITABLE_FIELDS} | changes
    errors = {}
    for field, message in rule_problems(merged, london_today(), changing=set(changes)):
        if field in changes and field not in errors:
            errors[field] = message
    return errors


def rule_problems(o: dict, today: date, changing: set[str] = frozenset()
                  ) -> list[tuple[str, str]]:
    """Every rule an opportunity (as a dict of its fields) breaks, as (field, message).

    Used for each question page (only its own fields are shown there) and before
    publication (all of them). A rule between two fields on different pages is
    reported on the one being changed."""
    problems: list[tuple[str, str]] = []
    kind = o.get("kind")
    audience = o.get("audience")
    months = o.get("duration_months")

    # R1 fair advertising.
    if audience == Audience.RESTRICTED_POOL and not (o.get("restriction_justification")
                                                     or "").strip():
        problems.append(("restriction_justification",
                         "Explain which specific skills justify restricting the pool"))
    if audience == Audience.RESTRICTED_POOL and not (o.get("pool_grades") or "").strip():
        problems.append(("pool_grades", "Select the grades in the pool"))
    if audience == Audience.NAMED_REQUEST and not (o.get("publicity_assessment")
                                                   or "").strip():
        problems.append(("publicity_assessment",
                         "Record whether the arrangement could be damaging if made public"))
    if audience == Audience.NAMED_REQUEST and not o.get("requested_person_id"):
        problems.append(("requested_person_id",
                         "Enter the e-mail address of the person requested"))
    # R2 incoming secondees.
    if kind == K.INCOMING:
        if not o.get("incoming_not_contractor"):
            problems.append(("incoming_not_contractor",
                             "Confirm the secondee will not be a self-employed contractor, "
                             "consultant or student"))
        if not o.get("incoming_not_permanent_cover"):
            problems.append(("incoming_not_permanent_cover",
                             "Confirm the post is not cover for a permanent role"))
        if months and months > INCOMING_LIMIT_MONTHS:
            problems.append(("duration_months",
                             "An incoming secondment can last up to 24 months"))
    # R3 duration, and the limits of the shorter kinds.
    if months is not None:
        if months < 1 or months > MAX_DURATION_MONTHS:
            problems.append(("duration_months",
                             f"Duration must be between 1 and {MAX_DURATION_MONTHS} months"))
        if kind == K.SHORTER_TERM and months >= SHORTER_TERM_LIMIT_MONTHS:
            problems.append(("duration_months",
                             "A shorter-term secondment lasts less than 3 months"))
        if kind == K.INFORMAL and months >= INFORMAL_LIMIT_MONTHS:
            problems.append(("duration_months",
                             "Job shadowing or an informal secondment lasts less than "
                             "6 months"))
        if months > REASON_NEEDED_AFTER_MONTHS and not (o.get("duration_reason")
                                                       or "").strip():
            problems.append(("duration_reason",
                             "Explain why the secondment needs to last more than 12 months"))
    if o.get("working_pattern") == WorkingPattern.PART_TIME and not (
            o.get("hours_detail") or "").strip():
        problems.append(("hours_detail", "Enter the hours or days a week"))
    closing, start = o.get("closing_date"), o.get("start_date")
    # A new opportunity starts in the future, and takes applications until it starts.
    if start is not None and start <= today:
        problems.append(("start_date", "Start date must be in the future"))
    if closing is not None and closing < today:
        problems.append(("closing_date", "Closing date must be today or in the future"))
    if closing is not None and start is not None and start <= closing:
        # Said on the date being changed, naming the other one to compare it with.
        if "closing_date" in changing and "start_date" not in changing:
            problems.append(("closing_date", "Closing date must be before the start date, "
                                             f"{long_date(start)}"))
        else:
            problems.append(("start_date", "Start date must be after the closing date, "
                                           f"{long_date(closing)}"))
    if kind in (K.OUTGOING,) and not o.get("host_organisation_id"):
        problems.append(("host_organisation_id", "Select the host organisation"))
    if kind == K.INCOMING and not o.get("host_organisation_id"):
        problems.append(("host_organisation_id", "Select the organisation the secondee "
                                                 "comes from"))
    return problems


REQUIRED = [
    ("title", "Enter a title"),
    ("summary", "Enter a summary"),
    ("description", "Enter a description of the role"),
    ("location", "Enter the location"),
    ("country", "Enter the country"),
    ("grade", "Select the grade"),
    ("start_date", "Enter the start date"),
    ("duration_months", "Enter the duration in months"),
    ("salary_paid_by", "Select who pays the salary"),
    ("expenses_paid_by", "Select who pays expenses"),
    ("skills_sought", "Enter the skills and experience sought"),
    ("eligibility", "Enter who is eligible"),
    ("closing_date", "Enter the closing date"),
    ("contact_id", "Select the contact person"),
]


def publication_problems(opportunity: Opportunity, today: date | None = None) -> list[str]:
    """Everything that stops this opportunity being published, in words."""
    today = today or london_today()
    fields = {f: getattr(opportunity, f) for f in EDITABLE_FIELDS}
    problems = [message for field, message in REQUIRED if fields.get(field) in (None, "")]
    if opportunity.kind in (K.INTERNAL, K.SHORTER_TERM, K.INFORMAL) and \
            not opportunity.offering_department_id:
        problems.append("Select the offering department")
    problems += [message for _field, message in rule_problems(fields, today)]
    reasons = board_approval_reasons(opportunity)
    case = opportunity.business_case
    if reasons and (case is None or case.status != CaseStatus.APPROVED):
        problems.append("The Resources Board must approve the business case first ("
                        + "; ".join(reasons) + ")")
    return list(dict.fromkeys(problems))


def board_approval_reasons(opportunity: Opportunity) -> list[str]:
    """Why this opportunity needs the Resources Board (R6 business case, R3 over 24
    months), or an empty list."""
    reasons = []
    if opportunity.kind in (K.OUTGOING, K.INCOMING, K.INTERNATIONAL):
        reasons.append("every outgoing, incoming and international secondment needs a "
                       "business case")
    elif opportunity.extra_cost:
        reasons.append("it has an extra cost")
    if (opportunity.duration_months or 0) > BOARD_APPROVAL_AFTER_MONTHS:
        reasons.append("it lasts more than 24 months")
    return reasons
