"""Configuration comes from the environment; production refuses to start without it."""

import pytest

from portal.config import Config, ConfigurationError
from tests.conftest import sealing_files


def production(**env):
    base = {
        "PORTAL_ENV": "production",
        "SECRET_KEY": "a-real-secret",
        "OIDC_ISSUER": "https://login.example.org",
        "OIDC_CLIENT_ID": "portal",
        "OIDC_CLIENT_SECRET": "shh",
        "PORTAL_URL": "https://secondments.example.org",
        **sealing_files(),
    }
    base.update(env)
    return {k: v for k, v in base.items() if v is not None}


def test_production_is_the_default_and_needs_every_secret():
    with pytest.raises(ConfigurationError) as error:
        Config({})
    message = str(error.value)
    for name in ("SECRET_KEY", "OIDC_ISSUER", "OIDC_CLIENT_ID", "OIDC_CLIENT_SECRET",
                 "PORTAL_URL"):
        assert name in message


@pytest.mark.parametrize("missing", ["SECRET_KEY", "OIDC_ISSUER", "OIDC_CLIENT_SECRET",
                                     "PORTAL_URL"])
def test_production_names_the_one_setting_that_is_missing(missing):
    with pytest.raises(ConfigurationError, match=missing):
        Config(production(**{missing: None}))


def test_production_refuses_a_portal_address_without_https():
    with pytest.raises(ConfigurationError, match="PORTAL_URL must start with https://"):
        Config(production(PORTAL_URL="http://secondments.example.org"))
    assert Config(production()).PORTAL_URL == "https://secondments.example.org"


def test_production_settings_are_strict():
    config = Config(production())
    assert config.SESSION_COOKIE_SECURE is True
    assert config.SESSION_COOKIE_HTTPONLY is True
    assert config.SESSION_COOKIE_SAMESITE == "Lax"
    assert config.SESSION_COOKIE_NAME.startswith("__Host-")
    assert config.SQLALCHEMY_DATABASE_URI.startswith("sqlite:///")
    assert config.OIDC_PROVIDERS["staff"].signing_algs == ("RS256", "ES256")


def test_production_refuses_an_http_provider():
    with pytest.raises(ConfigurationError, match="https"):
        Config(production(OIDC_ISSUER="http://login.example.org"))


def test_development_allows_an_http_provider_on_loopback_only():
    dev = production(PORTAL_ENV="development", OIDC_ISSUER="http://localhost:9400")
    assert Config(dev).SESSION_COOKIE_SECURE is False
    with pytest.raises(ConfigurationError):
        Config(production(PORTAL_ENV="development", OIDC_ISSUER="http://login.example.org"))


@pytest.mark.parametrize("algs", ["none", "RS256,none", "HS256", ""])
def test_signing_algorithms_none_or_shared_secret_are_refused(algs):
    with pytest.raises(ConfigurationError, match="SIGNING_ALGS"):
        Config(production(OIDC_SIGNING_ALGS=algs))


def test_partner_provider_is_optional_but_complete_when_given():
    assert "partner" not in Config(production()).OIDC_PROVIDERS
    with pytest.raises(ConfigurationError, match="PARTNER_OIDC_CLIENT_ID"):
        Config(production(PARTNER_OIDC_ISSUER="https://partners.example.org"))
    config = Config(production(PARTNER_OIDC_ISSUER="https://partners.example.org",
                               PARTNER_OIDC_CLIENT_ID="p", PARTNER_OIDC_CLIENT_SECRET="s"))
    assert config.OIDC_PROVIDERS["partner"].issuer == "https://partners.example.org"


def test_role_map_is_read_from_the_environment():
    config = Config(production(OIDC_ROLE_MAP="HR-Partners=people_services, Lawyers=legal"))
    assert config.OIDC_ROLE_MAP == {"HR-Partners": "people_services", "Lawyers": "legal"}
    with pytest.raises(ConfigurationError, match="group=role"):
        Config(production(OIDC_ROLE_MAP="just-a-group"))


def test_database_url_in_heroku_style_uses_psycopg3():
    config = Config(production(DATABASE_URL="postgres://u:p@db.example.org/portal"))
    assert config.SQLALCHEMY_DATABASE_URI == "postgresql+psycopg://u:p@db.example.org/portal"


def test_unknown_environment_is_refused():
    with pytest.raises(ConfigurationError, match="PORTAL_ENV"):
        Config(production(PORTAL_ENV="staging"))


def test_create_app_in_production_without_settings_stops(monkeypatch):
    from portal import create_app

    for name in ("SECRET_KEY", "OIDC_ISSUER", "OIDC_CLIENT_ID", "OIDC_CLIENT_SECRET",
                 "PORTAL_ENV"):
        monkeypatch.delenv(name, raising=False)
    with pytest.raises(ConfigurationError, match="SECRET_KEY"):
        create_app()


def test_rate_limits_are_on_unless_switched_off():
    assert Config(production()).RATELIMIT_ENABLED is True
    assert Config(production(RATELIMIT_ENABLED="false")).RATELIMIT_ENABLED is False
    assert Config(production(RATELIMIT_STORAGE_URI="redis://127.0.0.1:6379/0")
                  ).RATELIMIT_STORAGE_URI == "redis://127.0.0.1:6379/0"
