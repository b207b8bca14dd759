"""The navigation bar: an entry appears when its blueprint exists and the person may use it."""

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
      "decisions.decide_appeal")),
    ("Back office", "admin.index", Permission.VIEW_AUDIT_LOG, ()),
]


def _current(endpoint: str | None, own: str, pages: tuple[str, ...]) -> bool:
    if not endpoint:
        return False
    return endpoint == own or any(
        endpoint.startswith(page) if page.endswith(".") else endpoint == page
        for page in pages)


def navigation_for(user) -> list[dict]:
    items = []
    for label, endpoint, permission, pages in ENTRIES:
        if endpoint in current_app.view_functions and can(user, permission):
            item = {"text": label, "href": url_for(endpoint)}
            if _current(request.endpoint, endpoint, pages) and not any(
                    i.get("active") for i in items):
                item["active"] = True
            items.append(item)
    return items
