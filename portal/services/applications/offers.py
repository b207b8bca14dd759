"""The date an offer is to be answered by, and what happens when it passes.

An offer is answered by a date fixed when it is made: OFFER_REPLY_DAYS calendar days
later, counted like the time to appeal, and shown as a date wherever the offer is, so
that nobody counts days. The date is a prompt, not a lock: the applicant may still answer
after it, until the hiring side withdraws the offer, which they may do only once the date
has passed (someone off sick for a week keeps their offer unless a person decides
otherwise). When it passes the hiring side is told once (`tell_about_overdue_offers`,
run daily by `flask send-offer-reminders`) and their list shows the offer as overdue.
"""

from datetime import date, timedelta

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from portal import notifications
from portal.extensions import db
from portal.formatting import long_date
from portal.models import Opportunity
from portal.models.applications import Application, ApplicationStatus
from portal.models.outbox import OutboxMessage
from portal.services.applications.rules import _link, _transition
from portal.services.opportunities import london_today
from portal.urls import external_url
from portal.workflow import APPLICATION

A = ApplicationStatus


def reply_by_for(offered_on: date) -> date:
    """The last day to answer an offer made on `offered_on` (UK date)."""
    return offered_on + timedelta(days=current_app.config["OFFER_REPLY_DAYS"])


def reply_overdue(application: Application, today: date | None = None) -> bool:
    """An offer still unanswered after its reply-by date."""
    return (application.status == A.OFFERED and application.offer_reply_by is not None
            and (today or london_today()) > application.offer_reply_by)


@APPLICATION.guard("withdraw_offer")
def _reply_by_date_passed(application: Application, action: str) -> list[str]:
    # An offer made before offers had a date to answer by promised no time to answer.
    if application.offer_reply_by is None or reply_overdue(application):
        return []
    return [f"The applicant has until {long_date(application.offer_reply_by)} to answer "
            "the offer"]


def withdraw_offer(application: Application, selector, *,
                   expected_version: int | None = None) -> None:
    """The hiring side withdraws an offer left unanswered past its reply-by date; the
    applicant is told and the application ends as unsuccessful."""
    _transition(application, "withdraw_offer", selector, tell=lambda: notifications.send(
        [application.applicant], "offer_withdrawn", about=application,
        application=application, link=_link(application)),
        expected_version=expected_version)


def overdue_offers(today: date | None = None) -> list[Application]:
    """Every offer still unanswered after its reply-by date, the longest overdue first."""
    return list(db.session.scalars(
        select(Application).where(Application.status == A.OFFERED,
                                  Application.offer_reply_by < (today or london_today()))
        .options(joinedload(Application.applicant),
                 joinedload(Application.opportunity).joinedload(Opportunity.contact),
                 joinedload(Application.opportunity).joinedload(Opportunity.created_by))
        .order_by(Application.offer_reply_by, Application.id)).unique())


def tell_about_overdue_offers(today: date | None = None) -> int:
    """Tell the hiring side of each offer whose reply-by date has passed: the
    opportunity's contact (or, without one, whoever created it) and People Services.
    Each offer is told once however often this runs (the outbox keeps one message per
    offer as made); returns how many were told this time."""
    queued = 0
    for application in overdue_offers(today):
        opportunity = application.opportunity
        before = _queued_now()
        notifications.send(
            [opportunity.contact or opportunity.created_by,
             current_app.config["PEOPLE_SERVICES_EMAIL"]],
            "offer_reply_overdue", about=application, application=application,
            link=external_url("selection.list_candidates", opportunity_id=opportunity.id))
        queued += _queued_now() > before
    db.session.commit()
    return queued


def _queued_now() -> int:
    return sum(isinstance(m, OutboxMessage) for m in db.session.new)
