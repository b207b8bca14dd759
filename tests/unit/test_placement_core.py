"""The placement and agreement machines through their services: from proposed to ready
to start, every party signing the exact version legal ratified (R7, 003 §3)."""

import hashlib
from datetime import timedelta

import pytest

from portal.extensions import db
from portal.models.placements import AgreementStatus, PlacementStatus
from portal.permissions import Role
from portal.services import placements
from portal.services.errors import RuleError, StaleRecord
from portal.services.opportunities import london_today
from portal.workflow import TransitionRefused
from tests.factories import make_organisation, make_placement, make_user


@pytest.fixture
def cast(app):
    lakes = make_organisation("Lakes National Park Authority")
    manager = make_user("Mo Manager", roles=[Role.STAFF])
    people = {
        "officer": make_user("Pat People", roles=[Role.STAFF, Role.PEOPLE_SERVICES]),
        "signatory": make_user("Sig Natory", roles=[Role.STAFF]),
        "secondee": make_user("Sam Secondee", line_manager=manager, issuer="https://idp"),
        "manager": manager,
        "lawyer": make_user("Lee Legal", roles=[Role.STAFF, Role.LEGAL]),
        "contact": make_user("Hana Host", organisation=lakes, roles=[Role.HOST_CONTACT],
                             issuer="https://partner"),
        "board": make_user("Bo Board", roles=[Role.STAFF, Role.RESOURCES_BOARD]),
        "lakes": lakes,
    }
    return people


def _placement(cast, **overrides):
    return make_placement(cast["officer"], cast["secondee"], partner=cast["lakes"],
                          signatory=cast["signatory"], **overrides)


def test_a_placement_goes_from_proposed_to_ready_once_every_party_signs(cast):
    placement = _placement(cast)
    assert placement.status == PlacementStatus.PROPOSED
    assert placement.substantive_manager_id == cast["manager"].id
    # The other organisation has not confirmed: legal cannot have it yet.
    assert "send_to_legal" in placements.blocked_actions(cast["officer"], placement)
    placements.confirm_details(cast["contact"], placement, host_manager_name="Hugh Host",
                               host_manager_email="hugh@lakes.example",
                               expected_version=placement.version)
    agreement = placements.send_to_legal(cast["officer"], placement,
                                         expected_version=placement.version)
    assert placement.status == PlacementStatus.WITH_LEGAL
    assert agreement.pdf.startswith(b"%PDF")
    assert agreement.pdf_sha256 == hashlib.sha256(agreement.pdf).hexdigest()
    # Nobody signs before legal ratify.
    assert placements.signing_parties(cast["secondee"], placement) == []
    placements.ratify(cast["lawyer"], placement, expected_version=placement.version)
    assert placement.status == PlacementStatus.SIGNING
    assert agreement.status == AgreementStatus.RATIFIED
    for who in ("secondee", "signatory"):
        placements.sign(cast[who], placement, shown_sha256=agreement.pdf_sha256,
                        issuer=cast[who].issuer or "staff", expected_version=placement.version)
        assert placement.status == PlacementStatus.SIGNING
    placements.sign(cast["contact"], placement, shown_sha256=agreement.pdf_sha256,
                    issuer="https://partner", expected_version=placement.version)
    db.session.refresh(placement)
    assert placement.status == PlacementStatus.READY
    assert agreement.status == AgreementStatus.EXECUTED
    from portal.services.pdf import check_seal

    seal = check_seal(agreement.executed_pdf)
    assert seal.intact and seal.trusted
    assert {s.sha256 for s in agreement.signatures} == {agreement.pdf_sha256}
    assert {s.party for s in agreement.signatures} == {"secondee", "own", "partner"}


def test_signing_a_version_other_than_the_one_shown_is_refused(cast):
    placement = _placement(cast)
    placements.confirm_details(cast["contact"], placement, host_manager_name="Hugh Host",
                               host_manager_email="hugh@lakes.example",
                               expected_version=placement.version)
    agreement = placements.send_to_legal(cast["officer"], placement,
                                         expected_version=placement.version)
    placements.ratify(cast["lawyer"], placement, expected_version=placement.version)
    with pytest.raises(StaleRecord):
        placements.sign(cast["secondee"], placement, shown_sha256="0" * 64, issuer="x",
                        expected_version=placement.version)
    assert agreement.signatures == []
    # A stranger is not a party.
    with pytest.raises(PermissionError):
        placements.sign(make_user(), placement, shown_sha256=agreement.pdf_sha256,
                        issuer="x", expected_version=placement.version)


def test_reopening_the_terms_voids_the_signatures_of_the_earlier_version(cast):
    placement = _placement(cast)
    placements.confirm_details(cast["contact"], placement, host_manager_name="Hugh Host",
                               host_manager_email="hugh@lakes.example",
                               expected_version=placement.version)
    first = placements.send_to_legal(cast["officer"], placement,
                                     expected_version=placement.version)
    placements.ratify(cast["lawyer"], placement, expected_version=placement.version)
    placements.sign(cast["secondee"], placement, shown_sha256=first.pdf_sha256, issuer="x",
                    expected_version=placement.version)
    placements.reopen(cast["officer"], placement, expected_version=placement.version)
    assert first.status == AgreementStatus.SUPERSEDED
    assert placement.current_agreement is None
    placements.update_terms(cast["officer"], placement, {"location": "Windermere"},
                            expected_version=placement.version)
    # The place changed: the other organisation confirms again.
    assert placement.host_confirmed_at is None


def test_the_terms_are_refused_field_by_field(cast):
    today = london_today()
    with pytest.raises(RuleError) as refused:
        _placement(cast, start_date=today - timedelta(days=1),
                   end_date=today - timedelta(days=5))
    assert set(refused.value.errors) >= {"start_date", "end_date"}
    with pytest.raises(RuleError) as refused:
        _placement(cast, end_date=today + timedelta(days=30 + 800))
    assert "duration_reason" in refused.value.errors


def test_over_24_months_goes_to_the_resources_board_before_legal(cast):
    start = london_today() + timedelta(days=30)
    placement = _placement(cast, start_date=start, end_date=start + timedelta(days=800),
                           duration_reason="A three-year programme.")
    placements.confirm_details(cast["contact"], placement, host_manager_name="Hugh Host",
                               host_manager_email="hugh@lakes.example",
                               expected_version=placement.version)
    with pytest.raises(TransitionRefused) as refused:
        placements.send_to_legal(cast["officer"], placement,
                                 expected_version=placement.version)
    assert "Resources Board" in refused.value.problems[0]
    placements.ask_board(cast["officer"], placement, expected_version=placement.version)
    placements.decide_duration(cast["board"], placement, approve=True, reason="Justified.",
                               expected_version=placement.version)
    placements.send_to_legal(cast["officer"], placement, expected_version=placement.version)
    assert placement.status == PlacementStatus.WITH_LEGAL


def test_a_signature_once_given_is_never_changed_or_removed(cast):
    from sqlalchemy import text
    from sqlalchemy.exc import DatabaseError

    placement = _placement(cast)
    placements.confirm_details(cast["contact"], placement, host_manager_name="Hugh Host",
                               host_manager_email="hugh@lakes.example",
                               expected_version=placement.version)
    agreement = placements.send_to_legal(cast["officer"], placement,
                                         expected_version=placement.version)
    placements.ratify(cast["lawyer"], placement, expected_version=placement.version)
    placements.sign(cast["secondee"], placement, shown_sha256=agreement.pdf_sha256,
                    issuer="x", expected_version=placement.version)
    for statement in ("UPDATE agreement_signatures SET sha256 = 'forged'",
                      "DELETE FROM agreement_signatures"):
        with pytest.raises(DatabaseError):
            db.session.execute(text(statement))
        db.session.rollback()
    assert len(agreement.signatures) == 1
