"""The board's filter choices are kept by each worker for a configured number of
seconds, then read again."""

import time

from portal.cache import kept_for
from portal.services.opportunities.board import filter_choices
from tests.factories import make_department, make_opportunity, make_user


def test_filter_choices_are_kept_for_the_configured_seconds_then_read_again(app,
                                                                           monkeypatch):
    app.config["BOARD_FILTERS_SECONDS"] = 60
    creator = make_user("Cora Creator")
    make_opportunity(creator, publish=True, department=make_department("Planning"))
    first = filter_choices()
    assert [name for _id, name in first["departments"]] == ["Planning"]

    make_opportunity(creator, publish=True, department=make_department("Harbours"))
    assert filter_choices() == first  # kept

    later = time.monotonic() + 61
    monkeypatch.setattr(time, "monotonic", lambda: later)
    assert [name for _id, name in filter_choices()["departments"]] == ["Harbours",
                                                                      "Planning"]


def test_nothing_is_kept_when_the_setting_is_zero(app):
    app.config["SOMETHING_SECONDS"] = 0
    calls = []

    @kept_for("SOMETHING_SECONDS")
    def read(value):
        calls.append(value)
        return value

    assert read(1) == read(1) == 1
    assert calls == [1, 1]
