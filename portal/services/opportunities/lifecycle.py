"""An opportunity's life: drafted page by page, published, extended, closed early,
withdrawn or filled. Every change of state goes through the workflow engine, which
checks the table, the person and the version, writes the audit event and commits.
"""

from datetime import date, timedelta

from portal.extensions import db
from portal.formatting import long_date
from portal.models import User
from portal.models.base import utcnow
from portal.models.opportunities import Audience, Opportunity, OpportunityKind
from portal.models.opportunities import OpportunityStatus as S
from portal.roles import Permission
from portal.services import audit, people
from portal.services.errors import RuleError
from portal.services.grades import grade_errors, in_list_order
from portal.services.opportunities.access import may_create
from portal.services.opportunities.rules import (
    EDITABLE_FIELDS,
    FIELD_LABELS,
    london_today,
    publication_problems,
    section_errors,
)
from portal.workflow import OPPORTUNITY, TransitionRefused, check, transition


def _transition(opportunity: Opportunity, action: str, actor: User, summary: str = ""):
    """The engine's transition: the caller's changes and the audit row commit together."""
    transition(OPPORTUNITY, opportunity, action, actor, details=summary)


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
    check(OPPORTUNITY, opportunity, "edit", actor, expected_version=expected_version)
    changes, errors = _resolved(actor, opportunity, changes)
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


def draft_errors(opportunity: Opportunity, actor: User, changes: dict) -> dict[str, str]:
    """Every rule a page's answers break, judged with the rest of the draft, saving
    nothing: asked with the answers that passed the form's own checks too, so that a
    page shows every problem at once rather than one round at a time."""
    return _resolved(actor, opportunity, changes)[1]


def _resolved(actor: User, opportunity: Opportunity, changes: dict) -> tuple[dict, dict]:
    """The changes as columns (people found by e-mail, lists joined) and every error."""
    changes = dict(changes)
    errors = grade_errors(changes, opportunity.grade, opportunity.pool_grade_list)
    if isinstance(changes.get("pool_grades"), list):
        changes["pool_grades"] = ", ".join(in_list_order(changes["pool_grades"]))
    changes, found = _people_by_email(actor, opportunity, changes)
    errors = found | errors
    unknown = set(changes) - EDITABLE_FIELDS
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    rules = section_errors(opportunity, changes) | _department_errors(actor, opportunity,
                                                                      changes)
    for field, message in rules.items():
        errors.setdefault("requested_person_email" if field == "requested_person_id"
                          else field, message)
    return changes, errors


def _people_by_email(actor: User, opportunity: Opportunity, changes: dict
                     ) -> tuple[dict, dict]:
    """The contact, and the person a named request asks for, are named by e-mail
    address: an enabled member of staff of the person's own organisation, whoever they
    are (being the contact is what puts them on the hiring side)."""
    errors = {}
    if "contact_email" in changes:
        contact = people.member_of_staff(changes.pop("contact_email"), actor.organisation_id)
        if contact is None:
            errors["contact_email"] = ("Enter the e-mail address of a member of staff in "
                                       "your organisation")
        else:
            changes["contact_id"] = contact.id
    if "requested_person_email" in changes:
        email = changes.pop("requested_person_email")
        named = changes.get("audience", opportunity.audience) == Audience.NAMED_REQUEST
        person = people.member_of_staff(email, actor.organisation_id) if email else None
        if named and email and person is None:
            errors["requested_person_email"] = ("Enter the e-mail address of a member of "
                                                "staff in your organisation")
        # R1: only a named request names a person; another audience forgets them.
        changes["requested_person_id"] = person.id if named and person else None
    return changes, errors


def _department_errors(actor: User, opportunity: Opportunity, changes: dict) -> dict:
    """A manager drafts only for the department they work in (People Services for any):
    moving a draft elsewhere would let them advertise for a department not theirs."""
    wanted = changes.get("offering_department_id")
    if (wanted is None or actor.can(Permission.MANAGE_ANY_OPPORTUNITY)
            or wanted in (actor.department_id, opportunity.offering_department_id)):
        return {}
    return {"offering_department_id": "Select your own department: managers offer "
                                      "opportunities only in the department they work in"}


def publish(opportunity: Opportunity, actor: User) -> None:
    check(OPPORTUNITY, opportunity, "publish", actor)
    problems = publication_problems(opportunity)
    if problems:
        raise TransitionRefused(problems)
    opportunity.published_at = utcnow()
    _transition(opportunity, "publish", actor)


def extend_closing_date(opportunity: Opportunity, actor: User, new_date: date | None,
                        reason: str) -> None:
    errors = {}
    if new_date is None or opportunity.closing_date is None or new_date <= max(
            opportunity.closing_date, london_today() - timedelta(days=1)):
        errors["closing_date"] = ("New closing date must be after the current one, "
                                  f"{long_date(opportunity.closing_date)}")
    elif opportunity.start_date is not None and new_date >= opportunity.start_date:
        errors["closing_date"] = ("New closing date must be before the start date, "
                                  f"{long_date(opportunity.start_date)}")
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
    """Filled: the engine's effects for this step (registered by the applications
    service) tell everyone else still in the running they were unsuccessful."""
    check(OPPORTUNITY, opportunity, "mark_filled", actor)
    opportunity.updated_after_publication_at = utcnow()
    _transition(opportunity, "mark_filled", actor)
