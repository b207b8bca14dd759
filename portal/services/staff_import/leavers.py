"""People who have left: enabled members of the organisation whom the HR export no
longer has. Listed with the decisions that wait on them (applications with them as line
manager or head of department) and the departments they head, so that People Services
can give those to someone else; disabled, their sessions ended, when the import is asked
to (R8: each with its own audit event, as the back office disables a person)."""

from sqlalchemy import and_, or_, select

from portal.extensions import db
from portal.models import Application, Department, Opportunity, User
from portal.models.applications import ApplicationStatus
from portal.services import audit
from portal.services.sessions import end_all_sessions_of
from portal.services.staff_import.options import ImportOptions
from portal.services.staff_import.results import ImportPlan, Leaver, OpenDecision
from portal.services.staff_import.roster import BATCH, Roster

A = ApplicationStatus


def find_leavers(roster: Roster, own_id: int | None, options: ImportOptions,
                 result: ImportPlan, actor=None) -> None:
    """Count the enabled people of the organisation the file does not have; with
    leavers "disable", list them with what waits on them."""
    if own_id is None:
        return
    disabling = options.leavers == "disable"
    people = db.session.execute(
        select(User.id, User.email, User.name)
        .where(User.organisation_id == own_id, User.is_enabled.is_(True))
        .order_by(User.id), execution_options={"yield_per": 5000})
    for person_id, email, name in people:
        if roster.in_file(email.lower()):
            continue
        result.not_in_file += 1
        if disabling:
            result.leavers.append(Leaver(person_id, name, email))
    if not disabling:
        return
    result.disabled = len(result.leavers)
    if actor is not None and any(leaver.id == actor.id for leaver in result.leavers):
        result.problem(0, f"You ({actor.email}) are not in the file: it would disable your "
                          "own account")
    if options.max_leavers is not None and result.disabled > options.max_leavers:
        result.problem(0, f"{result.disabled:,} people of the organisation are not in the "
                          f"file, more than the {options.max_leavers:,} it may disable: is it "
                          "the whole export?")
    for start in range(0, len(result.leavers), BATCH):
        _what_waits_on(result.leavers[start:start + BATCH])


def _what_waits_on(leavers: list[Leaver]) -> None:
    by_id = {leaver.id: leaver for leaver in leavers}
    ids = list(by_id)
    # The decisions the line manager's and the head's own lists show them (waiting_for).
    waiting = db.session.execute(
        select(Application.id, Application.reference, Application.status,
               Application.line_manager_id, Application.head_of_department_id,
               User.name, Opportunity.title)
        .join(User, User.id == Application.applicant_id)
        .join(Opportunity, Opportunity.id == Application.opportunity_id)
        .where(or_(and_(Application.line_manager_id.in_(ids),
                        Application.status == A.SUBMITTED),
                   and_(Application.head_of_department_id.in_(ids),
                        Application.status == A.ENDORSED)))
        .order_by(Application.submitted_at, Application.id))
    for (application_id, reference, status, manager_id, head_id, applicant,
         opportunity) in waiting:
        status = A(status)
        decider = manager_id if status == A.SUBMITTED else head_id
        by_id[decider].open_decisions.append(OpenDecision(
            application_id, reference, applicant, opportunity, status.decision_asked))
    for head_id, name in db.session.execute(
            select(Department.head_id, Department.name)
            .where(Department.head_id.in_(ids)).order_by(Department.name)):
        by_id[head_id].heads.append(name)


def disable_leavers(leavers: list[Leaver], actor=None) -> None:
    """Disable each leaver and end every session they hold; the caller commits."""
    for start in range(0, len(leavers), BATCH):
        ids = [leaver.id for leaver in leavers[start:start + BATCH]]
        for person in db.session.scalars(select(User).where(User.id.in_(ids))):
            person.is_enabled = False
            audit.record("user.disabled", actor=actor, obj=person,
                         summary="Disabled by the staff import (not in the HR export); "
                                 "every session ended")
        db.session.flush()
        end_all_sessions_of(ids, "disabled")
