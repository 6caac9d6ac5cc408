"""Fixtures of the bot tests: the fake Bot API server, an intake service, the bot.

Every test that takes ``service`` runs on SQLite and, when
``VIGIE_TEST_DATABASE_URL`` is set, on PostgreSQL too (tests/db_fixtures.py).
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Iterator

import pytest
from bot_support import BotRunner, shipped_surveys
from db_fixtures import database_url, engine, session_factory  # noqa: F401
from fake_telegram import TOKEN, FakeTelegram
from intake_support import TEST_SECRET, Clock
from sqlalchemy.orm import Session, sessionmaker

from bot.settings import BotSettings
from intake.registry import SurveyRegistry
from intake.service import IntakeService
from intake.settings import IntakeSettings

# python-telegram-bot 22 warns on every 429 unless the timedelta behaviour of its next
# major version is chosen; the bot handles both (bot.sending.retry_seconds).
os.environ.setdefault("PTB_TIMEDELTA", "1")


@pytest.fixture
def fake() -> Iterator[FakeTelegram]:
    """The fake Bot API server, started on 127.0.0.1."""
    with FakeTelegram() as server:
        yield server


@pytest.fixture
def clock() -> Clock:
    return Clock(dt.datetime(2026, 3, 12, 12, 0, tzinfo=dt.UTC))


@pytest.fixture
def make_service(
    session_factory: sessionmaker[Session],  # noqa: F811
    clock: Clock,
) -> Callable[[], IntakeService]:
    """Factory: an intake service serving the shipped questionnaires on the test database."""
    registry = SurveyRegistry(session_factory)
    registry.register_all(list(shipped_surveys()))

    def make() -> IntakeService:
        settings = IntakeSettings(secret_key=TEST_SECRET, abandon_after_days=30, testing=True)
        return IntakeService(session_factory, registry, settings, clock=clock)

    return make


@pytest.fixture
def service(make_service: Callable[[], IntakeService]) -> IntakeService:
    return make_service()


@pytest.fixture
def settings(fake: FakeTelegram) -> BotSettings:
    return BotSettings(token=TOKEN, base_url=fake.base_url, public_url="https://vigie.example")


@pytest.fixture
def runner(
    fake: FakeTelegram, service: IntakeService, settings: BotSettings
) -> Iterator[BotRunner]:
    """The real Application on the fake server, driven one update at a time."""
    with BotRunner(fake, service, settings) as running:
        yield running
