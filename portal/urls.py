"""Where the portal may send someone back to after signing in, and its own absolute
URLs, always on the configured public address."""

from urllib.parse import urlparse, urlsplit


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


def external_url(endpoint: str, **values) -> str:
    """An absolute URL on the portal's configured public address (PORTAL_URL), for the
    identity providers' redirect URIs and for links in e-mails.

    Never built from the request: its Host header is whatever the sender typed, and a
    redirect URI or an e-mailed link on that host would hand codes and tokens to it."""
    from flask import current_app

    base = urlsplit(current_app.config["PORTAL_URL"])
    adapter = current_app.url_map.bind(
        base.netloc, script_name=base.path or "/", url_scheme=base.scheme,
        subdomain=current_app.url_map.default_subdomain or "")
    values = {key: value for key, value in values.items() if value is not None}
    current_app.inject_url_defaults(endpoint, values)
    return adapter.build(endpoint, values, force_external=True)
