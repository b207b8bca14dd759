"""The board's part of the home page: how many opportunities are open, the drafts a
manager has to finish and the business cases waiting for the Resources Board."""

from flask import url_for

from portal.permissions import Permission
from portal.services import opportunities
from portal.services.home import Item, section, waiting


@section("Find a secondment", order=30,
         shown_to=lambda person: person.can(Permission.VIEW_BOARD),
         empty_text="There are no open opportunities at the moment. New ones appear on the "
                    "board as soon as they are published.")
def open_opportunities(person) -> list[Item]:
    count = opportunities.open_count()
    if not count:
        return []
    return [Item(f"{count} open {'opportunity' if count == 1 else 'opportunities'} on the "
                 "vacancies board", url_for("vacancies.board"))]


@waiting(order=30, shown_to=lambda person: person.can(Permission.DECIDE_BUSINESS_CASE),
         describes="business cases and secondments beyond two years to decide")
def business_cases_to_decide(person) -> list[Item]:
    count = len(opportunities.cases_awaiting_decision(person))
    if not count:
        return []
    return [Item(f"{count} business case{'s' if count != 1 else ''} waiting for the "
                 "Resources Board", url_for("vacancies.business_cases"))]


@waiting(order=40, shown_to=lambda person: person.can(Permission.CREATE_OPPORTUNITY))
def drafts_to_finish(person) -> list[Item]:
    drafts = opportunities.managed_counts(person).get("draft", 0)
    if not drafts:
        return []
    return [Item(f"{drafts} draft opportunit{'y' if drafts == 1 else 'ies'} to finish",
                 url_for("vacancies.your_opportunities"))]
