"""The applicant's section of the home page: their applications and what happens next."""

from flask import url_for

from portal.permissions import Role
from portal.services import applications
from portal.services.home import Item, section

SHOWN = 5


@section("Your secondments", order=20, shown_to=lambda person: Role.STAFF in person.roles,
         empty_text="You have no applications yet. Opportunities you apply for will appear "
                    "here with what happens next.")
def your_applications(person) -> list[Item]:
    page = applications.applications_of(person, per_page=SHOWN)
    items = [Item(f"{a.opportunity.title}: {a.status_enum.label.lower()}. "
                  f"{a.status_enum.next_step}",
                  url_for("applications.view_application", application_id=a.id))
             for a in page.items]
    if page.total > len(items):
        items.append(Item(f"All {page.total} of your applications",
                          url_for("applications.my_applications")))
    return items
