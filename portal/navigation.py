"""The navigation bar: an entry appears when its blueprint exists and the person may use it.

People Services do more than anyone else, and their navigation would wrap onto several
rows: for them, what they do as People Services is grouped under the one "People
Services" entry, whose pages carry a section navigation of their own
(`section_navigation_for`). The back office has its own, from Flask-Admin's menu.
"""

from flask import current_app, request, url_for

from portal.permissions import Permission, can

# (label, endpoint, permission, the pages it is current on besides its own address).
# The pages are endpoints, or "blueprint." for all of a blueprint's.
ENTRIES: list[tuple[str, str, Permission, tuple[str, ...]]] = [
    ("Home", "main.home", Permission.VIEW_HOME, ("main.start",)),
    ("Opportunities", "vacancies.board", Permission.VIEW_BOARD, ("vacancies.advert",)),
    ("Your opportunities", "vacancies.your_opportunities", Permission.CREATE_OPPORTUNITY,
     ("vacancies.new_opportunity", "vacancies.edit_opportunity", "vacancies.check_opportunity",
      "vacancies.publish_opportunity", "vacancies.submit_business_case",
      "vacancies.manage_opportunity", "vacancies.end_opportunity",
      "vacancies.extend_closing_date", "vacancies.mark_filled", "selection.")),
    ("Your applications", "applications.my_applications", Permission.APPLY,
     ("applications.",)),
    ("Decisions", "decisions.to_decide", Permission.DECIDE_APPLICATIONS,
     ("decisions.decide_application", "decisions.decisions_taken")),
    ("Business cases", "vacancies.business_cases", Permission.DECIDE_BUSINESS_CASE,
     ("vacancies.decide_business_case",)),
    ("People Services", "people_services.index", Permission.VIEW_ALL_APPLICATIONS,
     ("people_services.", "vacancies.named_requests", "decisions.appeals_to_decide",
      "decisions.decide_appeal", "placements.new_placement")),
    ("Placements", "host.list_placements", Permission.VIEW_OWN_ORGANISATION_PLACEMENTS,
     ("placements.confirm_placement", "placements.view_placement",
      "placements.sign_agreement")),
    ("Agreements", "placements.agreements_for_legal", Permission.RATIFY_AGREEMENTS,
     ("placements.ratify_agreement", "placements.return_agreement")),
    ("Back office", "admin.index", Permission.VIEW_AUDIT_LOG, ("admin",)),
]

# Who sees the People Services entry sees these under it rather than beside it.
PEOPLE_SERVICES = "people_services.index"
# People Services' section navigation: (label, endpoint, permission). Short labels, so
# that it fits one row at desktop widths; the main navigation's "People Services" entry
# is the overview.
PEOPLE_SERVICES_SECTION: list[tuple[str, str, Permission]] = [
    ("Applications", "people_services.list_applications", Permission.VIEW_ALL_APPLICATIONS),
    ("Placements", "placements.list_placements", Permission.MANAGE_PLACEMENTS),
    ("Onboarding", "onboarding.list_checklists", Permission.MANAGE_PLACEMENTS),
    ("Appeals", "decisions.appeals_to_decide", Permission.DECIDE_APPEALS),
    ("Named requests", "vacancies.named_requests", Permission.MANAGE_ANY_OPPORTUNITY),
    ("Your opportunities", "vacancies.your_opportunities", Permission.CREATE_OPPORTUNITY),
    ("Conflicts", "people_services.list_conflicts", Permission.VIEW_CONFLICTS),
    ("Equality", "people_services.view_equality_report", Permission.VIEW_EQUALITY_REPORT),
    ("Host contacts", "people_services.invite_host_contact", Permission.INVITE_HOST_CONTACTS),
    ("E-mail", "people_services.undelivered_email", Permission.RESEND_EMAIL),
    ("Back office", "admin.index", Permission.VIEW_AUDIT_LOG),
]
GROUPED = {endpoint for _, endpoint, _ in PEOPLE_SERVICES_SECTION}


def _current(endpoint: str | None, own: str, pages: tuple[str, ...]) -> bool:
    if not endpoint:
        return False
    return endpoint == own or any(
        endpoint.startswith(page) if page.endswith(".") or page == "admin"
        else endpoint == page for page in pages)


def _pages(endpoint: str) -> tuple[str, ...]:
    return next((pages for _, own, _, pages in ENTRIES if own == endpoint), ())


def _grouped(user) -> bool:
    """Whether this person's People Services work is grouped under one entry."""
    return PEOPLE_SERVICES in current_app.view_functions and can(
        user, Permission.VIEW_ALL_APPLICATIONS)


def navigation_for(user) -> list[dict]:
    grouped = _grouped(user)
    items = []
    for label, endpoint, permission, pages in ENTRIES:
        if grouped and endpoint in GROUPED:
            continue
        if grouped and endpoint == PEOPLE_SERVICES:
            pages = pages + tuple(GROUPED) + tuple(p for e in GROUPED for p in _pages(e))
        if endpoint in current_app.view_functions and can(user, permission):
            item = {"text": label, "href": url_for(endpoint)}
            if _current(request.endpoint, endpoint, pages) and not any(
                    i.get("active") for i in items):
                item["active"] = True
            items.append(item)
    return items


def section_navigation_for(user) -> list[dict]:
    """People Services' own navigation, on the pages of their section (bar the back
    office, which has its own); empty anywhere else and for anyone else."""
    endpoint = request.endpoint or ""
    if not _grouped(user) or endpoint.startswith("admin"):
        return []
    section = [(label, e) for label, e, permission in PEOPLE_SERVICES_SECTION
               if e in current_app.view_functions and can(user, permission)]
    here = next((e for _, e in section if _current(endpoint, e, _pages(e))), None)
    if here is None and not _current(endpoint, PEOPLE_SERVICES, _pages(PEOPLE_SERVICES)):
        return []
    return [{"text": label, "href": url_for(e), "active": e == here} for label, e in section]
