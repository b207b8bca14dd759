"""What the back office offers administrators, for their home page."""

from portal.permissions import Role
from portal.services.home import waiting


@waiting(order=90, shown_to=lambda person: Role.ADMIN in person.roles,
         describes="role assignments and reference data in the back office")
def back_office_work(person) -> list:
    return []
