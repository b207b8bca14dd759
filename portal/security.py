"""Response headers on every response, errors and the back office included.

The portal's own pages carry no inline script or style, so their policy is
`script-src 'self'` with nothing else. Flask-Admin's templates (the back office) do
carry inline scripts; its pages alone get a fresh nonce per response, added to
script-src and style-src for responses under BACK_OFFICE_URL and nowhere else.
"""

import secrets
from urllib.parse import urlparse

from flask import g, request

from portal.permissions import public

BACK_OFFICE_URL = "/back-office"


def _provider_origins(app) -> list[str]:
    origins = []
    for provider in app.config["OIDC_PROVIDERS"].values():
        parsed = urlparse(provider.issuer)
        origins.append(f"{parsed.scheme}://{parsed.netloc}")
    return sorted(set(origins))


def content_security_policy(app, nonce: str | None = None) -> str:
    # Signing out is a form whose answer redirects to the provider's logout page, and
    # browsers apply form-action to that redirect: the providers are named there.
    form_action = " ".join(["'self'", *_provider_origins(app)])
    inline = f" 'nonce-{nonce}'" if nonce else ""
    return "; ".join(
        [
            "default-src 'self'",
            f"script-src 'self'{inline}",
            f"style-src 'self'{inline}",
            "img-src 'self' data:",
            "font-src 'self'",
            "connect-src 'self'",
            "object-src 'none'",
            "base-uri 'none'",
            "frame-ancestors 'none'",
            f"form-action {form_action}",
        ]
    )


def in_back_office(path: str) -> bool:
    return path == BACK_OFFICE_URL or path.startswith(BACK_OFFICE_URL + "/")


def csp_nonce() -> str:
    """This response's nonce for the back office's inline scripts, made once per request.

    Flask-Admin asks for it while rendering; outside the back office the policy never
    names it, so a script carrying it there would still be refused.
    """
    nonce = g.get("csp_nonce")
    if nonce is None:
        nonce = g.csp_nonce = secrets.token_urlsafe(18)
    return nonce


def _is_static(endpoint: str | None) -> bool:
    # The portal's assets, and Flask-Admin's own under /back-office/static.
    return endpoint is not None and (endpoint == "static" or endpoint.endswith(".static"))


def init_app(app) -> None:
    policy = content_security_policy(app)
    production = app.config["PORTAL_ENV"] == "production"

    # Static files are public; wrapping the views lets the route walk see them declared.
    for endpoint in [e for e in app.view_functions if _is_static(e)]:
        app.view_functions[endpoint] = public(_static_view(app.view_functions[endpoint]))

    @app.after_request
    def set_security_headers(response):
        headers = response.headers
        nonce = g.get("csp_nonce") if in_back_office(request.path) else None
        headers["Content-Security-Policy"] = (
            content_security_policy(app, nonce) if nonce else policy)
        headers["X-Content-Type-Options"] = "nosniff"
        headers["Referrer-Policy"] = "strict-origin-when-cross-origin"
        headers["X-Frame-Options"] = "DENY"
        headers["Cross-Origin-Opener-Policy"] = "same-origin"
        headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=()"
        if production:
            headers["Strict-Transport-Security"] = "max-age=31536000; includeSubDomains"
        if not _is_static(request.endpoint):
            # Pages may hold personal data: never keep them in a shared cache or history.
            headers["Cache-Control"] = "no-store"
            headers["Pragma"] = "no-cache"
        return response


def _static_view(view):
    def static(filename):
        return view(filename=filename)

    return static
