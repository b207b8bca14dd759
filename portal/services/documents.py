"""Issuing documents: render once, fingerprint, store; and check a stored copy against
its fingerprint before it is shown again."""

import hashlib

from portal.extensions import db
from portal.models.documents import IssuedDocument


def fingerprint(html: str, text: str) -> str:
    """SHA-256 of the document as issued: its markup, then its plain text."""
    return hashlib.sha256(html.encode() + b"\0" + text.encode()).hexdigest()


def issue(kind: str, html: str, text: str) -> IssuedDocument:
    """Keep a document as issued; the caller commits it with the change it records."""
    document = IssuedDocument(kind=kind, html=html, text=text, sha256=fingerprint(html, text))
    db.session.add(document)
    return document


def intact(document: IssuedDocument) -> bool:
    """Whether the stored copy is still the one issued, byte for byte."""
    return fingerprint(document.html, document.text) == document.sha256
