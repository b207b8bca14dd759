"""How the back office says things: UK times, yes or no in words, actions in words."""

from datetime import date, datetime

from portal.formatting import LONDON, long_date
from portal.models.onboarding import Nation
from portal.workflow import APPLICATION, BUSINESS_CASE, OPPORTUNITY

# Actions recorded outside the workflow machines, as people would say them.
ACTION_WORDS = {
    "application.saved": "Application saved",
    "application.started": "Application started",
    "conflict.action_recorded": "Action recorded on a conflict of interest",
    "demo_data.opportunities": "Demonstration opportunities added",
    "demo_data.seeded": "Demonstration data added",
    "department.created": "Department added",
    "department.updated": "Department changed",
    "email.sent_again": "E-mail sent again",
    "host_contact.invitation_accepted": "Host contact accepted their invitation",
    "host_contact.invited": "Host contact invited",
    "host_contact.invitation_resent": "Host contact's invitation sent again",
    "host_contact.revoked": "Host contact's access revoked",
    "opportunity.created": "Opportunity created",
    "opportunity.edited": "Opportunity edited",
    "organisation.created": "Organisation added",
    "organisation.updated": "Organisation changed",
    "role.granted": "Role granted",
    "role.removed": "Role removed",
    "sign_in.succeeded": "Signed in",
    "sign_in.failed": "Sign-in failed",
    "access.refused": "Access refused",
    "staff.imported": "Staff list imported",
    "user.created": "Person added at first sign-in",
    "user.disabled": "Person's account disabled",
    "user.enabled": "Person's account enabled",
    "user.linked": "Person linked to their sign-in",
    "user.updated": "Person's details changed",
}


def _workflow_words() -> dict[str, str]:
    words = {}
    for machine in (APPLICATION, OPPORTUNITY, BUSINESS_CASE):
        for (_state, action), step in machine.table.items():
            words[f"{machine.audit_name}.{action}"] = f"{machine.name.capitalize()} {step.verb}"
    return words


ACTION_WORDS |= _workflow_words()


def action_in_words(code: str | None) -> str:
    """'role.removed' -> 'Role removed'; an action not listed still reads as words."""
    if not code:
        return ""
    if code in ACTION_WORDS:
        return ACTION_WORDS[code]
    return code.replace("_", " ").replace(".", " ").capitalize()


def uk_time(value: datetime | date | None) -> str:
    """'3 December 2026, 2:15pm' in UK time (GMT or BST, as the clocks were)."""
    if value is None:
        return ""
    if not isinstance(value, datetime):
        return long_date(value)
    local = value.astimezone(LONDON)
    hour = local.hour % 12 or 12
    return f"{long_date(local.date())}, {hour}:{local:%M}{'am' if local.hour < 12 else 'pm'}"


def yes_no(value: bool | None) -> str:
    return "" if value is None else ("Yes" if value else "No")


# Flask-Admin's formatters: (view, value, name) for a type, (view, context, model,
# name) for a column.
TYPE_FORMATTERS = {
    type(None): lambda view, value, name: "",
    bool: lambda view, value, name: yes_no(value),
    datetime: lambda view, value, name: uk_time(value),
    date: lambda view, value, name: uk_time(value),
}


def action_column(view, context, model, name):
    return action_in_words(getattr(model, name))


def govuk_choice(choice: tuple) -> dict:
    """A WTForms choice (value, label, selected, ...) as a GOV.UK select item."""
    value, label, selected = choice[:3]
    return {"value": value, "text": label, "selected": selected}


_NATIONS = {nation.value: nation.label for nation in Nation}
# An organisation's place: whose bank holidays count, and whether it is abroad.
NATION_FIELD = {
    "label": "Where it is", "choices": list(_NATIONS.items()),
    "description": "Whose bank holidays its onboarding due dates skip. A secondee coming "
                   "from an organisation outside the UK is an international secondee (visa "
                   "and right to work)"}


def nation_label(view, context, model, name) -> str:
    return _NATIONS.get(model.nation, model.nation)
