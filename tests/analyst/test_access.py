"""Every URL of the app, anonymously and as a partner: no workspace page, no microdata.

Also: a partner sees only its own organisation's campaigns, wherever they are listed.
"""

from __future__ import annotations

import re

from flask import Flask
from flask.testing import FlaskClient
from workspace_support import sign_in

#: Pages anyone may open: the residents' survey and the sign-in/invitation pages.
PUBLIC_PREFIXES = ("/static/", "/analyst/login", "/analyst/invitation/", "/api/v1/openapi.json")
#: What a partner may open beyond the public pages (its home, its own campaigns, its tokens):
#: exact URLs, then prefixes. Everything else of the workspace must refuse a partner.
PARTNER_HOME = ("/analyst/",)
PARTNER_PAGES = ("/analyst/tokens", "/analyst/campaigns", "/api/v1/indicators")
WORKSPACE = ("/analyst", "/admin", "/api")


def _urls(app: Flask) -> list[tuple[str, str]]:
    """(method, concrete URL) of every rule of the workspace and the API."""
    found = []
    samples = {"code": "aines-2026", "user_id": "1", "token_id": "1", "run_id": "1"}
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith(WORKSPACE):
            continue
        url = re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", lambda m: samples.get(m.group(1), "x"), rule.rule)
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
            found.append((method, url))
    return found


def test_the_workspace_has_routes_to_check(app: Flask) -> None:
    urls = {url for _method, url in _urls(app)}
    assert {"/analyst/", "/admin/users", "/admin/audit", "/api/v1/indicators"} <= urls


def test_no_workspace_url_answers_an_anonymous_visitor(app: Flask) -> None:
    app.config["WTF_CSRF_ENABLED"] = False  # reach the access check itself on posts
    for method, url in _urls(app):
        client = app.test_client()
        answer = client.open(url, method=method)
        if url.startswith(PUBLIC_PREFIXES):
            assert answer.status_code < 500, (method, url)
            continue
        assert answer.status_code in (303, 401), (method, url, answer.status_code)
        if answer.status_code == 303:
            assert answer.headers["Location"].startswith("/analyst/login")


def test_a_partner_reaches_no_analyst_or_admin_url(app: Flask) -> None:
    app.config["WTF_CSRF_ENABLED"] = False
    client = app.test_client()
    assert sign_in(client, "partner@locataires.test") == 303
    for method, url in _urls(app):
        if url.startswith(PUBLIC_PREFIXES) or url in ("/analyst/logout",):
            continue
        answer = client.open(url, method=method)
        mine = url in PARTNER_HOME or url.startswith(PARTNER_PAGES)
        if mine and not url.startswith("/analyst/campaigns/aines"):
            assert answer.status_code < 500, (method, url)
            continue
        assert answer.status_code in (403, 404), (method, url, answer.status_code)
        assert "Aînés" not in answer.get_data(as_text=True)


def test_a_partner_sees_only_its_own_campaigns(client: FlaskClient) -> None:
    sign_in(client, "partner@locataires.test")
    home = client.get("/analyst/").get_data(as_text=True)
    assert "locataires-2026" in home
    assert "aines-2026" not in home and "Aînés" not in home
    assert client.get("/analyst/campaigns/locataires-2026").status_code == 200
    other = client.get("/analyst/campaigns/aines-2026")
    assert other.status_code == 404
    assert "Aînés" not in other.get_data(as_text=True)


def test_an_analyst_sees_every_campaign(client: FlaskClient) -> None:
    sign_in(client, "ana@vigie.test")
    home = client.get("/analyst/").get_data(as_text=True)
    assert "locataires-2026" in home and "aines-2026" in home


def test_a_partner_downloads_its_own_qr_codes_and_poster_only(client: FlaskClient) -> None:
    sign_in(client, "partner@locataires.test")
    png = client.get("/analyst/campaigns/locataires-2026/qr.png")
    assert png.status_code == 200 and png.data.startswith(b"\x89PNG")
    svg = client.get("/analyst/campaigns/locataires-2026/qr.svg")
    assert svg.status_code == 200 and b"<svg" in svg.data
    poster = client.get("/analyst/campaigns/locataires-2026/poster").get_data(as_text=True)
    assert "Votre quartier est-il sûr ?" in poster and "Is your neighbourhood safe?" in poster
    assert "/c/locataires-2026" in poster
    for path in ("qr.png", "qr.svg", "poster"):
        assert client.get(f"/analyst/campaigns/aines-2026/{path}").status_code == 404


def test_an_analyst_creates_and_closes_a_campaign(client: FlaskClient) -> None:
    sign_in(client, "ana@vigie.test")
    page = client.get("/analyst/").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert token is not None
    form = {"survey": "perceived_safety", "organisation": "Maison des jeunes", "code": "mdj-2026"}
    made = client.post("/analyst/campaigns", data=form | {"csrf_token": token.group(1)})
    assert made.status_code == 303 and made.headers["Location"].endswith("/campaigns/mdj-2026")
    taken = client.post("/analyst/campaigns", data=form | {"csrf_token": token.group(1)})
    assert taken.status_code == 400
    closed = client.post(
        "/analyst/campaigns/mdj-2026/state", data={"active": "0", "csrf_token": token.group(1)}
    )
    assert closed.status_code == 303
    assert "Rouvrir la campagne" in client.get("/analyst/campaigns/mdj-2026").get_data(as_text=True)
