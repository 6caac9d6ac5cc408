"""Administration: invitations, roles, disabling, the audit log, API tokens."""

from __future__ import annotations

import re

from flask.testing import FlaskClient
from workspace_support import csrf_token, sign_in

from services import Services


def _user_id(services: Services, email: str) -> int:
    return next(u.id for u in services.observatory.accounts.users() if u.email == email)


def test_an_admin_invites_a_partner_who_then_signs_in(
    client: FlaskClient, services: Services
) -> None:
    assert sign_in(client, "admin@vigie.test") == 303
    token = csrf_token(client, "/admin/users")
    form = {"email": "Comite@Quartier.test", "role": "partner", "organisation": "Comité"}
    page = client.post("/admin/users/invite", data=form | {"csrf_token": token})
    assert page.status_code == 201
    link = re.search(
        r'id="invitation-link">[^<]*(/analyst/invitation/[^<]+)<', page.get_data(as_text=True)
    )
    assert link is not None
    invitee = client.application.test_client()
    path = link.group(1)
    password = {"password": "quartier sûr 2026", "password_again": "quartier sûr 2026"}
    accepted = invitee.post(path, data=password | {"csrf_token": csrf_token(invitee, path)})
    assert accepted.status_code == 303
    home = invitee.get("/analyst/").get_data(as_text=True)
    assert "Comité" in home
    user = next(
        u for u in services.observatory.accounts.users() if u.email == "comite@quartier.test"
    )
    assert (user.role, user.organisation) == ("partner", "Comité")


def test_a_partner_invitation_without_organisation_is_refused(client: FlaskClient) -> None:
    sign_in(client, "admin@vigie.test")
    token = csrf_token(client, "/admin/users")
    form = {"email": "x@y.test", "role": "partner", "organisation": "", "csrf_token": token}
    page = client.post("/admin/users/invite", data=form)
    assert page.status_code == 400
    assert "organisme" in page.get_data(as_text=True)


def test_a_role_change_ends_the_sessions_of_that_account_and_is_audited(
    client: FlaskClient, services: Services
) -> None:
    analyst = client.application.test_client()
    sign_in(analyst, "ana@vigie.test")
    assert analyst.get("/analyst/").status_code == 200
    sign_in(client, "admin@vigie.test")
    token = csrf_token(client, "/admin/users")
    target = _user_id(services, "ana@vigie.test")
    form = {"role": "partner", "organisation": "Locataires", "csrf_token": token}
    assert client.post(f"/admin/users/{target}/role", data=form).status_code == 303
    assert analyst.get("/analyst/").status_code == 303
    events = services.observatory.accounts.audit_log(action="role_changed")
    assert events[0].target == "ana@vigie.test"
    assert events[0].detail["old"] == "analyst" and events[0].detail["new"] == "partner"
    audit = client.get("/admin/audit").get_data(as_text=True)
    assert "role_changed" in audit


def test_a_disabled_account_loses_its_session_and_its_tokens(
    client: FlaskClient, services: Services
) -> None:
    analyst = client.application.test_client()
    sign_in(analyst, "ana@vigie.test")
    issued = services.observatory.accounts.issue_token(
        services.observatory.accounts.user(_user_id(services, "ana@vigie.test")), "scripts"
    )
    bearer = {"Authorization": f"Bearer {issued.secret}"}
    assert client.get("/api/v1/indicators", headers=bearer).status_code == 200
    sign_in(client, "admin@vigie.test")
    token = csrf_token(client, "/admin/users")
    target = _user_id(services, "ana@vigie.test")
    assert (
        client.post(
            f"/admin/users/{target}/active", data={"active": "0", "csrf_token": token}
        ).status_code
        == 303
    )
    assert analyst.get("/analyst/").status_code == 303
    assert (
        client.application.test_client().get("/api/v1/indicators", headers=bearer).status_code
        == 401
    )
    assert sign_in(client.application.test_client(), "ana@vigie.test") == 401


def test_an_admin_cannot_demote_or_disable_themself(
    client: FlaskClient, services: Services
) -> None:
    sign_in(client, "admin@vigie.test")
    token = csrf_token(client, "/admin/users")
    me = _user_id(services, "admin@vigie.test")
    answer = client.post(f"/admin/users/{me}/active", data={"active": "0", "csrf_token": token})
    assert answer.status_code == 400
    assert services.observatory.accounts.user(me).active


def test_analysts_and_partners_cannot_reach_the_administration(client: FlaskClient) -> None:
    for email in ("ana@vigie.test", "partner@locataires.test"):
        other = client.application.test_client()
        sign_in(other, email)
        assert other.get("/admin/users").status_code == 403
        assert other.get("/admin/audit").status_code == 403


def test_a_token_is_shown_once_stored_hashed_and_revocable(
    client: FlaskClient, services: Services
) -> None:
    sign_in(client, "ana@vigie.test")
    token = csrf_token(client, "/analyst/tokens")
    page = client.post("/analyst/tokens", data={"name": "R", "csrf_token": token}).get_data(
        as_text=True
    )
    secret = re.search(r'id="new-token">(vgt_[^<]+)<', page)
    assert secret is not None
    listing = client.get("/analyst/tokens").get_data(as_text=True)
    assert secret.group(1) not in listing
    api = client.application.test_client()
    bearer = {"Authorization": f"Bearer {secret.group(1)}"}
    answer = api.get("/api/v1/indicators?lang=en", headers=bearer)
    assert answer.status_code == 200
    indicators = answer.get_json()["indicators"]
    assert {"perceived_safety", "victimisation"} <= {row["survey_id"] for row in indicators}
    token_id = services.observatory.accounts.tokens(
        services.observatory.accounts.user(_user_id(services, "ana@vigie.test"))
    )[0].id
    token = csrf_token(client, "/analyst/tokens")
    assert (
        client.post(f"/analyst/tokens/{token_id}/revoke", data={"csrf_token": token}).status_code
        == 303
    )
    refused = api.get("/api/v1/indicators", headers=bearer)
    assert refused.status_code == 401
    assert refused.get_json()["code"] == "unauthorized"
    assert api.get("/api/v1/indicators").status_code == 401
