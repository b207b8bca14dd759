"""Bounded work on every list: the board's filter choices kept by each worker for a
configured number of seconds, and a pagination that reads a handful of page numbers."""

import time

from portal.cache import kept_for
from portal.extensions import db
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


def test_a_pagination_shows_a_handful_of_pages_however_many_there_are():
    from portal.services.paging import page_window

    assert page_window(1, 1) == [1]
    assert page_window(1, 5) == [1, 2, None, 5]
    assert page_window(3, 5) == [1, 2, 3, 4, 5]
    assert page_window(4, 8) == [1, 2, 3, 4, 5, None, 8]  # one left out: shown
    assert page_window(5, 9) == [1, None, 4, 5, 6, None, 9]
    assert page_window(8000, 8000) == [1, None, 7999, 8000]


def test_people_services_list_keeps_its_count_but_reads_its_rows_live(app, monkeypatch):
    from portal.models import Application
    from portal.models.base import utcnow
    from portal.services.applications import all_applications
    from tests.helpers import count_queries

    app.config["LIST_COUNT_SECONDS"] = 30
    creator = make_user("Cora Creator")
    opportunity = make_opportunity(creator, publish=True)

    def applies(name):
        db.session.add(Application(reference=f"SEC-KEPT-{name}", opportunity=opportunity,
                                   applicant=make_user(name), status="submitted",
                                   submitted_at=utcnow()))
        db.session.commit()

    applies("First")
    assert all_applications().total == 1
    applies("Second")
    with count_queries() as statements:
        page = all_applications()
    assert page.total == 1 and len(page.items) == 2  # the count kept, the rows live
    assert len(statements) == 1

    later = time.monotonic() + 31
    monkeypatch.setattr(time, "monotonic", lambda: later)
    assert all_applications().total == 2
