"""What the placements put on each person's home page: what waits for People Services,
legal, the Resources Board, the parties who sign and the managers, and a manager's
section of their people's placements. (A host organisation's contact has a section of
their own organisation's, with the host pages.)"""

from flask import url_for

from portal.formatting import long_date
from portal.permissions import Permission, Role
from portal.services.home import Item, more, section, waiting
from portal.services.placements import waiting_for

SHOWN = 5  # of each kind of thing; the rest are a link away


def _page(placement) -> str:
    return url_for("placements.view_placement", placement_id=placement.id)


def _who(placement) -> str:
    return placement.secondee.name if placement.secondee else placement.secondee_name


def _items(some: waiting_for.Some, text, rest: str | None = None, href: str | None = None,
           due=None) -> list[Item]:
    """One line per placement shown, then the "And N more" line: to People Services'
    list where it is theirs, or else to the next placement not shown."""
    shown = some.placements[:SHOWN]
    items = [Item(text(p), _page(p), due(p) if due else None) for p in shown]
    if len(some.placements) > SHOWN and href is None:
        following = some.placements[SHOWN]
        rest, href = f"the next is {following.title} ({_who(following)})", _page(following)
    return items + more(len(items), some.total, rest or "", href or "")


def _people_services(person) -> bool:
    return person.can(Permission.MANAGE_PLACEMENTS)


def _list(**filters) -> str:
    return url_for("placements.list_placements", **filters)


@waiting(order=30, shown_to=_people_services,
         describes="placements to look at again, to send to the Resources Board, "
                   "to approve and to start")
def waiting_on_people_services(person) -> list[Item]:
    return [
        *_items(waiting_for.corrections_proposed(SHOWN),
                lambda p: f"Consider the corrections proposed to {p.title} ({_who(p)})",
                "see every proposed placement", _list(status="proposed")),
        *_items(waiting_for.returned_by_legal(SHOWN),
                lambda p: f"Legal returned the agreement for {p.title} ({_who(p)}) with "
                          "comments",
                "see every proposed placement", _list(status="proposed")),
        *_items(waiting_for.to_send_to_board(SHOWN),
                lambda p: f"Ask the Resources Board to approve {p.title} ({_who(p)}): over "
                          "24 months",
                "see every proposed placement", _list(status="proposed")),
        *_items(waiting_for.informal_to_approve(SHOWN),
                lambda p: f"Approve the informal arrangement {p.title} ({_who(p)}): both "
                          "managers have agreed it",
                "see every proposed placement", _list(status="proposed", kind="informal")),
        *_items(waiting_for.ready_to_start(SHOWN),
                lambda p: f"Start {_who(p)}'s placement, {p.title}, on "
                          f"{long_date(p.start_date)}",
                "see every placement ready to start", _list(status="ready"),
                due=lambda p: p.start_date),
    ]


@waiting(order=31, shown_to=lambda person: person.can(Permission.RATIFY_AGREEMENTS),
         describes="secondment agreements to ratify")
def agreements_to_ratify(person) -> list[Item]:
    return _items(waiting_for.to_ratify(SHOWN),
                  lambda p: f"Ratify or return the agreement for {p.title} ({_who(p)})")


@waiting(order=32, shown_to=lambda person: person.can(Permission.DECIDE_BUSINESS_CASE),
         describes="placements over 24 months to decide")
def durations_to_decide(person) -> list[Item]:
    return _items(waiting_for.durations_to_decide(person, SHOWN),
                  lambda p: f"Decide on {p.title} ({_who(p)}): a placement over 24 months")


def _staff(person) -> bool:
    return Role.STAFF in person.roles


@waiting(order=33, shown_to=_staff, describes="secondment agreements to sign")
def agreements_to_sign(person) -> list[Item]:
    return _items(waiting_for.to_sign(person, SHOWN),
                  lambda p: f"Sign the agreement for {p.title}"
                            + ("" if p.secondee_id == person.id else f" ({_who(p)})"),
                  due=lambda p: p.start_date)


def _manager(person) -> bool:
    return Role.LINE_MANAGER in person.roles


def _informal_described(person) -> str:
    return ("informal secondments and job shadowing to agree"
            if Role.LINE_MANAGER in person.roles else "")


# A host manager need not manage anyone yet: the arrangement waits for them all the same.
@waiting(order=34, shown_to=_staff, describes=_informal_described)
def informal_to_agree(person) -> list[Item]:
    return _items(waiting_for.informal_to_agree(person, SHOWN),
                  lambda p: f"Agree the informal arrangement for {_who(p)}: {p.title}")


@section("Placements of people you manage", order=25, shown_to=_manager,
         empty_text="None of the people you manage has a placement. Their placements will "
                    "appear here with where each stands.")
def placements_managed(person) -> list[Item]:
    return _items(waiting_for.managed_by(person, SHOWN),
                  lambda p: f"{_who(p)}: {p.title}, from {long_date(p.start_date)}. "
                            f"{p.status_enum.label}")
