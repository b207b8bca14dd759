"""What waits on line managers, heads of department and People Services' appeal
officers: applications to endorse or release, and appeals to decide."""

from flask import url_for

from portal.permissions import Permission, Role
from portal.services import applications
from portal.services.home import Item, more, waiting

SHOWN = 5  # the longest waiting; the rest are a link away


def _decisions_described(person) -> str:
    phrases = []
    if Role.LINE_MANAGER in person.roles:
        phrases.append("applications from people you manage that need your endorsement")
    if Role.HEAD_OF_DEPARTMENT in person.roles:
        phrases.append("requests to release people from your department")
    return "; ".join(phrases)


@waiting(order=10, shown_to=lambda person: person.can(Permission.DECIDE_APPLICATIONS),
         describes=_decisions_described)
def applications_to_decide(person) -> list[Item]:
    waiting = applications.waiting_for(person, per_page=SHOWN)
    items = []
    for a in waiting.items:
        items.append(Item(f"Please {a.status_enum.decision_verb} {a.applicant.name}'s "
                          f"application for "
                          f"{a.opportunity.title}",
                          url_for("decisions.decide_application", application_id=a.id)))
    return items + more(len(items), waiting.total,
                        f"see all {waiting.total} applications waiting for your decision",
                        url_for("decisions.to_decide"))


@waiting(order=20, shown_to=lambda person: person.can(Permission.DECIDE_APPEALS),
         describes="appeals to decide and cases to monitor")
def appeals_to_decide(person) -> list[Item]:
    return [Item(f"Decide the appeal on {a.reference} ({a.opportunity.title})",
                 url_for("decisions.decide_appeal", application_id=a.id))
            for a in applications.appeals_waiting(person)]
