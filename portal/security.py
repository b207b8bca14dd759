"""Response headers on every response, errors and the back office included."""

from urllib.parse import urlparse

from flask import request

from portal.permissions import public


def _provider_origins(app) -> list[str]:
    origins = []
    for provider in app.config["OIDC_PROVIDERS"].values():
        parsed = urlparse(provider.issuer)
        origins.append(f"{parsed.scheme}://{parsed.netloc}")
    return sorted(set(origins))


def content_security_policy(app) -> str:
    # Signing out is a form whose answer redirects to the provider's logout page, and
    # browsers apply form-action to that redirect: the providers are named there.
    form_action = " ".join(["'self'", *_provider_origins(app)])
    return "; ".join(
        [
            "default-src 'self'",
            "script-src 'self'",
            "style-src 'self'",
            "img-src 'self' data:",
            "font-src 'self'",
            "connect-src 'self'",
            "object-src 'none'",
            "base-uri 'none'",
            "frame-ancestors 'none'",
            f"form-action {form_action}",
        ]
    )


def init_app(app) -> None:
    policy = content_security_policy(app)
    production = app.config["PORTAL_ENV"] == "production"

    # Static files are public; wrapping the view lets the route walk see it declared.
    static_view = app.view_functions["static"]

    @public
    def static(filename):
        return static_view(filename=filename)

    app.view_functions["static"] = static

    @app.after_request
    def set_security_headers(response):
        headers = response.headers
        headers["Content-Security-Policy"] = policy
        headers["X-Content-Type-Options"] = "nosniff"
        headers["Referrer-Policy"] = "strict-origin-when-cross-origin"
        headers["X-Frame-Options"] = "DENY"
        headers["Cross-Origin-Opener-Policy"] = "same-origin"
        headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=()"
        if production:
            headers["Strict-Transport-Security"] = "max-age=31536000; includeSubDomains"
        if request.endpoint != "static":
            # Pages may hold personal data: never keep them in a shared cache or history.
            headers["Cache-Control"] = "no-store"
            headers["Pragma"] = "no-cache"
        return response
