"""How an opportunity is shown: summary-list rows for the advert and the check page."""

from flask import url_for
from flask_login import current_user

from blueprints.vacancies import bp
from portal.formatting import long_date, sentence
from portal.models.opportunities import Audience, Payer, WorkingPattern
from portal.services import opportunities as service


def _row(key: str, value, change: str | None = None, opportunity=None, field=None) -> dict:
    row = {"key": {"text": key},
           "value": {"text": value if value not in (None, "") else "Not given"}}
    if change and opportunity is not None:
        href = url_for("vacancies.edit_opportunity", opportunity_id=opportunity.id,
                       section=change, **{"from": "check"})
        if field:
            href += f"#{field}"
        row["actions"] = {"items": [{"href": href, "text": "Change",
                                     "visuallyHiddenText": key.lower()}]}
    return row


def _person(user) -> str | None:
    return f"{user.name} ({user.email})" if user is not None else None


def _payer(value):
    return Payer(value).label if value else None


def _hours(o):
    pattern = WorkingPattern(o.working_pattern).label
    return f"{pattern}: {o.hours_detail}" if o.hours_detail else pattern


def _duration(o):
    if not o.duration_months:
        return None
    return f"{o.duration_months} month{'s' if o.duration_months != 1 else ''}"


@bp.app_template_global()
def organisation_label(o) -> str:
    """What the external organisation is to this opportunity: the host it sends staff
    to, or, for an incoming secondment, the organisation the secondee comes from."""
    return "Sending organisation" if service.is_for_partners(o) else "Host organisation"


@bp.app_template_global()
def offered_by(o) -> str:
    """Who offers it: the offering department where one was entered (an outgoing
    secondment has none, and is offered by its host)."""
    if o.offering_department is not None:
        return o.offering_department.name
    if o.host_organisation is not None and not service.is_for_partners(o):
        return o.host_organisation.name
    return ""


@bp.app_template_global()
def restricted(o) -> bool:
    """Advertised to a restricted pool rather than to all staff (R1)."""
    return o.audience == Audience.RESTRICTED_POOL


@bp.app_template_global()
def pool_in_words(o) -> str:
    """'Band 6 and Band 7': the grades in a restricted pool; empty for an advert open to
    all staff (and for a pool recorded before its grades were asked for)."""
    if not restricted(o):
        return ""
    grades = o.pool_grade_list
    if len(grades) < 2:
        return "".join(grades)
    return ", ".join(grades[:-1]) + " and " + grades[-1]


def _organisation_rows(o) -> list[dict]:
    rows = [_row("Offered by", offered_by(o))]
    if o.host_organisation is not None and offered_by(o) != o.host_organisation.name:
        rows.append(_row(organisation_label(o), o.host_organisation.name))
    return rows


@bp.app_template_global()
def advert_rows(o) -> list[dict]:
    rows = [_row("Kind", o.kind_enum.label), *_organisation_rows(o),
            _row("Location", f"{o.location}, {o.country}" if o.location else o.country),
            _row("Grade", f"{o.grade} (acting up at a higher grade)" if o.acting_up else o.grade)]
    if pool_in_words(o):
        rows.append(_row("Grades in the pool", f"Only {pool_in_words(o)} may apply"))
    rows += [
        _row("Hours", _hours(o)),
        _row("Starts", long_date(o.start_date)),
        _row("Duration", _duration(o)),
        _row("Salary paid by", _payer(o.salary_paid_by)),
        _row("Expenses paid by", _payer(o.expenses_paid_by)),
        _row("Closing date", sentence(service.closing_in_words(o))),
    ]
    return rows


# How each task's status is shown (the GOV.UK task list: a tag for what still needs
# doing, plain text for what is done or cannot be done yet).
_TASK_TAGS = {
    service.TaskStatus.NOT_STARTED: "govuk-tag--blue",
    service.TaskStatus.IN_PROGRESS: "govuk-tag--light-blue",
    service.TaskStatus.WITH_THE_BOARD: "govuk-tag--yellow",
    service.TaskStatus.REJECTED: "govuk-tag--red",
}


@bp.app_template_global()
def drafting_task_list(o, tasks) -> dict:
    """govukTaskList's params for a draft's tasks."""
    items = []
    for task in tasks:
        item = {"title": {"text": task.title}}
        if task.hint:
            item["hint"] = {"text": task.hint}
        tag = _TASK_TAGS.get(task.status)
        if tag:
            item["status"] = {"tag": {"text": task.status.label, "classes": tag}}
        elif task.status.cannot_start:
            item["status"] = {"text": task.status.label,
                              "classes": "govuk-task-list__status--cannot-start-yet"}
        else:
            item["status"] = {"text": task.status.label}
        if task.may_open:
            item["href"] = _task_href(o, task.key)
        items.append(item)
    return {"items": items, "idPrefix": "drafting"}


def _task_href(o, key: str) -> str:
    if key == "business_case":
        return url_for("vacancies.submit_business_case", opportunity_id=o.id)
    if key == "publish":
        return "#publish"
    return url_for("vacancies.edit_opportunity", opportunity_id=o.id, section=key,
                   **{"from": "check"})


@bp.app_template_global()
def check_rows(o, section: str, editable: bool = True) -> list[dict]:
    """The answers of one question page, with Change links while the draft may be
    changed (the caller asks the workflow)."""
    def r(key, value, field):
        return _row(key, value, section if editable else None, o, field)

    if section == "details":
        return [r("Title", o.title, "title"), r("Summary", o.summary, "summary"),
                r("Description", o.description, "description")]
    if section == "where":
        rows = []
        if o.offering_department_id or o.kind != "outgoing":
            rows.append(r("Offering department", o.offering_department.name
                          if o.offering_department else None, "offering_department_id"))
        if o.kind not in ("internal", "shorter_term", "informal"):
            rows.append(r(organisation_label(o), o.host_organisation.name
                          if o.host_organisation else None, "host_organisation_id"))
        return rows + [r("Location", o.location, "location"), r("Country", o.country, "country")]
    if section == "terms":
        rows = [r("Grade", o.grade, "grade"),
                r("Acting up", "Yes" if o.acting_up else "No", "acting_up"),
                r("Hours", _hours(o), "working_pattern"),
                r("Start date", long_date(o.start_date), "start_date"),
                r("Duration", _duration(o), "duration_months")]
        if (o.duration_months or 0) > service.REASON_NEEDED_AFTER_MONTHS:
            rows.append(r("Why longer than 12 months", o.duration_reason, "duration_reason"))
        return rows
    if section == "money":
        rows = [r("Salary paid by", _payer(o.salary_paid_by), "salary_paid_by"),
                r("Expenses paid by", _payer(o.expenses_paid_by), "expenses_paid_by")]
        if o.kind == "internal":
            rows.append(r("Extra cost", "Yes" if o.extra_cost else "No", "extra_cost"))
        return rows
    if section == "audience":
        rows = [r("Advertised to", Audience(o.audience).label, "audience")]
        if o.audience == Audience.RESTRICTED_POOL:
            rows.append(r("Why restrict the pool", o.restriction_justification,
                          "restriction_justification"))
            rows.append(r("Grades in the pool", o.pool_grades, "pool_grades"))
        if o.audience == Audience.NAMED_REQUEST:
            rows.append(r("Person requested", _person(o.requested_person),
                          "requested_person_email"))
            rows.append(r("Could it be damaging if public", o.publicity_assessment,
                          "publicity_assessment"))
        rows += [r("Skills sought", o.skills_sought, "skills_sought"),
                 r("Eligibility", o.eligibility, "eligibility")]
        if o.kind == "incoming":
            rows += [
                r("Not a contractor, consultant or student",
                  "Confirmed" if o.incoming_not_contractor else "Not confirmed",
                  "incoming_not_contractor"),
                r("Not cover for a permanent role",
                  "Confirmed" if o.incoming_not_permanent_cover else "Not confirmed",
                  "incoming_not_permanent_cover"),
            ]
        return rows
    if section == "closing":
        return [r("Closing date", long_date(o.closing_date), "closing_date"),
                r("Contact", o.contact.name if o.contact else None, "contact_email")]
    return []


@bp.app_template_global()
def closing_words(o) -> str:
    return service.closing_in_words(o)


@bp.app_template_global()
def display_status(o):
    return service.display_status(o)


@bp.app_template_global()
def may_manage_opportunity(o) -> bool:
    return current_user.is_authenticated and service.may_manage(current_user, o)


