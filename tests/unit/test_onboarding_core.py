"""Onboarding checklists' dates and generation (R9): working days that skip each UK
nation's bank holidays (govuk-bank-holidays' cached list), the templates each kind of
placement gets, the template version each item came from, and due dates that follow a
start date that moves. Item moves and owners: test_onboarding_items.py."""

from datetime import date, timedelta
from types import SimpleNamespace

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.models import OutboxMessage
from portal.models.onboarding import (
    ChecklistTemplate,
    ChecklistTemplateVersion,
    Nation,
    TemplateItem,
)
from portal.models.onboarding import TemplateKind as K
from portal.permissions import Role
from portal.services import placements
from portal.services.identity import own_organisation
from portal.services.onboarding import generation, items
from portal.services.onboarding.defaults import DEFAULTS
from portal.services.onboarding.workdays import (
    bank_holidays,
    is_working_day,
    working_days_between,
    working_days_from,
)
from tests.factories import make_organisation, make_placement, make_user, placement_terms

EW, SCOT, NI = Nation.ENGLAND_AND_WALES, Nation.SCOTLAND, Nation.NORTHERN_IRELAND
ABROAD = dict(country="France", location="Paris", accommodation="A flat, paid by the host.",
              subsistence="A daily allowance.", travel="Return train fares.",
              insurance="The host's health cover.")


# --- working days ----------------------------------------------------------------------

@pytest.mark.parametrize(("day", "holiday_in"), [
    # 2026: Christmas on a Friday, Boxing Day (a Saturday) moved to Monday 28th.
    (date(2026, 12, 25), {EW, SCOT, NI}),
    (date(2026, 12, 28), {EW, SCOT, NI}),
    # 2027: 25 December is a Saturday: both days move, to Monday 27th and Tuesday 28th.
    (date(2027, 12, 27), {EW, SCOT, NI}),
    (date(2027, 12, 28), {EW, SCOT, NI}),
    (date(2027, 12, 29), set()),
    # Easter 2027: Good Friday everywhere, Easter Monday everywhere but Scotland.
    (date(2027, 3, 26), {EW, SCOT, NI}),
    (date(2027, 3, 29), {EW, NI}),
    # 2 January in Scotland only (2026 a Friday; in 2028 moved to Tuesday 4th).
    (date(2026, 1, 2), {SCOT}),
    (date(2028, 1, 4), {SCOT}),
    (date(2028, 1, 3), {EW, SCOT, NI}),   # New Year's Day (a Saturday) moved
    # St Patrick's Day and the Battle of the Boyne in Northern Ireland only.
    (date(2027, 3, 17), {NI}),
    (date(2027, 7, 12), {NI}),
    (date(2026, 7, 13), {NI}),            # 12 July 2026 is a Sunday: moved to Monday
    # St Andrew's Day, and Scotland's summer bank holiday at the start of August.
    (date(2027, 11, 30), {SCOT}),
    (date(2027, 8, 2), {SCOT}),
    (date(2027, 8, 30), {EW, NI}),
])
def test_each_nation_skips_its_own_bank_holidays(day, holiday_in):
    assert day.weekday() < 5
    for nation in Nation:
        assert is_working_day(day, nation) is (nation not in holiday_in), (day, nation)
        assert (day in bank_holidays(nation)) is (nation in holiday_in), (day, nation)


def test_weekends_are_never_working_days_and_an_unknown_nation_counts_as_england():
    for nation in Nation:
        assert not is_working_day(date(2027, 3, 27), nation)   # a Saturday
        assert not is_working_day(date(2027, 3, 28), nation)   # a Sunday
    assert bank_holidays("atlantis") == bank_holidays(EW)
    assert is_working_day(date(2027, 3, 29)) is False           # England's by default


@pytest.mark.parametrize(("start", "nation", "expected"), [
    (date(2027, 3, 30), EW, date(2027, 3, 30)),     # a working day is itself
    (date(2027, 3, 29), EW, date(2027, 3, 30)),     # Easter Monday: the next day
    (date(2027, 3, 29), SCOT, date(2027, 3, 29)),   # ... a working day in Scotland
    (date(2027, 3, 27), EW, date(2027, 3, 30)),     # Saturday, Sunday, Easter Monday
    (date(2027, 3, 27), SCOT, date(2027, 3, 29)),
    (date(2027, 12, 25), EW, date(2027, 12, 29)),   # Saturday and the two moved days
    (date(2027, 7, 10), NI, date(2027, 7, 13)),     # Saturday, Sunday, 12 July
    (date(2027, 7, 10), EW, date(2027, 7, 12)),
])
def test_offset_zero_on_a_weekend_or_bank_holiday_is_the_next_working_day(
        start, nation, expected):
    assert working_days_from(start, 0, nation) == expected


@pytest.mark.parametrize(("start", "offset", "nation", "expected"), [
    # Back across Christmas 2027: Wednesday 29th, then 28th, 27th (moved), the weekend.
    (date(2027, 12, 29), -1, EW, date(2027, 12, 24)),
    (date(2027, 12, 29), -3, EW, date(2027, 12, 22)),
    # From a bank holiday itself, counting back starts the day before.
    (date(2027, 12, 27), -1, EW, date(2027, 12, 24)),
    # Back across New Year 2028: 3 January everywhere, 4 January in Scotland too.
    (date(2028, 1, 5), -1, EW, date(2028, 1, 4)),
    (date(2028, 1, 5), -2, EW, date(2027, 12, 31)),
    (date(2028, 1, 5), -1, SCOT, date(2027, 12, 31)),
    # Back across Easter 2027: Scotland works on Easter Monday.
    (date(2027, 3, 30), -2, EW, date(2027, 3, 24)),
    (date(2027, 3, 30), -2, SCOT, date(2027, 3, 25)),
    (date(2027, 3, 30), -5, EW, date(2027, 3, 19)),
    (date(2027, 3, 30), -5, SCOT, date(2027, 3, 22)),
    # Back across St Patrick's Day in Northern Ireland only.
    (date(2027, 3, 18), -1, NI, date(2027, 3, 16)),
    (date(2027, 3, 18), -1, EW, date(2027, 3, 17)),
    # Forward across Christmas 2027.
    (date(2027, 12, 24), 1, EW, date(2027, 12, 29)),
    (date(2027, 12, 20), 5, EW, date(2027, 12, 29)),
    (date(2027, 12, 25), 1, SCOT, date(2027, 12, 29)),
])
def test_offsets_count_working_days_before_and_after_the_start(start, offset, nation,
                                                               expected):
    assert working_days_from(start, offset, nation) == expected


def test_working_days_between_counts_the_working_days_after_the_first_day():
    assert working_days_between(date(2027, 12, 24), date(2027, 12, 31)) == 3
    assert working_days_between(date(2027, 12, 24), date(2027, 12, 24)) == 0
    assert working_days_between(date(2027, 12, 31), date(2027, 12, 24)) == 0
    # Easter Monday is one more working day in Scotland.
    assert working_days_between(date(2027, 3, 25), date(2027, 3, 30), EW) == 1
    assert working_days_between(date(2027, 3, 25), date(2027, 3, 30), SCOT) == 2
    # The two functions agree: n working days on is n working days between.
    for nation in Nation:
        for offset in (1, 5, 20):
            day = working_days_from(date(2027, 12, 20), offset, nation)
            assert working_days_between(date(2027, 12, 20), day, nation) == offset


# --- generation ------------------------------------------------------------------------

@pytest.fixture
def cast(app):
    lakes = make_organisation("Lakes National Park Authority")
    manager = make_user("Mo Manager")
    return SimpleNamespace(
        lakes=lakes, manager=manager,
        paris=make_organisation("Ville de Paris"),
        officer=make_user("Pat People", roles=[Role.STAFF, Role.PEOPLE_SERVICES]),
        secondee=make_user("Sam Secondee", line_manager=manager),
        host=make_user("Hal Host-Manager"),
        incomer=make_user("Ina Coming", email="ina@example.org"),
        contact=make_user("Hana Host", organisation=lakes, roles=[Role.HOST_CONTACT]))


def placement_of_kind(cast, kind: str, **overrides):
    if "start_date" in overrides or kind == "informal":   # informal: up to 6 months
        start = overrides.setdefault("start_date", placement_terms()["start_date"])
        overrides.setdefault("end_date", start + timedelta(days=60))
    if kind == "incoming":
        overrides = dict(partner=cast.lakes, secondee_name="Ina Coming",
                         not_contractor=True,
                         host_manager_staff_email=cast.host.email) | overrides
        return make_placement(cast.officer, cast.incomer, kind=kind, **overrides)
    if kind in ("outgoing", "international"):
        overrides = dict(partner=cast.lakes) | overrides
    if kind in ("internal", "informal", "shorter_term"):
        overrides = dict(host_manager_staff_email=cast.host.email) | overrides
    return make_placement(cast.officer, cast.secondee, kind=kind, **overrides)


def titles(kinds) -> list[str]:
    return [item[0] for kind in kinds for item in DEFAULTS[kind][1]]


@pytest.mark.parametrize(("kind", "overrides", "kinds"), [
    ("incoming", {}, [K.INCOMING]),
    ("outgoing", {}, [K.OUTGOING]),
    ("internal", {}, [K.INTERNAL]),
    ("shorter_term", {}, [K.INTERNAL]),
    ("informal", {}, [K.INFORMAL]),
    ("international", dict(partner="paris", **ABROAD), [K.OUTGOING, K.INTERNATIONAL]),
    ("outgoing", dict(partner="paris", **ABROAD), [K.OUTGOING, K.INTERNATIONAL]),
    ("incoming", dict(partner="paris", **ABROAD),
     [K.INCOMING, K.INTERNATIONAL, K.INTERNATIONAL_INCOMING]),
], ids=["incoming", "outgoing", "internal", "shorter-term", "informal",
        "international", "outgoing-abroad", "incoming-international"])
def test_each_kind_of_placement_gets_its_templates_items(cast, kind, overrides, kinds):
    if overrides.get("partner") == "paris":
        overrides = overrides | {"partner": cast.paris}
    placement = placement_of_kind(cast, kind, **overrides)
    checklist = sorted(placement.checklist_items, key=lambda i: i.position)
    assert [item.title for item in checklist] == titles(kinds)
    assert [item.position for item in checklist] == list(range(1, len(checklist) + 1))
    # Each item says which template version it came from: the current one of its kind.
    versions = {t.kind: t.current.id for t in db.session.scalars(select(ChecklistTemplate))}
    assert [item.template_version_id for item in checklist] == [
        versions[k] for k in kinds for _ in DEFAULTS[k][1]]
    if K.INTERNATIONAL_INCOMING in kinds:
        assert "English-language proficiency noted" in [i.title for i in checklist]
    source = [entry for k in kinds for entry in DEFAULTS[k][1]]
    for item, (_title, guidance, owner, offset, phase, blocking, records, label) in zip(
            checklist, source, strict=True):
        assert (item.guidance, item.owner_type, item.offset_days, item.phase,
                item.blocking, item.records, item.record_label) == (
            guidance, owner, offset, phase, blocking, records, label)
        assert item.status == "not_started"


def test_due_dates_skip_the_bank_holidays_of_the_nation_the_work_is_in(cast):
    """Internal: our own organisation's nation; outgoing: the host's."""
    start = date(2027, 3, 30)   # the Tuesday after Easter Monday
    own = own_organisation()
    in_england = placement_of_kind(cast, "internal", start_date=start)
    own.nation = SCOT
    db.session.commit()
    in_scotland = placement_of_kind(cast, "internal", start_date=start)

    def due(placement):
        return {item.title: item.due_date for item in placement.checklist_items}

    assert due(in_england)["Access to the host team's systems"] == date(2027, 3, 24)
    assert due(in_scotland)["Access to the host team's systems"] == date(2027, 3, 25)
    assert due(in_england)["Handover of current work"] == date(2027, 3, 19)
    assert due(in_scotland)["Handover of current work"] == date(2027, 3, 22)
    assert due(in_england)["Local induction"] == due(in_scotland)["Local induction"] == date(
        2027, 4, 2)
    cast.lakes.nation = NI
    db.session.commit()
    in_ulster = placement_of_kind(cast, "outgoing", start_date=date(2027, 7, 13))
    assert due(in_ulster)["Handover of current work"] == date(2027, 7, 5)   # not 12 July
    for placement, nation in ((in_england, EW), (in_scotland, SCOT), (in_ulster, NI)):
        for item in placement.checklist_items:
            assert item.due_date == working_days_from(placement.start_date,
                                                      item.offset_days, nation)


@pytest.mark.parametrize("kind", ["international", "incoming"])
def test_a_placement_abroad_or_from_abroad_counts_our_own_nations_working_days(cast, kind):
    """The arrangements are made here, in Scotland, whichever way the secondee goes: the
    organisation abroad has no UK bank holidays of its own."""
    own = own_organisation()
    own.nation = SCOT
    db.session.commit()
    placement = placement_of_kind(cast, kind, partner=cast.paris, start_date=date(2027, 3, 30),
                                  **ABROAD)
    assert generation.nation_of(placement) == SCOT
    for item in placement.checklist_items:
        assert item.due_date == working_days_from(date(2027, 3, 30), item.offset_days, SCOT)


def edit_template(kind: str, by) -> ChecklistTemplateVersion:
    """People Services' new version of a template: its first item renamed and no longer
    blocking, and one item more."""
    template = db.session.scalar(select(ChecklistTemplate).where(
        ChecklistTemplate.kind == kind))
    current = template.current
    copied = [TemplateItem(
        position=source.position, title=source.title, guidance=source.guidance,
        owner_type=source.owner_type, offset_days=source.offset_days, phase=source.phase,
        blocking=source.blocking, records=source.records, record_label=source.record_label)
        for source in current.items]
    version = ChecklistTemplateVersion(template=template, number=current.number + 1,
                                       change="Induction confirmed with the details",
                                       created_by_id=by.id, items=copied)
    db.session.add(version)
    version.items[0].title = "Host organisation's details and induction confirmed"
    version.items[0].blocking = False
    version.items.append(TemplateItem(
        position=len(version.items) + 1, title="Security pass requested",
        owner_type="people_services", offset_days=-3, phase="before_start"))
    db.session.commit()
    return version


def test_a_template_edited_later_changes_no_checklist_already_generated(cast):
    before = placement_of_kind(cast, "outgoing")
    first = {item.template_version_id for item in before.checklist_items}
    generated = [(i.id, i.title, i.blocking) for i in before.checklist_items]
    second = edit_template(K.OUTGOING, cast.officer)
    assert first == {second.template.versions[0].id} and second.number == 2
    # A change to its terms generates again: the template is already used, so nothing.
    placements.update_terms(cast.officer, before, {"location": "Windermere"},
                            expected_version=before.version)
    db.session.expire_all()
    before = db.session.get(type(before), before.id)
    assert [(i.id, i.title, i.blocking) for i in sorted(
        before.checklist_items, key=lambda i: i.position)] == generated
    assert {i.template_version_id for i in before.checklist_items} == first
    after = placement_of_kind(cast, "outgoing")
    checklist = sorted(after.checklist_items, key=lambda i: i.position)
    assert [i.title for i in checklist] == [i.title for i in second.items]
    assert checklist[0].title == "Host organisation's details and induction confirmed"
    assert not checklist[0].blocking and checklist[-1].title == "Security pass requested"
    assert {i.template_version_id for i in checklist} == {second.id}


def test_a_placement_that_becomes_international_gains_the_international_items(cast):
    placement = placement_of_kind(cast, "outgoing")
    placements.update_terms(cast.officer, placement, ABROAD,
                            expected_version=placement.version)
    checklist = sorted(placement.checklist_items, key=lambda i: i.position)
    assert [i.title for i in checklist] == titles([K.OUTGOING, K.INTERNATIONAL])
    assert len({i.position for i in checklist}) == len(checklist)


def dates_moved_mail() -> dict[str, OutboxMessage]:
    return {m.recipients: m for m in db.session.scalars(select(OutboxMessage).where(
        OutboxMessage.template == "checklist_dates_moved"))}


def test_the_open_items_due_dates_follow_a_start_date_that_moves(cast, app):
    start, moved_to = date(2027, 12, 20), date(2028, 1, 5)
    placement = placement_of_kind(cast, "outgoing", start_date=start)
    by_title = {item.title: item for item in placement.checklist_items}
    pay = by_title["Pay and expenses arranged"]   # People Services' only item
    items.update(cast.officer, pay, "complete", expected_version=pay.version)
    closed_due = pay.due_date
    assert by_title["Handover of current work"].due_date == date(2027, 12, 13)
    assert by_title["Keeping in touch agreed"].due_date == date(2027, 12, 29)
    placements.update_terms(cast.officer, placement, {"start_date": moved_to},
                            expected_version=placement.version)
    db.session.expire_all()
    by_title = {item.title: item for item in placement.checklist_items}
    handover = by_title["Handover of current work"]
    assert handover.due_date == date(2027, 12, 24)   # back across 3 Jan and Christmas
    assert handover.note == ("Due date moved from 13 December 2027 to 24 December 2027 "
                             "when the start date moved from 20 December 2027 to "
                             "5 January 2028.")
    assert by_title["Keeping in touch agreed"].due_date == date(2028, 1, 12)
    for item in placement.checklist_items:
        if item.is_open:
            assert item.due_date == working_days_from(moved_to, item.offset_days, EW)
            assert "when the start date moved from 20 December 2027" in item.note
    # The completed item keeps its date and has no note.
    assert (by_title["Pay and expenses arranged"].due_date, by_title[
        "Pay and expenses arranged"].note) == (closed_due, "")
    # Each owner of a moved item is told once, about theirs only.
    mail = dates_moved_mail()
    assert set(mail) == {cast.contact.email, cast.manager.email}
    assert app.config["PEOPLE_SERVICES_EMAIL"] not in mail
    to_manager = mail[cast.manager.email].body
    assert "Handover of current work: due 24 December 2027" in to_manager
    assert "Keeping in touch agreed: due 12 January 2028" in to_manager
    assert "Host organisation's details confirmed" not in to_manager
    to_contact = mail[cast.contact.email].body
    assert "Host organisation's details confirmed: due" in to_contact
    assert "(must be done before the start)" in to_contact
    assert "Pay and expenses" not in to_contact + to_manager
    assert generation.checklist_link(placement) in to_contact


def test_a_move_that_changes_no_due_date_notes_nothing_and_tells_no_one(cast):
    # Saturday to Sunday: every count of working days lands where it did.
    placement = placement_of_kind(cast, "outgoing", start_date=date(2027, 12, 18))
    due = {item.id: item.due_date for item in placement.checklist_items}
    placements.update_terms(cast.officer, placement, {"start_date": date(2027, 12, 19)},
                            expected_version=placement.version)
    assert {item.id: item.due_date for item in placement.checklist_items} == due
    assert {item.note for item in placement.checklist_items} == {""}
    assert dates_moved_mail() == {}



def test_an_organisation_abroad_skips_only_weekends():
    assert bank_holidays(Nation.ABROAD) == frozenset()
    assert is_working_day(date(2027, 12, 27), Nation.ABROAD)     # England's substitute day
    assert not is_working_day(date(2027, 12, 27), EW)
