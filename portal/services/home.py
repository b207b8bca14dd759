"""What a person's home page shows, by the roles they hold.

Each section lists what is waiting for this person; features add their own items as
they arrive. Until then a section says what will appear in it.
"""

from dataclasses import dataclass, field

from portal.permissions import Role


@dataclass
class Section:
    heading: str
    empty_text: str
    items: list = field(default_factory=list)


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
    sections.append(Section("Things to do", text))
    return HomePage(sections=sections, roles=user.role_names)
