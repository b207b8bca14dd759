"""The navigation bar: an entry appears when its blueprint exists and the person may use it."""

from flask import current_app, request

from portal.permissions import Permission, can

# (label, endpoint, permission). Later features add their entries here.
ENTRIES: list[tuple[str, str, Permission]] = [
    ("Home", "main.home", Permission.VIEW_HOME),
    ("Opportunities", "vacancies.board", Permission.VIEW_BOARD),
    ("Your opportunities", "vacancies.your_opportunities", Permission.CREATE_OPPORTUNITY),
    ("Your applications", "applications.my_applications", Permission.APPLY),
    ("Decisions", "decisions.to_decide", Permission.DECIDE_APPLICATIONS),
    ("Business cases", "vacancies.business_cases", Permission.DECIDE_BUSINESS_CASE),
    ("People Services", "people_services.index", Permission.VIEW_ALL_APPLICATIONS),
    ("Back office", "admin.index", Permission.VIEW_AUDIT_LOG),
]


def navigation_for(user) -> list[dict]:
    from flask import url_for

    items = [{"text": label, "href": url_for(endpoint)}
             for label, endpoint, permission in ENTRIES
             if endpoint in current_app.view_functions and can(user, permission)]
    # One entry is current: the one whose address is the longest start of this page's
    # (the start page is the home page once signed in).
    path = "/home" if request.path == "/" else request.path
    matches = [item for item in items
               if path == item["href"] or path.startswith(item["href"] + "/")]
    if matches:
        max(matches, key=lambda item: len(item["href"]))["active"] = True
    return items
