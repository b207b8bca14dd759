"""The workflow engine: every machine refuses in words what its table does not know,
the business case's every (state, action, actor) triple runs through the engine against
the database, and no module but the engine assigns a status."""

import re
from pathlib import Path

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.models import AuditEvent, BusinessCase
from portal.models.opportunities import CaseStatus as C
from portal.permissions import Role
from portal.workflow import (
    BUSINESS_CASE,
    CASE_TRANSITIONS,
    MACHINES,
    TransitionRefused,
    allowed_actions,
    transition,
)
from tests.factories import make_opportunity, make_organisation, make_user

ROOT = Path(__file__).resolve().parents[2]


def test_no_module_but_the_engine_assigns_a_status():
    assigning = re.compile(r"\.status\s*=[^=]")
    found = [f"{path.relative_to(ROOT)}:{n}"
             for folder in ("portal", "blueprints") for path in (ROOT / folder).rglob("*.py")
             if path.name != "workflow.py"
             for n, line in enumerate(path.read_text().splitlines(), 1)
             if assigning.search(line.split("#")[0])]
    assert found == []


@pytest.mark.parametrize("machine", MACHINES, ids=lambda m: m.name)
def test_a_state_or_an_action_the_table_does_not_know_is_refused_in_words(machine):
    state, action = next(iter(machine.table))
    for unknown in (("no such state", action), (state, "no such action"), (None, action)):
        with pytest.raises(TransitionRefused) as refused:
            machine.step(*unknown)
        assert refused.value.problems[0].startswith("This cannot be done while the "
                                                    f"{machine.name} is")


@pytest.mark.parametrize("machine", MACHINES, ids=lambda m: m.name)
def test_every_actor_a_table_names_is_known_to_its_machine(app, machine):
    """`app` imports every service, which registers its machine's actors and guards."""
    assert {step.actor for step in machine.table.values()} <= set(machine.actors)


@pytest.fixture
def case_people(app):
    officer = make_user("Pat People", roles=[Role.STAFF, Role.PEOPLE_SERVICES])
    board = make_user("Bo Board", roles=[Role.STAFF, Role.RESOURCES_BOARD])
    stranger = make_user("Sid Stranger")
    db.session.commit()
    return {"manager": officer, "board": board, "stranger": stranger}


CASE_ACTIONS = sorted({action for _, action in CASE_TRANSITIONS})


@pytest.mark.parametrize("state", list(C))
@pytest.mark.parametrize("action", CASE_ACTIONS)
@pytest.mark.parametrize("actor", ["manager", "board", "stranger"])
def test_every_business_case_triple_through_the_engine(case_people, state, action, actor):
    officer = case_people["manager"]
    opportunity = make_opportunity(officer, kind="outgoing",
                                   host_organisation_id=make_organisation().id)
    case = BusinessCase(opportunity=opportunity, skills="s", priorities="knowledge_transfer",
                        costs="c", cover="v", status=state, submitted_by_id=officer.id)
    db.session.add(case)
    db.session.commit()
    person = case_people[actor]
    step = CASE_TRANSITIONS.get((state, action))
    legal = step is not None and step.actor == actor

    assert (action in allowed_actions(BUSINESS_CASE, case, person)) == legal
    if legal:
        transition(BUSINESS_CASE, case, action, person, details="why")
        db.session.expire_all()
        assert db.session.get(BusinessCase, case.id).status == step.target
        assert db.session.scalar(select(AuditEvent.summary).where(
            AuditEvent.action == f"business_case.{action}")) == f"{step.verb}: why"
    else:
        with pytest.raises((TransitionRefused, PermissionError)):
            transition(BUSINESS_CASE, case, action, person)
        db.session.rollback()
        assert db.session.get(BusinessCase, case.id).status == state
