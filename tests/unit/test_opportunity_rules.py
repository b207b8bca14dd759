"""The rules for advertising an opportunity (R1, R2, R3, R6) and its state machine."""

from datetime import timedelta

import pytest

from portal.extensions import db
from portal.models import AuditEvent, Opportunity
from portal.models.opportunities import CaseStatus, OpportunityStatus
from portal.permissions import Role
from portal.services import applications
from portal.services import opportunities as service
from portal.services.opportunities import RuleError, london_today
from portal.workflow import OPPORTUNITY_TRANSITIONS, TransitionRefused
from tests.factories import make_department, make_opportunity, make_organisation, make_user

S = OpportunityStatus


@pytest.fixture
def officer(app):
    return make_user("Sam Officer", roles=[Role.STAFF, Role.PEOPLE_SERVICES],
                     department=make_department("People Services"))


@pytest.fixture
def board_member(app):
    return make_user("George Board", roles=[Role.STAFF, Role.RESOURCES_BOARD])


def audit_count():
    return db.session.query(AuditEvent).count()


def test_a_complete_internal_opportunity_can_be_published(officer):
    o = make_opportunity(officer)
    assert service.publication_problems(o) == []
    service.publish(o, officer)
    assert o.status == S.PUBLISHED and o.published_at is not None


def test_restricted_pool_needs_a_justification(officer):
    o = make_opportunity(officer)
    before = audit_count()
    with pytest.raises(RuleError) as error:
        service.update_draft(o, officer, {"audience": "restricted_pool",
                                          "restriction_justification": " ",
                                          "pool_grades": "Band 7"})
    assert error.value.errors == {
        "restriction_justification": "Explain which specific skills justify restricting the pool"}
    db.session.expire_all()
    assert db.session.get(Opportunity, o.id).audience == "all_staff"  # nothing half-saved
    assert audit_count() == before


def test_named_request_needs_the_publicity_assessment(officer):
    o = make_opportunity(officer)
    with pytest.raises(RuleError) as error:
        service.update_draft(o, officer, {"audience": "named_request",
                                          "publicity_assessment": ""})
    assert "damaging if made public" in error.value.errors["publicity_assessment"]
    service.update_draft(o, officer, {"audience": "named_request",
                                      "publicity_assessment": "Low risk: routine exchange."})
    assert o.audience == "named_request"


def test_incoming_needs_both_confirmations(officer):
    sender = make_organisation("Northshire NHS Trust")
    o = make_opportunity(officer, kind="incoming", host_organisation_id=sender.id)
    problems = service.publication_problems(o)
    assert any("self-employed contractor" in p for p in problems)
    assert any("not cover for a permanent role" in p for p in problems)
    with pytest.raises(RuleError) as error:
        service.update_draft(o, officer, {"incoming_not_contractor": True,
                                          "incoming_not_permanent_cover": False})
    assert list(error.value.errors) == ["incoming_not_permanent_cover"]


def test_incoming_lasts_up_to_two_years(officer):
    sender = make_organisation()
    o = make_opportunity(officer, kind="incoming", host_organisation_id=sender.id)
    with pytest.raises(RuleError) as error:
        service.update_draft(o, officer, {"duration_months": 30, "duration_reason": "x"})
    assert error.value.errors["duration_months"] == (
        "An incoming secondment can last up to 24 months")


def test_over_twelve_months_needs_a_reason(officer):
    o = make_opportunity(officer)
    with pytest.raises(RuleError) as error:
        service.update_draft(o, officer, {"duration_months": 18, "duration_reason": ""})
    assert "more than 12 months" in error.value.errors["duration_reason"]
    service.update_draft(o, officer, {"duration_months": 18,
                                      "duration_reason": "The project runs 18 months."})


def test_over_24_months_cannot_be_published_without_the_board(officer, board_member):
    o = make_opportunity(officer, duration_months=30, duration_reason="A long programme.")
    assert service.board_approval_reasons(o) == ["it lasts more than 24 months"]
    with pytest.raises(TransitionRefused) as refused:
        service.publish(o, officer)
    assert any("Resources Board must approve" in p for p in refused.value.problems)
    assert db.session.get(Opportunity, o.id).status == S.DRAFT

    service.submit_business_case(o, officer, skills="Programme skills",
                                 priorities=["strategic_outputs"], costs="None extra",
                                 cover="Backfilled")
    service.decide_business_case(o, board_member, approve=True, reason="Worth it.")
    service.publish(o, officer)
    assert o.status == S.PUBLISHED


def test_outgoing_needs_an_approved_business_case(officer, board_member):
    host = make_organisation("Lakes National Park Authority")
    o = make_opportunity(officer, kind="outgoing", host_organisation_id=host.id)
    assert "business case" in service.board_approval_reasons(o)[0]
    with pytest.raises(TransitionRefused):
        service.publish(o, officer)

    service.submit_business_case(o, officer, skills="Planning enforcement",
                                 priorities=["knowledge_transfer"], costs="Host pays",
                                 cover="Team absorbs")
    assert o.status == S.AWAITING_APPROVAL
    assert o.business_case.status == CaseStatus.SUBMITTED

    service.decide_business_case(o, board_member, approve=False, reason="Not this year.")
    assert o.status == S.DRAFT and o.business_case.status == CaseStatus.REJECTED
    with pytest.raises(TransitionRefused):
        service.publish(o, officer)


def test_board_decision_needs_reasons_and_cannot_be_the_creators(officer, board_member):
    host = make_organisation()
    o = make_opportunity(officer, kind="outgoing", host_organisation_id=host.id)
    service.submit_business_case(o, officer, skills="s", priorities=["knowledge_transfer"],
                                 costs="c", cover="v")
    with pytest.raises(RuleError):
        service.decide_business_case(o, board_member, approve=True, reason="  ")
    assert service.may_decide_case(board_member, o)
    both = make_user(roles=[Role.RESOURCES_BOARD, Role.PEOPLE_SERVICES])
    own = make_opportunity(both, kind="outgoing", host_organisation_id=host.id)
    assert not service.may_decide_case(both, own)


def test_a_board_member_who_is_the_contact_cannot_decide_the_case(officer, board_member):
    # R6: anyone with a hand in the opportunity is excluded, not only its creator.
    host = make_organisation()
    o = make_opportunity(officer, kind="outgoing", host_organisation_id=host.id)
    o.contact_id = board_member.id
    db.session.commit()
    service.submit_business_case(o, officer, skills="s", priorities=["knowledge_transfer"],
                                 costs="c", cover="v")
    assert not service.may_decide_case(board_member, o)
    assert service.may_decide_case(make_user(roles=[Role.RESOURCES_BOARD]), o)


def test_internal_with_extra_cost_needs_a_business_case(officer):
    o = make_opportunity(officer, extra_cost=True)
    assert service.board_approval_reasons(o) == ["it has an extra cost"]


def test_business_case_needs_known_priorities(officer):
    host = make_organisation()
    o = make_opportunity(officer, kind="outgoing", host_organisation_id=host.id)
    with pytest.raises(RuleError):
        service.submit_business_case(o, officer, skills="s", priorities=["made-up"],
                                     costs="c", cover="v")
    assert db.session.get(Opportunity, o.id).status == S.DRAFT


def test_shorter_term_and_informal_limits(officer):
    short = make_opportunity(officer, kind="shorter_term", duration_months=2)
    with pytest.raises(RuleError, match="less than 3 months"):
        service.update_draft(short, officer, {"duration_months": 3})
    informal = make_opportunity(officer, kind="informal", duration_months=5)
    with pytest.raises(RuleError, match="less than 6 months"):
        service.update_draft(informal, officer, {"duration_months": 6})


def test_closing_date_in_the_past_and_start_before_closing_are_refused(officer):
    o = make_opportunity(officer)
    today = london_today()
    with pytest.raises(RuleError) as error:
        service.update_draft(o, officer, {"closing_date": today - timedelta(days=1)})
    assert "today or in the future" in error.value.errors["closing_date"]
    with pytest.raises(RuleError) as error:
        service.update_draft(o, officer, {"start_date": o.closing_date})
    assert "after the closing date" in error.value.errors["start_date"]


def test_closing_in_words():
    today = london_today()
    o = Opportunity(closing_date=today + timedelta(days=3))
    when = f"{o.closing_date.day} {o.closing_date:%B %Y}"
    # The last minute of the day, never the ambiguous "midnight".
    assert service.closing_in_words(o, today) == f"closes at 11:59pm on {when} (in 3 days)"
    o.closing_date = today
    assert service.closing_in_words(o, today) == (
        f"closes today at 11:59pm on {today.day} {today:%B %Y}")
    o.closing_date = today + timedelta(days=1)
    assert service.closing_in_words(o, today).startswith("closes tomorrow at 11:59pm on ")
    o.closing_date = today - timedelta(days=1)
    assert service.closing_in_words(o, today).startswith("closed at 11:59pm on ")


def test_a_published_opportunity_closes_the_moment_its_date_passes(officer):
    o = make_opportunity(officer, publish=True)
    assert service.is_open(o, o.closing_date)
    assert not service.is_open(o, o.closing_date + timedelta(days=1))
    assert service.display_status(o, o.closing_date + timedelta(days=1)) == S.CLOSED


def test_extending_the_closing_date_is_recorded_with_its_reason(officer):
    o = make_opportunity(officer, publish=True)
    old = o.closing_date
    with pytest.raises(RuleError) as error:
        service.extend_closing_date(o, officer, old - timedelta(days=1), "")
    assert set(error.value.errors) == {"closing_date", "reason"}
    service.extend_closing_date(o, officer, old + timedelta(days=5), "Few applicants so far")
    assert o.closing_date == old + timedelta(days=5)
    assert o.updated_after_publication_at is not None
    event = db.session.query(AuditEvent).filter_by(
        action="opportunity.extend_closing_date").one()
    assert "Few applicants so far" in event.summary


def test_only_its_creator_or_people_services_may_manage(officer):
    manager = make_user(roles=[Role.STAFF], department=make_department())
    staff = make_user()
    mine = make_opportunity(manager)
    assert service.may_manage(manager, mine)
    assert service.may_manage(officer, mine)
    assert not service.may_manage(staff, mine)
    with pytest.raises(PermissionError):
        service.publish(mine, staff)


def test_named_requests_are_never_visible_to_staff(officer):
    staff = make_user()
    named = make_opportunity(officer, publish=True, audience="named_request",
                             publicity_assessment="Low risk.")
    assert not service.may_view(staff, named)
    assert service.may_view(officer, named)
    page = service.board(service.BoardFilters())
    assert named.id not in [o.id for o in page.items]


# --- the state machine: every legal and every illegal (state, action) pair -----------

ACTIONS = sorted({action for _, action in OPPORTUNITY_TRANSITIONS})
PAIRS = [(state, action) for state in S for action in ACTIONS]


@pytest.mark.parametrize(("state", "action"), PAIRS)
def test_transition_table(officer, board_member, state, action):
    # An outgoing opportunity needs the Board; an internal one can be published directly.
    needs_board = state == S.AWAITING_APPROVAL or action in ("submit_case", "approve_case",
                                                              "reject_case")
    host = make_organisation()
    o = make_opportunity(officer, kind="outgoing" if needs_board else "internal",
                         host_organisation_id=host.id if needs_board else None,
                         status=state, published_at=None)
    if state == S.AWAITING_APPROVAL:
        from portal.models import BusinessCase

        # Publishing from here needs the case approved; deciding needs it still open.
        status = CaseStatus.APPROVED if action == "publish" else CaseStatus.SUBMITTED
        db.session.add(BusinessCase(opportunity=o, skills="s", priorities="knowledge_transfer",
                                    costs="c", cover="v", status=status,
                                    submitted_by_id=officer.id))
        db.session.commit()
    run = {
        "edit": lambda: service.update_draft(o, officer, {"title": "New title"}),
        "submit_case": lambda: service.submit_business_case(
            o, officer, skills="s", priorities=["knowledge_transfer"], costs="c", cover="v"),
        "publish": lambda: service.publish(o, officer),
        "approve_case": lambda: service.decide_business_case(o, board_member, approve=True,
                                                             reason="ok"),
        "reject_case": lambda: service.decide_business_case(o, board_member, approve=False,
                                                            reason="no"),
        "extend_closing_date": lambda: service.extend_closing_date(
            o, officer, o.closing_date + timedelta(days=3), "more time"),
        "close": lambda: service.close_early(o, officer, "enough"),
        "mark_filled": lambda: service.mark_filled(o, officer),
        "withdraw": lambda: service.withdraw(o, officer, "cancelled"),
        "fix_shortlist": lambda: applications.fix_shortlist(o, officer),
    }[action]
    if (state, action) in OPPORTUNITY_TRANSITIONS:
        run()
        assert o.status == OPPORTUNITY_TRANSITIONS[(state, action)].target
    else:
        with pytest.raises(TransitionRefused):
            run()
        db.session.rollback()
        assert db.session.get(Opportunity, o.id).status == state


def test_closing_date_after_the_start_is_reported_on_the_closing_page(officer):
    o = make_opportunity(officer)
    with pytest.raises(RuleError) as error:
        service.update_draft(o, officer, {"closing_date": o.start_date + timedelta(days=1)})
    assert list(error.value.errors) == ["closing_date"]
    assert "before the start date" in error.value.errors["closing_date"]


def test_history_names_only_what_changed_in_words(officer):
    o = make_opportunity(officer)
    service.update_draft(o, officer, {"title": "New title", "summary": o.summary,
                                      "contact_id": o.contact_id, "closing_date":
                                      o.closing_date + timedelta(days=1)})
    event = db.session.query(AuditEvent).filter_by(action="opportunity.edited").one()
    assert event.summary == "Changed title, closing date"
    version = o.version
    service.update_draft(o, officer, {"title": "New title"})  # nothing new: nothing written
    assert o.version == version
    assert db.session.query(AuditEvent).filter_by(action="opportunity.edited").count() == 1


def _awaiting_decision(officer):
    host = make_organisation()
    o = make_opportunity(officer, kind="outgoing", host_organisation_id=host.id)
    service.submit_business_case(o, officer, skills="s", priorities=["knowledge_transfer"],
                                 costs="c", cover="v")
    return o


def test_approving_a_business_case_raises_the_opportunitys_version(officer, board_member):
    # The state stays "awaiting approval", but a page loaded before the decision (a
    # withdrawal, say) must be out of date after it.
    o = _awaiting_decision(officer)
    before = o.version
    service.decide_business_case(o, board_member, approve=True, reason="Strong case.")
    db.session.expire_all()
    assert db.session.get(Opportunity, o.id).version == before + 1


def test_an_approval_racing_a_withdrawal_lets_exactly_one_through(app, officer, board_member):
    """Two real connections on PostgreSQL: both load the opportunity, then both decide."""
    import threading

    from portal.models import User

    if db.engine.dialect.name != "postgresql":
        pytest.skip("needs PostgreSQL: SQLite serialises every write to the file")
    o = _awaiting_decision(officer)
    ids = {"opportunity": o.id, "officer": officer.id, "board": board_member.id}
    loaded = threading.Barrier(2, timeout=10)
    outcomes = {}

    def act(name, decide):
        with app.app_context():
            opportunity = db.session.get(Opportunity, ids["opportunity"])
            _ = opportunity.business_case
            loaded.wait()
            try:
                decide(opportunity)
                outcomes[name] = "committed"
            except Exception as error:  # noqa: BLE001 - the loser's error is the result
                db.session.rollback()
                outcomes[name] = type(error).__name__
            finally:
                db.session.remove()

    def approve(opportunity):
        service.decide_business_case(opportunity, db.session.get(User, ids["board"]),
                                     approve=True, reason="Strong case.")

    def withdraw(opportunity):
        service.withdraw(opportunity, db.session.get(User, ids["officer"]), "Not needed.")

    threads = [threading.Thread(target=act, args=("approve", approve)),
               threading.Thread(target=act, args=("withdraw", withdraw))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(15)

    assert sorted(outcomes.values()) == ["StaleDataError", "committed"], outcomes
    db.session.expire_all()
    final = db.session.get(Opportunity, o.id)
    if outcomes["approve"] == "committed":
        assert (final.status, final.business_case.status) == (S.AWAITING_APPROVAL,
                                                              CaseStatus.APPROVED)
    else:
        assert (final.status, final.business_case.status) == (S.WITHDRAWN,
                                                              CaseStatus.SUBMITTED)


def test_a_manager_cannot_move_a_draft_to_another_department(app):
    planning, finance = make_department("Planning"), make_department("Finance")
    manager = make_user("Mo Manager", department=planning)
    make_user("Report", department=planning, line_manager=manager)
    o = make_opportunity(manager, department=planning)

    with pytest.raises(RuleError) as error:
        service.update_draft(o, manager, {"offering_department_id": finance.id})

    assert "only in the department they work in" in error.value.errors[
        "offering_department_id"]
    db.session.expire_all()
    assert db.session.get(Opportunity, o.id).offering_department_id == planning.id
    officer = make_user(roles=[Role.STAFF, Role.PEOPLE_SERVICES])
    service.update_draft(db.session.get(Opportunity, o.id), officer,
                         {"offering_department_id": finance.id})
    assert db.session.get(Opportunity, o.id).offering_department_id == finance.id
