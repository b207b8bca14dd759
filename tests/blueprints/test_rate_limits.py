"""Rate limits on sign-in, search and the feeds (Flask-Limiter; Redis in production)."""

import pytest


@pytest.fixture
def app_config(app_config):
    return app_config | {"RATELIMIT_ENABLED": True}


def test_sign_in_is_limited_per_address(client):
    for _ in range(10):
        assert client.get("/sign-in?provider=staff").status_code == 302
    refused = client.get("/sign-in?provider=staff")
    assert refused.status_code == 429
    assert "Too many requests" in refused.get_data(as_text=True)
    assert refused.headers["Retry-After"]
    assert "frame-ancestors 'none'" in refused.headers["Content-Security-Policy"]


def test_another_address_is_not_affected(client, make_client):
    for _ in range(11):
        client.get("/sign-in?provider=staff")
    other = make_client()
    answer = other.get("/sign-in?provider=staff", environ_base={"REMOTE_ADDR": "10.0.0.7"})
    assert answer.status_code == 302


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
    config = app_config | {"RATELIMIT_STORAGE_URI": "redis://127.0.0.1:6379/15"}
    redis.Redis(host="127.0.0.1", port=6379, db=15).flushdb()
    first, second = create_app(config), create_app(config)
    for _ in range(5):
        assert first.test_client().get("/sign-in?provider=staff").status_code == 302
    for _ in range(5):
        assert second.test_client().get("/sign-in?provider=staff").status_code == 302
    assert first.test_client().get("/sign-in?provider=staff").status_code == 429
    redis.Redis(host="127.0.0.1", port=6379, db=15).flushdb()
