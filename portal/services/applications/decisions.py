"""Decisions in writing (R5): the line manager's endorsement, the head of department's
release, refusals with grounds, appeals (001 §5.3), and the letters that confirm them."""

from datetime import timedelta

from flask import current_app, render_template
from sqlalchemy import select

from portal import notifications
from portal.extensions import db
from portal.models.applications import (
    REFUSAL_GROUNDS,
    Appeal,
    Application,
    ApplicationStatus,
    Decision,
    DecisionStage,
)
from portal.models.base import utcnow
from portal.services import documents
from portal.services.applications.rules import (
    _letter_link,
    _link,
    _transition,
)
from portal.services.errors import RuleError
from portal.workflow import APPLICATION, TransitionRefused, check

A = ApplicationStatus


# --- decisions in writing (R5) --------------------------------------------------------

def decision_errors(*, approve: bool, grounds: list[str], rationale: str,
                    comments: str = "") -> dict[str, str]:
    """R5: a refusal names at least one of the policy's grounds and gives reasons; a
    decision to support (or approve) carries no grounds or reasons for refusing, which
    would otherwise reach the applicant's letter beside a "yes". Field -> message."""
    errors = {}
    if approve:
        if grounds:
            errors["grounds"] = ("You chose yes: untick the grounds for refusing, or "
                                 "choose no to refuse")
        if rationale.strip():
            errors["rationale"] = ("You chose yes: delete your reasons for refusing, or "
                                   "choose no to refuse")
        return errors
    if not grounds:
        errors["grounds"] = "Select at least one reason for refusing"
    elif any(g not in REFUSAL_GROUNDS for g in grounds):
        errors["grounds"] = "Select reasons from the list"
    if not rationale.strip():
        errors["rationale"] = "Explain the reasons for refusing"
    if comments.strip():
        errors["comments"] = ("You chose no: put what you want to say in your reasons for "
                              "refusing, and delete the comments")
    return errors


def _decide(application: Application, user, *, stage: DecisionStage, approve: bool,
            grounds: list[str], rationale: str, comments: str, approve_action: str,
            refuse_action: str, expected_version: int | None) -> Decision:
    action = approve_action if approve else refuse_action
    check(APPLICATION, application, action, user, expected_version=expected_version)
    errors = decision_errors(approve=approve, grounds=grounds, rationale=rationale,
                             comments=comments)
    if errors:
        raise RuleError(errors)
    # One column for what the letter says beside the decision: the reasons for a
    # refusal, or the optional comments on a "yes".
    said = (comments if approve else rationale).strip()
    decision = Decision(application=application, stage=stage,
                        outcome="supported" if approve else "refused",
                        grounds="" if approve else ",".join(grounds),
                        rationale=said, decided_by_id=user.id)
    if stage == DecisionStage.HEAD_OF_DEPARTMENT and approve:
        decision.outcome = "approved"
    db.session.add(decision)
    if not approve:
        application.refused_at_stage = stage
    _transition(application, action, user, said,
                lambda: _tell_about_decision(application, decision))
    return decision


def decide_endorsement(application: Application, manager, *, support: bool,
                       grounds: list[str] = (), rationale: str = "", comments: str = "",
                       expected_version: int | None = None) -> Decision:
    """The line manager supports, or refuses on the policy's grounds with a rationale."""
    return _decide(application, manager, stage=DecisionStage.LINE_MANAGER, approve=support,
                   grounds=list(grounds), rationale=rationale, comments=comments,
                   approve_action="support",
                   refuse_action="refuse", expected_version=expected_version)


def decide_release(application: Application, head, *, approve: bool,
                   grounds: list[str] = (), rationale: str = "", comments: str = "",
                   expected_version: int | None = None) -> Decision:
    """The head of department approves release, or refuses with grounds (002 §2.3)."""
    return _decide(application, head, stage=DecisionStage.HEAD_OF_DEPARTMENT,
                   approve=approve, grounds=list(grounds), rationale=rationale,
                   comments=comments,
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
        APPLICATION.step(application.status, "appeal")
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
    check(APPLICATION, application, "appeal", applicant,  # its guard: in time, once
          expected_version=expected_version)
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


def appeal_decision_errors(rationale: str) -> dict[str, str]:
    """R5, 001 §5.2: an appeal is decided in writing, with reasons."""
    if not rationale.strip():
        return {"rationale": "Explain the reasons for the appeal decision"}
    return {}


def decide_appeal(application: Application, officer, *, overturn: bool, rationale: str,
                  expected_version: int | None = None) -> Decision:
    """A People Services officer who did not refuse decides the appeal, in writing."""
    if overturn:
        action = ("overturn_manager_refusal"
                  if application.refused_at_stage == DecisionStage.LINE_MANAGER
                  else "overturn_release_refusal")
    else:
        action = "confirm_refusal"
    check(APPLICATION, application, action, officer, expected_version=expected_version)
    if errors := appeal_decision_errors(rationale):
        raise RuleError(errors)
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
