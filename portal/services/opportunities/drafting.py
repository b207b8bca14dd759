"""Drafting an opportunity as a task list: its question pages, the business case the
Resources Board decides where one is needed (R6, R3), and publishing, each with where
it stands: not started, in progress, completed, or cannot start yet.
"""

from dataclasses import dataclass
from enum import StrEnum

from portal.models.opportunities import CaseStatus, Opportunity, OpportunityKind
from portal.services.opportunities.rules import (
    EDITABLE_FIELDS,
    REQUIRED,
    board_approval_reasons,
    london_today,
    publication_problems,
    rule_problems,
)

K = OpportunityKind

# The question pages in order: (key, title, the answers that show it was started).
SECTIONS = [
    ("details", "Describe the opportunity", ("title", "summary", "description")),
    ("where", "Where is it?", ("location", "host_organisation_id")),
    ("terms", "Grade, hours and duration", ("grade", "start_date", "duration_months")),
    ("money", "Who pays?", ("salary_paid_by", "expenses_paid_by")),
    ("audience", "Who can apply?", ("skills_sought", "eligibility")),
    ("closing", "Closing date and contact", ("closing_date",)),
]
SECTION_TITLES = {key: title for key, title, _started in SECTIONS}

# Which page asks each question, for the problems found across the whole draft.
SECTION_OF = {
    "title": "details", "summary": "details", "description": "details",
    "offering_department_id": "where", "host_organisation_id": "where",
    "location": "where", "country": "where",
    "grade": "terms", "acting_up": "terms", "working_pattern": "terms",
    "hours_detail": "terms", "start_date": "terms", "duration_months": "terms",
    "duration_reason": "terms",
    "salary_paid_by": "money", "expenses_paid_by": "money", "extra_cost": "money",
    "audience": "audience", "restriction_justification": "audience",
    "pool_grades": "audience", "publicity_assessment": "audience",
    "requested_person_id": "audience", "skills_sought": "audience",
    "eligibility": "audience", "incoming_not_contractor": "audience",
    "incoming_not_permanent_cover": "audience",
    "closing_date": "closing", "contact_id": "closing",
}


class TaskStatus(StrEnum):
    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"
    CANNOT_START = "cannot_start"
    WITH_THE_BOARD = "with_the_board"
    REJECTED = "rejected"

    @property
    def label(self) -> str:
        return {
            "not_started": "Not started",
            "in_progress": "In progress",
            "completed": "Completed",
            "cannot_start": "Cannot start yet",
            "with_the_board": "With the Resources Board",
            "rejected": "Rejected",
        }[self.value]

    @property
    def done(self) -> bool:
        return self == TaskStatus.COMPLETED

    @property
    def cannot_start(self) -> bool:
        return self == TaskStatus.CANNOT_START


@dataclass(frozen=True)
class Task:
    key: str            # a question page's key, or "business_case" or "publish"
    title: str
    status: TaskStatus
    may_open: bool      # the person may go to it now
    hint: str = ""


def section_problems(opportunity: Opportunity) -> dict[str, list[str]]:
    """What is missing or wrong in each question page, found across the whole draft."""
    fields = {f: getattr(opportunity, f) for f in EDITABLE_FIELDS}
    found: dict[str, list[str]] = {key: [] for key in SECTION_TITLES}
    for field, message in REQUIRED:
        if fields.get(field) in (None, ""):
            found[SECTION_OF[field]].append(message)
    if opportunity.kind in (K.INTERNAL, K.SHORTER_TERM, K.INFORMAL) and \
            not opportunity.offering_department_id:
        found["where"].append("Select the offering department")
    for field, message in rule_problems(fields, london_today()):
        found[SECTION_OF.get(field, "details")].append(message)
    return {key: list(dict.fromkeys(messages)) for key, messages in found.items()}


def drafting_tasks(opportunity: Opportunity, actions: list[str]) -> list[Task]:
    """The task list of a draft, for the person whose allowed actions are `actions`
    (asked of the workflow): its pages open to them only while the draft may be
    changed."""
    editable = "edit" in actions
    problems = section_problems(opportunity)
    tasks = []
    for key, title, started_by in SECTIONS:
        if not problems[key]:
            status = TaskStatus.COMPLETED
        elif any(getattr(opportunity, f) not in (None, "") for f in started_by):
            status = TaskStatus.IN_PROGRESS
        else:
            status = TaskStatus.NOT_STARTED
        tasks.append(Task(key, title, status, editable))
    answered = all(task.status.done for task in tasks)
    if board_approval_reasons(opportunity):
        tasks.append(_business_case_task(opportunity, actions, answered))
        answered = answered and tasks[-1].status.done
    tasks.append(_publish_task(opportunity, actions, answered))
    return tasks


def _business_case_task(opportunity: Opportunity, actions: list[str], answered: bool
                        ) -> Task:
    title = "Business case for the Resources Board"
    case = opportunity.business_case
    may_send = "submit_case" in actions and answered
    if case is not None and case.status == CaseStatus.APPROVED:
        return Task("business_case", title, TaskStatus.COMPLETED, False, "Approved")
    if case is not None and case.status == CaseStatus.SUBMITTED:
        return Task("business_case", title, TaskStatus.WITH_THE_BOARD, False)
    if case is not None:
        return Task("business_case", title, TaskStatus.REJECTED, may_send,
                    "Change the draft or the case if needed, then send it again")
    if not answered:
        return Task("business_case", title, TaskStatus.CANNOT_START, False,
                    "Complete the questions first")
    return Task("business_case", title, TaskStatus.NOT_STARTED, may_send)


def _publish_task(opportunity: Opportunity, actions: list[str], ready: bool) -> Task:
    if opportunity.published_at is not None:
        return Task("publish", "Publish", TaskStatus.COMPLETED, False, "Published")
    if not ready or publication_problems(opportunity):
        return Task("publish", "Publish", TaskStatus.CANNOT_START, False,
                    "Complete the tasks above first")
    return Task("publish", "Publish", TaskStatus.NOT_STARTED, "publish" in actions)
