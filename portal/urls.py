"""Where the portal may send someone back to after signing in."""

from urllib.parse import urlparse


def safe_next_path(value: str | None) -> str:
    """A path on this site, or `/`. Refuses other hosts, schemes and `//host` tricks."""
    if not value or not value.startswith("/") or value.startswith("//"):
        return "/"
    if "\\" in value or any(ord(ch) < 32 for ch in value):
        return "/"
    parsed = urlparse(value)
    if parsed.scheme or parsed.netloc:
        return "/"
    return value
