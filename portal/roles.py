"""Roles and permissions: who holds which, as data. This module imports nothing of the
portal, so models, services and views can all use it without import cycles; the
decorators that enforce it are in portal/permissions.py.
"""

from enum import StrEnum


class Role(StrEnum):
    STAFF = "staff"
    LINE_MANAGER = "line_manager"
    HEAD_OF_DEPARTMENT = "head_of_department"
    HOST_MANAGER = "host_manager"
    PEOPLE_SERVICES = "people_services"
    RESOURCES_BOARD = "resources_board"
    LEGAL = "legal"
    HOST_CONTACT = "host_contact"
    # IT services: equipment and access to systems on onboarding checklists (R9).
    IT = "it_services"
    ADMIN = "admin"

    @property
    def label(self) -> str:
        return _ROLE_LABELS[self]


_ROLE_LABELS = {
    Role.STAFF: "Staff",
    Role.LINE_MANAGER: "Line manager",
    Role.HEAD_OF_DEPARTMENT: "Head of department",
    Role.HOST_MANAGER: "Host manager",
    Role.PEOPLE_SERVICES: "People Services",
    Role.RESOURCES_BOARD: "Resources Board",
    Role.LEGAL: "Legal",
    Role.HOST_CONTACT: "Host organisation contact",
    Role.IT: "IT services",
    Role.ADMIN: "Administrator",
}


class Permission(StrEnum):
    VIEW_HOME = "view_home"
    VIEW_OWN_ACCOUNT = "view_own_account"
    VIEW_AUDIT_LOG = "view_audit_log"
    MANAGE_USERS = "manage_users"
    # Organisations and departments in the back office.
    MANAGE_ORGANISATIONS = "manage_organisations"
    # The vacancies board (R1): everyone inside the organisation, never host contacts.
    VIEW_BOARD = "view_board"
    # Drafting and looking after one's own opportunities (managers, People Services).
    CREATE_OPPORTUNITY = "create_opportunity"
    # Every opportunity in every state, named requests included (001 §6.1).
    MANAGE_ANY_OPPORTUNITY = "manage_any_opportunity"
    # Business cases and secondments beyond 24 months (R3, R6).
    DECIDE_BUSINESS_CASE = "decide_business_case"
    # Applying for an opportunity and following one's own applications (R4).
    APPLY = "apply"
    # Endorsing or refusing the applications of one's reports, or releasing staff (R5).
    DECIDE_APPLICATIONS = "decide_applications"
    # Reading a decision letter: staff may hold it, and the letter itself decides who
    # reads it (the applicant, their deciders, People Services); never host contacts.
    READ_DECISION_LETTERS = "read_decision_letters"
    # Shortlisting, assessing and offering for the opportunities whose hiring side one
    # is on (their creator or contact, or People Services).
    SELECT_CANDIDATES = "select_candidates"
    # Every application in every state (001 §6.1), appeals, conflicts, equality (R13).
    VIEW_ALL_APPLICATIONS = "view_all_applications"
    DECIDE_APPEALS = "decide_appeals"
    VIEW_CONFLICTS = "view_conflicts"
    VIEW_EQUALITY_REPORT = "view_equality_report"
    # Inviting contacts at external host organisations to sign in.
    INVITE_HOST_CONTACTS = "invite_host_contacts"
    # Seeing the e-mail the portal could not deliver, and sending it again.
    RESEND_EMAIL = "resend_email"
    # Setting up placements, drafting their agreements, following every one (R7, R13).
    MANAGE_PLACEMENTS = "manage_placements"
    # Ratifying agreements or sending them back with comments (R7).
    RATIFY_AGREEMENTS = "ratify_agreements"
    # A host organisation's contact's list of their own organisation's placements.
    VIEW_OWN_ORGANISATION_PLACEMENTS = "view_own_organisation_placements"
    # Keeping the onboarding checklist templates (R9).
    MANAGE_CHECKLIST_TEMPLATES = "manage_checklist_templates"
    # Uploading the HR system's staff export: who works where and who manages whom,
    # and disabling the people who have left.
    IMPORT_STAFF = "import_staff"


# Role -> permissions. A person holding several roles has the union.
ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    # Any member of staff may be named an opportunity's contact, and being its contact
    # (or creator) is what puts them on its hiring side: the selection pages ask the
    # opportunity (`is_selector`), not a role.
    Role.STAFF: frozenset({Permission.VIEW_HOME, Permission.VIEW_OWN_ACCOUNT,
                           Permission.VIEW_BOARD, Permission.APPLY,
                           Permission.SELECT_CANDIDATES, Permission.READ_DECISION_LETTERS}),
    Role.LINE_MANAGER: frozenset({Permission.VIEW_HOME, Permission.VIEW_BOARD,
                                  Permission.CREATE_OPPORTUNITY,
                                  Permission.DECIDE_APPLICATIONS,
                                  Permission.SELECT_CANDIDATES}),
    Role.HEAD_OF_DEPARTMENT: frozenset({Permission.VIEW_HOME, Permission.VIEW_BOARD,
                                        Permission.CREATE_OPPORTUNITY,
                                        Permission.DECIDE_APPLICATIONS,
                                        Permission.SELECT_CANDIDATES}),
    Role.HOST_MANAGER: frozenset({Permission.VIEW_HOME}),
    Role.PEOPLE_SERVICES: frozenset({Permission.VIEW_HOME, Permission.VIEW_AUDIT_LOG,
                                     Permission.VIEW_BOARD, Permission.CREATE_OPPORTUNITY,
                                     Permission.MANAGE_ANY_OPPORTUNITY,
                                     Permission.SELECT_CANDIDATES,
                                     Permission.VIEW_ALL_APPLICATIONS,
                                     Permission.DECIDE_APPEALS, Permission.VIEW_CONFLICTS,
                                     Permission.VIEW_EQUALITY_REPORT,
                                     Permission.INVITE_HOST_CONTACTS,
                                     Permission.RESEND_EMAIL,
                                     Permission.MANAGE_PLACEMENTS,
                                     Permission.MANAGE_CHECKLIST_TEMPLATES,
                                     Permission.IMPORT_STAFF}),
    Role.RESOURCES_BOARD: frozenset({Permission.VIEW_HOME, Permission.VIEW_BOARD,
                                     Permission.DECIDE_BUSINESS_CASE}),
    Role.LEGAL: frozenset({Permission.VIEW_HOME, Permission.VIEW_BOARD,
                           Permission.RATIFY_AGREEMENTS}),
    Role.HOST_CONTACT: frozenset({Permission.VIEW_HOME, Permission.VIEW_OWN_ACCOUNT,
                                  Permission.VIEW_OWN_ORGANISATION_PLACEMENTS}),
    Role.IT: frozenset({Permission.VIEW_HOME, Permission.VIEW_OWN_ACCOUNT}),
    Role.ADMIN: frozenset(
        {Permission.VIEW_HOME, Permission.VIEW_AUDIT_LOG, Permission.MANAGE_USERS,
         Permission.MANAGE_ORGANISATIONS, Permission.VIEW_BOARD, Permission.VIEW_CONFLICTS}
    ),
}


def permissions_for(roles) -> frozenset[Permission]:
    granted: set[Permission] = set()
    for role in roles:
        granted |= ROLE_PERMISSIONS.get(Role(role), frozenset())
    return frozenset(granted)
