# ruff: noqa: F811 - test arguments named after the fixtures imported from db_fixtures
"""``vigie responses abandon``: retention of unfinished responses."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from click.testing import CliRunner
from db_fixtures import database_url  # noqa: F401

from questionnaire.loader import load_survey
from questionnaire.navigation.status import ResponseStatus
from storage import migrate
from storage.answers import load_answers, record_answer
from storage.engine import make_engine, make_session_factory
from storage.records import Channel
from storage.responses import create_response, get_response
from storage.surveys import register_survey_version
from vigie_cli.main import cli

ROOT = Path(__file__).resolve().parents[2]
NOW = dt.datetime.now(dt.UTC)


@pytest.fixture
def migrated_url(database_url: str) -> str:
    engine = make_engine(database_url)
    try:
        migrate.upgrade(engine)
    finally:
        engine.dispose()
    return database_url


def _started(url: str, days_ago: list[int]) -> list[str]:
    """Responses in progress, each with one answer, last active ``days_ago`` days ago."""
    engine = make_engine(url)
    try:
        with make_session_factory(engine).begin() as session:
            version = register_survey_version(
                session, load_survey(ROOT / "survey_defs" / "perceived_safety.yaml")
            )
            ids = []
            for days in days_ago:
                when = NOW - dt.timedelta(days=days)
                made = create_response(session, version.id, Channel.WEB, "fr", now=when)
                record_answer(session, made.id, "age", 40, now=when)
                ids.append(made.id)
            return ids
    finally:
        engine.dispose()


def _state(url: str, response_id: str) -> tuple[str | None, int]:
    engine = make_engine(url)
    try:
        with make_session_factory(engine)() as session:
            record = get_response(session, response_id)
            status = None if record is None else str(record.status)
            return status, len(load_answers(session, response_id)) if record else 0
    finally:
        engine.dispose()


def _abandon(url: str, *args: str, env: dict[str, str] | None = None) -> tuple[int, str]:
    result = CliRunner().invoke(
        cli,
        ["responses", "abandon", *args],
        env={"DATABASE_URL": url, "VIGIE_LANGUAGE": "en", **(env or {})},
    )
    return result.exit_code, result.output


def test_idle_responses_are_marked_abandoned_and_keep_their_answers(migrated_url: str) -> None:
    old, recent = _started(migrated_url, [45, 2])
    code, output = _abandon(migrated_url)
    assert code == 0, output
    assert output.startswith("1 unfinished response(s) idle for more than 30 day(s)")
    assert _state(migrated_url, old) == (ResponseStatus.ABANDONED.value, 1)
    assert _state(migrated_url, recent) == (ResponseStatus.IN_PROGRESS.value, 1)


def test_the_idle_time_comes_from_the_environment_or_the_option(migrated_url: str) -> None:
    old, recent = _started(migrated_url, [10, 2])
    assert _abandon(migrated_url, env={"VIGIE_ABANDON_AFTER_DAYS": "7"})[0] == 0
    assert _state(migrated_url, old)[0] == ResponseStatus.ABANDONED.value
    assert _state(migrated_url, recent)[0] == ResponseStatus.IN_PROGRESS.value
    code, output = _abandon(migrated_url, "--days", "1", "--delete")
    assert code == 0, output
    assert "deleted with their answers" in output
    assert _state(migrated_url, recent) == (None, 0)


def test_a_bad_retention_setting_is_refused(migrated_url: str) -> None:
    code, output = _abandon(migrated_url, env={"VIGIE_ABANDON_AFTER_DAYS": "thirty"})
    assert code == 1
    assert "VIGIE_ABANDON_AFTER_DAYS must be a whole number" in output
