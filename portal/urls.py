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


def external_url(endpoint: str, **values) -> str:
    """An absolute link for an e-mail. Inside a request it uses the request's host;
    outside one (the demo data, a cron job) the deployment's PORTAL_URL."""
    from flask import current_app, has_request_context, url_for

    if has_request_context():
        return url_for(endpoint, _external=True, **values)
    with current_app.test_request_context(base_url=current_app.config["PORTAL_URL"]):
        return url_for(endpoint, _external=True, **values)
