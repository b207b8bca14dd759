"""Applying (R4): starting, saving and submitting an application, and the optional
equality answers kept apart from it (R13, 001 §4)."""

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from portal import notifications
from portal.extensions import db
from portal.models import Opportunity
from portal.models.applications import (
    EQUALITY_FIELDS,
    Application,
    ApplicationStatus,
    ConflictDeclaration,
    EqualityResponse,
)
from portal.models.base import utcnow
from portal.models.opportunities import Audience
from portal.services import audit
from portal.services import opportunities as opportunity_rules
from portal.services.applications.rules import _link, _transition
from portal.workflow import APPLICATION, TransitionRefused, check

A = ApplicationStatus

DRAFT_FIELDS = {"motivation", "evidence", "learning_objectives", "cover_plan",
                "discussed_with_manager", "has_conflict", "conflict_details"}

# --- applying -------------------------------------------------------------------------

def apply_problems(user, opportunity: Opportunity) -> list[str]:
    """Why this person cannot apply for this opportunity now, in words (empty if they can)."""
    problems = []
    if not opportunity_rules.is_open(opportunity):
        problems.append("This opportunity is closed: its closing date has passed")
    if opportunity.audience == Audience.NAMED_REQUEST:
        problems.append("This opportunity is not open to applications")
    if opportunity.audience == Audience.RESTRICTED_POOL and (
            (user.grade or "").strip().lower()
            not in {g.lower() for g in opportunity.pool_grade_list}):
        problems.append("This opportunity is open only to a restricted pool ("
                        + ", ".join(opportunity.pool_grade_list) + "), and your grade is "
                        + (user.grade or "not recorded"))
    if opportunity.created_by_id == user.id:
        problems.append("You cannot apply for an opportunity you look after")
    if opportunity.kind == "incoming":
        problems.append("Incoming secondments are filled by people from the sending "
                        "organisation, not by applications from staff")
    return problems


def existing_application(user, opportunity: Opportunity) -> Application | None:
    return db.session.scalar(select(Application).where(
        Application.opportunity_id == opportunity.id, Application.applicant_id == user.id))


def start_application(user, opportunity: Opportunity) -> Application:
    """The person's application for this opportunity: their draft if they have one.

    A second click, or two at once, never makes a second application (a unique
    constraint backs this up)."""
    existing = existing_application(user, opportunity)
    if existing is not None:
        return existing
    problems = apply_problems(user, opportunity)
    if problems:
        raise TransitionRefused(problems)
    application = Application(opportunity_id=opportunity.id, applicant_id=user.id)
    db.session.add(application)
    try:
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
        return existing_application(user, opportunity)
    audit.record("application.started", actor=user, obj=application,
                 summary=f"for opportunity {opportunity.id}")
    db.session.commit()
    return application


def save_draft(application: Application, user, changes: dict, *,
               expected_version: int | None = None) -> None:
    check(APPLICATION, application, "edit", user, expected_version=expected_version)
    unknown = set(changes) - DRAFT_FIELDS
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    changed = [k for k, v in changes.items() if getattr(application, k) != v]
    if not changed:
        return
    for key in changed:
        setattr(application, key, changes[key])
    audit.record("application.saved", actor=user, obj=application)
    db.session.commit()


def delete_draft(application: Application, user, *,
                 expected_version: int | None = None) -> None:
    """An applicant's unsent draft, deleted: nobody else has seen it, so nobody is told,
    and they may start again on the same opportunity while it is open. The audit trail
    keeps that a draft was deleted, not what it said."""
    check(APPLICATION, application, "delete", user, expected_version=expected_version)
    audit.record("application.delete", actor=user, obj=application,
                 summary=f"draft for opportunity {application.opportunity_id} deleted")
    db.session.delete(application)
    db.session.commit()


def submission_errors(answers) -> dict[str, str]:
    """R4 and R8: what the application still needs before it can be submitted, every
    problem at once. `answers` is the application or the answers a page just sent (as
    `save_draft` takes them), so that a page can say everything in one go."""
    def answer(name):
        return answers.get(name) if isinstance(answers, dict) else getattr(answers, name)

    def blank(name) -> bool:
        return not (answer(name) or "").strip()

    errors = {}
    if blank("motivation"):
        errors["motivation"] = "Say why you want this secondment and what you would bring"
    if blank("evidence"):
        errors["evidence"] = "Give evidence against the skills and experience sought"
    if blank("learning_objectives"):
        errors["learning_objectives"] = "Enter your learning objectives"
    if blank("cover_plan"):
        errors["cover_plan"] = "Say how your current work could be covered"
    if not answer("discussed_with_manager"):
        errors["discussed_with_manager"] = (
            "Confirm that you have discussed this with your line manager")
    if answer("has_conflict") is None:
        errors["has_conflict"] = ("Select yes if you have a conflict of interest or a prior "
                                  "connection with the host")
    elif answer("has_conflict") and blank("conflict_details"):
        errors["conflict_details"] = "Describe the conflict of interest or connection"
    return errors


def submit(application: Application, user, *, expected_version: int | None = None) -> None:
    """Submit: the deciders are fixed now, a reference is given, the line manager and
    the applicant are told."""
    check(APPLICATION, application, "submit", user, expected_version=expected_version)
    problems = apply_problems(user, application.opportunity)
    errors = submission_errors(application)
    applicant = application.applicant
    if applicant.line_manager_id is None:
        problems.append("Your line manager is not recorded. Ask People Services to add them "
                        "before you submit")
    department = applicant.department
    head = department.head if department else None
    if head is None:
        problems.append("Your department's head is not recorded. Ask People Services to add "
                        "them before you submit")
    if problems or errors:
        raise TransitionRefused(problems + list(errors.values()))
    application.line_manager_id = applicant.line_manager_id
    # A head of department cannot release themselves: their own line manager, who is
    # above them, decides the release after deciding the endorsement.
    application.head_of_department_id = (head.id if head.id != applicant.id
                                         else applicant.line_manager_id)
    application.submitted_at = utcnow()
    application.reference = f"SEC-{application.submitted_at:%Y}-{application.id:05d}"
    if application.has_conflict:
        db.session.add(ConflictDeclaration(application=application, declared_by_id=user.id,
                                           text=application.conflict_details.strip()))

    def tell():
        notifications.send([applicant], "application_received", about=application,
                           application=application, link=_link(application))
        notifications.send([application.line_manager], "endorsement_requested",
                           about=application, application=application,
                           link=_link(application, "decisions.decide_application"))

    _transition(application, "submit", user, application.reference, tell)


def record_equality_answers(application: Application, user, answers: dict) -> None:
    """Store the optional monitoring answers, apart from the application (R13, 001 §4):
    one row per application, asked once it is sent. Answering again changes that row
    (a question left blank is then unanswered); it never adds a second."""
    if application.applicant_id != user.id or application.status == A.DRAFT:
        raise PermissionError("equality answers")
    values = {k: (answers.get(k) or None) for k in EQUALITY_FIELDS}
    response = _equality_response(application)
    if response is None:
        if not any(values.values()):
            return  # nothing answered: as if skipped
        db.session.add(EqualityResponse(application_id=application.id, **values))
        try:
            db.session.commit()
            return
        except IntegrityError:
            # Sent twice at once: the unique application id let the other in first.
            db.session.rollback()
            response = _equality_response(application)
    for key, value in values.items():
        setattr(response, key, value)
    response.changed_at = utcnow()
    db.session.commit()


def equality_answers(application: Application, user) -> dict[str, str]:
    """The applicant's own answers, to change them; nobody else's page asks for them."""
    if application.applicant_id != user.id:
        raise PermissionError("equality answers")
    response = _equality_response(application)
    if response is None:
        return {}
    return {k: getattr(response, k) for k in EQUALITY_FIELDS if getattr(response, k)}


def _equality_response(application: Application) -> EqualityResponse | None:
    return db.session.scalar(select(EqualityResponse).where(
        EqualityResponse.application_id == application.id))
