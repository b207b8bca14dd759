"""The back office says things in words: UK times, yes or no, actions."""

from datetime import UTC, datetime

from blueprints.admin.presenters import action_in_words, uk_time, yes_no


def test_times_are_uk_times_in_words():
    assert uk_time(datetime(2026, 12, 3, 14, 15, tzinfo=UTC)) == "3 December 2026, 2:15pm"
    # British Summer Time: an hour ahead of UTC.
    assert uk_time(datetime(2026, 7, 1, 11, 5, tzinfo=UTC)) == "1 July 2026, 12:05pm"
    assert uk_time(datetime(2026, 1, 9, 0, 30, tzinfo=UTC)) == "9 January 2026, 12:30am"
    assert uk_time(None) == ""


def test_yes_and_no_in_words():
    assert (yes_no(True), yes_no(False), yes_no(None)) == ("Yes", "No", "")


def test_actions_in_words():
    assert action_in_words("role.removed") == "Role removed"
    assert action_in_words("sign_in.succeeded") == "Signed in"
    # Workflow actions read as the workflow says them.
    assert action_in_words("application.submit") == "Application submitted"
    assert action_in_words("opportunity.mark_filled") == "Opportunity marked as filled"
    # One nobody listed still reads as words, never as a code.
    assert action_in_words("new_thing.done_now") == "New thing done now"
