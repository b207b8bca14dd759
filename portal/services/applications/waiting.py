"""What waits on a person from their applications and their decisions, for their home
page and their lists: the applicant's offers to answer, refusals they may still appeal
and drafts they can still submit, each with its deadline; and the decisions a line
manager or head of department has taken."""

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload, selectinload

from portal.extensions import db
from portal.formatting import LONDON
from portal.models.applications import Application, ApplicationStatus, Decision, DecisionStage
from portal.services.applications.decisions import appeal_deadline, appeal_problems
from portal.services.opportunities import is_open
from portal.services.paging import ResultPage

A = ApplicationStatus


@dataclass(frozen=True)
class WaitingOnApplicant:
    application: Application
    # "offer" (to accept or decline), "appeal" (a refusal they may appeal) or "draft"
    # (an application to finish and submit)
    kind: str
    due: date | None   # the last day to do it, UK date


def waiting_on_applicant(person) -> list[WaitingOnApplicant]:
    """Everything waiting on `person` as an applicant, the nearest deadline first:
    offers to answer (overdue ones too: they can still answer), refusals still in the
    time to appeal, drafts whose opportunity is still open. Two queries, however many
    applications the person has."""
    rows = db.session.scalars(
        select(Application)
        .where(Application.applicant_id == person.id,
               Application.status.in_([A.OFFERED, A.REFUSED, A.DRAFT]))
        .options(joinedload(Application.opportunity), selectinload(Application.decisions))
    ).unique().all()
    waiting = []
    for application in rows:
        if application.status == A.OFFERED:
            waiting.append(WaitingOnApplicant(application, "offer",
                                              application.offer_reply_by))
        elif application.status == A.REFUSED and not appeal_problems(application):
            waiting.append(WaitingOnApplicant(
                application, "appeal", appeal_deadline(application).astimezone(LONDON).date()))
        elif application.status == A.DRAFT and is_open(application.opportunity):
            waiting.append(WaitingOnApplicant(application, "draft",
                                              application.opportunity.closing_date))
    return sorted(waiting, key=lambda w: (w.due is None, w.due or date.min,
                                          w.application.id))


# The decisions a line manager or head of department takes themselves.
DECIDERS_STAGES = (DecisionStage.LINE_MANAGER, DecisionStage.HEAD_OF_DEPARTMENT)
PER_PAGE = 25


def decisions_taken_by(person, page: int = 1) -> ResultPage:
    """The endorsements and releases `person` decided, the newest first, a page at a
    time: two queries whatever the number (the count, then the page with its
    application and opportunity)."""
    where = (Decision.decided_by_id == person.id, Decision.stage.in_(DECIDERS_STAGES))
    total = db.session.scalar(select(func.count(Decision.id)).where(*where)) or 0
    pages = max(1, -(-total // PER_PAGE))
    page = min(max(1, page), pages)
    items = db.session.scalars(
        select(Decision).where(*where)
        .options(joinedload(Decision.application).joinedload(Application.opportunity),
                 joinedload(Decision.application).joinedload(Application.applicant))
        .order_by(Decision.decided_at.desc(), Decision.id.desc())
        .limit(PER_PAGE).offset((page - 1) * PER_PAGE)).unique().all()
    return ResultPage(items=list(items), total=total, page=page, per_page=PER_PAGE)
