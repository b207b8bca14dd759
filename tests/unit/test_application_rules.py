"""The application rules (R4, R5, R8, R13) and its state machine: every (state, action,
role) combination."""

from datetime import timedelta

import pytest
import time_machine
from sqlalchemy import func, select, text

from portal.extensions import db
from portal.models import (
    Application,
    ConflictDeclaration,
    Decision,
    EqualityResponse,
    Opportunity,
)
from portal.models.applications import ApplicationStatus
from portal.models.base import utcnow
from portal.permissions import Role
from portal.services import applications as service
from portal.services import opportunities as opportunity_service
from portal.services.opportunities import RuleError, london_today
from portal.workflow import APPLICATION_TRANSITIONS, TransitionRefused
from tests.factories import make_department, make_opportunity, make_user

A = ApplicationStatus


@pytest.fixture
def people(app):
    head = make_user("Dana Head", roles=[Role.STAFF])
    department = make_department("Planning", head=head)
    head.department = department
    manager = make_user("Mo Manager", department=department, line_manager=head)
    applicant = make_user("Ann Applicant", department=department, line_manager=manager)
    applicant.grade = "Band 6"
    officer = make_user("Pat People", roles=[Role.STAFF, Role.PEOPLE_SERVICES])
    other_officer = make_user("Kim People", roles=[Role.STAFF, Role.PEOPLE_SERVICES])
    stranger = make_user("Sid Stranger")
    db.session.commit()
    return dict(head=head, manager=manager, applicant=applicant, officer=officer,
                other_officer=other_officer, stranger=stranger)


@pytest.fixture
def opportunity(people):
    return make_opportunity(people["officer"], publish=True)


ANSWERS = dict(motivation="I want to learn.", evidence="Five years of GIS.",
               learning_objectives="Lead a project.", cover_plan="Colleague covers.",
               discussed_with_manager=True, has_conflict=False)


def submitted(people, opportunity, **answers):
    application = service.start_application(people["applicant"], opportunity)
    service.save_draft(application, people["applicant"], ANSWERS | answers)
    service.submit(application, people["applicant"])
    return application


def test_submitting_fixes_the_deciders_and_gives_a_reference(people, opportunity):
    application = submitted(people, opportunity)
    assert application.status == A.SUBMITTED
    assert application.reference == f"SEC-{utcnow():%Y}-{application.id:05d}"
    assert application.line_manager_id == people["manager"].id
    assert application.head_of_department_id == people["head"].id


def test_applying_twice_gives_the_same_application(people, opportunity):
    first = service.start_application(people["applicant"], opportunity)
    second = service.start_application(people["applicant"], opportunity)
    assert first.id == second.id
    assert db.session.query(Application).count() == 1


def test_the_database_refuses_a_second_application(people, opportunity):
    service.start_application(people["applicant"], opportunity)
    db.session.add(Application(opportunity_id=opportunity.id,
                               applicant_id=people["applicant"].id))
    with pytest.raises(Exception, match="(?i)unique"):
        db.session.commit()
    db.session.rollback()


def test_cannot_apply_after_the_closing_date(people, opportunity):
    opportunity.closing_date = london_today() - timedelta(days=1)
    db.session.commit()
    with pytest.raises(TransitionRefused, match="closing date has passed"):
        service.start_application(people["applicant"], opportunity)


def test_cannot_apply_to_a_restricted_pool_one_is_not_in(people):
    pool = make_opportunity(people["officer"], publish=True, audience="restricted_pool",
                            restriction_justification="GIS", pool_grades="Band 7, Band 8")
    with pytest.raises(TransitionRefused) as refused:
        service.start_application(people["applicant"], pool)
    assert "restricted pool (Band 7, Band 8), and your grade is Band 6" in refused.value.problems[0]
    people["applicant"].grade = "band 7"
    db.session.commit()
    assert service.start_application(people["applicant"], pool).status == A.DRAFT


def test_r4_confirmation_and_answers_are_needed_to_submit(people, opportunity):
    application = service.start_application(people["applicant"], opportunity)
    service.save_draft(application, people["applicant"],
                       ANSWERS | {"discussed_with_manager": False, "cover_plan": ""})
    with pytest.raises(TransitionRefused) as refused:
        service.submit(application, people["applicant"])
    assert "Confirm that you have discussed this with your line manager" in \
        refused.value.problems
    assert "Say how your current work could be covered" in refused.value.problems
    db.session.expire_all()
    assert db.session.get(Application, application.id).status == A.DRAFT


def test_a_declared_conflict_becomes_an_append_only_declaration(people, opportunity):
    application = submitted(people, opportunity, has_conflict=True,
                            conflict_details="My sister works at the host.")
    declaration = db.session.scalar(select(ConflictDeclaration))
    assert declaration.application_id == application.id
    assert declaration.text == "My sister works at the host."
    service.record_conflict_action(declaration, people["officer"], "Sister excluded from panel")
    for table in ("conflict_declarations", "conflict_actions"):
        for statement in (f"UPDATE {table} SET id = id", f"DELETE FROM {table}"):
            with pytest.raises(Exception, match="append-only"):
                with db.engine.begin() as conn:
                    conn.execute(text(statement))


def test_conflict_needs_details(people, opportunity):
    application = service.start_application(people["applicant"], opportunity)
    service.save_draft(application, people["applicant"], ANSWERS | {"has_conflict": True})
    with pytest.raises(TransitionRefused, match="Describe the conflict"):
        service.submit(application, people["applicant"])


def test_refusal_needs_grounds_from_the_list_and_a_rationale(people, opportunity):
    application = submitted(people, opportunity)
    with pytest.raises(RuleError) as error:
        service.decide_endorsement(application, people["manager"], support=False,
                                   grounds=[], rationale="")
    assert set(error.value.errors) == {"grounds", "rationale"}
    with pytest.raises(RuleError):
        service.decide_endorsement(application, people["manager"], support=False,
                                   grounds=["made-up"], rationale="No")
    assert db.session.query(Decision).count() == 0
    decision = service.decide_endorsement(application, people["manager"], support=False,
                                          grounds=["impact", "cover"],
                                          rationale="Peak season.")
    assert application.status == A.REFUSED and application.refused_at_stage == "line_manager"
    assert decision.ground_labels == [
        "Significant impact on the quality or performance of the department",
        "The department cannot recruit, replace or reorganise the work"]
    letter = service.decision_letter_text(decision)
    assert "Peak season." in letter and "appeal within 10 days" in letter
    assert "grievance" in letter


def test_endorsement_then_release(people, opportunity):
    application = submitted(people, opportunity)
    service.decide_endorsement(application, people["manager"], support=True)
    assert application.status == A.ENDORSED
    with pytest.raises(PermissionError):
        service.decide_release(application, people["manager"], approve=True)
    service.decide_release(application, people["head"], approve=True, comments="Go well.")
    assert application.status == A.RELEASED


def test_nobody_decides_their_own_application(people):
    # A manager who applies is decided on by their own manager, never by themselves.
    opportunity = make_opportunity(people["officer"], publish=True)
    manager = people["manager"]
    application = service.start_application(manager, opportunity)
    service.save_draft(application, manager, ANSWERS)
    service.submit(application, manager)
    assert application.line_manager_id == people["head"].id
    assert not service.may_act(manager, application, "line_manager")
    assert not service.may_act(manager, application, "people_services")


def test_appeal_within_the_deadline_then_overturned(people, opportunity):
    application = submitted(people, opportunity)
    service.decide_endorsement(application, people["manager"], support=False,
                               grounds=["skills"], rationale="Not yet ready.")
    with pytest.raises(RuleError):
        service.lodge_appeal(application, people["applicant"], "  ")
    service.lodge_appeal(application, people["applicant"], "I have the skills: see my record.")
    assert application.status == A.APPEALED
    decision = service.decide_appeal(application, people["officer"], overturn=True,
                                     rationale="Evidence shows the skills.")
    assert decision.outcome == "overturned"
    assert application.status == A.ENDORSED  # reopened where the refusal stopped it


def test_appeal_confirmed_is_final(people, opportunity):
    application = submitted(people, opportunity)
    service.decide_endorsement(application, people["manager"], support=True)
    service.decide_release(application, people["head"], approve=False, grounds=["cover"],
                           rationale="No cover.")
    service.lodge_appeal(application, people["applicant"], "Cover exists.")
    service.decide_appeal(application, people["officer"], overturn=False,
                          rationale="Cover does not exist.")
    assert application.status == A.REFUSED
    with pytest.raises(TransitionRefused, match="grievance"):
        service.lodge_appeal(application, people["applicant"], "Again")


def test_appeal_after_the_deadline_is_refused(people, opportunity, app):
    application = submitted(people, opportunity)
    service.decide_endorsement(application, people["manager"], support=False,
                               grounds=["skills"], rationale="No.")
    later = utcnow() + timedelta(days=app.config["APPEAL_DAYS"], hours=1)
    with time_machine.travel(later, tick=False):
        with pytest.raises(TransitionRefused, match="time to appeal"):
            service.lodge_appeal(application, people["applicant"], "Late")


def test_the_person_who_refused_cannot_decide_the_appeal(people, opportunity):
    officer = people["officer"]
    officer.department = people["head"].department
    people["applicant"].line_manager = officer
    db.session.commit()
    application = submitted(people, opportunity)
    service.decide_endorsement(application, officer, support=False, grounds=["skills"],
                               rationale="No.")
    service.lodge_appeal(application, people["applicant"], "Unfair")
    with pytest.raises(PermissionError):
        service.decide_appeal(application, officer, overturn=True, rationale="Changed mind")
    service.decide_appeal(application, people["other_officer"], overturn=True,
                          rationale="Unfair indeed")


def test_filling_the_opportunity_makes_the_rest_unsuccessful(people, opportunity):
    application = submitted(people, opportunity)
    other = make_user(department=people["head"].department, line_manager=people["manager"])
    second = service.start_application(other, opportunity)
    service.save_draft(second, other, ANSWERS)
    service.submit(second, other)
    for a in (application, second):
        service.decide_endorsement(a, people["manager"], support=True)
        service.decide_release(a, people["head"], approve=True)
    service.shortlist(application, people["officer"], include=True)
    service.shortlist(second, people["officer"], include=True)
    with pytest.raises(TransitionRefused, match="Fix the shortlist"):
        service.make_offer(application, people["officer"], "6 months from March")
    service.fix_shortlist(opportunity, people["officer"])
    service.make_offer(application, people["officer"], "6 months from March")
    service.answer_offer(application, people["applicant"], accept=True)
    opportunity_service.mark_filled(db.session.get(Opportunity, opportunity.id),
                                    people["officer"])
    db.session.expire_all()
    assert db.session.get(Application, application.id).status == A.ACCEPTED
    assert db.session.get(Application, second.id).status == A.UNSUCCESSFUL


def test_fixing_the_shortlist_needs_every_released_application_decided(people, opportunity):
    application = submitted(people, opportunity)
    service.decide_endorsement(application, people["manager"], support=True)
    service.decide_release(application, people["head"], approve=True)
    with pytest.raises(TransitionRefused, match="still needs a decision"):
        service.fix_shortlist(opportunity, people["officer"])


def test_equality_answers_are_stored_apart_and_reported_in_aggregate(people, opportunity):
    application = submitted(people, opportunity)
    service.record_equality_answers(application, people["applicant"],
                                    {"sex": "Female", "age_band": "35 to 44",
                                     "application_id": 999, "religion": ""})
    row = db.session.scalar(select(EqualityResponse))
    assert row.application_id == application.id and row.sex == "Female"
    assert row.religion is None
    report = service.equality_report()
    assert report["sex"] == [("Female", "fewer than 5", "0")]
    with pytest.raises(PermissionError):
        service.record_equality_answers(application, people["manager"], {"sex": "Male"})


def test_equality_answers_sent_ten_times_at_once_are_stored_once(app, people, opportunity):
    """Ten real connections on PostgreSQL submit the same answers at the same moment."""
    import threading

    from portal.models import User

    if db.engine.dialect.name != "postgresql":
        pytest.skip("needs PostgreSQL: SQLite serialises every write to the file")
    application = submitted(people, opportunity)
    ids = (application.id, people["applicant"].id)
    ready = threading.Barrier(10, timeout=10)
    errors = []

    def answer():
        with app.app_context():
            mine = db.session.get(Application, ids[0])
            applicant = db.session.get(User, ids[1])
            ready.wait()
            try:
                service.record_equality_answers(mine, applicant, {"sex": "Female"})
            except Exception as error:  # noqa: BLE001 - any error is the failure
                errors.append(error)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=answer) for _ in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(15)

    assert errors == []
    assert db.session.scalar(select(func.count()).select_from(EqualityResponse)) == 1


def test_withdrawing_until_an_offer_is_accepted(people, opportunity):
    application = submitted(people, opportunity)
    service.withdraw(application, people["applicant"])
    assert application.status == A.WITHDRAWN
    with pytest.raises(TransitionRefused):
        service.withdraw(application, people["applicant"])


# --- every (state, action, role) --------------------------------------------------------

ROLES = ["applicant", "line_manager", "head", "selector", "people_services", "stranger"]
ACTIONS = sorted({action for _, action in APPLICATION_TRANSITIONS})


@pytest.mark.parametrize("state", list(A))
def test_who_may_take_each_action_in_each_state(people, opportunity, state):
    application = Application(opportunity_id=opportunity.id,
                              applicant_id=people["applicant"].id, status=state,
                              line_manager_id=people["manager"].id,
                              head_of_department_id=people["head"].id)
    db.session.add(application)
    if state == A.REFUSED:  # an appeal needs a refusal to appeal against
        db.session.add(Decision(application=application, stage="line_manager",
                                outcome="refused", grounds="skills", rationale="No.",
                                decided_by_id=people["manager"].id))
    db.session.commit()
    # The selector is the opportunity's creator; People Services (another officer) too,
    # so the selector here is a plain manager who created the opportunity.
    selector = make_user("Sel Ector", department=people["head"].department)
    opportunity.created_by_id = selector.id
    # The guards on selection: shortlisting until the shortlist is fixed, offers after.
    fixed = state != A.RELEASED
    opportunity.shortlist_fixed_at = utcnow() if fixed else None
    guarded = {"shortlist", "reject"} if fixed else {"offer"}
    db.session.commit()
    users = {"applicant": people["applicant"], "line_manager": people["manager"],
             "head": people["head"], "selector": selector,
             "people_services": people["other_officer"], "stranger": people["stranger"]}
    for role, user in users.items():
        allowed = set(service.available_actions(user, application))
        for action in ACTIONS:
            step = APPLICATION_TRANSITIONS.get((state, action))
            expected = step is not None and action not in guarded and (
                step.actor == role
                # People Services look after every opportunity, so they select too.
                or (role == "people_services" and step.actor == "selector"))
            assert (action in allowed) == expected, (state, action, role)


def test_a_head_of_department_is_released_by_their_own_manager(people, opportunity):
    head = people["head"]
    director = make_user("Di Rector")
    head.line_manager = director
    db.session.commit()
    application = service.start_application(head, opportunity)
    service.save_draft(application, head, ANSWERS)
    service.submit(application, head)
    assert application.head_of_department_id == director.id
    service.decide_endorsement(application, director, support=True)
    service.decide_release(application, director, approve=True)
    assert application.status == A.RELEASED


def test_no_appeal_is_offered_once_the_refusal_was_appealed(people, opportunity):
    application = submitted(people, opportunity)
    service.decide_endorsement(application, people["manager"], support=False,
                               grounds=["skills"], rationale="No.")
    assert "appeal" in service.available_actions(people["applicant"], application)
    service.lodge_appeal(application, people["applicant"], "Unfair")
    service.decide_appeal(application, people["officer"], overturn=False, rationale="Fair.")
    assert "appeal" not in service.available_actions(people["applicant"], application)
    assert "grievance" in service.appeal_problems(application)[0]


# --- R5: what a decision may carry, every problem in one pass ------------------------------

@pytest.mark.parametrize(("approve", "answers", "fields"), [
    (True, {}, set()),
    (True, {"comments": "Go well."}, set()),
    (True, {"grounds": ["skills"]}, {"grounds"}),
    (True, {"rationale": "Not ready."}, {"rationale"}),
    (True, {"grounds": ["skills"], "rationale": "Not ready."}, {"grounds", "rationale"}),
    (False, {"grounds": ["skills"], "rationale": "Not ready."}, set()),
    (False, {}, {"grounds", "rationale"}),
    (False, {"grounds": ["attitude"], "rationale": " "}, {"grounds", "rationale"}),
    (False, {"comments": "Well done."}, {"grounds", "rationale", "comments"}),
], ids=["yes", "yes-with-comments", "yes-with-grounds", "yes-with-reasons",
        "yes-with-both", "no-complete", "no-empty", "no-bad-grounds", "no-with-comments"])
def test_decision_errors_report_every_problem_at_once(approve, answers, fields):
    errors = service.decision_errors(approve=approve, **({"grounds": [], "rationale": ""}
                                                          | answers))
    assert set(errors) == fields


def test_grounds_given_with_a_yes_are_refused_by_the_service_itself(people, opportunity):
    application = submitted(people, opportunity)
    with pytest.raises(RuleError) as refused:
        service.decide_endorsement(application, people["manager"], support=True,
                                   grounds=["skills"])
    assert set(refused.value.errors) == {"grounds"}
    assert application.status == A.SUBMITTED and application.decisions == []


def test_submission_errors_name_every_missing_answer_at_once():
    """R4, R8: read from the answers a page sent as from a saved application."""
    assert set(service.submission_errors({"has_conflict": True})) == {
        "motivation", "evidence", "learning_objectives", "cover_plan",
        "discussed_with_manager", "conflict_details"}
    assert set(service.submission_errors({})) == {
        "motivation", "evidence", "learning_objectives", "cover_plan",
        "discussed_with_manager", "has_conflict"}
    assert service.submission_errors(ANSWERS) == {}
