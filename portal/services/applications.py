"""Applications: applying (R4), the line manager's endorsement and the head of
department's release, refusals with grounds (R5), appeals, conflicts of interest
(R8), selection and offers, and equality monitoring kept apart (R13).

Every state change goes through `_transition`, which checks the declared table and
the person's right to act, writes the audit event and commits once; e-mail follows
the commit.
"""

from dataclasses import dataclass
from datetime import timedelta

from flask import current_app, render_template
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from portal import notifications
from portal.extensions import db
from portal.models import Opportunity, User
from portal.models.applications import (
    REFUSAL_GROUNDS,
    Appeal,
    Application,
    ApplicationStatus,
    ConflictAction,
    ConflictDeclaration,
    Decision,
    DecisionStage,
    EqualityResponse,
)
from portal.models.base import utcnow
from portal.models.opportunities import Audience
from portal.permissions import Permission
from portal.services import audit, documents
from portal.services import opportunities as opportunity_rules
from portal.services.opportunities import RuleError, StaleRecord, is_selector
from portal.urls import external_url
from portal.workflow import (
    APPLICATION,
    APPLICATION_TRANSITIONS,
    OPPORTUNITY,
    TransitionRefused,
    allowed_actions,
    check,
    find_transition,
    transition,
)

A = ApplicationStatus

DRAFT_FIELDS = {"motivation", "evidence", "learning_objectives", "cover_plan",
                "discussed_with_manager", "has_conflict", "conflict_details"}


# --- who is who on an application -----------------------------------------------------

def may_act(user, application: Application, actor: str) -> bool:
    """Whether `user` is the `actor` the transition table names. Nobody decides on
    their own application."""
    if actor == "applicant":
        return application.applicant_id == user.id
    if application.applicant_id == user.id:
        return False
    if actor == "line_manager":
        return application.line_manager_id == user.id
    if actor == "head":
        return application.head_of_department_id == user.id
    if actor == "selector":
        return is_selector(user, application.opportunity)
    if actor == "people_services":
        # The manager's or head's refusal under appeal, not the officer's own decision
        # that confirms it (which `_transition` sees in the session when it checks again).
        refusals = [d for d in application.decisions if d.outcome == "refused"]
        refused_by = refusals[-1] if refusals else None
        return (user.can(Permission.DECIDE_APPEALS)
                and (refused_by is None or refused_by.decided_by_id != user.id))
    return False


APPLICATION.actors_from(may_act)


def may_view(user, application: Application) -> bool:
    """The applicant, their deciders, the hiring side once released, People Services."""
    if application.applicant_id == user.id:
        return True
    if application.status == A.DRAFT:
        return False
    if user.can(Permission.VIEW_ALL_APPLICATIONS):
        return True
    if user.id in (application.line_manager_id, application.head_of_department_id):
        return True
    reached_selection = application.status in (
        A.RELEASED, A.SHORTLISTED, A.OFFERED, A.ACCEPTED, A.DECLINED, A.UNSUCCESSFUL)
    return reached_selection and is_selector(user, application.opportunity)


def may_read_letter(user, decision: Decision) -> bool:
    """A decision letter is for the people it concerns: the applicant, the deciders of
    the application (line manager, head of department, appeal officer) and People
    Services. Not the hiring side, who may see a released application: a refusal's
    grounds can be personal (a formal procedure)."""
    application = decision.application
    deciders = {d.decided_by_id for d in application.decisions
                if d.stage != DecisionStage.SELECTION}
    readers = deciders | {application.applicant_id, application.line_manager_id,
                          application.head_of_department_id}
    return user.id in readers or user.can(Permission.VIEW_ALL_APPLICATIONS)


def available_actions(user, application: Application) -> list[str]:
    """What this person can do now: the table's actions for this state and actor that
    no guard stops (an appeal out of time, an offer before the shortlist is fixed)."""
    return allowed_actions(APPLICATION, application, user)


def _transition(application: Application, action: str, actor: User, summary: str = "",
                tell=None):
    transition(APPLICATION, application, action, actor, details=summary, tell=tell)


def _check_version(application: Application, expected_version: int | None) -> None:
    if expected_version is not None and expected_version != application.version:
        raise StaleRecord()


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
    find_transition(APPLICATION_TRANSITIONS, application.status, "edit")
    if application.applicant_id != user.id:
        raise PermissionError("edit application")
    _check_version(application, expected_version)
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


def submission_errors(application: Application) -> dict[str, str]:
    """R4 and R8: what the application still needs before it can be submitted."""
    errors = {}
    if not application.motivation.strip():
        errors["motivation"] = "Say why you want this secondment and what you would bring"
    if not application.evidence.strip():
        errors["evidence"] = "Give evidence against the skills and experience sought"
    if not application.learning_objectives.strip():
        errors["learning_objectives"] = "Enter your learning objectives"
    if not application.cover_plan.strip():
        errors["cover_plan"] = "Say how your current work could be covered"
    if not application.discussed_with_manager:
        errors["discussed_with_manager"] = (
            "Confirm that you have discussed this with your line manager")
    if application.has_conflict is None:
        errors["has_conflict"] = ("Select yes if you have a conflict of interest or a prior "
                                  "connection with the host")
    elif application.has_conflict and not application.conflict_details.strip():
        errors["conflict_details"] = "Describe the conflict of interest or connection"
    return errors


def submit(application: Application, user, *, expected_version: int | None = None) -> None:
    """Submit: the deciders are fixed now, a reference is given, the line manager and
    the applicant are told."""
    find_transition(APPLICATION_TRANSITIONS, application.status, "submit")
    if application.applicant_id != user.id:
        raise PermissionError("submit application")
    _check_version(application, expected_version)
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
    """Store the optional monitoring answers, apart from the application (001 §4)."""
    if application.applicant_id != user.id or application.status == A.DRAFT:
        raise PermissionError("equality answers")
    fields = {"age_band", "sex", "ethnic_group", "disability", "sexual_orientation",
              "religion"}
    values = {k: (v or None) for k, v in answers.items() if k in fields}
    if db.session.scalar(select(EqualityResponse.id).where(
            EqualityResponse.application_id == application.id)):
        return  # answered already: the first answers stand
    db.session.add(EqualityResponse(application_id=application.id, **values))
    try:
        db.session.commit()
    except IntegrityError:
        # The same answers sent twice at once: the unique application id lets one row
        # in, and the other is answered as "answered already", like a later double submit.
        db.session.rollback()


# --- decisions in writing (R5) --------------------------------------------------------

def _decide(application: Application, user, *, stage: DecisionStage, approve: bool,
            grounds: list[str], rationale: str, approve_action: str, refuse_action: str,
            expected_version: int | None) -> Decision:
    _check_version(application, expected_version)
    action = approve_action if approve else refuse_action
    step = find_transition(APPLICATION_TRANSITIONS, application.status, action)
    if not may_act(user, application, step.actor):
        raise PermissionError(action)
    errors = {}
    if not approve:
        if not grounds:
            errors["grounds"] = "Select at least one reason for refusing"
        elif any(g not in REFUSAL_GROUNDS for g in grounds):
            errors["grounds"] = "Select reasons from the list"
        if not rationale.strip():
            errors["rationale"] = "Explain the reasons for refusing"
    if errors:
        raise RuleError(errors)
    decision = Decision(application=application, stage=stage,
                        outcome="supported" if approve else "refused",
                        grounds="" if approve else ",".join(grounds),
                        rationale=rationale.strip(), decided_by_id=user.id)
    if stage == DecisionStage.HEAD_OF_DEPARTMENT and approve:
        decision.outcome = "approved"
    db.session.add(decision)
    if not approve:
        application.refused_at_stage = stage
    _transition(application, action, user, rationale.strip(),
                lambda: _tell_about_decision(application, decision))
    return decision


def decide_endorsement(application: Application, manager, *, support: bool,
                       grounds: list[str] = (), rationale: str = "",
                       expected_version: int | None = None) -> Decision:
    """The line manager supports, or refuses on the policy's grounds with a rationale."""
    return _decide(application, manager, stage=DecisionStage.LINE_MANAGER, approve=support,
                   grounds=list(grounds), rationale=rationale, approve_action="support",
                   refuse_action="refuse", expected_version=expected_version)


def decide_release(application: Application, head, *, approve: bool,
                   grounds: list[str] = (), rationale: str = "",
                   expected_version: int | None = None) -> Decision:
    """The head of department approves release, or refuses with grounds (002 §2.3)."""
    return _decide(application, head, stage=DecisionStage.HEAD_OF_DEPARTMENT,
                   approve=approve, grounds=list(grounds), rationale=rationale,
                   approve_action="approve_release", refuse_action="refuse_release",
                   expected_version=expected_version)


def _latest_refusal(application: Application) -> Decision | None:
    refusals = [d for d in application.decisions if d.outcome in ("refused", "upheld")]
    return refusals[-1] if refusals else None


def appeal_deadline(application: Application):
    refusal = _latest_refusal(application)
    return _appeal_by(refusal) if refusal else None


def appeal_problems(application: Application) -> list[str]:
    """Why the applicant cannot appeal now, in words (empty when they can): one appeal
    per refusal, within APPEAL_DAYS of it (001 §5.3)."""
    try:
        find_transition(APPLICATION_TRANSITIONS, application.status, "appeal")
    except TransitionRefused as refused:
        return refused.problems
    refusal = _latest_refusal(application)
    if refusal is None or refusal.outcome != "refused":
        return ["A refusal that was already appealed cannot be appealed again; you may "
                "raise a grievance"]
    if utcnow() > appeal_deadline(application):
        return [f"The time to appeal ({current_app.config['APPEAL_DAYS']} days) has passed; "
                "you may raise a grievance"]
    return []


@APPLICATION.guard("appeal")
def _appeal_in_time(application: Application, action: str) -> list[str]:
    return appeal_problems(application)


def lodge_appeal(application: Application, applicant, grounds: str, *,
                 expected_version: int | None = None) -> Appeal:
    """The applicant appeals a refusal within the configured number of days (001 §5.3)."""
    _check_version(application, expected_version)
    problems = appeal_problems(application)
    if problems:
        raise TransitionRefused(problems)
    refusal = _latest_refusal(application)
    if not grounds.strip():
        raise RuleError({"grounds": "Enter the grounds of your appeal"})
    appeal = Appeal(application=application, refusal_id=refusal.id, grounds=grounds.strip())
    db.session.add(appeal)
    _transition(application, "appeal", applicant, grounds.strip(), lambda: notifications.send(
        [current_app.config["PEOPLE_SERVICES_EMAIL"]], "appeal_lodged", about=application,
        application=application, appeal=appeal,
        link=_link(application, "decisions.decide_appeal")))
    return appeal


def decide_appeal(application: Application, officer, *, overturn: bool, rationale: str,
                  expected_version: int | None = None) -> Decision:
    """A People Services officer who did not refuse decides the appeal, in writing."""
    _check_version(application, expected_version)
    if not rationale.strip():
        raise RuleError({"rationale": "Explain the reasons for the appeal decision"})
    if overturn:
        action = ("overturn_manager_refusal"
                  if application.refused_at_stage == DecisionStage.LINE_MANAGER
                  else "overturn_release_refusal")
    else:
        action = "confirm_refusal"
    step = find_transition(APPLICATION_TRANSITIONS, application.status, action)
    if not may_act(officer, application, step.actor):
        raise PermissionError(action)
    decision = Decision(application=application, stage=DecisionStage.APPEAL,
                        outcome="overturned" if overturn else "upheld",
                        rationale=rationale.strip(), decided_by_id=officer.id)
    db.session.add(decision)
    appeal = db.session.scalar(select(Appeal).where(
        Appeal.application_id == application.id, Appeal.outcome_decision_id.is_(None)))
    if appeal is not None:
        appeal.outcome = decision
    if overturn:
        application.refused_at_stage = None

    def tell():
        _tell_about_decision(application, decision)
        if application.status == A.ENDORSED and application.head_of_department:
            notifications.send([application.head_of_department],
                               "release_requested_after_appeal", about=application,
                               application=application,
                               link=_link(application, "decisions.decide_application"))

    _transition(application, action, officer, rationale.strip(), tell)
    return decision


def _tell_about_decision(application: Application, decision: Decision) -> None:
    """Every decision reaches the applicant in writing, as its letter is issued now;
    refusals and appeals reach People Services too; an endorsement goes on to the head
    of department."""
    _issue_letter(decision)
    recipients = [application.applicant]
    if decision.outcome in ("refused", "upheld", "overturned"):
        recipients.append(current_app.config["PEOPLE_SERVICES_EMAIL"])
    words = {"supported": "supported", "approved": "approved for release",
             "refused": "refused", "upheld": "appeal decided: the refusal stands",
             "overturned": "appeal decided: the refusal is overturned"}[decision.outcome]
    notifications.send(recipients, "decision", about=application, application=application,
                       outcome_words=words, letter=decision.letter.text)
    if decision.outcome == "supported" and application.head_of_department:
        notifications.send([application.head_of_department], "release_requested",
                           about=application, application=application,
                           link=_link(application, "decisions.decide_application"))


def _appeal_by(decision: Decision):
    """The last moment to appeal a refusal (001 §5.3), or None for other decisions."""
    if decision.outcome != "refused":
        return None
    return decision.decided_at + timedelta(days=current_app.config["APPEAL_DAYS"])


def _issue_letter(decision: Decision) -> None:
    """R5, 001 §5.2: the decision confirmed in writing, rendered once and kept as issued
    (the page, the print and the e-mail all show this copy)."""
    # The decision's number and time go in the letter: written now, with the change.
    db.session.flush()
    html = render_template("decisions/_letter.html", decision=decision,
                           a=decision.application, appeal_by=_appeal_by(decision))
    decision.letter = documents.issue("decision_letter", html,
                                      decision_letter_text(decision))


def letter_of(decision: Decision):
    """The decision's letter as issued. A decision taken before letters were kept has
    its letter issued now, the first time it is opened, and kept from then on."""
    if decision.letter is None:
        _issue_letter(decision)
        db.session.commit()
    return decision.letter


def decision_letter_text(decision: Decision) -> str:
    """The letter in plain text: the same facts as the printable page."""
    application = decision.application
    lines = [
        f"Dear {application.applicant.name},",
        "",
        f"Your application {application.reference} for the secondment "
        f"{application.opportunity.title}.",
        "",
        f"Decision: {decision.stage_enum.label} - {decision.outcome}.",
        f"Decided by {decision.decided_by.name} on {decision.decided_at:%d %B %Y}.",
    ]
    if decision.ground_labels:
        lines += ["", "Grounds:"] + [f"- {g}" for g in decision.ground_labels]
    if decision.rationale:
        lines += ["", "Reasons:", decision.rationale]
    if decision.outcome == "refused":
        lines += ["", f"You may appeal within {current_app.config['APPEAL_DAYS']} days: "
                  f"{_link(application, 'applications.appeal_application')}",
                  "You may also raise a grievance under the grievance procedure."]
    if decision.outcome == "upheld":
        lines += ["", "This decision on your appeal is final within this process. You may "
                      "raise a grievance under the grievance procedure."]
    lines += ["", f"The letter: {_letter_link(decision)}"]
    return "\n".join(lines)


def _link(application: Application, endpoint: str = "applications.view_application") -> str:
    return external_url(endpoint, application_id=application.id)


def _letter_link(decision: Decision) -> str:
    return external_url("decisions.decision_letter", decision_id=decision.id)


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


@APPLICATION.guard("offer")
def _shortlist_fixed_before_offers(application: Application, action: str) -> list[str]:
    # Offers wait for the fixed shortlist whether or not names were hidden: until then
    # some candidates may still be waiting for a shortlisting decision.
    if not shortlist_fixed(application.opportunity):
        return ["Fix the shortlist before making an offer"]
    return []


def shortlist(application: Application, selector, *, include: bool,
              expected_version: int | None = None) -> None:
    _check_version(application, expected_version)
    _transition(application, "shortlist" if include else "reject", selector,
                tell=None if include else lambda: tell_unsuccessful([application]))


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


def _may_take(application: Application, action: str, user) -> None:
    """Refuse before anything on the application is changed, so that a refused
    outcome or offer never lingers in the session."""
    check(APPLICATION, application, action, user)


def record_assessment(application: Application, selector, outcome: str, *,
                      expected_version: int | None = None) -> None:
    _check_version(application, expected_version)
    _may_take(application, "record_assessment", selector)
    if not outcome.strip():
        raise RuleError({"outcome": "Enter the outcome of the assessment"})
    application.assessment_outcome = outcome.strip()
    _transition(application, "record_assessment", selector, outcome.strip())


def make_offer(application: Application, selector, terms: str, *,
               expected_version: int | None = None) -> None:
    _check_version(application, expected_version)
    _may_take(application, "offer", selector)  # the fixed shortlist is its guard
    if not terms.strip():
        raise RuleError({"terms": "Enter the terms of the offer"})
    application.offer_terms = terms.strip()
    _transition(application, "offer", selector, terms.strip(), lambda: notifications.send(
        [application.applicant], "offer_made", about=application, application=application,
        link=_link(application)))


def answer_offer(application: Application, applicant, *, accept: bool,
                 expected_version: int | None = None) -> None:
    _check_version(application, expected_version)
    _transition(application, "accept" if accept else "decline", applicant,
                tell=lambda: notifications.send(
                    [application.opportunity.contact,
                     current_app.config["PEOPLE_SERVICES_EMAIL"]],
                    "offer_answered", about=application, application=application,
                    answer="accepted" if accept else "declined"))


def withdraw(application: Application, applicant, *, expected_version: int | None = None,
             reason: str = "") -> None:
    """The applicant withdraws, at any time until they accept an offer."""
    _check_version(application, expected_version)
    _transition(application, "withdraw", applicant, reason.strip(), lambda: notifications.send(
        [application.line_manager], "application_withdrawn", about=application,
        application=application))


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


# --- conflicts of interest (R8) -------------------------------------------------------

def record_conflict_action(declaration: ConflictDeclaration, officer, action: str
                           ) -> ConflictAction:
    if not officer.can(Permission.VIEW_CONFLICTS):
        raise PermissionError("conflict action")
    if not action.strip():
        raise RuleError({"action": "Describe the action taken"})
    entry = ConflictAction(declaration=declaration, recorded_by_id=officer.id,
                           action=action.strip())
    db.session.add(entry)
    audit.record("conflict.action_recorded", actor=officer, obj=declaration,
                 summary=action.strip())
    db.session.commit()
    return entry


# --- lists ------------------------------------------------------------------------------

@dataclass
class ApplicationPage:
    items: list
    total: int
    page: int
    per_page: int = 25

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


def _page(query, page: int, per_page: int = 25) -> ApplicationPage:
    total = db.session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))
    page = max(1, page)
    items = db.session.scalars(
        query.options(joinedload(Application.opportunity),
                      joinedload(Application.applicant))
        .limit(per_page).offset((page - 1) * per_page)).unique().all()
    return ApplicationPage(items=list(items), total=total or 0, page=page, per_page=per_page)


def applications_of(user, page: int = 1, per_page: int = 25) -> ApplicationPage:
    return _page(select(Application).where(Application.applicant_id == user.id)
                 .order_by(Application.created_at.desc(), Application.id.desc()), page,
                 per_page)


def waiting_for(user) -> list[Application]:
    """Applications waiting for this person's decision as line manager or head."""
    return list(db.session.scalars(
        select(Application).where(
            ((Application.status == A.SUBMITTED) & (Application.line_manager_id == user.id))
            | ((Application.status == A.ENDORSED)
               & (Application.head_of_department_id == user.id)))
        .options(joinedload(Application.opportunity), joinedload(Application.applicant))
        .order_by(Application.submitted_at)).unique())


def appeals_waiting(user) -> list[Application]:
    rows = db.session.scalars(
        select(Application).where(Application.status == A.APPEALED)
        .options(joinedload(Application.opportunity), joinedload(Application.applicant),
                 joinedload(Application.decisions))
        .order_by(Application.updated_at)).unique().all()
    return [a for a in rows if may_act(user, a, "people_services")]


def for_selection(opportunity: Opportunity) -> list[Application]:
    """Applications the hiring side sees: released by the applicant's department."""
    return list(db.session.scalars(
        select(Application).where(
            Application.opportunity_id == opportunity.id,
            Application.status.in_([A.RELEASED, A.SHORTLISTED, A.OFFERED, A.ACCEPTED,
                                    A.DECLINED, A.UNSUCCESSFUL]))
        .options(joinedload(Application.applicant))
        .order_by(Application.submitted_at, Application.id)).unique())


def all_applications(*, status: str = "", opportunity_id: int | None = None,
                     page: int = 1) -> ApplicationPage:
    """People Services' view of every application in every state (001 §6.1)."""
    query = select(Application).where(Application.status != A.DRAFT)
    if status in A.__members__.values():
        query = query.where(Application.status == status)
    if opportunity_id:
        query = query.where(Application.opportunity_id == opportunity_id)
    return _page(query.order_by(Application.submitted_at.desc(), Application.id.desc()), page)


def opportunities_applied_for() -> list[tuple[int, str]]:
    """(id, title) of the opportunities that have had an application, for a filter."""
    rows = db.session.execute(
        select(Opportunity.id, Opportunity.title)
        .where(Opportunity.id.in_(select(Application.opportunity_id)
                                  .where(Application.status != A.DRAFT)))
        .order_by(Opportunity.title, Opportunity.id))
    return [(opportunity_id, title) for opportunity_id, title in rows]


def conflict_register() -> list[ConflictDeclaration]:
    return list(db.session.scalars(
        select(ConflictDeclaration)
        .options(joinedload(ConflictDeclaration.application)
                 .joinedload(Application.opportunity),
                 joinedload(ConflictDeclaration.declared_by),
                 joinedload(ConflictDeclaration.actions).joinedload(ConflictAction.recorded_by))
        .order_by(ConflictDeclaration.declared_at.desc())).unique())


# Counts below this are shown as "fewer than 5", so that no one can be singled out.
SMALL_NUMBER = 5


def equality_report() -> dict[str, list[tuple[str, str, str]]]:
    """For each question: answer -> (applied, offered), small numbers suppressed."""
    offered_states = [A.OFFERED, A.ACCEPTED, A.DECLINED]
    report = {}
    for field in ("age_band", "sex", "ethnic_group", "disability", "sexual_orientation",
                  "religion"):
        column = getattr(EqualityResponse, field)
        # Grouped by the column itself: PostgreSQL does not see coalesce(column, $1) in
        # SELECT and coalesce(column, $3) in GROUP BY as the same expression.
        counted = db.session.execute(
            select(column, func.count(EqualityResponse.id),
                   func.count(Application.id).filter(Application.status.in_(offered_states)))
            .join(Application, Application.id == EqualityResponse.application_id)
            .group_by(column)).all()
        rows = sorted(((answer or "Not answered", applied, offered)
                       for answer, applied, offered in counted),
                      key=lambda row: (row[0] == "Not answered", row[0]))
        applied = _suppress_column([row[1] for row in rows])
        offered = _suppress_column([row[2] for row in rows])
        report[field] = list(zip([row[0] for row in rows], applied, offered, strict=True))
    return report


WITHHELD = "withheld"


def _suppress(count: int) -> str:
    if count == 0:
        return "0"
    return "fewer than 5" if count < SMALL_NUMBER else str(count)


def _suppress_column(counts: list[int]) -> list[str]:
    """Every question's answers add up to the same total, so one hidden count could be
    worked out from the others by subtraction: the smallest count shown beside it is
    withheld too."""
    shown = [_suppress(count) for count in counts]
    hidden = [i for i, count in enumerate(counts) if 0 < count < SMALL_NUMBER]
    visible = [i for i, count in enumerate(counts) if count >= SMALL_NUMBER]
    if len(hidden) == 1 and visible:
        shown[min(visible, key=lambda i: counts[i])] = WITHHELD
    return shown
