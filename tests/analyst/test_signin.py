"""Signing in: hashed passwords, fresh sessions, rate-limited failures, the audit log."""

from __future__ import annotations

import re

from flask import Flask
from flask.testing import FlaskClient
from workspace_support import PASSWORD, csrf_token, sign_in

from services import Services


def _session(client: FlaskClient, app: Flask) -> dict[str, object]:
    cookie = client.get_cookie("vigie")
    assert cookie is not None
    serializer = app.session_interface.get_signing_serializer(app)  # type: ignore[attr-defined]
    loaded = serializer.loads(cookie.value)
    assert isinstance(loaded, dict)
    return loaded


def test_passwords_are_stored_as_argon2id_hashes(services: Services) -> None:
    users = {user.email: user for user in services.observatory.accounts.users()}
    stored = users["ana@vigie.test"].password_hash
    assert stored is not None and stored.startswith("$argon2id$")
    assert PASSWORD not in stored


def test_an_analyst_signs_in_and_reaches_the_dashboard(client: FlaskClient) -> None:
    assert client.get("/analyst/").status_code == 303
    assert sign_in(client, "ana@vigie.test") == 303
    page = client.get("/analyst/")
    assert page.status_code == 200
    assert "locataires-2026" in page.get_data(as_text=True)


def test_the_session_is_new_after_signing_in(client: FlaskClient, app: Flask) -> None:
    csrf_token(client, "/analyst/login")
    before = _session(client, app)
    assert sign_in(client, "ana@vigie.test") == 303
    after = _session(client, app)
    assert after.get("sid") and after.get("sid") != before.get("sid")
    assert after.get("csrf_token") != before.get("csrf_token")
    assert "_user_id" in after and "_user_id" not in before


def test_a_wrong_password_is_refused_in_the_same_words_as_an_unknown_address(
    client: FlaskClient,
) -> None:
    token = csrf_token(client, "/analyst/login")
    wrong = client.post(
        "/analyst/login",
        data={"email": "ana@vigie.test", "password": "nope nope nope", "csrf_token": token},
    )
    unknown = client.post(
        "/analyst/login",
        data={"email": "nobody@vigie.test", "password": "nope nope nope", "csrf_token": token},
    )
    assert wrong.status_code == unknown.status_code == 401
    sentence = "Adresse courriel ou mot de passe incorrect."
    assert sentence in wrong.get_data(as_text=True)
    assert sentence in unknown.get_data(as_text=True)


def test_a_post_without_the_csrf_token_is_refused(client: FlaskClient) -> None:
    answer = client.post("/analyst/login", data={"email": "ana@vigie.test", "password": PASSWORD})
    assert answer.status_code == 400
    assert client.get("/analyst/").status_code == 303


def test_failed_sign_ins_are_rate_limited_but_successes_are_not(client: FlaskClient) -> None:
    for _ in range(6):
        assert sign_in(client.application.test_client(), "ana@vigie.test") == 303
    for _ in range(5):
        assert sign_in(client, "ana@vigie.test", "wrong password!") == 401
    assert sign_in(client, "ana@vigie.test") == 429


def test_sign_ins_and_failures_are_audited(client: FlaskClient, services: Services) -> None:
    sign_in(client, "ana@vigie.test", "wrong password!")
    sign_in(client, "ana@vigie.test")
    actions = [(e.action, e.actor_email) for e in services.observatory.accounts.audit_log()]
    assert ("login", "ana@vigie.test") in actions
    assert ("login_failed", "ana@vigie.test") in actions


def test_signing_out_ends_the_session(client: FlaskClient) -> None:
    sign_in(client, "ana@vigie.test")
    page = client.get("/analyst/").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert token is not None
    assert client.post("/analyst/logout", data={"csrf_token": token.group(1)}).status_code == 303
    assert client.get("/analyst/").status_code == 303


def test_an_invitation_sets_a_password_once(client: FlaskClient, services: Services) -> None:
    made = services.observatory.accounts.create_user("new@vigie.test", "analyst")
    assert sign_in(client, "new@vigie.test", "anything at all") == 401
    path = f"/analyst/invitation/{made.code}"
    token = csrf_token(client, path)
    short = client.post(
        path, data={"password": "short", "password_again": "short", "csrf_token": token}
    )
    assert short.status_code == 400
    good = {"password": "a long enough phrase", "password_again": "a long enough phrase"}
    assert client.post(path, data=good | {"csrf_token": token}).status_code == 303
    assert client.get("/analyst/").status_code == 200
    assert client.get(path).status_code == 404
