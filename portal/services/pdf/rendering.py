"""HTML to PDF with WeasyPrint, from the same template a person prints from the browser.

The renderer fetches nothing over the network: a document may use `data:` URIs and the
portal's own static files (`/assets/...`, read from disk), and anything else is refused
and left out of the page. Fonts are the machine's own, found by Fontconfig.

The first render in a process costs about a second (WeasyPrint's import and font
discovery); later ones take tens of milliseconds. Render when a document is issued or
executed and keep the bytes, rather than on every download.
"""

import functools
import mimetypes
from pathlib import Path
from urllib.parse import unquote, urlsplit

STATIC_DIR = Path(__file__).resolve().parents[2] / "static"
# The portal serves its static files at /assets (create_app's static_url_path): a
# template's "/assets/documents.css", resolved against this, is read from STATIC_DIR.
BASE_URL = "file:///"
ASSETS_PATH = "/assets/"


def render_pdf(html: str) -> bytes:
    """The PDF of a complete HTML document; the same input gives the same bytes."""
    from weasyprint import HTML

    return HTML(string=html, base_url=BASE_URL, url_fetcher=_fetcher()).write_pdf()


def static_file_for(url: str) -> Path | None:
    """The file on disk behind one of the portal's `/assets/...` addresses, or None for
    any other address (or one that tries to climb out of the static folder)."""
    parts = urlsplit(url)
    if parts.scheme != "file" or parts.netloc not in {"", "localhost"} \
            or not parts.path.startswith(ASSETS_PATH):
        return None
    path = (STATIC_DIR / unquote(parts.path[len(ASSETS_PATH):])).resolve()
    if not path.is_relative_to(STATIC_DIR) or not path.is_file():
        return None
    return path


@functools.cache
def _fetcher_class():
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class PortalFilesOnly(URLFetcher):
        """Answers `data:` URIs and the portal's static files; refuses everything else."""

        def fetch(self, url, headers=None):
            if url[:5].lower() == "data:":
                return super().fetch(url, headers)  # decoded in memory by urllib
            path = static_file_for(url)
            if path is None:
                raise ValueError(f"a printed document may not fetch {url}")
            content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": content_type})

    return PortalFilesOnly


def _fetcher():
    return _fetcher_class()()
