"""People Services setting placements up (from an accepted offer, or directly), changing
their terms, and the placement page with its action pages: the Resources Board, the
informal route, sending to legal, starting and cancelling; who may do each, and what
bad input, a stale page or a hostile post get."""

from datetime import timedelta
from types import SimpleNamespace

import pytest
from sqlalchemy import func, select

from portal.extensions import db
from portal.models import Application, OutboxMessage
from portal.models.placements import Placement
from portal.models.placements import PlacementStatus as P
from portal.permissions import Role
from portal.services import applications as service
from portal.services import placements
from portal.services.opportunities import london_today
from portal.services.sessions import start_session
from tests.factories import (
    complete_blocking_items,
    make_department,
    make_opportunity,
    make_organisation,
    make_placement,
    make_user,
    placement_terms,
)
from tests.helpers import Page

TOO_BIG = "9223372036854775808"


def sign_in_as(client, user) -> None:
    """A signed-in session for `user`, made directly (no identity provider needed)."""
    key = start_session(user, "staff", None)
    db.session.commit()
    with client.session_transaction() as session:
        session["_user_id"] = key
        session["_fresh"] = True


def as_(client, user):
    with client.session_transaction() as session:
        session.clear()
    sign_in_as(client, user)
    return client


@pytest.fixture
def cast(app):
    lakes = make_organisation("Lakes National Park Authority")
    head = make_user("Hattie Head", roles=[Role.STAFF, Role.HEAD_OF_DEPARTMENT])
    department = make_department("Coastal Unit", head=head)
    manager = make_user("Mo Manager", roles=[Role.STAFF, Role.LINE_MANAGER],
                        department=department, line_manager=head)
    return SimpleNamespace(
        lakes=lakes, department=department, manager=manager, head=head,
        officer=make_user("Pat People", roles=[Role.STAFF, Role.PEOPLE_SERVICES],
                          department=department),
        secondee=make_user("Sam Secondee", email="sam@example.org", department=department,
                           line_manager=manager),
        host=make_user("Hal Host-Manager", email="hal@example.org"),
        board=make_user("Bo Board", roles=[Role.STAFF, Role.RESOURCES_BOARD]),
        stranger=make_user("Stu Stranger"),
        contact=make_user("Hana Host", organisation=lakes, roles=[Role.HOST_CONTACT]))


def count() -> int:
    return db.session.scalar(select(func.count(Placement.id)))


def fresh(placement_id: int) -> Placement:
    db.session.expire_all()
    return db.session.get(Placement, placement_id)


def form_data(page: Page, **fields) -> dict:
    """What the page's form posts: its hidden fields and prefilled values, then `fields`
    (a date as (day, month, year), a field left out as None)."""
    data: dict[str, object] = {}
    for field in page.soup.select("form input, form textarea, form select"):
        name = field.get("name")
        if not name:
            continue
        if field.name == "textarea":
            data[name] = field.text
        elif field.name == "select":
            chosen = field.find("option", selected=True)
            data[name] = chosen["value"] if chosen else ""
        elif field.get("type") in ("radio", "checkbox"):
            if field.has_attr("checked"):
                data[name] = field["value"]
        elif field.get("type") != "submit":
            data.setdefault(name, [])
            data[name].append(field.get("value", ""))
    data = {k: (v[0] if isinstance(v, list) and len(v) == 1 else v) for k, v in data.items()}
    for name, value in fields.items():
        if value is None:
            data.pop(name, None)
        elif hasattr(value, "year"):
            data[name] = [str(value.day), str(value.month), str(value.year)]
        elif isinstance(value, tuple):
            data[name] = list(value)
        else:
            data[name] = value
    return data


def next_to(page: Page, field: str) -> str:
    """The error shown in the form group of `field` (its question), or ""."""
    control = page.soup.find(attrs={"name": field})
    groups = control.find_parents(class_="govuk-form-group") if control else []
    group = groups[-1] if groups else None  # a date's boxes are groups inside its own
    error = group.select_one(".govuk-error-message") if group else None
    return error.get_text(" ", strip=True) if error else ""


def post_page(client, url: str, **fields):
    return client.post(url, data=form_data(client.page(url), **fields))


def direct_fields(cast, **overrides) -> dict:
    terms = placement_terms()
    fields = dict(kind="outgoing", partner_organisation_id=str(cast.lakes.id),
                  secondee_email=cast.secondee.email, title=terms["title"],
                  start_date=terms["start_date"], end_date=terms["end_date"],
                  hours=terms["hours"], location="Kendal", grade="Band 6",
                  return_post="Data analyst", return_grade="Band 6",
                  substantive_manager_email=cast.manager.email)
    return fields | overrides


# --- setting a placement up directly ---------------------------------------------------

def test_people_services_set_up_a_placement_directly(client, cast):
    as_(client, cast.officer)
    page = client.page("/placements/new")
    assert page.h1 == "Set up a placement"
    options = [o.text for o in page.soup.select("select[name=partner_organisation_id] option")]
    assert options == ["Not applicable", "Lakes National Park Authority"]
    answer = post_page(client, "/placements/new", **direct_fields(cast))
    assert answer.status_code == 302, Page(answer).error_messages()
    placement = db.session.scalar(select(Placement))
    assert answer.location.endswith(f"/placements/{placement.id}")
    assert (placement.status, placement.kind, placement.host_organisation_id) == (
        P.PROPOSED, "outgoing", cast.lakes.id)
    assert placement.substantive_manager_id == cast.manager.id
    assert placement.signatory_id == cast.officer.id  # the form's starting value
    shown = client.page(answer.location)
    assert "Placement set up for Sam Secondee" in shown.text
    assert "Lakes National Park Authority's contact" in shown.text  # waiting on


BAD_INPUT = [
    (dict(end_date="before"), "end_date", "The end date must be on or after the start date"),
    (dict(start_date="past"), "start_date", "The start date must be today or in the future"),
    (dict(end_date="13 months"), "duration_reason",
     "Explain why the placement needs more than 12 months"),
    (dict(end_date="25 months"), "duration_reason",
     "Explain why the placement needs more than 24 months: the Resources Board decides on it"),
    (dict(kind="incoming", secondee_name="Ina Coming", secondee_email="ina@lakes.example"),
     "not_contractor", "Confirm the secondee is not a self-employed contractor, consultant "
                       "or student"),
    (dict(kind="international", country="France"), "accommodation",
     "Enter what is agreed about accommodation: an international placement agrees it "
     "before the start"),
    (dict(secondee_email="nobody@example.org"), "secondee_email",
     "Enter the e-mail address of a member of staff"),
    (dict(partner_organisation_id=""), "partner_organisation_id",
     "Select the host organisation"),
    (dict(partner_organisation_id=TOO_BIG), "partner_organisation_id",
     "Select the other organisation from the list"),
    (dict(kind=None), "kind", "Select the kind of placement"),
    (dict(start_date=("31", "2", "2027")), "start_date", "Start date must be a real date"),
]


def test_bad_input_is_refused_next_to_its_field_and_nothing_is_saved(client, cast):
    start = london_today() + timedelta(days=30)
    when = {"before": start - timedelta(days=1), "past": london_today() - timedelta(days=1),
            "13 months": start + timedelta(days=400), "25 months": start + timedelta(days=770)}
    as_(client, cast.officer)
    page = client.page("/placements/new")
    wrong = []
    for fields, field, message in BAD_INPUT:
        fields = {k: when.get(v, v) if isinstance(v, str) else v for k, v in fields.items()}
        fields.setdefault("start_date", start)
        answer = client.post("/placements/new",
                             data=form_data(page, **direct_fields(cast, **fields)))
        shown = Page(answer)
        if (answer.status_code != 200 or not shown.title.startswith("Error: ")
                or message not in next_to(shown, field)):
            wrong.append((field, answer.status_code, shown.error_messages()))
    assert wrong == []
    assert count() == 0


def test_only_people_services_set_placements_up(client, cast):
    as_(client, cast.secondee)
    assert client.get("/placements/new").status_code == 403
    answer = client.post("/placements/new", data=direct_fields(cast, start_date=None))
    assert answer.status_code in (400, 403)
    assert count() == 0


# --- from an accepted offer ------------------------------------------------------------

def accepted_offer(cast) -> Application:
    opportunity = make_opportunity(cast.officer, department=cast.department, publish=True,
                                   title="Coastal data lead")
    application = service.start_application(cast.secondee, opportunity)
    service.save_draft(application, cast.secondee, dict(
        motivation="Ten years of coastal surveys.", evidence="Led the 2024 survey.",
        learning_objectives="Lead a team.", cover_plan="Covered by Wil.",
        discussed_with_manager=True, has_conflict=False))
    service.submit(application, cast.secondee)
    service.decide_endorsement(application, cast.manager, support=True)
    service.decide_release(application, cast.head, approve=True)
    service.shortlist(application, cast.officer, include=True)
    service.fix_shortlist(opportunity, cast.officer)
    service.record_assessment(application, cast.officer, "Strong.")
    service.make_offer(application, cast.officer, "Six months from the spring.")
    service.answer_offer(application, cast.secondee, accept=True)
    return application


def test_an_accepted_offer_becomes_one_placement_with_its_terms(client, cast):
    application = accepted_offer(cast)
    as_(client, cast.officer)
    url = f"/placements/new?application={application.id}"
    listed = client.page("/people-services/applications")
    assert listed.soup.find("a", href=url), "People Services are offered to set it up"
    page = client.page(url)
    assert page.h1 == "Set up the placement of Sam Secondee"
    assert page.soup.find("input", {"name": "title"})["value"] == "Coastal data lead"
    assert page.soup.find("input", {"name": "kind"}) is None
    missing = post_page(client, url, return_post="")
    assert "Enter the post the secondee returns to" in Page(missing).text
    assert count() == 0
    made = post_page(client, url, return_post="Survey officer", return_grade="Band 6",
                     signatory_email=cast.officer.email)
    assert made.status_code == 302, Page(made).error_messages()
    placement = placements.placement_of(application)
    assert (placement.title, placement.route, placement.secondee_id) == (
        "Coastal data lead", "offer", cast.secondee.id)
    # One placement per offer: asking again leads to the one there is.
    again = client.get(url)
    assert again.status_code == 302 and again.location.endswith(f"/placements/{placement.id}")
    assert count() == 1


def test_two_officers_setting_up_one_offer_at_once_make_one_placement(client, cast,
                                                                      monkeypatch):
    application = accepted_offer(cast)
    as_(client, cast.officer)
    url = f"/placements/new?application={application.id}"
    data = form_data(client.page(url), return_post="Survey officer", return_grade="Band 6",
                     signatory_email=cast.officer.email)
    assert client.post(url, data=data).status_code == 302
    # The second officer's checks ran before the first saved: the database refuses it.
    from portal.services.placements import setup

    real, looked = setup.placement_of, []
    monkeypatch.setattr(setup, "placement_of", lambda application: None)
    monkeypatch.setattr(placements, "placement_of", lambda application: (
        real(application) if looked.append(1) or len(looked) > 1 else None))
    second = client.post(url, data=data)
    assert len(looked) == 2  # before saving, and after the database refused it
    monkeypatch.undo()
    assert second.status_code == 302
    assert "This offer already has its placement" in client.page(second.location).text
    assert count() == 1


@pytest.mark.parametrize("value", ["abc", "0", TOO_BIG, "9" * 40, "1\x00"])
def test_an_offer_that_is_not_there_or_not_accepted_is_not_found(client, cast, value):
    as_(client, cast.officer)
    assert client.get("/placements/new", query_string={"application": value}
                      ).status_code == 404


# --- changing the terms ----------------------------------------------------------------

@pytest.fixture
def proposed(cast):
    return make_placement(cast.officer, cast.secondee, partner=cast.lakes,
                          host_manager_staff_email=cast.host.email)


def test_people_services_change_the_terms_while_proposed(client, cast, proposed):
    as_(client, cast.officer)
    url = f"/placements/{proposed.id}/edit"
    page = client.page(f"/placements/{proposed.id}")
    assert page.soup.find("a", href=f"{url}#location"), "Change links on the summary"
    assert client.page(url).soup.find("input", {"name": "location"})["value"] == "Kendal"
    ended = post_page(client, url, end_date=proposed.start_date - timedelta(days=1))
    assert "The end date must be on or after the start date" in Page(ended).text
    assert fresh(proposed.id).end_date > proposed.start_date
    moved = post_page(client, url, start_date=london_today() - timedelta(days=1))
    assert "The start date must be today or in the future" in next_to(Page(moved), "start_date")
    assert fresh(proposed.id).start_date == proposed.start_date
    saved = post_page(client, url, location="Windermere")
    assert saved.status_code == 302
    assert fresh(proposed.id).location == "Windermere"


def test_a_change_from_a_page_loaded_before_another_is_not_saved(client, cast, proposed):
    as_(client, cast.officer)
    url = f"/placements/{proposed.id}/edit"
    data = form_data(client.page(url), location="Ambleside")
    placements.update_terms(cast.officer, proposed, {"hours": "30 hours"},
                            expected_version=proposed.version)
    answer = client.post(url, data=data)
    assert answer.status_code == 409
    assert "changed" in Page(answer).text
    assert fresh(proposed.id).location == "Kendal"


def test_over_24_months_must_go_to_the_board_first_and_the_page_says_so(client, cast,
                                                                        proposed):
    as_(client, cast.officer)
    start = proposed.start_date
    saved = post_page(client, f"/placements/{proposed.id}/edit",
                      end_date=start + timedelta(days=800),
                      duration_reason="A three-year restoration programme.")
    assert saved.status_code == 302, Page(saved).error_messages()
    page = client.page(f"/placements/{proposed.id}")
    assert page.soup.find("a", href=f"/placements/{proposed.id}/board")
    assert "the Resources Board must approve it first" in page.text
    assert "ask the Resources Board to approve over 24 months" in page.text
    # The Board member sees nothing until it is theirs to decide.
    as_(client, cast.board)
    assert client.get(f"/placements/{proposed.id}").status_code == 404
    as_(client, cast.officer)
    assert post_page(client, f"/placements/{proposed.id}/board").status_code == 302
    assert fresh(proposed.id).status == P.WITH_BOARD
    assert db.session.scalar(select(OutboxMessage).where(
        OutboxMessage.template == "placement_to_board")) is not None
    # People Services cannot decide for the Board.
    assert client.get(f"/placements/{proposed.id}/board/decision").status_code == 403
    as_(client, cast.board)
    decision = f"/placements/{proposed.id}/board/decision"
    assert client.page(f"/placements/{proposed.id}").soup.find("a", href=decision)
    empty = post_page(client, decision, decision="approve", reason=" ")
    assert "Give the reason for the Board's decision" in Page(empty).text
    assert fresh(proposed.id).status == P.WITH_BOARD
    assert post_page(client, decision, decision="approve",
                     reason="A programme of this length is justified.").status_code == 302
    placement = fresh(proposed.id)
    assert (placement.status, placement.board_approved) == (P.PROPOSED, True)
    # Once approved it is not asked again.
    as_(client, cast.officer)
    assert client.get(f"/placements/{proposed.id}/board").status_code == 409


# --- who sees and does what ------------------------------------------------------------

def test_the_page_answers_only_to_the_people_it_concerns(client, cast, proposed):
    for person in (cast.stranger, cast.board):
        as_(client, person)
        for url in ("", "/edit", "/cancel", "/start", "/send-to-legal", "/board",
                    "/board/decision", "/informal/agree", "/informal/approve"):
            assert client.get(f"/placements/{proposed.id}{url}").status_code == 404, url
    as_(client, cast.secondee)
    page = client.page(f"/placements/{proposed.id}")
    assert page.soup.select(".govuk-button") == []
    assert "Change" not in [a.text[:6] for a in page.soup.select("a")]
    for url in ("/edit", "/cancel", "/start", "/send-to-legal", "/board"):
        assert client.get(f"/placements/{proposed.id}{url}").status_code == 403, url
    assert client.get(f"/placements/{TOO_BIG}").status_code == 404
    assert client.get(f"/placements/{proposed.id + 1000}").status_code == 404


def test_the_page_shows_the_terms_the_people_and_only_the_allowed_actions(client, cast,
                                                                          proposed):
    as_(client, cast.officer)
    page = client.page(f"/placements/{proposed.id}")
    assert page.soup.select_one(".govuk-tag").text == "Proposed"
    buttons = [a.text.strip() for a in page.soup.select("a.govuk-button")]
    assert buttons == ["Change the terms", "Cancel the placement"]
    for words in ("Hal Host-Manager", "Mo Manager", "Sam Secondee", "Not confirmed yet",
                  "Data analyst, Band 6", "Send the agreement to legal is not possible yet",
                  "has not confirmed the details yet"):
        assert words in page.text, words
    assert "Ask the Resources Board" not in page.text  # six months: not its business


# --- sending to legal, the informal route, starting, cancelling ------------------------

def test_an_internal_placement_goes_to_legal_from_its_confirmation_page(client, cast):
    placement = make_placement(cast.officer, cast.secondee, kind="internal",
                               host_manager_staff_email=cast.host.email)
    as_(client, cast.officer)
    url = f"/placements/{placement.id}/send-to-legal"
    assert client.page(f"/placements/{placement.id}").soup.find("a", href=url)
    assert client.page(url).h1 == "Send the agreement to legal?"
    assert post_page(client, url).status_code == 302
    assert fresh(placement.id).status == P.WITH_LEGAL
    assert fresh(placement.id).current_agreement.pdf_sha256
    # Done once: the page now says why not.
    assert client.get(url).status_code == 409


def test_the_informal_route_mails_the_written_arrangements(client, cast):
    placement = make_placement(cast.officer, cast.secondee, kind="informal",
                               start_date=london_today(), end_date=london_today() + timedelta(
                                   days=60), host_manager_staff_email=cast.host.email)
    as_(client, cast.officer)
    approve = f"/placements/{placement.id}/informal/approve"
    page = client.page(f"/placements/{placement.id}")
    assert "The substantive manager has not agreed the arrangement yet" in page.text
    assert client.get(approve).status_code == 409
    for manager in (cast.manager, cast.host):
        as_(client, manager)
        url = f"/placements/{placement.id}/informal/agree"
        assert client.page(f"/placements/{placement.id}").soup.find("a", href=url)
        assert post_page(client, url).status_code == 302
    as_(client, cast.manager)
    assert client.get(approve).status_code == 403
    as_(client, cast.officer)
    assert post_page(client, approve).status_code == 302
    assert fresh(placement.id).status == P.READY
    mail = db.session.scalar(select(OutboxMessage).where(
        OutboxMessage.template == "informal_arrangement"))
    assert {"sam@example.org", cast.manager.email, cast.host.email} <= set(
        mail.recipients.split(","))
    # It starts today, but not before its blocking onboarding item is done (R9): the
    # start page says which, and whose it is.
    start = f"/placements/{placement.id}/start"
    answer = client.get(start)
    assert answer.status_code == 409
    assert ("Onboarding item not done yet: Arrangement confirmed with both managers "
            "(owned by The substantive manager (Mo Manager))") in Page(answer).text
    assert fresh(placement.id).status == P.READY
    done = complete_blocking_items(fresh(placement.id), cast.manager)
    assert [item.title for item in done] == ["Arrangement confirmed with both managers"]
    # People Services start it.
    assert post_page(client, start).status_code == 302
    assert fresh(placement.id).status == P.ACTIVE
    assert client.get(start).status_code == 409
    # Running, it explains no step the page does not offer (its return is not a page yet).
    running = client.page(f"/placements/{placement.id}")
    assert running.soup.select_one("#not-yet") is None


def test_a_placement_cannot_start_before_its_start_date(client, cast):
    start = london_today() + timedelta(days=30)
    placement = make_placement(cast.officer, cast.secondee, kind="informal",
                               start_date=start, end_date=start + timedelta(days=60),
                               host_manager_staff_email=cast.host.email)
    for manager in (cast.manager, cast.host):
        placements.agree_informal(manager, placement, expected_version=placement.version)
    placements.approve_informal(cast.officer, placement, expected_version=placement.version)
    as_(client, cast.officer)
    page = client.page(f"/placements/{placement.id}")
    assert "It starts on" in page.text
    answer = client.get(f"/placements/{placement.id}/start")
    assert answer.status_code == 409 and "It starts on" in Page(answer).text
    assert fresh(placement.id).status == P.READY


def test_cancelling_needs_a_reason_and_tells_everyone(client, cast, proposed):
    as_(client, cast.officer)
    url = f"/placements/{proposed.id}/cancel"
    empty = post_page(client, url, reason="")
    assert "Give the reason for cancelling the placement" in Page(empty).text
    assert fresh(proposed.id).status == P.PROPOSED
    assert post_page(client, url, reason="The host withdrew.").status_code == 302
    placement = fresh(proposed.id)
    assert (placement.status, placement.cancel_reason) == (P.CANCELLED, "The host withdrew.")
    assert db.session.scalar(select(OutboxMessage).where(
        OutboxMessage.template == "placement_cancelled")) is not None
    assert "The host withdrew." in client.page(f"/placements/{proposed.id}").text
    assert client.get(f"/placements/{proposed.id}/edit").status_code == 409


# --- hostile input ---------------------------------------------------------------------

HOSTILE = [
    dict(title="Adviser\x00"),
    dict(objectives="Learn\x00"),
    dict(start_date=["1", "2", "2030", "4"]),
    dict(start_date=["1"]),
    dict(partner_organisation_id="1\x00"),
    dict(host_department_id="9" * 40),
    dict(notice_weeks="9" * 40),
    dict(notice_weeks=TOO_BIG),
    dict(secondee_email="sam@example.org\x00"),
]


def test_hostile_posts_get_a_clear_page_never_a_server_error(client, cast):
    as_(client, cast.officer)
    page = client.page("/placements/new")
    wrong = []
    for fields in HOSTILE:
        answer = client.post("/placements/new",
                             data=form_data(page, **direct_fields(cast, **fields)))
        if answer.status_code not in (200, 400, 404) or (
                answer.status_code == 200 and not Page(answer).error_messages()):
            wrong.append((fields, answer.status_code))
    assert wrong == []
    assert count() == 0


def test_a_choice_sent_thirty_times_counts_once(client, cast):
    as_(client, cast.officer)
    answer = post_page(client, "/placements/new", **direct_fields(cast, kind=["outgoing"] * 30))
    assert answer.status_code == 302
    assert count() == 1


def test_extra_fields_do_not_set_what_the_form_does_not_ask(client, cast, proposed):
    as_(client, cast.officer)
    saved = post_page(client, f"/placements/{proposed.id}/edit", status="ready",
                      board_approved="y", secondee_id=str(cast.stranger.id))
    assert saved.status_code == 302
    placement = fresh(proposed.id)
    assert (placement.status, placement.board_approved, placement.secondee_id) == (
        P.PROPOSED, None, cast.secondee.id)


def test_an_incoming_secondees_account_is_linked_before_the_agreement_goes_to_legal(
        client, cast):
    """Set up without an account, the incoming secondee could never sign: legal do not
    have the agreement until People Services link the account they sign in with."""
    values = placement_terms() | {
        "kind": "incoming", "partner_organisation_id": cast.lakes.id,
        "secondee_name": "Ina Coming", "secondee_email": "ina@lakes.example",
        "not_contractor": True, "signatory_email": cast.officer.email}
    incoming = placements.create_direct(cast.officer, values)
    assert incoming.secondee_id is None
    problems = placements.blocked_actions(cast.officer, incoming)["send_to_legal"]
    assert "Link the secondee's account first: they sign the agreement signed in with it" \
        in problems
    as_(client, cast.officer)
    assert "link Ina Coming's account" in client.page(f"/placements/{incoming.id}").text
    url = f"/placements/{incoming.id}/edit"
    wrong = post_page(client, url, secondee_account_email="nobody@example.org")
    assert "Enter the e-mail address of the secondee's account here" in next_to(
        Page(wrong), "secondee_account_email")
    assert fresh(incoming.id).secondee_id is None
    account = make_user("Ina Coming", email="ina.coming@example.org")
    assert post_page(client, url, secondee_account_email=account.email).status_code == 302
    linked = fresh(incoming.id)
    assert linked.secondee_id == account.id
    assert "Link the secondee's account first: they sign the agreement signed in with it" \
        not in placements.blocked_actions(cast.officer, linked).get("send_to_legal", [])
    # Once linked, the page no longer asks for it.
    assert client.page(url).soup.find("input", {"name": "secondee_account_email"}) is None
