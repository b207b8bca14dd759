"""Rate limits on sign-in, search and the feeds (Flask-Limiter; Redis in production)."""

import pytest


@pytest.fixture
def app_config(app_config):
    return app_config | {"RATELIMIT_ENABLED": True}


def test_a_whole_office_behind_one_address_signs_in_at_nine(app, make_client):
    """Hundreds of people, each in their own browser, from the office's one address."""
    assert app.config["SIGN_IN_LIMIT_PER_ADDRESS"] == "600 per minute"
    for _ in range(400):
        browser = make_client()
        assert browser.get("/sign-in?provider=staff").status_code == 302


def test_one_browser_starting_sign_in_over_and_over_is_refused(client):
    # The first start marks the browser; the next twenty are counted against it.
    for _ in range(21):
        assert client.get("/sign-in?provider=staff").status_code == 302
    refused = client.get("/sign-in?provider=staff")
    assert refused.status_code == 429
    assert "Too many requests" in refused.get_data(as_text=True)
    assert refused.headers["Retry-After"]
    assert "frame-ancestors 'none'" in refused.headers["Content-Security-Policy"]


def test_another_browser_at_the_same_address_is_not_affected(client, make_client):
    for _ in range(21):
        client.get("/sign-in?provider=staff")
    assert client.get("/sign-in?provider=staff").status_code == 429
    # Not counted against the address: a new browser there is let in.
    assert make_client().get("/sign-in?provider=staff").status_code == 302


def test_a_callback_replayed_with_the_same_state_is_refused(make_client):
    """A script that drops its cookies still presents the sign-in's state."""
    for _ in range(3):
        assert make_client().get("/auth/callback?state=s1&code=c").status_code == 400
    assert make_client().get("/auth/callback?state=s1&code=c").status_code == 429
    # Another sign-in's callback is answered.
    assert make_client().get("/auth/callback?state=s2&code=c").status_code == 400


def test_one_browser_hammering_the_callback_is_refused(client):
    client.get("/sign-in?provider=staff")
    for n in range(20):
        assert client.get(f"/auth/callback?state=x{n}&code=c").status_code == 400
    assert client.get("/auth/callback?state=y&code=c").status_code == 429


def test_an_address_has_a_limit_too(app, make_client):
    """Configured for a small office, the address's limit refuses the next browser."""
    app.config["SIGN_IN_LIMIT_PER_ADDRESS"] = "5 per minute"
    for _ in range(5):
        assert make_client().get("/sign-in?provider=staff").status_code == 302
    assert make_client().get("/sign-in?provider=staff").status_code == 429
    other = make_client().get("/sign-in?provider=staff", environ_base={"REMOTE_ADDR": "10.0.0.7"})
    assert other.status_code == 302


def test_feeds_are_limited(app, client, demo_data):
    app.config["FEED_KEY"] = "k"
    for _ in range(30):
        assert client.get("/opportunities.json?key=k").status_code == 200
    assert client.get("/opportunities.json?key=k").status_code == 429


def test_limits_count_across_workers_in_redis(app_config, database_url, identity_providers):
    """In production the count lives in Redis, shared by every worker and host."""
    import redis

    from portal import create_app

    try:
        redis.Redis(host="127.0.0.1", port=6379, socket_connect_timeout=1).ping()
    except redis.exceptions.ConnectionError:
        pytest.skip("no Redis on 127.0.0.1:6379")
    config = app_config | {"RATELIMIT_STORAGE_URI": "redis://127.0.0.1:6379/15",
                           "SIGN_IN_LIMIT_PER_ADDRESS": "10 per minute"}
    redis.Redis(host="127.0.0.1", port=6379, db=15).flushdb()
    first, second = create_app(config), create_app(config)
    for _ in range(5):
        assert first.test_client().get("/sign-in?provider=staff").status_code == 302
    for _ in range(5):
        assert second.test_client().get("/sign-in?provider=staff").status_code == 302
    assert first.test_client().get("/sign-in?provider=staff").status_code == 429
    redis.Redis(host="127.0.0.1", port=6379, db=15).flushdb()
