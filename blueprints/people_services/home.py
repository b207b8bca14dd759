"""What waits on People Services beyond appeals: e-mail the portal could not deliver."""

from flask import url_for

from portal.permissions import Permission
from portal.services import outbox
from portal.services.home import Item, waiting


@waiting(order=50, shown_to=lambda person: person.can(Permission.RESEND_EMAIL))
def undelivered_email(person) -> list[Item]:
    count = outbox.undelivered_count()
    if not count:
        return []
    return [Item(f"{count} e-mail{'s' if count != 1 else ''} could not be delivered",
                 url_for("people_services.undelivered_email"))]
