"""The agreement's papers (R7): what each version says, its PDF, and the executed
agreement with its signature page and the deployment's seal."""

import hashlib
import io

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from portal.extensions import db
from portal.models import AuditEvent
from portal.models.placements import AgreementStatus, AgreementVersion
from portal.permissions import Role
from portal.services import documents, placements
from portal.services.pdf import check_seal
from portal.workflow import (
    AGREEMENT,
    AGREEMENT_TRANSITIONS,
    TransitionRefused,
    allowed_actions,
    transition,
)
from tests.factories import make_organisation, make_placement, make_user


@pytest.fixture
def cast(app):
    lakes = make_organisation("Lakes National Park Authority")
    manager = make_user("Mo Manager", roles=[Role.STAFF])
    return {
        "officer": make_user("Pat People", roles=[Role.STAFF, Role.PEOPLE_SERVICES]),
        "signatory": make_user("Sig Natory", roles=[Role.STAFF]),
        "secondee": make_user("Sam Secondee", line_manager=manager, issuer="https://idp"),
        "manager": manager,
        "lawyer": make_user("Lee Legal", roles=[Role.STAFF, Role.LEGAL]),
        "contact": make_user("Hana Host", organisation=lakes, roles=[Role.HOST_CONTACT],
                             issuer="https://partner"),
        "lakes": lakes,
    }


def _to_legal(cast, **terms):
    placement = make_placement(cast["officer"], cast["secondee"], partner=cast["lakes"],
                               signatory=cast["signatory"], **terms)
    placements.confirm_details(cast["contact"], placement, host_manager_name="Hugh Host",
                               host_manager_email="hugh@lakes.example",
                               expected_version=placement.version)
    agreement = placements.send_to_legal(cast["officer"], placement,
                                         expected_version=placement.version)
    return placement, agreement


def _text(pdf: bytes) -> str:
    return " ".join(" ".join((page.extract_text() or "").split())
                    for page in PdfReader(io.BytesIO(pdf)).pages)


def _sign_all(cast, placement):
    agreement = placement.current_agreement
    for who in ("secondee", "signatory", "contact"):
        placements.sign(cast[who], placement, shown_sha256=agreement.pdf_sha256,
                        issuer=cast[who].issuer or "https://staff",
                        expected_version=placement.version)
    return agreement


SECTIONS = ("Parties", "Purpose and objectives", "Dates and ending early",
            "Hours and place of work", "Pay, expenses and invoicing",
            "Management arrangements", "Conduct, confidentiality and data protection",
            "Intellectual property", "Right of return")


def test_every_section_of_the_agreement_is_in_the_pdf_the_markup_and_the_text(cast):
    placement, agreement = _to_legal(cast, other_terms="Parking at the Kendal office.")
    pdf_text = _text(agreement.pdf)
    for section in SECTIONS:
        assert section in pdf_text, section
        assert section.upper() in agreement.document.text, section
        assert f"<h2>{section}</h2>" in agreement.document.html
    # The terms themselves, the same in all three.
    for term in ("Lakes National Park Authority", "Sam Secondee", "Mo Manager", "Hugh Host",
                 "Lead the visitor data review.", "Data analyst", "37 hours a week",
                 "Parking at the Kendal office."):
        assert term in pdf_text and term in agreement.document.text, term
    # R12: the employer keeps paying and invoices the host.
    assert "invoices the host" in pdf_text and "invoices the host" in agreement.document.text
    # Not abroad: no international section.
    assert "International arrangements" not in pdf_text
    assert documents.intact(agreement.document)


def test_an_international_placement_says_what_was_agreed_before_the_start(cast):
    placement, agreement = _to_legal(
        cast, kind="international", country="France", location="Paris",
        accommodation="A furnished flat paid by the host", subsistence="EUR 40 a day",
        travel="One return flight a quarter", insurance="Health cover through the employer")
    pdf_text = _text(agreement.pdf)
    assert "International arrangements" in pdf_text
    for term in ("A furnished flat paid by the host", "EUR 40 a day",
                 "One return flight a quarter", "Health cover through the employer"):
        assert term in pdf_text and term in agreement.document.text


def test_text_of_the_terms_is_escaped_in_the_markup(cast):
    placement, agreement = _to_legal(cast, objectives='<script>alert(1)</script>')
    assert "<script>" not in agreement.document.html
    assert "&lt;script&gt;" in agreement.document.html


def test_the_executed_agreement_has_a_signature_page_and_a_seal_that_shows_tampering(cast):
    placement, _ = _to_legal(cast)
    placements.ratify(cast["lawyer"], placement, expected_version=placement.version)
    agreement = _sign_all(cast, placement)
    db.session.refresh(agreement)
    assert agreement.status == AgreementStatus.EXECUTED
    executed = agreement.executed_pdf
    assert agreement.executed_sha256 == hashlib.sha256(executed).hexdigest()
    text = _text(executed)
    assert "Signature page" in text
    for name in ("Sam Secondee", "Sig Natory", "Hana Host", "https://partner"):
        assert name in text
    # Every page of the version as issued is there, before the signature page.
    issued_pages = len(PdfReader(io.BytesIO(agreement.pdf)).pages)
    assert len(PdfReader(io.BytesIO(executed)).pages) > issued_pages
    sealed = check_seal(executed)
    assert sealed.intact and sealed.trusted
    # One byte changed inside the signed range: no longer intact.
    tampered = bytearray(executed)
    position = executed.index(b"Sam Secondee")
    tampered[position] = ord("P")
    assert not check_seal(bytes(tampered)).intact
    # The version as issued, unsealed, is not taken for the executed one.
    assert not check_seal(agreement.pdf).intact


# --- the agreement machine: every state x action x actor through the engine ---------------

AGREEMENT_ACTIONS = sorted({action for _, action in AGREEMENT_TRANSITIONS})
AGREEMENT_ACTORS = ["legal", "party", "people_services", "stranger"]


@pytest.fixture
def version_people(app):
    officer = make_user("Pat People", roles=[Role.STAFF, Role.PEOPLE_SERVICES])
    people = {"people_services": officer,
              "legal": make_user("Lee Legal", roles=[Role.STAFF, Role.LEGAL]),
              "party": make_user("Sam Secondee"), "stranger": make_user("Sid Stranger")}
    placement = make_placement(officer, people["party"], partner=make_organisation(),
                               signatory=make_user("Sig Natory"))
    return people, placement


@pytest.mark.parametrize("state", list(AgreementStatus))
def test_every_agreement_triple_through_the_engine(version_people, subtests, state):
    """Each (action, actor) on a version of its own in `state`: one set-up per state
    keeps the 100 triples to a few seconds."""
    people, placement = version_people
    for number, (action, actor) in enumerate(
            ((a, b) for a in AGREEMENT_ACTIONS for b in AGREEMENT_ACTORS), start=1):
        with subtests.test(action=action, actor=actor):
            _one_triple(people, placement, number, state, action, actor)


def _one_triple(people, placement, number, state, action, actor):
    version = AgreementVersion(
        placement=placement, number=number, status=state, pdf=b"%PDF-1.7",
        pdf_sha256="0" * 64,
        document=documents.issue("agreement", "<p>Agreement</p>", "Agreement"),
        sent_by_id=people["people_services"].id)
    db.session.add(version)
    db.session.commit()
    person = people[actor]
    step = AGREEMENT_TRANSITIONS.get((state, action))
    legal = step is not None and step.actor == actor

    assert (action in allowed_actions(AGREEMENT, version, person)) == legal
    if legal:
        transition(AGREEMENT, version, action, person, details=f"why {number}")
        db.session.expire_all()
        assert db.session.get(AgreementVersion, version.id).status == step.target
        assert db.session.scalar(select(AuditEvent.summary).where(
            AuditEvent.action == f"agreement.{action}",
            AuditEvent.summary.endswith(f"why {number}"))) == f"{step.verb}: why {number}"
    else:
        with pytest.raises((TransitionRefused, PermissionError)):
            transition(AGREEMENT, version, action, person)
        db.session.rollback()
        assert db.session.get(AgreementVersion, version.id).status == state
