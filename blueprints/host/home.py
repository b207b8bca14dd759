"""The host organisation's contact's section of the home page: nothing waits on them
yet; the placement features add their own lines here."""

from portal.permissions import Role
from portal.services.home import section


@section("Your organisation", order=10,
         shown_to=lambda person: Role.HOST_CONTACT in person.roles,
         empty_text="Nothing needs your organisation in the portal at the moment. People "
                    "Services will e-mail you when something does.")
def host_placements(person) -> list:
    return []
