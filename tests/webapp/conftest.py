"""Fixtures of the web form's tests: the app on a fresh database serving the shipped surveys.

``app`` runs on SQLite and, when ``VIGIE_TEST_DATABASE_URL`` is set, on
PostgreSQL too (tests/db_fixtures.py). CSRF protection stays on: the tests
post the token the pages carry, as a browser does.
"""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from db_fixtures import database_url, engine, session_factory  # noqa: F401
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.orm import Session, sessionmaker

from intake.registry import SurveyRegistry
from intake.service import IntakeService
from intake.settings import IntakeSettings

sys.path.append(str(Path(__file__).resolve().parent))
from web_support import TEST_SECRET, Resident, make_test_app, shipped_surveys


@pytest.fixture
def make_service(
    session_factory: sessionmaker[Session],  # noqa: F811
) -> Callable[[], IntakeService]:
    """Factory: an intake service serving the shipped questionnaires on the test database."""

    def make() -> IntakeService:
        registry = SurveyRegistry(session_factory)
        registry.register_all(shipped_surveys())
        settings = IntakeSettings(secret_key=TEST_SECRET, abandon_after_days=30, testing=True)
        return IntakeService(
            session_factory, registry, settings, clock=lambda: dt.datetime.now(dt.UTC)
        )

    return make


@pytest.fixture
def service(make_service: Callable[[], IntakeService]) -> IntakeService:
    return make_service()


@pytest.fixture
def app(service: IntakeService) -> Flask:
    return make_test_app(service)


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def resident(app: Flask) -> Callable[[str], Resident]:
    """Factory: ``resident("en")`` is a browser (its own cookies) reading in that language."""

    def make(language: str = "fr") -> Resident:
        return Resident(app.test_client(), language)

    return make
