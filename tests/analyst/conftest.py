"""Fixtures of the workspace tests: the app over services on a migrated database, accounts.

CSRF protection stays on: the tests post the token each page carries, as a
browser does.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from db_fixtures import database_url  # noqa: F401
from flask import Flask
from flask.testing import FlaskClient

from observatory.database import upgrade_database
from services import Services, Settings, build_services
from webapp import create_app

SECRET = "analyst-tests-secret-0123456789abcdef"

sys.path.append(str(Path(__file__).resolve().parent))
from workspace_support import DEFS, PASSWORD  # noqa: E402


@pytest.fixture
def services(database_url: str) -> Iterator[Services]:  # noqa: F811
    upgrade_database(database_url)
    settings = Settings(
        database_url=database_url, survey_defs=DEFS, secret_key=SECRET, testing=True
    )
    with build_services(settings) as built:
        accounts = built.observatory.accounts
        # argon2id still, with cheap parameters: the tests sign in often.
        accounts.use_hasher(PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))
        accounts.create_user("admin@vigie.test", "admin", password=PASSWORD)
        accounts.create_user("ana@vigie.test", "analyst", password=PASSWORD)
        accounts.create_user(
            "partner@locataires.test", "partner", organisation="Locataires", password=PASSWORD
        )
        accounts.create_user(
            "partner@aines.test", "partner", organisation="Aînés", password=PASSWORD
        )
        built.observatory.create_campaign("perceived_safety", "Locataires", code="locataires-2026")
        built.observatory.create_campaign("perceived_safety", "Aînés", code="aines-2026")
        yield built


@pytest.fixture
def app(services: Services) -> Flask:
    return create_app(
        {
            "SECRET_KEY": SECRET,
            "VIGIE_TESTING": True,
            "SESSION_COOKIE_SECURE": False,
            "WTF_CSRF_SSL_STRICT": False,
            "VIGIE_SERVICES": services,
        }
    )


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()
