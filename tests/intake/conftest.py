"""Fixtures of the intake tests: a service on a fresh database, and a clock.

Every test that takes ``service`` runs on SQLite and, when
``VIGIE_TEST_DATABASE_URL`` is set, on PostgreSQL too (tests/db_fixtures.py).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from db_fixtures import database_url, engine, session_factory  # noqa: F401
from intake_support import SHORT_SAFETY, TEST_SECRET, Clock
from sqlalchemy.orm import Session, sessionmaker

from intake.registry import SurveyRegistry
from intake.service import IntakeService
from intake.settings import IntakeSettings
from questionnaire.definition.model import Survey
from questionnaire.loader import load_survey


@pytest.fixture
def clock() -> Clock:
    """A clock starting on 12 March 2026 at noon UTC."""
    return Clock(dt.datetime(2026, 3, 12, 12, 0, tzinfo=dt.UTC))


@pytest.fixture
def short_survey() -> Survey:
    """tests/intake/data/short_safety.yaml, loaded."""
    return load_survey(SHORT_SAFETY)


@pytest.fixture
def make_service(
    session_factory: sessionmaker[Session],  # noqa: F811
    short_survey: Survey,
    clock: Clock,
) -> Callable[..., IntakeService]:
    """Factory: ``make_service(surveys=None, abandon_after_days=30)`` on the test database."""

    def make(surveys: list[Survey] | None = None, abandon_after_days: int = 30) -> IntakeService:
        registry = SurveyRegistry(session_factory)
        registry.register_all(surveys or [short_survey])
        settings = IntakeSettings(
            secret_key=TEST_SECRET, abandon_after_days=abandon_after_days, testing=True
        )
        return IntakeService(session_factory, registry, settings, clock=clock)

    return make


@pytest.fixture
def service(make_service: Callable[..., IntakeService]) -> IntakeService:
    """An intake service serving short_safety on the test database."""
    return make_service()
