"""Secondment opportunities: drafting, the rules for advertising them fairly, the
Resources Board's business case, publication and what happens after it.

Rules enforced here: R1 fair advertising, R2 incoming secondees, R3 duration, R6
business case, R12 who pays. Forms check shape only; every rule is decided here.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, or_, select
from sqlalchemy.orm import joinedload

from portal.extensions import db
from portal.models import Department, User
from portal.models.base import utcnow
from portal.models.opportunities import (
    STRATEGIC_PRIORITIES,
    Audience,
    BusinessCase,
    CaseStatus,
    Opportunity,
    OpportunityKind,
    OpportunityStatus,
    WorkingPattern,
)
from portal.permissions import Permission
from portal.services import audit
from portal.services.errors import RuleError, StaleRecord  # noqa: F401 - shared refusals
from portal.workflow import (
    BUSINESS_CASE,
    OPPORTUNITY,
    OPPORTUNITY_TRANSITIONS,
    TransitionRefused,
    allowed_actions,
    find_transition,
    transition,
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
    """'closes in 3 days, on 4 December 2026 at midnight'."""
    if opportunity.closing_date is None:
        return "no closing date set"
    today = today or london_today()
    when = f"{opportunity.closing_date.day} {opportunity.closing_date:%B %Y} at midnight"
    days = (opportunity.closing_date - today).days
    if days < 0:
        return f"closed on {when}"
    if days == 0:
        return f"closes today, on {when}"
    if days == 1:
        return f"closes tomorrow, on {when}"
    return f"closes in {days} days, on {when}"


# --- who may do what with an opportunity --------------------------------------------

def may_create(user) -> bool:
    """People Services, or a manager (line manager or head) in the offering department."""
    if user.can(Permission.MANAGE_ANY_OPPORTUNITY):
        return True
    return user.can(Permission.CREATE_OPPORTUNITY) and user.department_id is not None


def may_manage(user, opportunity: Opportunity) -> bool:
    """Its creator and People Services look after an opportunity."""
    return (user.can(Permission.MANAGE_ANY_OPPORTUNITY)
            or opportunity.created_by_id == user.id)


def may_decide_case(user, opportunity: Opportunity) -> bool:
    """Resources Board members decide, but never on a case they had a hand in: as the
    opportunity's creator, its contact, or the one who put the case forward (R6)."""
    involved = {opportunity.created_by_id, opportunity.contact_id}
    if opportunity.business_case is not None:
        involved.add(opportunity.business_case.submitted_by_id)
    return user.can(Permission.DECIDE_BUSINESS_CASE) and user.id not in involved


def may_view(user, opportunity: Opportunity, today: date | None = None) -> bool:
    """Whether this person may know the opportunity exists at all."""
    if may_manage(user, opportunity):
        return True
    if (opportunity.status == S.AWAITING_APPROVAL
            and user.can(Permission.DECIDE_BUSINESS_CASE)):
        return True
    if opportunity.audience == Audience.NAMED_REQUEST:
        return False  # R1: never on the board
    return user.can(Permission.VIEW_BOARD) and is_open(opportunity, today)


def is_selector(user, opportunity: Opportunity) -> bool:
    """The hiring side: the opportunity's creator or contact, or People Services."""
    return (user.can(Permission.MANAGE_ANY_OPPORTUNITY)
            or opportunity.created_by_id == user.id or opportunity.contact_id == user.id)


def may_act(user, opportunity: Opportunity, actor: str) -> bool:
    if actor == "board":
        return may_decide_case(user, opportunity)
    if actor == "selector":
        return is_selector(user, opportunity)
    return actor == "manager" and may_manage(user, opportunity)


OPPORTUNITY.actors_from(may_act)
# A business case is acted on as its opportunity is: by its manager or the Board.
BUSINESS_CASE.actors_from(lambda user, case, actor: may_act(user, case.opportunity, actor))


def available_actions(user, opportunity: Opportunity) -> list[str]:
    return allowed_actions(OPPORTUNITY, opportunity, user)


def _transition(opportunity: Opportunity, action: str, actor: User, summary: str = ""):
    """The engine's transition: the caller's changes and the audit row commit together."""
    transition(OPPORTUNITY, opportunity, action, actor, details=summary)


# --- drafting ------------------------------------------------------------------------

EDITABLE_FIELDS = {
    "kind", "title", "summary", "description", "offering_department_id",
    "host_organisation_id", "location", "country", "grade", "acting_up",
    "working_pattern", "hours_detail", "start_date", "duration_months", "duration_reason",
    "salary_paid_by", "expenses_paid_by", "extra_cost", "skills_sought", "eligibility",
    "audience", "restriction_justification", "pool_grades", "publicity_assessment",
    "incoming_not_contractor", "incoming_not_permanent_cover", "closing_date", "contact_id",
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
}


def create_draft(actor: User, kind: str) -> Opportunity:
    if not may_create(actor):
        raise PermissionError("create opportunity")
    opportunity = Opportunity(kind=OpportunityKind(kind), created_by_id=actor.id,
                              contact_id=actor.id, status=S.DRAFT)
    if not actor.can(Permission.MANAGE_ANY_OPPORTUNITY):
        opportunity.offering_department_id = actor.department_id
    db.session.add(opportunity)
    db.session.flush()
    audit.record("opportunity.created", actor=actor, obj=opportunity,
                 summary=f"Draft {OpportunityKind(kind).short_label.lower()} opportunity")
    db.session.commit()
    return opportunity


def update_draft(opportunity: Opportunity, actor: User, changes: dict, *,
                 expected_version: int | None = None) -> None:
    """Save one question page of a draft. Raises RuleError with field messages and
    saves nothing when a rule is broken."""
    find_transition(OPPORTUNITY_TRANSITIONS, opportunity.status, "edit")
    if not may_manage(actor, opportunity):
        raise PermissionError("edit opportunity")
    if expected_version is not None and expected_version != opportunity.version:
        raise StaleRecord()
    unknown = set(changes) - EDITABLE_FIELDS
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    errors = section_errors(opportunity, changes) | _department_errors(actor, opportunity,
                                                                       changes)
    if errors:
        db.session.rollback()
        raise RuleError(errors)
    changed = [key for key, value in changes.items() if getattr(opportunity, key) != value]
    if not changed:
        return
    for key in changed:
        setattr(opportunity, key, changes[key])
    audit.record("opportunity.edited", actor=actor, obj=opportunity,
                 summary="Changed " + ", ".join(FIELD_LABELS.get(k, k) for k in changed))
    db.session.commit()


def _department_errors(actor: User, opportunity: Opportunity, changes: dict) -> dict:
    """A manager drafts only for the department they work in (People Services for any):
    moving a draft elsewhere would let them advertise for a department not theirs."""
    wanted = changes.get("offering_department_id")
    if (wanted is None or actor.can(Permission.MANAGE_ANY_OPPORTUNITY)
            or wanted in (actor.department_id, opportunity.offering_department_id)):
        return {}
    return {"offering_department_id": "Select your own department: managers offer "
                                      "opportunities only in the department they work in"}


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
        problems.append(("pool_grades", "Enter the grades that make up the pool"))
    if audience == Audience.NAMED_REQUEST and not (o.get("publicity_assessment")
                                                   or "").strip():
        problems.append(("publicity_assessment",
                         "Record whether the arrangement could be damaging if made public"))
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
    if closing is not None and closing < today:
        problems.append(("closing_date", "The closing date must be today or in the future"))
    if closing is not None and start is not None and start <= closing:
        if "closing_date" in changing and "start_date" not in changing:
            problems.append(("closing_date", "The closing date must be before the start "
                                             f"date, {start.day} {start:%B %Y}"))
        else:
            problems.append(("start_date", "The start date must be after the closing date"))
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
    ("grade", "Enter the grade or band"),
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


# --- the Resources Board ------------------------------------------------------------

def submit_business_case(opportunity: Opportunity, actor: User, *, skills: str,
                         priorities: list[str], costs: str, cover: str) -> BusinessCase:
    """R6: put the case to the Resources Board. The draft must otherwise be complete."""
    # Sent twice at once, the second waits here for the first, then finds the case
    # already with the Board and is refused as a later repeat would be.
    db.session.execute(select(Opportunity.id).where(Opportunity.id == opportunity.id)
                       .with_for_update())
    db.session.refresh(opportunity)
    if not board_approval_reasons(opportunity):
        raise TransitionRefused("This opportunity does not need the Resources Board")
    problems = [p for p in publication_problems(opportunity)
                if not p.startswith("The Resources Board")]
    if problems:
        raise TransitionRefused(problems)
    unknown = [p for p in priorities if p not in STRATEGIC_PRIORITIES]
    if unknown or not priorities:
        raise RuleError({"priorities": "Select the strategic priorities it serves"})
    case = opportunity.business_case
    if case is None:
        case = BusinessCase(status=CaseStatus.SUBMITTED)  # a new case starts with the Board
        db.session.add(case)
        case.opportunity = opportunity
    else:
        transition(BUSINESS_CASE, case, "resubmit", actor, commit=False)
    case.skills, case.costs, case.cover = skills, costs, cover
    case.priorities = ",".join(priorities)
    case.submitted_by_id, case.submitted_at = actor.id, utcnow()
    case.decided_by_id, case.decided_at, case.decision_reason = None, None, ""
    _transition(opportunity, "submit_case", actor)
    return case


def decide_business_case(opportunity: Opportunity, actor: User, *, approve: bool,
                         reason: str) -> None:
    """The Resources Board approves or rejects, always with its reasons."""
    if not reason.strip():
        raise RuleError({"reason": "Enter the reasons for the decision"})
    case = opportunity.business_case
    if case is None or case.status != CaseStatus.SUBMITTED:
        raise TransitionRefused("There is no business case waiting for a decision")
    case.decided_by_id, case.decided_at, case.decision_reason = actor.id, utcnow(), reason
    transition(BUSINESS_CASE, case, "approve" if approve else "reject", actor,
               details=reason, commit=False)
    _transition(opportunity, "approve_case" if approve else "reject_case", actor, reason)


# --- publication and after -----------------------------------------------------------

def publish(opportunity: Opportunity, actor: User) -> None:
    problems = publication_problems(opportunity)
    find_transition(OPPORTUNITY_TRANSITIONS, opportunity.status, "publish")
    if problems:
        raise TransitionRefused(problems)
    opportunity.published_at = utcnow()
    _transition(opportunity, "publish", actor)


def extend_closing_date(opportunity: Opportunity, actor: User, new_date: date | None,
                        reason: str) -> None:
    errors = {}
    if new_date is None or opportunity.closing_date is None or new_date <= max(
            opportunity.closing_date, london_today() - timedelta(days=1)):
        errors["closing_date"] = "The new closing date must be later than the current one"
    elif opportunity.start_date is not None and new_date >= opportunity.start_date:
        errors["closing_date"] = "The new closing date must be before the start date"
    if not reason.strip():
        errors["reason"] = "Enter the reason for extending the closing date"
    if errors:
        raise RuleError(errors)
    old = opportunity.closing_date
    opportunity.closing_date = new_date
    opportunity.updated_after_publication_at = utcnow()
    _transition(opportunity, "extend_closing_date", actor,
                f"from {old:%d %B %Y} to {new_date:%d %B %Y}. Reason: {reason}")


def close_early(opportunity: Opportunity, actor: User, reason: str) -> None:
    if not reason.strip():
        raise RuleError({"reason": "Enter the reason for closing early"})
    opportunity.updated_after_publication_at = utcnow()
    _transition(opportunity, "close", actor, reason)


def withdraw(opportunity: Opportunity, actor: User, reason: str) -> None:
    if not reason.strip():
        raise RuleError({"reason": "Enter the reason for withdrawing it"})
    if opportunity.published_at:
        opportunity.updated_after_publication_at = utcnow()
    _transition(opportunity, "withdraw", actor, reason)


def mark_filled(opportunity: Opportunity, actor: User) -> None:
    """Filled: everyone else still in the running is told they were unsuccessful."""
    from portal.services import applications

    find_transition(OPPORTUNITY_TRANSITIONS, opportunity.status, "mark_filled")
    if not may_manage(actor, opportunity):
        raise PermissionError("mark_filled")
    opportunity.updated_after_publication_at = utcnow()
    applications.close_remaining(opportunity, actor)
    _transition(opportunity, "mark_filled", actor)


# --- lists ---------------------------------------------------------------------------

@dataclass
class BoardFilters:
    keyword: str = ""
    kinds: tuple[str, ...] = ()
    department_id: int | None = None
    host_organisation_id: int | None = None
    grade: str = ""
    location: str = ""
    max_months: int | None = None
    part_time: bool = False
    closing_within_days: int | None = None
    sort: str = "closing"  # or "newest"
    page: int = 1


@dataclass
class ResultPage:
    items: list
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


PER_PAGE = 20


def _board_conditions(filters: BoardFilters, today: date):
    conditions = [
        Opportunity.status == S.PUBLISHED,
        Opportunity.audience != Audience.NAMED_REQUEST,
        Opportunity.closing_date >= today,
    ]
    if filters.keyword:
        like = f"%{filters.keyword.lower()}%"
        conditions.append(or_(func.lower(Opportunity.title).like(like),
                              func.lower(Opportunity.summary).like(like),
                              func.lower(Opportunity.skills_sought).like(like),
                              func.lower(Opportunity.location).like(like)))
    if filters.kinds:
        conditions.append(Opportunity.kind.in_(filters.kinds))
    if filters.department_id:
        conditions.append(Opportunity.offering_department_id == filters.department_id)
    if filters.host_organisation_id:
        conditions.append(Opportunity.host_organisation_id == filters.host_organisation_id)
    if filters.grade:
        conditions.append(Opportunity.grade == filters.grade)
    if filters.location:
        like = f"%{filters.location.lower()}%"
        conditions.append(or_(func.lower(Opportunity.location).like(like),
                              func.lower(Opportunity.country).like(like)))
    if filters.max_months:
        conditions.append(Opportunity.duration_months <= filters.max_months)
    if filters.part_time:
        conditions.append(Opportunity.working_pattern == WorkingPattern.PART_TIME)
    if filters.closing_within_days is not None:
        conditions.append(
            Opportunity.closing_date <= today + timedelta(days=filters.closing_within_days))
    return conditions


def board(filters: BoardFilters, today: date | None = None) -> ResultPage:
    """Open opportunities advertised to staff: two queries whatever the number of rows."""
    today = today or london_today()
    conditions = _board_conditions(filters, today)
    total = db.session.scalar(select(func.count(Opportunity.id)).where(*conditions))
    order = ([Opportunity.published_at.desc(), Opportunity.id.desc()]
             if filters.sort == "newest"
             else [Opportunity.closing_date.asc(), Opportunity.id.asc()])
    page = max(1, filters.page)
    items = db.session.scalars(
        select(Opportunity).where(*conditions)
        .options(joinedload(Opportunity.offering_department),
                 joinedload(Opportunity.host_organisation))
        .order_by(*order).limit(PER_PAGE).offset((page - 1) * PER_PAGE)
    ).all()
    return ResultPage(items=list(items), total=total or 0, page=page, per_page=PER_PAGE)


def managed_by(user, *, named_only: bool = False, page: int = 1) -> ResultPage:
    """Opportunities this person looks after (People Services: all of them), any state."""
    conditions = []
    if not user.can(Permission.MANAGE_ANY_OPPORTUNITY):
        conditions.append(Opportunity.created_by_id == user.id)
    if named_only:
        conditions.append(Opportunity.audience == Audience.NAMED_REQUEST)
    total = db.session.scalar(select(func.count(Opportunity.id)).where(*conditions))
    items = db.session.scalars(
        select(Opportunity).where(*conditions)
        .options(joinedload(Opportunity.offering_department),
                 joinedload(Opportunity.host_organisation),
                 joinedload(Opportunity.business_case))
        .order_by(Opportunity.created_at.desc(), Opportunity.id.desc())
        .limit(PER_PAGE).offset((max(1, page) - 1) * PER_PAGE)
    ).all()
    return ResultPage(items=list(items), total=total or 0, page=max(1, page), per_page=PER_PAGE)


def managed_counts(user) -> dict[str, int]:
    """How many opportunities this person looks after, by state."""
    query = select(Opportunity.status, func.count(Opportunity.id)).group_by(Opportunity.status)
    if not user.can(Permission.MANAGE_ANY_OPPORTUNITY):
        query = query.where(Opportunity.created_by_id == user.id)
    return dict(db.session.execute(query).all())


def cases_awaiting_decision(user) -> list[Opportunity]:
    """Business cases waiting for the Resources Board, that this member may decide."""
    rows = db.session.scalars(
        select(Opportunity).where(Opportunity.status == S.AWAITING_APPROVAL)
        .options(joinedload(Opportunity.business_case),
                 joinedload(Opportunity.offering_department),
                 joinedload(Opportunity.host_organisation))
        .order_by(Opportunity.id)
    ).all()
    return [o for o in rows if o.business_case and o.business_case.status == CaseStatus.SUBMITTED
            and may_decide_case(user, o)]


def feed_items(limit: int = 50, today: date | None = None) -> list[Opportunity]:
    """Open opportunities advertised to all staff, newest first, for the intranet feeds."""
    today = today or london_today()
    return list(db.session.scalars(
        select(Opportunity).where(
            Opportunity.status == S.PUBLISHED,
            Opportunity.audience == Audience.ALL_STAFF,
            Opportunity.closing_date >= today,
        ).order_by(Opportunity.published_at.desc(), Opportunity.id.desc()).limit(limit)
    ))


def filter_choices() -> dict:
    """Departments, host organisations and grades that appear on the board."""
    today = london_today()
    base = [Opportunity.status == S.PUBLISHED, Opportunity.audience != Audience.NAMED_REQUEST,
            Opportunity.closing_date >= today]
    from portal.models import Organisation

    departments = db.session.execute(
        select(Department.id, Department.name).join(
            Opportunity, Opportunity.offering_department_id == Department.id)
        .where(*base).distinct().order_by(Department.name)).all()
    hosts = db.session.execute(
        select(Organisation.id, Organisation.name).join(
            Opportunity, Opportunity.host_organisation_id == Organisation.id)
        .where(*base).distinct().order_by(Organisation.name)).all()
    grades = db.session.scalars(
        select(Opportunity.grade).where(*base).distinct().order_by(Opportunity.grade)).all()
    return {"departments": departments, "hosts": hosts, "grades": [g for g in grades if g]}


