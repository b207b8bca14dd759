"""The agreement's papers: its text from the placement's terms, the PDF made from the
same markup, the signature page, and the executed agreement sealed with the
deployment's document-sealing certificate (R7)."""

import hashlib

from flask import current_app, render_template

from portal.models.base import utcnow
from portal.models.placements import AgreementVersion, Party, Placement
from portal.services.opportunities import london_today
from portal.services.pdf import render_pdf
from portal.services.pdf import seal as seal_pdf
from portal.services.placements.access import parties, party_label

# Where the signature page goes in the version as issued: inside the document's content,
# so that the printed page's header and footer run on it too.
_END_OF_CONTENT = "</main>"


def agreement(placement: Placement, number: int) -> tuple[str, str]:
    """The agreement as it reads now, as version `number`: its markup and plain text."""
    context = {"placement": placement, "number": number, "issued_on": london_today(),
               "signers": signers(placement), "parties": [
                   (party, party_label(placement, party)) for party in parties(placement)]}
    return (render_template("placements/agreement_document.html", **context),
            render_template("placements/agreement_document.txt", **context))


def signers(placement: Placement) -> dict[str, str]:
    """Who is expected to sign for each party, by name where the terms name them."""
    names = {Party.SECONDEE: placement.secondee_name}
    if placement.signatory is not None:
        names[Party.OWN] = placement.signatory.name
    if placement.external_organisation_id is None:
        if placement.host_manager is not None:
            names[Party.PARTNER] = placement.host_manager.name
    else:
        other = (placement.home_organisation if placement.kind == "incoming"
                 else placement.host_organisation)
        names[Party.PARTNER] = f"A contact of {other.name} signed in to the portal"
    return names


def pdf(html: str) -> bytes:
    return render_pdf(html)


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def executed(version: AgreementVersion) -> bytes:
    """The version as issued with a signature page: each party, who signed, when,
    through which identity provider, and the SHA-256 of the PDF they signed."""
    placement = version.placement
    signatures = [(party_label(placement, s.party), s, sign_in_service(s.issuer))
                  for s in version.signatures]
    page = render_template("placements/agreement_executed_page.html", agreement=version,
                           placement=placement, signatures=signatures,
                           executed_at=utcnow(), organisation=_sealing_organisation(placement))
    issued = version.document.html
    # The version's own markup, unchanged, with the signature page at the end of it.
    marker = _END_OF_CONTENT if _END_OF_CONTENT in issued else "</body>"
    head, _, tail = issued.rpartition(marker)
    return render_pdf(head + page + marker + tail)


def sign_in_service(issuer: str | None) -> str:
    """The sign-in service a signature records, as the signer knows it, with the
    identity provider's address: "Example Council's staff sign-in (https://...)"."""
    for settings in current_app.config["OIDC_PROVIDERS"].values():
        if issuer and settings.issuer.rstrip("/") == issuer.rstrip("/"):
            who = (f"{current_app.config['ORGANISATION_NAME']}'s staff sign-in"
                   if settings.name == "staff" else "the partner organisations' sign-in")
            return f"{who} ({settings.issuer})"
    return issuer or "an unknown sign-in service"


def seal(data: bytes) -> bytes:
    return seal_pdf(data, reason="Secondment agreement signed by every party")


def _sealing_organisation(placement: Placement) -> str:
    """The deployment's organisation, whose certificate seals the file."""
    return current_app.config["ORGANISATION_NAME"]
