"""What a person's home page shows, by the roles they hold.

Each section lists what is waiting for this person; features add their own items as
they arrive. Until then a section says what will appear in it.
"""

from dataclasses import dataclass, field

from flask import url_for

from portal.permissions import Permission, Role
from portal.services import applications, opportunities


@dataclass
class Item:
    text: str
    href: str


@dataclass
class Section:
    heading: str
    empty_text: str
    items: list[Item] = field(default_factory=list)


@dataclass
class HomePage:
    sections: list[Section]
    roles: list[str]


def home_page_for(user) -> HomePage:
    roles = user.roles
    sections = []
    if Role.HOST_CONTACT in roles:
        sections.append(Section(
            "Your organisation's placements",
            "Placements with your organisation will appear here once they are proposed. "
            "You will be able to confirm their details and name the host manager.",
        ))
    if Role.STAFF in roles:
        sections.append(Section(
            "Your secondments",
            "You have no applications or placements yet. Opportunities you apply for and "
            "any placement you are on will appear here with what happens next.",
            _your_applications(user),
        ))
    if user.can(Permission.VIEW_BOARD):
        open_count = opportunities.board(opportunities.BoardFilters()).total
        sections.append(Section(
            "Find a secondment",
            "There are no open opportunities at the moment. New ones appear on the board "
            "as soon as they are published.",
            [Item(f"{open_count} open {'opportunity' if open_count == 1 else 'opportunities'}"
                  " on the vacancies board", url_for("vacancies.board"))] if open_count else [],
        ))
    things_to_do = []
    if Role.LINE_MANAGER in roles:
        things_to_do.append("applications from people you manage that need your endorsement")
    if Role.HEAD_OF_DEPARTMENT in roles:
        things_to_do.append("requests to release people from your department")
    if Role.PEOPLE_SERVICES in roles:
        things_to_do.append("cases to monitor, onboarding checklists and offer letters")
    if Role.RESOURCES_BOARD in roles:
        things_to_do.append("business cases and secondments beyond two years to decide")
    if Role.LEGAL in roles:
        things_to_do.append("secondment agreements to ratify before they are issued")
    if Role.ADMIN in roles:
        things_to_do.append("role assignments and reference data in the back office")
    if things_to_do:
        text = "Nothing is waiting for you. This is where you will find " + "; ".join(
            things_to_do) + "."
    else:
        text = "Nothing is waiting for you. Decisions and tasks that need you will appear here."
    sections.append(Section("Things to do", text, _things_to_do(user)))
    return HomePage(sections=sections, roles=user.role_names)


def _your_applications(user) -> list[Item]:
    page = applications.applications_of(user, per_page=5)
    items = [Item(f"{a.opportunity.title}: {a.status_enum.label.lower()}. "
                  f"{a.status_enum.next_step}",
                  url_for("applications.view_application", application_id=a.id))
             for a in page.items]
    if page.total > len(items):
        items.append(Item(f"All {page.total} of your applications",
                          url_for("applications.my_applications")))
    return items


def _things_to_do(user) -> list[Item]:
    items = []
    if user.can(Permission.DECIDE_APPLICATIONS):
        for a in applications.waiting_for(user):
            stage = "endorse" if a.status == "submitted" else "decide on the release of"
            items.append(Item(f"Please {stage} {a.applicant.name}'s application for "
                              f"{a.opportunity.title}",
                              url_for("decisions.decide_application", application_id=a.id)))
    if user.can(Permission.DECIDE_APPEALS):
        for a in applications.appeals_waiting(user):
            items.append(Item(f"Decide the appeal on {a.reference} ({a.opportunity.title})",
                              url_for("decisions.decide_appeal", application_id=a.id)))
    if user.can(Permission.DECIDE_BUSINESS_CASE):
        cases = len(opportunities.cases_awaiting_decision(user))
        if cases:
            items.append(Item(f"{cases} business case{'s' if cases != 1 else ''} waiting for "
                              "the Resources Board", url_for("vacancies.business_cases")))
    if user.can(Permission.CREATE_OPPORTUNITY):
        counts = opportunities.managed_counts(user)
        if counts.get("draft"):
            items.append(Item(f"{counts['draft']} draft opportunit"
                              f"{'y' if counts['draft'] == 1 else 'ies'} to finish",
                              url_for("vacancies.your_opportunities")))
    return items
