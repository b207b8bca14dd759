"""Offers and their date to answer by; what waits on an applicant; the decisions a
manager or head has taken."""

from datetime import date, datetime, timedelta

import pytest
import time_machine
from sqlalchemy import select

from portal.config import Config, ConfigurationError
from portal.extensions import db
from portal.formatting import LONDON, long_date
from portal.models import OutboxMessage
from portal.models.applications import ApplicationStatus
from portal.permissions import Role
from portal.services import applications as service
from portal.services.opportunities import london_today
from portal.workflow import TransitionRefused
from tests.factories import make_department, make_opportunity, make_user

A = ApplicationStatus
ANSWERS = dict(motivation="I want to learn.", evidence="Five years of GIS.",
               learning_objectives="Lead a project.", cover_plan="Colleague covers.",
               discussed_with_manager=True, has_conflict=False)


@pytest.fixture
def people(app):
    head = make_user("Dana Head", roles=[Role.STAFF])
    department = make_department("Planning", head=head)
    head.department = department
    manager = make_user("Mo Manager", department=department, line_manager=head)
    applicant = make_user("Ann Applicant", department=department, line_manager=manager)
    officer = make_user("Pat People", roles=[Role.STAFF, Role.PEOPLE_SERVICES])
    contact = make_user("Cal Contact")
    db.session.commit()
    return dict(head=head, manager=manager, applicant=applicant, officer=officer,
                contact=contact)


def opportunity_for(people, title="GIS analyst", closes_in=30):
    opportunity = make_opportunity(people["officer"], publish=True, title=title)
    opportunity.contact_id = people["contact"].id
    opportunity.closing_date = london_today() + timedelta(days=closes_in)
    db.session.commit()
    return opportunity


def submitted(people, opportunity):
    application = service.start_application(people["applicant"], opportunity)
    service.save_draft(application, people["applicant"], ANSWERS)
    service.submit(application, people["applicant"])
    return application


def released(people, opportunity):
    application = submitted(people, opportunity)
    service.decide_endorsement(application, people["manager"], support=True)
    service.decide_release(application, people["head"], approve=True)
    return application


def offered(people, opportunity):
    application = released(people, opportunity)
    service.shortlist(application, people["officer"], include=True)
    service.fix_shortlist(opportunity, people["officer"])
    service.make_offer(application, people["officer"], "Six months, Band 6.")
    return application


def days_later(days: int):
    return time_machine.travel(datetime.now(LONDON) + timedelta(days=days), tick=False)


# --- the date to answer by ------------------------------------------------------------------

def test_the_reply_by_date_is_offer_reply_days_calendar_days_after_the_offer(app, people):
    app.config["OFFER_REPLY_DAYS"] = 7
    application = offered(people, opportunity_for(people))
    assert application.offer_reply_by == london_today() + timedelta(days=7)
    assert service.reply_by_for(date(2026, 12, 24)) == date(2026, 12, 31)


def test_the_offer_e_mail_gives_the_date_to_answer_by(people):
    application = offered(people, opportunity_for(people))
    message = db.session.scalar(select(OutboxMessage).where(
        OutboxMessage.template == "offer_made"))
    assert f"by {long_date(application.offer_reply_by)}" in message.body
    assert message.recipients == people["applicant"].email


@pytest.mark.parametrize("days", ["0", "-3", "ten"])
def test_offer_reply_days_must_be_a_positive_number(days):
    with pytest.raises((ConfigurationError, ValueError)):
        Config({"PORTAL_ENV": "test", "OFFER_REPLY_DAYS": days})


def test_the_default_is_ten_days():
    assert Config({"PORTAL_ENV": "test"}).OFFER_REPLY_DAYS == 10


def test_an_offer_is_overdue_only_after_its_date(app, people):
    application = offered(people, opportunity_for(people))
    days = app.config["OFFER_REPLY_DAYS"]
    assert not service.reply_overdue(application)
    assert not service.reply_overdue(application, application.offer_reply_by)
    assert service.reply_overdue(application, application.offer_reply_by + timedelta(days=1))
    assert service.overdue_offers(london_today() + timedelta(days=days)) == []
    assert service.overdue_offers(london_today() + timedelta(days=days + 1)) == [application]


def test_the_applicant_can_still_accept_after_the_date(app, people):
    application = offered(people, opportunity_for(people))
    with days_later(app.config["OFFER_REPLY_DAYS"] + 3):
        assert service.reply_overdue(application)
        service.answer_offer(application, people["applicant"], accept=True)
    assert application.status == A.ACCEPTED


def test_the_offer_cannot_be_withdrawn_before_its_date(app, people):
    application = offered(people, opportunity_for(people))
    with pytest.raises(TransitionRefused) as refused:
        service.withdraw_offer(application, people["contact"])
    assert refused.value.problems == [
        f"The applicant has until {long_date(application.offer_reply_by)} to answer the offer"]
    db.session.rollback()
    assert application.status == A.OFFERED


def test_once_withdrawn_after_its_date_the_offer_can_no_longer_be_accepted(app, people):
    application = offered(people, opportunity_for(people))
    with days_later(app.config["OFFER_REPLY_DAYS"] + 1):
        with pytest.raises(PermissionError):  # not the hiring side
            service.withdraw_offer(application, people["manager"])
        service.withdraw_offer(application, people["contact"])
        assert application.status == A.UNSUCCESSFUL
        with pytest.raises(TransitionRefused):
            service.answer_offer(application, people["applicant"], accept=True)
    told = db.session.scalar(select(OutboxMessage).where(
        OutboxMessage.template == "offer_withdrawn"))
    assert told.recipients == people["applicant"].email
    assert "has been withdrawn" in told.body


def test_the_hiring_side_is_told_of_an_overdue_offer_once(app, people):
    application = offered(people, opportunity_for(people))
    days = app.config["OFFER_REPLY_DAYS"]
    assert service.tell_about_overdue_offers(london_today() + timedelta(days=days)) == 0
    later = london_today() + timedelta(days=days + 1)
    assert service.tell_about_overdue_offers(later) == 1
    assert service.tell_about_overdue_offers(later) == 0
    assert service.tell_about_overdue_offers(later + timedelta(days=1)) == 0
    messages = db.session.scalars(select(OutboxMessage).where(
        OutboxMessage.template == "offer_reply_overdue")).all()
    assert len(messages) == 1
    assert set(messages[0].recipient_list) == {people["contact"].email,
                                               app.config["PEOPLE_SERVICES_EMAIL"]}
    assert application.reference in messages[0].subject
    assert "They can still accept or decline it" in messages[0].body


def test_an_answered_offer_is_not_told_about(app, people):
    application = offered(people, opportunity_for(people))
    service.answer_offer(application, people["applicant"], accept=False)
    later = london_today() + timedelta(days=app.config["OFFER_REPLY_DAYS"] + 1)
    assert service.tell_about_overdue_offers(later) == 0


def test_the_daily_command_tells_once(app, people):
    offered(people, opportunity_for(people))
    runner = app.test_cli_runner()
    with days_later(app.config["OFFER_REPLY_DAYS"] + 1):
        first = runner.invoke(args=["send-offer-reminders"])
        second = runner.invoke(args=["send-offer-reminders"])
    assert first.exit_code == 0 and "1 newly told" in first.output
    assert second.exit_code == 0 and "0 newly told" in second.output


# --- what waits on an applicant ------------------------------------------------------------

def test_offers_appeals_in_time_and_open_drafts_wait_nearest_deadline_first(app, people):
    offer = offered(people, opportunity_for(people, "Offered role"))
    refused = submitted(people, opportunity_for(people, "Refused role"))
    service.decide_endorsement(refused, people["manager"], support=False,
                               grounds=["cover"], rationale="No cover.")
    draft = service.start_application(people["applicant"],
                                      opportunity_for(people, "Draft role", closes_in=4))
    closed_draft = service.start_application(
        people["applicant"], opportunity_for(people, "Closed role", closes_in=1))
    submitted(people, opportunity_for(people, "Waiting role"))  # waits on the manager

    with days_later(2):
        waiting = service.waiting_on_applicant(people["applicant"])
        assert [(w.kind, w.application) for w in waiting] == [
            ("draft", draft), ("offer", offer), ("appeal", refused)]
        assert waiting[0].due == draft.opportunity.closing_date
        assert waiting[1].due == offer.offer_reply_by
        assert closed_draft not in [w.application for w in waiting]

    app.config["APPEAL_DAYS"] = 0  # the time to appeal has passed
    assert "appeal" not in [w.kind for w in service.waiting_on_applicant(people["applicant"])]


# --- decisions taken -------------------------------------------------------------------------

def test_a_manager_lists_the_decisions_they_took_newest_first(people):
    first = submitted(people, opportunity_for(people, "First"))
    second = submitted(people, opportunity_for(people, "Second"))
    supported = service.decide_endorsement(first, people["manager"], support=True)
    with days_later(1):
        refused = service.decide_endorsement(second, people["manager"], support=False,
                                             grounds=["skills"], rationale="Not yet.")
    released_by_head = service.decide_release(first, people["head"], approve=True)

    taken = service.decisions_taken_by(people["manager"])
    assert taken.items == [refused, supported] and taken.total == 2
    assert service.decisions_taken_by(people["head"]).items == [released_by_head]
    assert service.decisions_taken_by(people["applicant"]).total == 0
