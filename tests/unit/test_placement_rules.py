"""The rules a placement's terms keep, field by field (dates, R2, R3, R11, 004, the
international terms of 002 §5.4), what stops its agreement going to legal, and which
steps a placement's route has at all."""

from datetime import date, timedelta

import pytest

from portal.models.placements import Placement
from portal.services.placements.lifecycle import applies
from portal.services.placements.rules import (
    add_months,
    lasts_over,
    legal_problems,
    needs_board,
    term_problems,
)

TODAY = date(2027, 3, 10)
START = date(2027, 4, 1)


def terms(**overrides) -> dict:
    values = dict(kind="outgoing", title="Policy adviser", start_date=START,
                  end_date=date(2027, 9, 30), notice_weeks=4, return_post="Data analyst",
                  return_grade="Band 6", country="United Kingdom", duration_reason="")
    return values | overrides


def problems(new: bool = True, **overrides) -> dict[str, str]:
    return term_problems(terms(**overrides), TODAY, new=new)


def test_complete_terms_have_no_problem():
    assert problems() == {}


@pytest.mark.parametrize(("start", "months", "end", "over"), [
    (date(2027, 1, 1), 12, date(2027, 12, 31), False),
    (date(2027, 1, 1), 12, date(2028, 1, 1), True),
    (date(2027, 1, 31), 1, date(2027, 2, 27), False),
    (date(2027, 1, 31), 1, date(2027, 2, 28), True),   # the month's last day
    (date(2028, 2, 29), 12, date(2029, 2, 27), False),
    (date(2028, 2, 29), 12, date(2029, 2, 28), True),
])
def test_lengths_count_whole_calendar_months(start, months, end, over):
    assert lasts_over(start, end, months) is over


def test_add_months_keeps_the_day_or_takes_the_months_last():
    assert add_months(date(2027, 1, 31), 1) == date(2027, 2, 28)
    assert add_months(date(2027, 11, 15), 3) == date(2028, 2, 15)


def test_dates_are_required_and_the_end_is_not_before_the_start():
    assert problems(start_date=None, end_date=None) == {
        "start_date": "Enter the start date", "end_date": "Enter the end date"}
    assert problems(end_date=START - timedelta(days=1)) == {
        "end_date": "The end date must be on or after the start date"}
    assert problems(end_date=START) == {}  # a single day


def test_a_new_placement_cannot_start_in_the_past_but_one_under_way_keeps_its_date():
    past = TODAY - timedelta(days=1)
    assert problems(start_date=past) == {
        "start_date": "The start date must be today or in the future"}
    assert problems(start_date=TODAY) == {}
    assert problems(new=False, start_date=past) == {}


def test_r3_over_12_months_needs_a_reason_and_over_24_the_board():
    year_and_a_day = START + timedelta(days=366)
    assert problems(end_date=year_and_a_day) == {
        "duration_reason": "Explain why the placement needs more than 12 months"}
    assert problems(end_date=year_and_a_day, duration_reason="A long programme.") == {}
    three_years = add_months(START, 36) - timedelta(days=1)
    assert problems(end_date=three_years) == {
        "duration_reason": "Explain why the placement needs more than 24 months: the "
                           "Resources Board decides on it"}
    assert problems(end_date=add_months(START, 60)) == {
        "end_date": "A placement can last up to 60 months"}


def test_r2_an_incoming_secondee_stays_up_to_24_months():
    two_years = add_months(START, 24) - timedelta(days=1)
    assert problems(kind="incoming", end_date=two_years, duration_reason="Why") == {}
    assert problems(kind="incoming", end_date=two_years + timedelta(days=1),
                    duration_reason="Why") == {
        "end_date": "An incoming secondee can stay up to 24 months: the end date must be "
                    "within 24 months of the start"}


def test_an_informal_arrangement_lasts_up_to_6_months_and_keeps_its_post_without_saying():
    six = add_months(START, 6) - timedelta(days=1)
    assert problems(kind="informal", end_date=six, return_post="", return_grade="") == {}
    assert "end_date" in problems(kind="informal", end_date=six + timedelta(days=1))


def test_r11_the_post_and_grade_returned_to_are_written_down():
    assert problems(return_post=" ", return_grade="") == {
        "return_post": "Enter the post the secondee returns to: they keep the right to "
                       "return to it",
        "return_grade": "Enter the grade the secondee returns to"}


@pytest.mark.parametrize("overrides", [dict(kind="international"), dict(country="France")])
def test_abroad_the_living_terms_are_agreed_before_the_start(overrides):
    found = problems(**overrides)
    assert set(found) == {"accommodation", "subsistence", "travel", "insurance"}
    assert found["insurance"] == ("Enter what is agreed about insurance and health cover: "
                                  "an international placement agrees it before the start")
    agreed = dict(accommodation="Flat", subsistence="Daily rate", travel="Two flights",
                  insurance="Cover by the host")
    assert problems(**overrides, **agreed) == {}


@pytest.mark.parametrize(("weeks", "refused"), [(0, False), (52, False), (53, True),
                                                (10**30, True), (-1, True)])
def test_notice_is_within_a_year(weeks, refused):
    assert ("notice_weeks" in problems(notice_weeks=weeks)) is refused


def placement(**overrides) -> Placement:
    values = dict(kind="outgoing", route="direct", start_date=START,
                  end_date=date(2027, 9, 30), fairness_record="", signatory_id=1, secondee_id=3,
                  home_organisation_id=1, host_organisation_id=2, board_approved=None,
                  host_confirmed_at=None)
    return Placement(**(values | overrides))


def test_what_stops_the_agreement_going_to_legal():
    assert legal_problems(placement(host_confirmed_at=TODAY), TODAY) == []
    assert legal_problems(placement(), TODAY) == [
        "The other organisation's contact has not confirmed the details yet"]
    long = placement(end_date=add_months(START, 30), host_confirmed_at=TODAY)
    assert needs_board(long)
    assert legal_problems(long, TODAY) == [
        "It lasts more than 24 months: the Resources Board must approve it first"]
    long.board_approved = True
    assert legal_problems(long, TODAY) == []
    named = placement(route="named_request", host_organisation_id=1, signatory_id=None)
    assert legal_problems(named, TODAY) == [
        "A named request needs its fairness record: why it was not advertised and whether "
        "that could be damaging if made public", "Choose who signs for the organisation"]
    assert legal_problems(placement(host_organisation_id=1), START + timedelta(days=1)) == [
        "The start date has passed: change it before sending the agreement to legal"]
    assert legal_problems(placement(kind="informal", host_organisation_id=1), TODAY)[0] \
        .startswith("An informal arrangement needs no agreement for legal")
    # An incoming secondee set up without an account could never sign it.
    assert legal_problems(placement(secondee_id=None, host_confirmed_at=TODAY), TODAY) == [
        "Link the secondee's account first: they sign the agreement signed in with it"]


def test_each_route_has_only_its_own_steps():
    short, long = placement(), placement(end_date=add_months(START, 30))
    informal = placement(kind="informal")
    assert not applies(short, "ask_board") and applies(long, "ask_board")
    assert applies(informal, "approve_informal") and not applies(short, "approve_informal")
    assert not applies(informal, "send_to_legal") and applies(short, "send_to_legal")
    assert applies(short, "cancel")
