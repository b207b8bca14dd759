"""The agreement's papers: its text from the placement's terms, the PDF made from the
same markup, the signature page, and the executed agreement sealed with the
deployment's document-sealing certificate."""

import hashlib

from flask import render_template

from portal.models.placements import AgreementVersion, Placement
from portal.services.pdf import render_pdf
from portal.services.pdf import seal as seal_pdf
from portal.services.placements.access import parties, party_label


def agreement(placement: Placement, number: int) -> tuple[str, str]:
    """The agreement as it reads now, as version `number`: its markup and plain text."""
    context = {"placement": placement, "number": number, "parties": [
        (party, party_label(placement, party)) for party in parties(placement)]}
    return (render_template("placements/agreement_document.html", **context),
            render_template("placements/agreement_document.txt", **context))


def pdf(html: str) -> bytes:
    return render_pdf(html)


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def executed(version: AgreementVersion) -> bytes:
    """The version as issued with a signature page: each party, who signed, when,
    through which identity provider, and the SHA-256 of the PDF they signed."""
    placement = version.placement
    signatures = [(party_label(placement, s.party), s) for s in version.signatures]
    page = render_template("placements/agreement_executed_page.html", agreement=version,
                           placement=placement, signatures=signatures,
                           organisation=placement.home_organisation.name
                           if placement.kind != "incoming" else placement.host_organisation.name)
    issued = version.document.html
    # The version's own markup, unchanged, with the signature page after it.
    return render_pdf(issued.replace("</body>", page + "</body>", 1))


def seal(data: bytes) -> bytes:
    return seal_pdf(data, reason="Secondment agreement signed by every party")
