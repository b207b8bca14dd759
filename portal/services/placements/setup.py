"""Setting a placement up and changing its terms.

A placement comes from an accepted offer (its terms carried over: `terms_from_offer`),
or People Services set one up directly: an incoming secondee, an informal secondment or
job shadowing (004), or a named request carrying its fairness record (R1). People are
named by e-mail address and found here, so that a form never lists every member of staff.
Every change is checked whole (`rules.term_problems`) before anything is saved.
"""

from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from portal.extensions import db
from portal.models import Application, Department, Opportunity, Organisation, User
from portal.models.applications import ApplicationStatus
from portal.models.opportunities import Audience
from portal.models.placements import OpportunityKind as K
from portal.models.placements import Placement, PlacementRoute
from portal.roles import Permission
from portal.services.errors import RuleError
from portal.services.opportunities import london_today
from portal.services.people import member_of_staff
from portal.services.placements.rules import add_months, term_problems
from portal.workflow import PLACEMENT, check, transition

# The terms People Services edit, as plain values.
TERM_FIELDS = (
    "title", "start_date", "end_date", "notice_weeks", "check_in_weeks", "working_pattern",
    "hours", "location", "country", "grade", "acting_up_allowance", "salary_paid_by",
    "expenses_paid_by", "home_invoices_host", "objectives", "other_terms", "return_post",
    "return_grade", "accommodation", "subsistence", "travel", "insurance",
    "duration_reason", "fairness_record", "host_manager_name", "host_manager_email",
)
# Named by e-mail address: (the form's field, the placement's column, what it is).
PEOPLE_FIELDS = (
    ("substantive_manager_email", "substantive_manager_id", "substantive line manager"),
    ("host_manager_staff_email", "host_manager_id", "host manager"),
    ("buddy_email", "buddy_id", "buddy"),
    ("signatory_email", "signatory_id", "signatory"),
)
# What the other organisation's contact confirmed: changing any of it asks them again.
CONFIRMED_FIELDS = ("start_date", "end_date", "location", "host_manager_id",
                    "host_manager_name", "host_manager_email")


def terms_from_offer(application: Application) -> dict:
    """The form's starting values for the placement of an accepted offer."""
    opportunity: Opportunity = application.opportunity
    applicant: User = application.applicant
    start = opportunity.start_date
    months = opportunity.duration_months or 0
    end = add_months(start, months) - timedelta(days=1) if start and months else None
    fairness = (opportunity.publicity_assessment
                if opportunity.audience == Audience.NAMED_REQUEST else "")
    return {
        "title": opportunity.title, "start_date": start, "end_date": end,
        "working_pattern": opportunity.working_pattern, "hours": opportunity.hours_detail,
        "location": opportunity.location, "country": opportunity.country,
        "grade": opportunity.grade,
        "acting_up_allowance": "Acting-up allowance payable" if opportunity.acting_up else "",
        "salary_paid_by": opportunity.salary_paid_by or "home",
        "expenses_paid_by": opportunity.expenses_paid_by or "host",
        "objectives": application.learning_objectives, "other_terms": application.offer_terms,
        "return_grade": applicant.grade or "", "duration_reason": opportunity.duration_reason,
        "fairness_record": fairness, "notice_weeks": 4,
        "substantive_manager_email": applicant.line_manager.email
        if applicant.line_manager else "",
        "host_manager_staff_email": opportunity.contact.email
        if opportunity.contact and not opportunity.host_organisation_id else "",
    }


def create_from_offer(officer: User, application: Application, values: dict) -> Placement:
    """The placement of an accepted offer (one per application)."""
    if not officer.can(Permission.MANAGE_PLACEMENTS):
        raise PermissionError("set up placements")
    if application.status != ApplicationStatus.ACCEPTED:
        raise RuleError({"application": "Only an accepted offer becomes a placement"})
    if placement_of(application) is not None:
        raise RuleError({"application": "This offer already has its placement"})
    opportunity = application.opportunity
    applicant = application.applicant
    own = applicant.organisation
    incoming = opportunity.kind == K.INCOMING
    placement = Placement(
        kind=opportunity.kind, application=application, opportunity=opportunity,
        route=(PlacementRoute.NAMED_REQUEST if opportunity.audience == Audience.NAMED_REQUEST
               else PlacementRoute.OFFER),
        secondee=applicant, secondee_name=applicant.name, secondee_email=applicant.email,
        home_organisation_id=own.id, home_department_id=applicant.department_id,
        host_organisation_id=(opportunity.host_organisation_id
                              if not incoming and opportunity.host_organisation_id
                              else own.id),
        host_department_id=opportunity.offering_department_id,
        created_by_id=officer.id)
    return _save_new(officer, placement, values)


def create_direct(officer: User, values: dict) -> Placement:
    """A placement People Services set up without an advert: an incoming secondee
    (from `values["partner_organisation_id"]`, who may have no account yet), an informal
    secondment or job shadowing, or a member of staff requested by name."""
    if not officer.can(Permission.MANAGE_PLACEMENTS):
        raise PermissionError("set up placements")
    kind = values.get("kind")
    own = officer.organisation
    errors: dict[str, str] = {}
    if kind not in {k.value for k in K}:
        raise RuleError({"kind": "Select the kind of placement"})
    partner = None
    if kind in (K.INCOMING, K.OUTGOING) or (kind == K.INTERNATIONAL and
                                             values.get("partner_organisation_id")):
        partner = db.session.get(Organisation, values.get("partner_organisation_id") or 0)
        if partner is None or partner.is_own:
            errors["partner_organisation_id"] = ("Select the sending organisation"
                                                 if kind == K.INCOMING
                                                 else "Select the host organisation")
    secondee = None
    if kind == K.INCOMING:
        for field, words in (("secondee_name", "the secondee's full name"),
                             ("secondee_email", "the secondee's e-mail address")):
            if not (values.get(field) or "").strip():
                errors[field] = f"Enter {words}"
        if not values.get("not_contractor"):
            # R2 (002 §4.3)
            errors["not_contractor"] = ("Confirm the secondee is not a self-employed "
                                        "contractor, consultant or student")
    else:
        secondee = member_of_staff(values.get("secondee_email") or "", own.id)
        if secondee is None:
            errors["secondee_email"] = ("Enter the e-mail address of a member of staff of "
                                        f"{own.name}")
    department = (db.session.get(Department, values["host_department_id"])
                  if values.get("host_department_id") else None)
    if values.get("host_department_id") and (department is None
                                             or department.organisation_id != own.id):
        errors["host_department_id"] = f"Select a department of {own.name}"
    if errors:
        raise RuleError(errors | _term_errors(values, own.id))
    incoming = kind == K.INCOMING
    placement = Placement(
        kind=kind, route=(PlacementRoute.NAMED_REQUEST if values.get("named_request")
                          else PlacementRoute.DIRECT),
        secondee=secondee,
        secondee_name=secondee.name if secondee else values["secondee_name"].strip(),
        secondee_email=secondee.email if secondee else values["secondee_email"].strip(),
        secondee_employer=partner.name if incoming and partner else "",
        home_organisation_id=partner.id if incoming else own.id,
        home_department_id=None if incoming else secondee.department_id,
        host_organisation_id=partner.id if partner and not incoming else own.id,
        host_department_id=values.get("host_department_id") or None,
        created_by_id=officer.id)
    return _save_new(officer, placement, values)


def update_terms(officer: User, placement: Placement, values: dict, *,
                 expected_version: int | None) -> Placement:
    """Change a proposed placement's terms. A change to what the other organisation
    confirmed asks them to confirm again."""
    from portal.services.onboarding import generation

    check(PLACEMENT, placement, "edit", officer, expected_version=expected_version)
    before = {field: getattr(placement, field) for field in CONFIRMED_FIELDS}
    changed = _apply(placement, values, new=False)
    # R9: the checklist's due dates follow the start date; a placement that became
    # international gains the international items.
    if placement.start_date != before["start_date"]:
        generation.follow_start_date(placement, before["start_date"])
    generation.generate(placement)
    if any(getattr(placement, field) != before[field] for field in CONFIRMED_FIELDS):
        placement.host_confirmed_at = None
        placement.host_confirmed_by_id = None
    if placement.board_decided_at is not None and (
            before["start_date"], before["end_date"]) != (placement.start_date,
                                                          placement.end_date):
        # R3: the Board decided on the dates it saw; new dates need its decision again.
        placement.board_approved = None
        placement.board_decided_at = None
    transition(PLACEMENT, placement, "edit", officer, expected_version=None,
               details=", ".join(changed) or "no change")
    return placement


def terms_of(placement: Placement) -> dict:
    """The form's values for a placement as it stands: its terms and its people."""
    values = {field: getattr(placement, field) for field in TERM_FIELDS}
    for field, column, _words in PEOPLE_FIELDS:
        person = getattr(placement, column.removesuffix("_id"))
        values[field] = person.email if person else ""
    values["working_pattern"] = placement.working_pattern
    values["home_invoices_host"] = placement.home_invoices_host
    return values


def accepted_offer(application_id: int | None) -> Application | None:
    """The accepted offer of that id (what becomes a placement), or None."""
    application = db.session.get(Application, application_id) if application_id else None
    if application is None or application.status != ApplicationStatus.ACCEPTED:
        return None
    return application


def placement_of(application: Application) -> Placement | None:
    return db.session.scalar(select(Placement).where(Placement.application_id == application.id))


def _save_new(officer: User, placement: Placement, values: dict) -> Placement:
    from portal.services import audit
    from portal.services.onboarding import generation

    _apply(placement, values, new=True)
    db.session.add(placement)
    try:
        db.session.flush()
    except IntegrityError:
        # Two People Services officers setting up the same offer at once: the
        # database keeps one placement per offer, and the second is told so.
        db.session.rollback()
        raise RuleError({"application": "This offer already has its placement"}) from None

    audit.record("placement.create", actor=officer, obj=placement,
                 summary=f"placement set up: {placement.title}")
    generation.generate(placement)   # R9: its onboarding checklist
    db.session.commit()
    return placement


def _term_errors(values: dict, organisation_id: int) -> dict[str, str]:
    errors = term_problems(values, london_today(), new=True)
    for field, _column, words in PEOPLE_FIELDS:
        email = (values.get(field) or "").strip()
        if email and member_of_staff(email, organisation_id) is None:
            errors[field] = f"Enter the e-mail address of a member of staff as the {words}"
    return errors


def _apply(placement: Placement, values: dict, *, new: bool) -> list[str]:
    """Check every value, then set them all (or raise RuleError and set none)."""
    own_id = (placement.host_organisation_id if placement.kind == K.INCOMING
              else placement.home_organisation_id)
    merged = {field: getattr(placement, field) for field in TERM_FIELDS} | {
        "kind": placement.kind} | values
    errors = term_problems(merged, london_today(), new=new or "start_date" in values and
                           values["start_date"] != placement.start_date)
    people = {}
    for field, column, words in PEOPLE_FIELDS:
        if field not in values:
            continue
        email = (values.get(field) or "").strip()
        person = member_of_staff(email, own_id) if email else None
        if email and person is None:
            errors[field] = f"Enter the e-mail address of a member of staff as the {words}"
        people[column] = person.id if person else None
    # An incoming secondee may have no account when the placement is set up; once they
    # have one here, People Services link it, and the secondee can sign (R7).
    email = (values.get("secondee_account_email") or "").strip()
    if email and placement.secondee_id is None:
        account = member_of_staff(email, own_id)
        if account is None:
            errors["secondee_account_email"] = (
                "Enter the e-mail address of the secondee's account here: they sign the "
                "agreement signed in with it")
        else:
            people["secondee_id"] = account.id
    if errors:
        raise RuleError(errors)
    changed = []
    for field in TERM_FIELDS:
        if field in values and getattr(placement, field) != values[field]:
            setattr(placement, field, values[field])
            changed.append(field.replace("_", " "))
    for column, person_id in people.items():
        if getattr(placement, column) != person_id:
            setattr(placement, column, person_id)
            changed.append(column.removesuffix("_id").replace("_", " "))
    return changed
