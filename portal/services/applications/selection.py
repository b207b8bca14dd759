"""Selection and offers: shortlisting (anonymised until fixed), assessment, the offer
and its answer, withdrawal, and closing what remains when an opportunity is filled."""

from flask import current_app
from sqlalchemy import func, select

from portal import notifications
from portal.extensions import db
from portal.models import Opportunity
from portal.models.applications import (
    Application,
    ApplicationStatus,
)
from portal.models.base import utcnow
from portal.services.applications.offers import reply_by_for
from portal.services.applications.rules import _link, _transition
from portal.services.errors import RuleError
from portal.services.opportunities import london_today
from portal.workflow import (
    APPLICATION,
    OPPORTUNITY,
    check,
    transition,
)

A = ApplicationStatus


# --- selection -----------------------------------------------------------------------

def shortlist_fixed(opportunity: Opportunity) -> bool:
    return opportunity.shortlist_fixed_at is not None


def names_hidden(opportunity: Opportunity) -> bool:
    """Anonymised shortlisting: names and personal details stay hidden until the
    shortlist is fixed."""
    return opportunity.anonymise_shortlisting and not shortlist_fixed(opportunity)


@APPLICATION.guard("shortlist", "reject")
def _shortlist_open(application: Application, action: str) -> list[str]:
    """Candidates are shortlisted or not until the shortlist is fixed, then it stands."""
    if shortlist_fixed(application.opportunity):
        return ["The shortlist is fixed"]
    return []


@APPLICATION.guard("offer", "record_assessment")
def _shortlist_fixed_before_offers(application: Application, action: str) -> list[str]:
    # Assessments and offers wait for the fixed shortlist whether or not names were
    # hidden: until then some candidates may still be waiting for a shortlisting decision.
    if shortlist_fixed(application.opportunity):
        return []
    if action == "offer":
        return ["Fix the shortlist before making an offer"]
    return ["Fix the shortlist before recording the outcome of an assessment"]


def shortlist(application: Application, selector, *, include: bool,
              expected_version: int | None = None) -> None:
    _transition(application, "shortlist" if include else "reject", selector,
                tell=None if include else lambda: tell_unsuccessful([application]),
                expected_version=expected_version)


@OPPORTUNITY.guard("fix_shortlist")
def _every_candidate_decided(opportunity: Opportunity, action: str) -> list[str]:
    if shortlist_fixed(opportunity):
        return ["The shortlist is already fixed"]
    waiting = db.session.scalar(select(func.count(Application.id)).where(
        Application.opportunity_id == opportunity.id, Application.status == A.RELEASED))
    if waiting:
        return [f"{waiting} released application{'s' if waiting != 1 else ''} "
                f"still need{'' if waiting != 1 else 's'} a decision: shortlist or do not "
                "shortlist each one before fixing the shortlist"]
    return []


def fix_shortlist(opportunity: Opportunity, selector) -> None:
    """Fix the shortlist: from now on names are shown and offers can be made."""
    transition(OPPORTUNITY, opportunity, "fix_shortlist", selector, commit=False)
    opportunity.shortlist_fixed_at = utcnow()
    db.session.commit()


def _may_take(application: Application, action: str, user, expected_version) -> None:
    """Refuse before anything on the application is changed, so that a refused
    outcome or offer never lingers in the session."""
    check(APPLICATION, application, action, user, expected_version=expected_version)


def record_assessment(application: Application, selector, outcome: str, *,
                      expected_version: int | None = None) -> None:
    _may_take(application, "record_assessment", selector, expected_version)
    if not outcome.strip():
        raise RuleError({"outcome": "Enter the outcome of the assessment"})
    application.assessment_outcome = outcome.strip()
    _transition(application, "record_assessment", selector, outcome.strip())


def make_offer(application: Application, selector, terms: str, *,
               expected_version: int | None = None) -> None:
    _may_take(application, "offer", selector, expected_version)  # guard: shortlist fixed
    if not terms.strip():
        raise RuleError({"terms": "Enter the terms of the offer"})
    application.offer_terms = terms.strip()
    application.offer_reply_by = reply_by_for(london_today())
    _transition(application, "offer", selector, terms.strip(), lambda: notifications.send(
        [application.applicant], "offer_made", about=application, application=application,
        link=_link(application)))


def answer_offer(application: Application, applicant, *, accept: bool,
                 expected_version: int | None = None) -> None:
    _transition(application, "accept" if accept else "decline", applicant,
                tell=lambda: notifications.send(
                    [application.opportunity.contact,
                     current_app.config["PEOPLE_SERVICES_EMAIL"]],
                    "offer_answered", about=application, application=application,
                    answer="accepted" if accept else "declined"),
                expected_version=expected_version)


def withdraw(application: Application, applicant, *, expected_version: int | None = None,
             reason: str = "") -> None:
    """The applicant withdraws, at any time until they accept an offer."""
    _transition(application, "withdraw", applicant, reason.strip(), lambda: notifications.send(
        [application.line_manager], "application_withdrawn", about=application,
        application=application), expected_version=expected_version)


@OPPORTUNITY.effect("mark_filled")
def close_remaining(opportunity: Opportunity, actor) -> list[Application]:
    """When an opportunity is filled, everyone still in the running becomes
    unsuccessful and is told; the caller commits it with the opportunity's own change."""
    remaining = list(db.session.scalars(select(Application).where(
        Application.opportunity_id == opportunity.id,
        Application.status.in_([A.SUBMITTED, A.ENDORSED, A.RELEASED, A.SHORTLISTED,
                                A.OFFERED]))))
    for application in remaining:
        transition(APPLICATION, application, "close_unsuccessful", actor, commit=False)
    tell_unsuccessful(remaining)
    return remaining


def tell_unsuccessful(applications) -> None:
    """Queue the news for each applicant; the caller commits it with the change."""
    for application in applications:
        notifications.send([application.applicant], "application_unsuccessful",
                           about=application, application=application)
