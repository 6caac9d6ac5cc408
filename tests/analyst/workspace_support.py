"""Helpers of the workspace tests: CSRF tokens from pages, signing in."""

from __future__ import annotations

import re

from flask.testing import FlaskClient

PASSWORD = "correct horse battery"


def csrf_token(client: FlaskClient, path: str) -> str:
    """The CSRF token of the form on ``path``."""
    page = client.get(path).get_data(as_text=True)
    found = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert found is not None, page[:500]
    return found.group(1)


def sign_in(client: FlaskClient, email: str, password: str = PASSWORD) -> int:
    """Sign ``client`` in; returns the response's status (303 when it worked)."""
    token = csrf_token(client, "/analyst/login")
    answer = client.post(
        "/analyst/login", data={"email": email, "password": password, "csrf_token": token}
    )
    return answer.status_code
