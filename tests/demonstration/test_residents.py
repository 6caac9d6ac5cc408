# ruff: noqa: F811 - test arguments named after the fixtures imported from db_fixtures
"""The demo's residents answer through the intake service; their answers, read back,
pass the questionnaire's own checks."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner
from db_fixtures import database_url  # noqa: F401

from questionnaire.answers.reading import read_answer
from questionnaire.answers.run_context import RunContext
from questionnaire.answers.scope import AnswerScope
from questionnaire.definition.values import SKIPPED, Answers, Value
from questionnaire.loader import load_survey
from questionnaire.navigation.next import applicable_slots, prune, status
from questionnaire.navigation.progress import progress
from storage.analysis_source import iter_responses_for_analysis
from storage.engine import make_engine, make_session_factory
from storage.records import ResponseRecord, ResponseStatus
from vigie_cli.main import cli

ROOT = Path(__file__).resolve().parents[2]
RESPONDENTS = {"perceived_safety": 40, "victimisation": 30}


def raw_of(value: Value) -> str | list[str] | None:
    """What a channel sends to give ``value`` again."""
    if value is SKIPPED:
        return None
    if isinstance(value, tuple):
        return list(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def responses(url: str, survey_id: str) -> list[tuple[ResponseRecord, Answers]]:
    engine = make_engine(url)
    try:
        with make_session_factory(engine)() as session:
            statuses = tuple(s for s in ResponseStatus if s is not ResponseStatus.ERASED)
            return list(iter_responses_for_analysis(session, survey_id, statuses))
    finally:
        engine.dispose()


@pytest.mark.parametrize("survey_id", sorted(RESPONDENTS))
def test_demo_answers_pass_the_questionnaires_own_checks(database_url: str, survey_id: str) -> None:
    result = CliRunner().invoke(
        cli,
        ["demo", "populate", "--survey", survey_id, "--respondents", str(RESPONDENTS[survey_id])],
        env={"DATABASE_URL": database_url, "VIGIE_LANGUAGE": "en"},
    )
    assert result.exit_code == 0, result.output
    survey = load_survey(ROOT / "survey_defs" / f"{survey_id}.yaml")
    seen = Counter[str]()
    for record, answers in responses(database_url, survey_id):
        ctx = RunContext(
            started_on=record.started_at.date(),
            channel=record.channel.value,
            language=record.language,
            today=record.updated_at.date(),
        )
        # Where the response stands is what its answers say.
        assert prune(survey, answers, ctx) == answers
        assert status(survey, answers, ctx) == record.status.value
        if record.status is ResponseStatus.COMPLETED:
            assert progress(survey, answers, ctx) == 1.0
        # Every answer, sent again, is read back as itself by the questionnaire's rules.
        slots = {s.path: s for s in applicable_slots(survey, answers, ctx)}
        for path, value in answers.items():
            slot = slots[path]
            scope = AnswerScope(survey, answers, ctx)
            if slot.repeat is not None and slot.index is not None:
                scope = scope.in_instance(slot.repeat, slot.index)
            again = read_answer(
                slot.question, raw_of(value), scope=scope, language=record.language, warned=True
            )
            assert again == value, (record.id, path)
        seen[record.channel.value] += 1
        seen[record.status.value] += 1
    assert seen["web"] and seen["telegram"], seen
    assert seen["completed"] > RESPONDENTS[survey_id] // 2, seen
