"""The navigation bar: an entry appears when its blueprint exists and the person may use it."""

from flask import current_app, request

from portal.permissions import Permission, can

# (label, endpoint, permission). Later features add their entries here.
ENTRIES: list[tuple[str, str, Permission]] = [
    ("Home", "main.home", Permission.VIEW_HOME),
    ("Opportunities", "vacancies.board", Permission.VIEW_BOARD),
    ("Your opportunities", "vacancies.your_opportunities", Permission.CREATE_OPPORTUNITY),
    ("Business cases", "vacancies.business_cases", Permission.DECIDE_BUSINESS_CASE),
    ("Back office", "admin.index", Permission.VIEW_AUDIT_LOG),
]


def navigation_for(user) -> list[dict]:
    from flask import url_for

    items = []
    for label, endpoint, permission in ENTRIES:
        if endpoint in current_app.view_functions and can(user, permission):
            href = url_for(endpoint)
            # The start page is the home page once signed in.
            path = "/home" if request.path == "/" else request.path
            items.append({"text": label, "href": href,
                          "active": path == href or (
                              href != "/home" and path.startswith(href + "/"))})
    return items
