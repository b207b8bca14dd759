"""Printable documents as PDF, and the seal on an executed agreement (R7).

`render_pdf` turns a complete HTML document (a child of `documents/print_base.html`)
into a PDF; `seal` adds the deployment's PAdES signature to it, so that any PDF reader
shows whether the file was altered after it was executed; `check_seal` says whether a
file is still exactly as sealed, and by whom.
"""

from portal.services.pdf.credentials import SealingCredentials, sealing_credentials
from portal.services.pdf.rendering import render_pdf
from portal.services.pdf.sealing import SEAL_FIELD, SealCheck, check_seal, seal

__all__ = ["SEAL_FIELD", "SealCheck", "SealingCredentials", "check_seal", "render_pdf",
           "seal", "sealing_credentials"]
