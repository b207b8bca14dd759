"""The host organisation's contact's section of the home page."""

from portal.permissions import Role
from portal.services.home import section


@section("Your organisation's placements", order=10,
         shown_to=lambda person: Role.HOST_CONTACT in person.roles,
         empty_text="Nothing needs your organisation at the moment.")
def host_placements(person) -> list:
    return []
