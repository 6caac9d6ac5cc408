"""Headers, cookies, CSRF, rate limits and the access log of the web form."""

from __future__ import annotations

import logging
from collections.abc import Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient
from web_support import Resident, make_test_app

from intake.service import IntakeService
from webapp.access_log import ACCESS_LOG
from webapp.config import load_config
from webapp.security import CONTENT_SECURITY_POLICY


def test_every_page_carries_a_strict_policy_and_is_never_cached(client: FlaskClient) -> None:
    for url in ("/", "/resume", "/c/nothing-here", "/no-such-page"):
        response = client.get(url)
        assert response.status_code < 500
        assert response.headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
        assert "script-src 'self'" in CONTENT_SECURITY_POLICY
        assert "form-action 'self'" in CONTENT_SECURITY_POLICY
        assert "frame-ancestors 'none'" in CONTENT_SECURITY_POLICY
        assert response.headers["Cache-Control"] == "no-store"
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["Referrer-Policy"] == "no-referrer"
        assert response.headers["X-Frame-Options"] == "DENY"
        page = response.get_data(as_text=True)
        assert "<script>" not in page and " style=" not in page
    with client.get("/static/vigie.css") as static:
        assert static.status_code == 200 and "max-age" in static.headers["Cache-Control"]


def test_the_session_cookie_is_secure_httponly_and_lax_by_default() -> None:
    config = load_config({"VIGIE_SECRET_KEY": "s" * 32})
    assert config["SESSION_COOKIE_SECURE"] is True
    assert config["SESSION_COOKIE_HTTPONLY"] is True
    assert config["SESSION_COOKIE_SAMESITE"] == "Lax"
    assert config["RATELIMIT_STORAGE_URI"] == "memory://"
    redis = load_config({"VIGIE_SECRET_KEY": "s" * 32, "VIGIE_REDIS_URL": "redis://x:6379/0"})
    assert redis["RATELIMIT_STORAGE_URI"] == "redis://x:6379/0"


def test_the_app_refuses_to_start_without_a_secret(service: IntakeService) -> None:
    from flask.cli import NoAppException

    with pytest.raises(NoAppException, match="VIGIE_SECRET_KEY"):
        make_test_app(service, SECRET_KEY=None)


def test_the_cookie_holds_no_answer(resident: Callable[[str], Resident]) -> None:
    someone = resident("en")
    someone.start("perceived_safety")
    someone.answer({"age": "34", "consent": "yes"})
    cookie = someone.client.get_cookie("vigie")
    assert cookie is not None
    # Decoded (a "34" may appear by chance in the signed, compressed text itself).
    with someone.client.session_transaction() as session:
        held = dict(session)
    assert "rid" in held and not {"age", "consent", "page"} & set(held)
    assert "34" not in map(str, held.values()) and "consent" not in str(held)


def test_a_post_without_a_csrf_token_is_refused(resident: Callable[[str], Resident]) -> None:
    someone = resident("en")
    someone.start("perceived_safety")
    for url in ("/survey/pause", "/survey/erase", "/resume", "/s/perceived_safety", "/c/x"):
        response = someone.client.post(url, data={"code": "x"})
        assert response.status_code == 400
        assert "Traceback" not in response.get_data(as_text=True)


def test_answer_posts_are_rate_limited_per_respondent(service: IntakeService) -> None:
    app = make_test_app(service, RATELIMIT_ENABLED=True, VIGIE_ANSWER_RATE_LIMIT="5 per minute")
    someone = Resident(app.test_client(), "en")
    someone.start("perceived_safety")
    statuses = []
    for _ in range(7):
        response = someone.client.post(
            "/survey",
            data={"csrf_token": someone.token(), "page": "age", "age": "abc"},
            headers=someone.headers,
        )
        statuses.append(response.status_code)
    assert statuses[:5] == [200] * 5
    assert statuses[5:] == [429, 429]
    assert "Too many answers" in response.get_data(as_text=True)
    # Another respondent is not slowed down by the first one.
    other = Resident(app.test_client(), "en")
    other.start("perceived_safety")
    assert other.answer({"age": "abc"}).status_code == 200


def test_rate_limits_can_live_in_redis(service: IntakeService) -> None:
    redis = pytest.importorskip("redis")
    url = "redis://127.0.0.1:6379/15"
    try:
        redis.Redis.from_url(url, socket_connect_timeout=1).ping()
    except redis.exceptions.ConnectionError:
        pytest.skip("no Redis server on 127.0.0.1:6379")
    config = {"RATELIMIT_ENABLED": True, "RATELIMIT_STORAGE_URI": url}
    app = make_test_app(service, VIGIE_ANSWER_RATE_LIMIT="3 per minute", **config)
    someone = Resident(app.test_client(), "en")
    someone.start("perceived_safety")
    form_page = someone.page
    assert someone.answer_again({"age": "abc"}, 4) == [200, 200, 200, 429]
    # A second process (another app on the same Redis) sees the same count.
    twin = make_test_app(service, VIGIE_ANSWER_RATE_LIMIT="3 per minute", **config)
    twin_client = twin.test_client()
    cookie = someone.client.get_cookie("vigie")
    assert cookie is not None
    twin_client.set_cookie("vigie", cookie.value)
    again = Resident(twin_client, "en", page=form_page)
    assert again.answer({"age": "abc"}).status_code == 429


def test_the_access_log_names_routes_never_addresses_or_codes(
    app: Flask, caplog: pytest.LogCaptureFixture
) -> None:
    client = app.test_client()
    with caplog.at_level(logging.INFO, logger=ACCESS_LOG.name):
        client.get("/r/ACD34FGH79", environ_base={"REMOTE_ADDR": "203.0.113.77"})
        client.get("/?lang=en", environ_base={"REMOTE_ADDR": "203.0.113.77"})
    lines = [record.getMessage() for record in caplog.records if record.name == "vigie.access"]
    assert lines[0].startswith("GET /r/<code> 200 "), lines
    assert lines[1].startswith("GET / 200 "), lines
    joined = "\n".join(lines)
    assert "203.0.113.77" not in joined and "ACD34" not in joined and "lang" not in joined
