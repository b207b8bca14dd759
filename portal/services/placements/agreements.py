"""A placement's agreement (R7): sent to legal as a frozen version, ratified or sent
back with comments, signed by every party, executed and sealed by the last signature.

A version is kept as issued: its markup and text (the documents mechanism) and the PDF
made from them, with the PDF's SHA-256. What a party is shown, downloads and signs is
that PDF; their signature records its SHA-256, who they are and through which identity
provider they signed in. Reopening the terms supersedes the version: its signatures are
void and the next version starts again from legal.
"""

from dataclasses import dataclass

from flask import current_app
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from portal import notifications
from portal.extensions import db
from portal.models.base import utcnow
from portal.models.placements import (
    AgreementSignature,
    AgreementStatus,
    AgreementVersion,
    Placement,
)
from portal.services import documents
from portal.services.errors import RuleError, StaleRecord
from portal.services.opportunities import london_today
from portal.services.placements import papers
from portal.services.placements.access import parties_of, unsigned_parties
from portal.services.placements.lifecycle import link, people_services
from portal.services.placements.rules import legal_problems
from portal.workflow import AGREEMENT, PLACEMENT, check, refusal, transition


@PLACEMENT.guard("send_to_legal")
def _ready_for_legal(placement: Placement, action: str) -> list[str]:
    return legal_problems(placement, london_today())


@PLACEMENT.guard("sign")
def _others_still_to_sign(placement: Placement, action: str) -> list[str]:
    agreement = placement.current_agreement
    if agreement is None or not unsigned_parties(agreement):
        return ["Every party has signed this version"]
    return []


@PLACEMENT.guard("execute")
def _every_party_signed(placement: Placement, action: str) -> list[str]:
    # 003 §3: signed by all parties before it starts.
    agreement = placement.current_agreement
    if agreement is None or agreement.status != AgreementStatus.RATIFIED:
        return ["Only a ratified agreement can be signed"]
    missing = unsigned_parties(agreement)
    return [f"{len(missing)} of the parties {'has' if len(missing) == 1 else 'have'} "
            "not signed yet"] if missing else []


def send_to_legal(officer, placement: Placement, *, expected_version: int | None
                  ) -> AgreementVersion:
    """Freeze the agreement as it now reads into a new version and send it to legal."""
    check(PLACEMENT, placement, "send_to_legal", officer, expected_version=expected_version)
    number = (db.session.scalar(select(func.max(AgreementVersion.number))
                                .where(AgreementVersion.placement_id == placement.id)) or 0) + 1
    html, text = papers.agreement(placement, number)
    pdf = papers.pdf(html)
    agreement = AgreementVersion(
        placement=placement, number=number, document=documents.issue("agreement", html, text),
        pdf=pdf, pdf_sha256=papers.sha256(pdf), sent_by_id=officer.id)
    db.session.add(agreement)
    transition(PLACEMENT, placement, "send_to_legal", officer,
               expected_version=expected_version, details=f"version {number}",
               tell=lambda: notifications.send(
                   [current_app.config["LEGAL_EMAIL"]], "agreement_to_legal",
                   about=placement, placement=placement, agreement=agreement,
                   link=link(placement)))
    return agreement


def ratify(lawyer, placement: Placement, *, expected_version: int | None) -> None:
    """Legal ratify the version with them: the parties are asked to sign it."""
    agreement = placement.current_agreement
    check(PLACEMENT, placement, "ratify", lawyer, expected_version=expected_version)
    agreement.decided_by_id, agreement.decided_at = lawyer.id, utcnow()
    transition(AGREEMENT, agreement, "ratify", lawyer, commit=False)
    transition(PLACEMENT, placement, "ratify", lawyer, expected_version=expected_version,
               details=f"version {agreement.number}", tell=lambda: notifications.send(
                   _signers(placement), "agreement_to_sign", about=placement,
                   placement=placement, agreement=agreement, link=link(placement)))


def return_to_people_services(lawyer, placement: Placement, comments: str, *,
                              expected_version: int | None) -> None:
    """Legal send the version back with comments; People Services change the terms and
    send a new version."""
    agreement = placement.current_agreement
    check(PLACEMENT, placement, "return", lawyer, expected_version=expected_version)
    if not comments.strip():
        raise RuleError({"comments": "Enter what needs to change before legal can ratify "
                                     "the agreement"})
    agreement.decided_by_id, agreement.decided_at = lawyer.id, utcnow()
    agreement.legal_comments = comments.strip()
    transition(AGREEMENT, agreement, "return", lawyer, commit=False,
               details=comments.strip())
    transition(PLACEMENT, placement, "return", lawyer, expected_version=expected_version,
               details=f"version {agreement.number}: {comments.strip()}",
               tell=lambda: notifications.send(
                   [people_services()], "agreement_returned", about=placement,
                   placement=placement, agreement=agreement, link=link(placement)))


def reopen(officer, placement: Placement, *, expected_version: int | None) -> None:
    """People Services reopen the terms of a placement whose agreement legal hold, or
    whose version is being (or has been) signed: the version is superseded and every
    signature on it void; the placement is proposed again."""
    check(PLACEMENT, placement, "amend", officer, expected_version=expected_version)
    agreement = placement.current_agreement
    if agreement is not None:
        transition(AGREEMENT, agreement, "supersede", officer, commit=False)
    transition(PLACEMENT, placement, "amend", officer, expected_version=expected_version,
               tell=lambda: notifications.send(
                   _signers(placement), "agreement_superseded", about=placement,
                   placement=placement, link=link(placement)))


def signing_parties(person, placement: Placement) -> list[str]:
    """The parties `person` still has to sign for on the current version."""
    agreement = placement.current_agreement
    if agreement is None or agreement.status != AgreementStatus.RATIFIED:
        return []
    return [p for p in parties_of(person, placement) if p in unsigned_parties(agreement)]


def sign_problems(person, placement: Placement) -> list[str]:
    """Why `person` cannot sign the placement's agreement now, in words ([] when they
    can): nothing to sign since the terms were reopened, not ratified yet, signed
    already, or not a party at all."""
    agreement = placement.current_agreement
    if agreement is None:
        return ["The terms have been reopened: there is nothing to sign until legal "
                "ratify the next version"]
    if agreement.before_ratification:
        return ["Legal have not ratified this agreement yet: it can be signed once they "
                "have"]
    parties = signing_parties(person, placement)
    if not parties and any(s.signer_id == person.id for s in agreement.signatures):
        return [f"You have already signed version {agreement.number} of this agreement"]
    return refusal(PLACEMENT, placement, "sign", person) or (
        [] if parties else ["There is nothing for you to sign on this agreement now"])


def sign(person, placement: Placement, *, shown_sha256: str, issuer: str,
         expected_version: int | None) -> AgreementVersion:
    """`person` signs the current version for every party they still sign for. The page
    showed them a version by its SHA-256: signing another (one made since) is refused as
    out of date. The last signature executes the agreement and seals it."""
    agreement = placement.current_agreement
    parties = signing_parties(person, placement)
    if not parties:
        check(PLACEMENT, placement, "sign", person, expected_version=expected_version)
        raise RuleError({"confirm": "You have already signed this version"})
    if agreement.pdf_sha256 != shown_sha256:
        raise StaleRecord()
    if expected_version is not None and expected_version != placement.version:
        raise StaleRecord()
    for party in parties:
        agreement.signatures.append(AgreementSignature(
            party=party, signer_id=person.id, signer_name=person.name,
            issuer=issuer or "", sha256=agreement.pdf_sha256))
    if unsigned_parties(agreement):
        transition(AGREEMENT, agreement, "sign", person, commit=False,
                   details=", ".join(parties))
        transition(PLACEMENT, placement, "sign", person, expected_version=expected_version,
                   details=f"version {agreement.number} for {', '.join(parties)}")
        return agreement
    db.session.flush()
    executed = papers.seal(papers.executed(agreement))
    agreement.executed_pdf, agreement.executed_at = executed, utcnow()
    agreement.executed_sha256 = papers.sha256(executed)
    # The placement first: its guard reads the version as ratified and fully signed.
    transition(PLACEMENT, placement, "execute", person, expected_version=expected_version,
               details=f"version {agreement.number}", commit=False,
               tell=lambda: notifications.send(
                   [*_signers(placement), people_services()], "agreement_executed",
                   about=placement, placement=placement, agreement=agreement,
                   link=link(placement)))
    transition(AGREEMENT, agreement, "execute", person)
    return agreement


def current_pdf(placement: Placement) -> tuple[bytes, str] | None:
    """The current version's PDF, the executed one once signed, with a file name."""
    agreement = placement.current_agreement
    if agreement is None:
        return None
    if agreement.executed_pdf is not None:
        return agreement.executed_pdf, f"placement-{placement.id}-agreement-executed.pdf"
    return agreement.pdf, f"placement-{placement.id}-agreement-v{agreement.number}.pdf"


def _signers(placement: Placement) -> list:
    """Everyone who signs: the secondee, the signatory, the other organisation's
    contacts (or the host manager inside the organisation)."""
    from portal.services.placements.contacts import partner_contacts

    people = [placement.secondee or placement.secondee_email, placement.signatory]
    if placement.external_organisation_id is None:
        people.append(placement.host_manager)
    else:
        people.extend(partner_contacts(placement))
    return people


@dataclass
class AgreementPage:
    """One page of a list of agreement versions, and how many there are in all."""

    items: list
    total: int
    page: int
    per_page: int = 25

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


def waiting_for_legal(page: int = 1, per_page: int = 25) -> AgreementPage:
    """The versions legal have still to ratify or send back, oldest first (R7): three
    queries whatever their number (count, versions, their placements' organisations)."""
    waiting = select(AgreementVersion).where(
        AgreementVersion.status == AgreementStatus.WITH_LEGAL)
    total = db.session.scalar(select(func.count()).select_from(waiting.subquery())) or 0
    page = max(1, page)
    items = db.session.scalars(
        waiting.options(
            joinedload(AgreementVersion.placement).selectinload(Placement.host_organisation),
            joinedload(AgreementVersion.placement).selectinload(Placement.home_organisation),
            joinedload(AgreementVersion.sent_by))
        .order_by(AgreementVersion.sent_at, AgreementVersion.id)
        .limit(per_page).offset((page - 1) * per_page)).unique().all()
    return AgreementPage(items=list(items), total=total, page=page, per_page=per_page)
