"""The placement's machine through the engine, against the database: every (state,
action, actor) triple is allowed exactly when the table names that actor and no guard
stops it, and refused otherwise, in words or as not theirs. A placement is ready to
start only once every party has signed its current version (003 §3). Once running it is
extended, ended early or returned from (the guards of those: test_extensions.py)."""

from types import SimpleNamespace

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.models import AuditEvent
from portal.models.base import utcnow
from portal.models.placements import (
    AgreementSignature,
    AgreementStatus,
    AgreementVersion,
    Party,
    Placement,
)
from portal.models.placements import PlacementStatus as P
from portal.permissions import Role
from portal.services import documents
from portal.workflow import (
    PLACEMENT,
    PLACEMENT_TRANSITIONS,
    TransitionRefused,
    allowed_actions,
    check,
    transition,
)
from tests.factories import make_organisation, make_placement, make_user

ACTIONS = sorted({action for _, action in PLACEMENT_TRANSITIONS})
ACTORS = ("people_services", "board", "legal", "party", "host", "manager", "stranger")
# Legal in the table, stopped by a guard for the placement below (six months, formal,
# its agreement unsigned, starting in 30 days): once running, it has no agreed extension
# to take and its end date is months away.
GUARDED = {(P.PROPOSED, "ask_board"), (P.PROPOSED, "agree_informal"),
           (P.PROPOSED, "approve_informal"), (P.SIGNING, "execute"), (P.READY, "start"),
           (P.ACTIVE, "extend"), (P.EXTENDED, "extend"), (P.ACTIVE, "return"),
           (P.EXTENDED, "return")}
# The state's agreement version, where the placement has one.
AGREEMENT_IN = {P.WITH_LEGAL: AgreementStatus.WITH_LEGAL, P.SIGNING: AgreementStatus.RATIFIED,
                P.READY: AgreementStatus.EXECUTED, P.ACTIVE: AgreementStatus.EXECUTED,
                P.EXTENDED: AgreementStatus.EXECUTED, P.RETURNED: AgreementStatus.EXECUTED,
                P.ENDED_EARLY: AgreementStatus.EXECUTED}
# The table's actors that more than one of the people below are: the other
# organisation's contact signs for it; an extension is completed by the substantive
# manager, the host (here Lakes' contact) or the Board (R3); the substantive manager
# (R10) or People Services end a placement early.
ACTING_AS = {"party": {"party", "host"}, "extension_approver": {"manager", "host", "board"},
             "overall_manager": {"people_services", "manager"}}


@pytest.fixture
def cast(app):
    lakes = make_organisation("Lakes National Park Authority")
    manager = make_user("Mo Manager")
    return SimpleNamespace(
        lakes=lakes, manager=manager,
        officer=make_user("Pat People", roles=[Role.STAFF, Role.PEOPLE_SERVICES]),
        signatory=make_user("Sig Natory"),
        secondee=make_user("Sam Secondee", line_manager=manager),
        lawyer=make_user("Lee Legal", roles=[Role.STAFF, Role.LEGAL]),
        contact=make_user("Hana Host", organisation=lakes, roles=[Role.HOST_CONTACT]),
        board=make_user("Bo Board", roles=[Role.STAFF, Role.RESOURCES_BOARD]),
        stranger=make_user("Stu Stranger"))


def person_for(cast, actor: str):
    return {"people_services": cast.officer, "board": cast.board, "legal": cast.lawyer,
            "party": cast.secondee, "host": cast.contact, "manager": cast.manager,
            "extension_approver": cast.manager, "overall_manager": cast.manager,
            "stranger": cast.stranger}[actor]


def placement_in(cast, state: str) -> Placement:
    """A formal six-month placement with Lakes, confirmed by its contact, in `state`."""
    placement = make_placement(cast.officer, cast.secondee, partner=cast.lakes,
                               signatory=cast.signatory)
    placement.host_confirmed_at, placement.host_confirmed_by_id = utcnow(), cast.contact.id
    placement.status = state  # set up as found, not moved: the engine is what is tested
    if state in AGREEMENT_IN:
        add_version(cast, placement, AGREEMENT_IN[state])
    db.session.commit()
    return placement


def add_version(cast, placement: Placement, status: str) -> AgreementVersion:
    number = len(placement.agreements) + 1
    version = AgreementVersion(
        placement=placement, number=number, status=status,
        document=documents.issue("agreement", f"<p>v{number}</p>", f"v{number}"),
        pdf=b"%PDF-1.7", pdf_sha256=f"{number:064d}", sent_by_id=cast.officer.id)
    db.session.add(version)
    db.session.flush()
    return version


def sign_for(cast, version: AgreementVersion, *parties: str) -> None:
    who = {Party.SECONDEE: cast.secondee, Party.OWN: cast.signatory,
           Party.PARTNER: cast.contact}
    for party in parties:
        db.session.add(AgreementSignature(agreement=version, party=party,
                                          signer_id=who[party].id,
                                          signer_name=who[party].name, issuer="test",
                                          sha256=version.pdf_sha256))
    db.session.commit()


def may_take(state: str, action: str, actor: str) -> bool:
    step = PLACEMENT_TRANSITIONS.get((state, action))
    if step is None:
        return False
    return actor in ACTING_AS.get(step.actor, {step.actor})


@pytest.mark.parametrize("state", list(P))
def test_every_placement_triple_through_the_engine(cast, state):
    placement = placement_in(cast, state)
    wrong = []
    for action in ACTIONS:
        for actor in ACTORS:
            person = person_for(cast, actor)
            legal = may_take(state, action, actor)
            guarded = legal and (state, action) in GUARDED
            offered = action in allowed_actions(PLACEMENT, placement, person)
            try:
                check(PLACEMENT, placement, action, person)
                outcome = "allowed"
            except PermissionError:
                outcome = "not theirs"
            except TransitionRefused as refused:
                outcome = ("not in this state" if refused.problems[0].startswith(
                    "This cannot be done while the placement is") else "guarded")
            expected = ("guarded" if guarded else "allowed" if legal else
                        "not in this state" if (state, action) not in PLACEMENT_TRANSITIONS
                        else "not theirs")
            if outcome != expected or offered != (expected == "allowed"):
                wrong.append(f"{state} {action} by {actor}: {outcome}, offered={offered}")
    assert wrong == []


@pytest.mark.parametrize(("state", "action"), sorted(
    key for key, step in PLACEMENT_TRANSITIONS.items() if key not in GUARDED))
def test_every_allowed_step_moves_the_placement_and_is_audited(cast, state, action):
    placement = placement_in(cast, state)
    step = PLACEMENT_TRANSITIONS[(state, action)]
    actor = person_for(cast, step.actor)
    transition(PLACEMENT, placement, action, actor, expected_version=placement.version,
               details="why")
    db.session.expire_all()
    assert db.session.get(Placement, placement.id).status == step.target
    assert db.session.scalar(select(AuditEvent.summary).where(
        AuditEvent.action == f"placement.{action}")) == f"{step.verb}: why"


def test_an_illegal_step_changes_nothing(cast):
    placement = placement_in(cast, P.ACTIVE)
    with pytest.raises(TransitionRefused):
        transition(PLACEMENT, placement, "cancel", cast.officer)
    db.session.rollback()
    assert db.session.get(Placement, placement.id).status == P.ACTIVE
    assert db.session.scalar(select(AuditEvent).where(
        AuditEvent.action == "placement.cancel")) is None


def test_it_cannot_become_ready_before_every_party_signs_the_current_version(cast):
    placement = placement_in(cast, P.SIGNING)
    earlier = placement.current_agreement
    # Every party signed an earlier version; it was superseded by the current one.
    sign_for(cast, earlier, Party.SECONDEE, Party.OWN, Party.PARTNER)
    earlier.status = AgreementStatus.SUPERSEDED
    current = add_version(cast, placement, AgreementStatus.RATIFIED)
    db.session.commit()
    for signed in ((), (Party.SECONDEE,), (Party.OWN,)):
        sign_for(cast, current, *signed)
        with pytest.raises(TransitionRefused) as refused:
            transition(PLACEMENT, placement, "execute", cast.secondee)
        assert "not signed yet" in refused.value.problems[0]
        db.session.rollback()
        assert db.session.get(Placement, placement.id).status == P.SIGNING
    sign_for(cast, current, Party.PARTNER)
    transition(PLACEMENT, placement, "execute", cast.contact)
    assert db.session.get(Placement, placement.id).status == P.READY


def test_a_version_legal_have_not_ratified_cannot_be_signed_into_force(cast):
    placement = placement_in(cast, P.SIGNING)
    placement.current_agreement.status = AgreementStatus.WITH_LEGAL
    sign_for(cast, placement.current_agreement, Party.SECONDEE, Party.OWN, Party.PARTNER)
    with pytest.raises(TransitionRefused) as refused:
        transition(PLACEMENT, placement, "execute", cast.secondee)
    assert refused.value.problems == ["Only a ratified agreement can be signed"]
