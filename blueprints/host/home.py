"""The host organisation's contact's section of the home page: the placements waiting
on them (details to confirm, agreements to sign), a few at a time, and where all their
organisation's placements are."""

from flask import url_for

from blueprints.host.links import url_for_waiting
from portal.permissions import Role
from portal.services.home import Item, more, section
from portal.services.placements import contacts

SHOWN = 5


@section("Your organisation", order=10,
         shown_to=lambda person: Role.HOST_CONTACT in person.roles,
         empty_text="Nothing needs your organisation in the portal at the moment. People "
                    "Services will e-mail you when something does.")
def host_placements(person) -> list[Item]:
    if not person.is_enabled or person.organisation.is_own:
        return []
    waiting, total = contacts.things_waiting(person, limit=SHOWN)
    listed = url_for("host.list_placements")
    items = [Item(f"{w.what} for {w.placement.secondee_name}'s placement "
                  f"({w.placement.title})", url_for_waiting(w.what, w.placement.id))
             for w in waiting]
    items += more(len({w.placement.id for w in waiting}), total,
                  "see your organisation's placements", listed)
    if total <= SHOWN and contacts.organisation_placement_count(person):
        items.append(Item("See all your organisation's placements", listed))
    return items
