"""The seal on an executed agreement (R7): a PAdES signature with the deployment's
certificate, so that any PDF reader shows whether the file is still as executed.

The seal certifies the document with no changes allowed: a reader reports any later
edit, even one added as an incremental update after the seal. A document is sealed
once; sealing it again is refused.
"""

import asyncio
import logging
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime
from io import BytesIO

from portal.services.pdf.credentials import sealing_credentials

SEAL_FIELD = "Seal"

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class SealCheck:
    """What a reader of the file can rely on.

    `intact`: the file is byte for byte as sealed (nothing changed, nothing added);
    `trusted`: intact, and sealed with this deployment's certificate;
    `sealed_by`: whose certificate made the seal, in words; `sealed_at`: when, as the
    portal's clock said at sealing (no time-stamping authority is involved).
    """

    intact: bool
    trusted: bool
    sealed_by: str | None = None
    sealed_at: datetime | None = None


NOT_SEALED = SealCheck(intact=False, trusted=False)


def _outside_any_event_loop(function, *args, **kwargs):
    """pyHanko's synchronous calls run an event loop of their own (`asyncio.run`), which
    cannot start in a thread whose loop is already running (an asynchronous worker, a
    browser driver): there, the call runs in a thread of its own."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return function(*args, **kwargs)
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(function, *args, **kwargs).result()


def seal(pdf: bytes, *, reason: str) -> bytes:
    """The PDF with the deployment's seal added (an incremental update: the pages and
    their bytes are left as they were)."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import signers
    from pyhanko.sign.fields import MDPPerm, SigSeedSubFilter
    from pyhanko_certvalidator.registry import SimpleCertificateStore

    key, certificate, chain = sealing_credentials().load()
    signer = signers.SimpleSigner(signing_cert=certificate, signing_key=key,
                                  cert_registry=SimpleCertificateStore.from_certs(chain))
    metadata = signers.PdfSignatureMetadata(
        field_name=SEAL_FIELD,
        reason=reason,
        subfilter=SigSeedSubFilter.PADES,
        certify=True,
        docmdp_permissions=MDPPerm.NO_CHANGES,
    )
    writer = IncrementalPdfFileWriter(BytesIO(pdf))
    return _outside_any_event_loop(signers.sign_pdf, writer, metadata,
                                   signer=signer).getvalue()


def check_seal(pdf: bytes) -> SealCheck:
    """Whether `pdf` carries the seal and is exactly as sealed. A damaged, truncated,
    unsealed or altered file is simply not intact: this never raises for the file."""
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.status import SignatureCoverageLevel
    from pyhanko_certvalidator import ValidationContext

    # The deployment's own certificate is the one trusted; a configuration problem here
    # is the deployment's, not the file's, and is raised.
    context = ValidationContext(trust_roots=[sealing_credentials().certificate()])
    try:
        reader = PdfFileReader(BytesIO(pdf))
        seals = [s for s in reader.embedded_signatures if s.field_name == SEAL_FIELD]
        if len(seals) != 1:
            return NOT_SEALED
        # Only a seal covering the whole file counts (below), so pyHanko's analysis of
        # what later revisions changed is not needed.
        status = _outside_any_event_loop(validate_pdf_signature, seals[0], context,
                                         skip_diff=True)
    except Exception as error:  # a file that cannot be parsed is not intact
        log.info("A document's seal could not be read: %s", type(error).__name__)
        return NOT_SEALED
    intact = bool(status.intact and status.valid
                  and status.coverage == SignatureCoverageLevel.ENTIRE_FILE)
    return SealCheck(
        intact=intact,
        trusted=intact and bool(status.trusted),
        sealed_by=_in_words(status.signing_cert),
        sealed_at=status.signer_reported_dt,
    )


def _in_words(certificate) -> str | None:
    """A certificate's subject as a person reads it: its common name, else all of it."""
    if certificate is None:
        return None
    subject = certificate.subject.native
    return subject.get("common_name") or certificate.subject.human_friendly
