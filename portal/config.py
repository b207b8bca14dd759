"""Configuration, read from the environment only (12-factor).

`PORTAL_ENV` is `production` unless a deployment says otherwise. In production every
secret and single sign-on setting must be given: start-up stops with a message naming
each one that is missing. `development` (what the demo sets) allows an `http://`
identity provider on loopback and cookies without the Secure flag.
"""

import os
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlparse

INSTANCE_DIR = Path(__file__).resolve().parent.parent / "instance"


class ConfigurationError(RuntimeError):
    """The deployment's environment is missing or has an unusable setting."""


@dataclass(frozen=True)
class ProviderSettings:
    """One OpenID Connect provider the portal trusts."""

    name: str  # "staff" (the organisation's own) or "partner" (host organisations)
    issuer: str
    client_id: str
    client_secret: str
    scopes: str
    signing_algs: tuple[str, ...]
    label: str

    @property
    def discovery_url(self) -> str:
        return self.issuer.rstrip("/") + "/.well-known/openid-configuration"


def _parse_role_map(text: str) -> dict[str, str]:
    """`group=role,group=role` from the environment into a dict."""
    mapping: dict[str, str] = {}
    for pair in filter(None, (p.strip() for p in text.split(","))):
        group, sep, role = pair.partition("=")
        if not sep or not group.strip() or not role.strip():
            raise ConfigurationError(
                f"OIDC_ROLE_MAP entry {pair!r} is not in the form group=role"
            )
        mapping[group.strip()] = role.strip()
    return mapping


# The portal's columns of the HR staff export (portal/services/staff_import).
STAFF_COLUMNS = ("name", "email", "department", "line_manager_email", "grade")


def _parse_staff_columns(text: str) -> dict[str, str]:
    """`HR column=portal column;…` from the environment into a dict. Separated by
    semicolons, as HR systems' column names may hold commas."""
    mapping: dict[str, str] = {}
    for pair in filter(None, (p.strip() for p in text.split(";"))):
        hr_name, sep, column = pair.rpartition("=")
        if not sep or not hr_name.strip() or column.strip() not in STAFF_COLUMNS:
            raise ConfigurationError(
                f"STAFF_IMPORT_COLUMNS entry {pair!r} is not in the form HR column=portal "
                f"column, the portal column one of {', '.join(STAFF_COLUMNS)}")
        mapping[hr_name.strip()] = column.strip()
    return mapping


def _is_loopback(url: str) -> bool:
    host = urlparse(url).hostname or ""
    return host in {"localhost", "127.0.0.1", "::1"}


DEFAULT_ROLE_MAP = (
    "portal-people-services=people_services,portal-legal=legal,"
    "portal-resources-board=resources_board,portal-admin=admin"
)


class Config:
    """Settings read from the environment when the application is created."""

    def __init__(self, env: dict[str, str] | None = None):
        env = dict(os.environ if env is None else env)
        self.PORTAL_ENV = env.get("PORTAL_ENV", "production")
        if self.PORTAL_ENV not in {"production", "development", "test"}:
            raise ConfigurationError(
                "PORTAL_ENV must be production, development or test, "
                f"not {self.PORTAL_ENV!r}"
            )
        production = self.PORTAL_ENV == "production"
        missing: list[str] = []

        self.SECRET_KEY = env.get("SECRET_KEY") or ""
        if not self.SECRET_KEY:
            if production:
                missing.append("SECRET_KEY")
            else:
                self.SECRET_KEY = "development-only-secret-key"  # noqa: S105

        self.SQLALCHEMY_DATABASE_URI = normalise_database_url(
            env.get("DATABASE_URL") or f"sqlite:///{INSTANCE_DIR / 'portal.sqlite'}"
        )
        # Connections idle in the pool for longer than this are tested before use
        # (portal/database.py); one just returned by another request is not.
        self.DATABASE_PING_IDLE_SECONDS = float(env.get("DATABASE_PING_IDLE_SECONDS", "10"))

        self.ORGANISATION_NAME = env.get("ORGANISATION_NAME", "Example Council")
        self.SERVICE_NAME = env.get("SERVICE_NAME", "Secondments")
        self.SUPPORT_EMAIL = env.get("SUPPORT_EMAIL", "people.services@example.org")
        # The portal's public address: every absolute URL it gives out (the identity
        # providers' redirect URIs, links in e-mails) is built on it, never on the
        # Host header of the request at hand.
        # In production there is no sensible default: a guess would put the wrong
        # address in every e-mail and redirect URI.
        if production and not env.get("PORTAL_URL"):
            missing.append("PORTAL_URL")
        self.PORTAL_URL = (env.get("PORTAL_URL") or "http://127.0.0.1:5000").rstrip("/")
        portal_url = urlparse(self.PORTAL_URL)
        if portal_url.scheme not in {"http", "https"} or not portal_url.hostname \
                or portal_url.query or portal_url.fragment:
            raise ConfigurationError(
                "PORTAL_URL must be the portal's address, like https://secondments.example.org"
                f", not {self.PORTAL_URL!r}")
        if production and env.get("PORTAL_URL") and portal_url.scheme != "https":
            raise ConfigurationError(
                f"PORTAL_URL must start with https:// in production, not {self.PORTAL_URL!r}")

        self.OIDC_PROVIDERS: dict[str, ProviderSettings] = {}
        staff = self._provider(env, "OIDC_", "staff", "Sign in with your work account",
                               missing, required=True)
        if staff:
            self.OIDC_PROVIDERS["staff"] = staff
        if env.get("PARTNER_OIDC_ISSUER"):
            partner = self._provider(env, "PARTNER_OIDC_", "partner",
                                     "Sign in as a host organisation contact", missing,
                                     required=True)
            if partner:
                self.OIDC_PROVIDERS["partner"] = partner
        self.OIDC_GROUPS_CLAIM = env.get("OIDC_GROUPS_CLAIM", "groups")
        self.OIDC_ROLE_MAP = _parse_role_map(env.get("OIDC_ROLE_MAP", DEFAULT_ROLE_MAP))

        # The HR export's own names for the staff import's columns, e.g.
        # "Employee Email=email;Full Name=name" (matched without regard to case or spaces).
        self.STAFF_IMPORT_COLUMNS = _parse_staff_columns(env.get("STAFF_IMPORT_COLUMNS", ""))

        self.SESSION_IDLE_MINUTES = int(env.get("SESSION_IDLE_MINUTES", "30"))
        self.SESSION_LIFETIME_HOURS = int(env.get("SESSION_LIFETIME_HOURS", "10"))
        self.PERMANENT_SESSION_LIFETIME = timedelta(hours=self.SESSION_LIFETIME_HOURS)
        self.SESSION_COOKIE_HTTPONLY = True
        self.SESSION_COOKIE_SAMESITE = "Lax"
        self.SESSION_COOKIE_SECURE = production
        # The __Host- prefix pins the cookie to this host and path, and browsers accept
        # it only with Secure, so it is used only where cookies are Secure.
        self.SESSION_COOKIE_NAME = "__Host-portal" if production else "portal_session"
        self.REMEMBER_COOKIE_DURATION = timedelta(seconds=0)
        self.PREFERRED_URL_SCHEME = "https" if production else "http"
        self.WTF_CSRF_TIME_LIMIT = None  # the session's own lifetime bounds the token

        self.MAIL_SENDER = env.get("MAIL_SENDER", "secondments@example.org")
        self.MAIL_SERVER = env.get("MAIL_SERVER", "")
        self.MAIL_PORT = int(env.get("MAIL_PORT", "25"))
        self.MAIL_USE_TLS = env.get("MAIL_USE_TLS", "").lower() in {"1", "true", "yes"}
        self.MAIL_USERNAME = env.get("MAIL_USERNAME", "")
        self.MAIL_PASSWORD = env.get("MAIL_PASSWORD", "")
        # The mail worker tries a message this many times, waiting 1, 2, 4, 8… minutes
        # between tries (about an hour in all with the default), then marks it as not
        # delivered for People Services to send again.
        self.MAIL_MAX_ATTEMPTS = int(env.get("MAIL_MAX_ATTEMPTS", "7"))
        if self.MAIL_MAX_ATTEMPTS < 1:
            raise ConfigurationError("MAIL_MAX_ATTEMPTS must be 1 or more")
        self.PEOPLE_SERVICES_EMAIL = env.get("PEOPLE_SERVICES_EMAIL",
                                             env.get("SUPPORT_EMAIL",
                                                     "people.services@example.org"))
        # Where legal (who ratify agreements, R7) and the Resources Board (R3, R6) are
        # told that something waits for them.
        self.LEGAL_EMAIL = env.get("LEGAL_EMAIL", "legal@example.org")
        self.RESOURCES_BOARD_EMAIL = env.get("RESOURCES_BOARD_EMAIL",
                                             "resources.board@example.org")
        # How long an applicant has to appeal a refusal (001 §5.3).
        self.APPEAL_DAYS = int(env.get("APPEAL_DAYS", "10"))
        # How long an applicant has to answer an offer, in calendar days counted like
        # the time to appeal: the offer, its e-mail and home show the date itself.
        self.OFFER_REPLY_DAYS = int(env.get("OFFER_REPLY_DAYS", "10"))
        if self.OFFER_REPLY_DAYS < 1:
            raise ConfigurationError("OFFER_REPLY_DAYS must be 1 or more")
        # How long each worker keeps the board's filter choices (departments, hosts,
        # grades) before reading them again; 0 reads them on every request.
        self.BOARD_FILTERS_SECONDS = int(env.get("BOARD_FILTERS_SECONDS", "60"))
        # How long each worker keeps the number of applications People Services' list
        # shows for a filter (a count over every application); the rows are always live.
        self.LIST_COUNT_SECONDS = int(env.get("LIST_COUNT_SECONDS", "30"))
        self.RATELIMIT_ENABLED = env.get("RATELIMIT_ENABLED", "true").lower() != "false"
        self.RATELIMIT_STORAGE_URI = env.get("RATELIMIT_STORAGE_URI", "memory://")
        # Sign-ins from one address: a whole office behind one address signs in at 9am.
        self.SIGN_IN_LIMIT_PER_ADDRESS = env.get("SIGN_IN_LIMIT_PER_ADDRESS", "600 per minute")
        # How many proxies (load balancer, ingress) stand in front of the portal, so that
        # rate limits and the audit trail see the person's address, not the proxy's.
        self.PROXY_COUNT = int(env.get("PROXY_COUNT", "0"))
        # Lets the intranet's server fetch the opportunity feeds without signing in.
        self.FEED_KEY = env.get("FEED_KEY", "")
        # The executed agreement is sealed with this key and certificate (PEM or DER), so
        # any PDF reader shows whether it was altered (portal/services/pdf). Outside
        # production, when neither is given, a self-signed pair is made in the instance
        # folder on first use.
        self.DOCUMENT_SEALING_KEY_FILE = env.get("DOCUMENT_SEALING_KEY_FILE", "")
        self.DOCUMENT_SEALING_CERT_FILE = env.get("DOCUMENT_SEALING_CERT_FILE", "")
        self.DOCUMENT_SEALING_KEY_PASSPHRASE = env.get("DOCUMENT_SEALING_KEY_PASSPHRASE", "")
        sealing = {"DOCUMENT_SEALING_KEY_FILE": self.DOCUMENT_SEALING_KEY_FILE,
                   "DOCUMENT_SEALING_CERT_FILE": self.DOCUMENT_SEALING_CERT_FILE}
        if production:
            missing.extend(name for name, path in sealing.items() if not path)
        elif any(sealing.values()) and not all(sealing.values()):
            raise ConfigurationError(
                "DOCUMENT_SEALING_KEY_FILE and DOCUMENT_SEALING_CERT_FILE go together: "
                "give both, or neither for a self-signed development certificate")

        if missing:
            raise ConfigurationError(
                "The portal cannot start in production without: " + ", ".join(missing)
            )
        for name, path in sealing.items():
            if path and not os.path.isfile(path):
                raise ConfigurationError(f"{name} names {path}, which is not a file here")
        for provider in self.OIDC_PROVIDERS.values():
            scheme = urlparse(provider.issuer).scheme
            if scheme != "https" and not (
                not production and scheme == "http" and _is_loopback(provider.issuer)
            ):
                raise ConfigurationError(
                    f"{provider.name} identity provider issuer must use https "
                    f"(http is allowed only on loopback in development): {provider.issuer}"
                )

    def _provider(self, env, prefix, name, label, missing, *, required):
        issuer = env.get(prefix + "ISSUER", "")
        client_id = env.get(prefix + "CLIENT_ID", "")
        client_secret = env.get(prefix + "CLIENT_SECRET", "")
        needed = {prefix + "ISSUER": issuer, prefix + "CLIENT_ID": client_id,
                  prefix + "CLIENT_SECRET": client_secret}
        absent = [key for key, value in needed.items() if not value]
        if absent:
            if required and self.PORTAL_ENV == "production":
                missing.extend(absent)
            return None
        algs = tuple(
            a.strip() for a in env.get(prefix + "SIGNING_ALGS", "RS256,ES256").split(",")
            if a.strip()
        )
        if not algs or any(a.lower() == "none" or a.startswith("HS") for a in algs):
            raise ConfigurationError(
                f"{prefix}SIGNING_ALGS must list asymmetric algorithms such as RS256 or "
                "ES256; 'none' and shared-secret algorithms are refused"
            )
        return ProviderSettings(
            name=name,
            issuer=issuer.rstrip("/"),
            client_id=client_id,
            client_secret=client_secret,
            scopes=env.get(prefix + "SCOPES", "openid email profile"),
            signing_algs=algs,
            label=env.get(prefix + "LABEL", label),
        )


def normalise_database_url(url: str) -> str:
    """Use psycopg 3 for PostgreSQL URLs given in the common `postgres://` forms."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def test_config(**overrides) -> dict:
    """Settings for the test suite: the only place default secrets may live."""
    env = {
        "PORTAL_ENV": "test",
        "SECRET_KEY": "test-secret-key",
        "DATABASE_URL": "sqlite://",
    }
    env.update({k: v for k, v in overrides.items() if isinstance(v, str)})
    return Config(env).__dict__ | {"TESTING": True}
