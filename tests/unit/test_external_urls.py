"""Every absolute URL the portal gives out is on its configured PORTAL_URL, never on the
Host header of the request that happens to be running."""

import pytest

from portal.config import Config, ConfigurationError
from portal.urls import external_url


def test_inside_a_request_with_a_forged_host_the_url_is_on_portal_url(app):
    with app.test_request_context("/", headers={"Host": "evil.example"}):
        assert external_url("host.accept_invitation", token="abc") == \
            "http://localhost/invitations/abc"
        assert external_url("auth.callback") == "http://localhost/auth/callback"


def test_outside_a_request_the_url_is_on_portal_url(app):
    assert external_url("auth.signed_out") == "http://localhost/signed-out"


def test_portal_url_with_a_port_and_a_path_prefix(app):
    app.config["PORTAL_URL"] = "https://portal.example.org:8443/secondments"
    with app.test_request_context("/", headers={"Host": "evil.example"}):
        assert external_url("auth.callback") == \
            "https://portal.example.org:8443/secondments/auth/callback"


@pytest.mark.parametrize("value", ["portal.example.org", "ftp://portal.example.org",
                                   "https://", "https://portal.example.org/?next=x"])
def test_a_portal_url_that_is_not_an_address_stops_start_up(value):
    with pytest.raises(ConfigurationError, match="PORTAL_URL"):
        Config({"PORTAL_ENV": "test", "PORTAL_URL": value})


def test_a_trailing_slash_is_dropped():
    assert Config({"PORTAL_ENV": "test",
                   "PORTAL_URL": "https://portal.example.org/"}).PORTAL_URL == \
        "https://portal.example.org"
