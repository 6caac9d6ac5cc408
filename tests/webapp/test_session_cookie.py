"""The session cookie, verified once per text: same sessions as Flask's, expiry still checked."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from flask import Flask, request, session

from webapp import session_cookie
from webapp.session_cookie import VerifiedCookieSessions


def _app(sessions: VerifiedCookieSessions) -> Flask:
    app = Flask(__name__)
    app.secret_key = "session-tests-secret-0123456789abcdef"
    app.config["PERMANENT_SESSION_LIFETIME"] = dt.timedelta(days=30)
    app.session_interface = sessions

    @app.post("/set")
    def put() -> str:
        session.permanent = True
        session["rid"] = request.args.get("rid", "a" * 32)
        session["day"] = 7
        return "ok"

    @app.post("/flash")
    def put_list() -> str:
        session.setdefault("notes", []).append("one")
        session.modified = True
        return "ok"

    @app.get("/get")
    def read() -> dict[str, Any]:
        return dict(session)

    return app


class _Loads:
    """Counts the signature checks (the serializer's ``loads``)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, sessions: VerifiedCookieSessions) -> None:
        self.calls = 0
        build = sessions.get_signing_serializer

        def counted(app: Flask) -> Any:
            serializer = build(app)
            assert serializer is not None
            loads = serializer.loads

            def counting(*args: Any, **kwargs: Any) -> Any:
                self.calls += 1
                return loads(*args, **kwargs)

            serializer.loads = counting  # type: ignore[method-assign]
            return serializer

        monkeypatch.setattr(sessions, "get_signing_serializer", counted)


def test_a_cookie_is_verified_once_and_read_the_same_every_time(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    sessions = VerifiedCookieSessions()
    client = _app(sessions).test_client()
    client.post("/set")
    loads = _Loads(monkeypatch, sessions)
    first, second = client.get("/get").get_json(), client.get("/get").get_json()
    assert first == second and first["rid"] == "a" * 32 and first["day"] == 7
    assert loads.calls == 1


def test_a_changed_cookie_is_refused_and_never_kept(monkeypatch: pytest.MonkeyPatch) -> None:
    sessions = VerifiedCookieSessions()
    client = _app(sessions).test_client()
    client.post("/set")
    cookie = client.get_cookie("session")
    assert cookie is not None
    client.set_cookie("session", cookie.value[:-2] + ("AA" if cookie.value[-2:] != "AA" else "BB"))
    loads = _Loads(monkeypatch, sessions)
    assert client.get("/get").get_json() == {} and client.get("/get").get_json() == {}
    assert loads.calls == 2


def test_an_expired_cookie_gives_no_session_even_once_kept(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    sessions = VerifiedCookieSessions()
    client = _app(sessions).test_client()
    client.post("/set")
    assert client.get("/get").get_json()["rid"] == "a" * 32  # read and kept

    class _Later:
        @staticmethod
        def time() -> float:
            return (dt.datetime.now(dt.UTC) + dt.timedelta(days=31)).timestamp()

    monkeypatch.setattr(session_cookie, "time", _Later)
    assert client.get("/get").get_json() == {}


def test_a_session_holding_a_list_is_not_kept(monkeypatch: pytest.MonkeyPatch) -> None:
    sessions = VerifiedCookieSessions()
    client = _app(sessions).test_client()
    client.post("/flash")
    loads = _Loads(monkeypatch, sessions)
    assert client.get("/get").get_json() == {"notes": ["one"]}
    assert client.get("/get").get_json() == {"notes": ["one"]}
    assert loads.calls == 2


def test_the_oldest_cookies_are_dropped_past_the_bound(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(session_cookie, "KEPT", 3)
    sessions = VerifiedCookieSessions()
    app = _app(sessions)
    clients = [app.test_client() for _ in range(5)]
    for n, client in enumerate(clients):
        client.post(f"/set?rid={n}")
        client.get("/get")
    assert len(sessions._read) == 3
    assert sorted(data["rid"] for data, _ in sessions._read.values()) == ["2", "3", "4"]
