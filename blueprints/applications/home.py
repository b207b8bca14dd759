"""The applicant's part of the home page: what waits on them (offers to answer,
refusals they may still appeal, drafts to finish), and their applications with what
happens next."""

from flask import url_for

from portal.formatting import long_date
from portal.permissions import Role
from portal.services import applications
from portal.services.home import Item, more, section, waiting

SHOWN = 5


def _is_staff(person) -> bool:
    return Role.STAFF in person.roles


def _waiting_item(w: applications.WaitingOnApplicant) -> Item:
    a, title, by = w.application, w.application.opportunity.title, long_date(w.due)
    if w.kind == "offer":
        if applications.reply_overdue(a):
            text = f"Answer the offer for {title}: you were asked to answer by {by}"
        else:
            text = f"Answer the offer for {title} by {by}"
        return Item(text, url_for("applications.answer_offer", application_id=a.id), w.due)
    if w.kind == "appeal":
        return Item(f"Your application for {title} was refused: you may appeal until {by}",
                    url_for("applications.view_application", application_id=a.id), w.due)
    return Item(f"Finish your application for {title} and submit it by {by}",
                url_for("applications.edit_application", application_id=a.id), w.due)


@waiting(order=5, shown_to=_is_staff,
         describes="offers to answer, refusals you may appeal and applications to finish")
def waiting_on_applicant(person) -> list[Item]:
    things = applications.waiting_on_applicant(person)
    return [_waiting_item(w) for w in things[:SHOWN]] + more(
        SHOWN, len(things), "see all your applications",
        url_for("applications.my_applications"))


@section("Your secondments", order=20, shown_to=_is_staff,
         empty_text="You have no applications yet. Opportunities you apply for will appear "
                    "here with what happens next.")
def your_applications(person) -> list[Item]:
    page = applications.applications_of(person, per_page=SHOWN)
    items = [Item(f"{a.opportunity.title}: {a.status_enum.label.lower()}. "
                  f"{a.status_enum.next_step}",
                  url_for("applications.view_application", application_id=a.id))
             for a in page.items]
    return items + more(len(items), page.total,
                        f"see all {page.total} of your applications",
                        url_for("applications.my_applications"))
