# ruff: noqa: F811 - fixture arguments named after the fixtures imported from db_fixtures
"""Fixtures of the observatory tests: services on a migrated database, a clock, respondents.

Respondents answer through the intake service, as they would on a channel, so
that what the observatory reads is what the seams write. Every test taking
``services`` runs on SQLite and, with ``VIGIE_TEST_DATABASE_URL``, on
PostgreSQL too.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from db_fixtures import database_url  # noqa: F401

from observatory.database import upgrade_database
from services import Services, Settings, build_services

HERE = Path(__file__).resolve().parent
#: Holds town_safety.yaml, the questionnaire these tests serve.
DEFS = HERE / "data" / "defs"
SECRET = "observatory-tests-secret-0123456789"
#: town_safety answered through to the end, question by question.
FULL = {
    "municipality": "2466023",
    "age_group": "a15_44",
    "walk_alone_dark": "very_safe",
    "comment": "Calme.",
}


class Clock:
    """A settable clock: ``clock()`` is the current time, ``clock.advance(minutes=3)``."""

    def __init__(self, start: dt.datetime) -> None:
        self.now = start

    def __call__(self) -> dt.datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += dt.timedelta(**delta)


@pytest.fixture
def clock() -> Clock:
    """A clock starting on 12 March 2026 at 9:00 UTC."""
    return Clock(dt.datetime(2026, 3, 12, 9, 0, tzinfo=dt.UTC))


@pytest.fixture
def migrated_url(database_url: str) -> str:
    upgrade_database(database_url)
    return database_url


@pytest.fixture
def settings(migrated_url: str) -> Settings:
    return Settings(database_url=migrated_url, survey_defs=DEFS, secret_key=SECRET, testing=True)


@pytest.fixture
def services(settings: Settings, clock: Clock) -> Iterator[Services]:
    """Every seam, built by the composition root on a migrated database."""
    with build_services(settings, clock=clock) as built:
        yield built


@pytest.fixture
def respond(services: Services, clock: Clock) -> Callable[..., str]:
    """Factory: ``respond(answers=FULL, channel="web", campaign=None, minutes=2)``.

    Starts a town_safety response and answers each question met that
    ``answers`` holds, ``minutes`` apart, then sends them from the review
    when nothing is left to answer; returns the response id.
    """
    chats = itertools.count(1000)

    def respond(
        answers: dict[str, str] | None = None,
        *,
        channel: str = "web",
        language: str = "fr",
        campaign: str | None = None,
        minutes: float = 2,
    ) -> str:
        given = FULL if answers is None else answers
        chat = next(chats) if channel == "telegram" else None
        turn = services.intake.start(
            "town_safety", channel, language, campaign_code=campaign, chat_id=chat
        )
        while turn.prompt is not None and turn.prompt.path in given:
            clock.advance(minutes=minutes)
            turn = services.intake.submit(
                turn.response_id, turn.prompt.path, given[turn.prompt.path]
            )
        if turn.ready_to_finish:  # the web ends at the review: the resident sends the answers
            turn = services.intake.finish(turn.response_id)
        return turn.response_id

    return respond
