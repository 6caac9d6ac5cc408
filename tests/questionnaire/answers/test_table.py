"""The shared table of raw answers (tests/data/answer_cases.yaml), read straight through.

The web and Telegram tests send the same cases through their channels; here
each case goes to :func:`questionnaire.answers.reading.read_answer` directly.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml

from questionnaire.answers.errors import ERROR_PARAMS
from questionnaire.answers.reading import AnswerError, read_answer, render_error
from questionnaire.answers.run_context import RunContext
from questionnaire.answers.scope import AnswerScope
from questionnaire.definition.model import Question, QuestionType, Section, Survey
from questionnaire.definition.values import Value, value_from_json

TABLE = Path(__file__).resolve().parents[2] / "data" / "answer_cases.yaml"


@dataclass(frozen=True)
class AnswerCase:
    """One row of the table."""

    question: str
    raw: str | list[str] | None
    language: str
    value: Value | None
    error: str | None
    soft: bool
    params: tuple[str, ...]
    warned: bool
    answers: Mapping[str, Value]
    channels: tuple[str, ...]

    @property
    def id(self) -> str:
        warned = "-warned" if self.warned else ""
        return f"{self.question}-{self.raw!r}-{self.language}{warned}"


def load_table(path: Path = TABLE) -> dict[str, Any]:
    return yaml.safe_load(path.read_text("utf-8"))


def make_question(name: str, definition: Mapping[str, Any]) -> Question:
    """A question of the table; its label defaults to its name."""
    return Question.model_validate({"name": name, "label": {"fr": name, "en": name}, **definition})


def make_survey(table: Mapping[str, Any]) -> Survey:
    """One section holding every question of the table."""
    questions = [make_question(name, d) for name, d in table["questions"].items()]
    section = Section(name="cases", title={"fr": "Cas", "en": "Cases"}, questions=questions)
    return Survey(
        id="answer_cases",
        version="1",
        languages=["fr", "en"],
        title={"fr": "Cas", "en": "Cases"},
        reference_period_months=table["reference_period_months"],
        sections=[section],
    )


def make_scope(
    survey: Survey, table: Mapping[str, Any], answers: Mapping[str, Value]
) -> AnswerScope:
    context = table["context"]
    ctx = RunContext(
        started_on=dt.date.fromisoformat(context["started_on"]),
        today=dt.date.fromisoformat(context["today"]),
    )
    return AnswerScope(survey, dict(answers), ctx)


def make_case(row: Mapping[str, Any]) -> AnswerCase:
    return AnswerCase(
        question=row["question"],
        raw=row["raw"],
        language=row["language"],
        value=value_from_json(row["value"]) if "value" in row else None,
        error=row.get("error"),
        soft=bool(row.get("soft", False)),
        params=tuple(row.get("params", ())),
        warned=bool(row.get("warned", False)),
        answers={k: value_from_json(v) for k, v in row.get("answers", {}).items()},
        channels=tuple(row.get("channels", ("web", "telegram"))),
    )


TABLE_DATA = load_table()
SURVEY = make_survey(TABLE_DATA)
CASES = [make_case(row) for row in TABLE_DATA["cases"]]


def read_case(case: AnswerCase) -> Value:
    return read_answer(
        SURVEY.question(case.question),
        case.raw,
        scope=make_scope(SURVEY, TABLE_DATA, case.answers),
        language=case.language,
        warned=case.warned,
    )


def test_every_row_is_well_formed() -> None:
    for row in TABLE_DATA["cases"]:
        assert ("value" in row) != ("error" in row), row
        assert row["language"] in ("fr", "en"), row
        assert row["question"] in TABLE_DATA["questions"], row
        assert set(row.get("channels", ["web"])) <= {"web", "telegram"}, row


@pytest.mark.parametrize("case", [c for c in CASES if c.error is None], ids=lambda c: c.id)
def test_accepted_input(case: AnswerCase) -> None:
    value = read_case(case)
    assert value == case.value
    assert type(value) is type(case.value)


@pytest.mark.parametrize("case", [c for c in CASES if c.error is not None], ids=lambda c: c.id)
def test_refused_input(case: AnswerCase) -> None:
    with pytest.raises(AnswerError) as caught:
        read_case(case)
    error = caught.value
    assert error.code == case.error
    assert error.soft is case.soft
    assert set(case.params) <= set(error.params)
    assert ERROR_PARAMS[error.code] <= set(error.params)


@pytest.mark.parametrize("case", [c for c in CASES if c.error is not None], ids=lambda c: c.id)
def test_refusals_read_differently_in_french_and_english(case: AnswerCase) -> None:
    with pytest.raises(AnswerError) as caught:
        read_case(case)
    french, english = render_error(caught.value, "fr"), render_error(caught.value, "en")
    assert french and english and french != english
    for text in (french, english):
        assert "{" not in text and "}" not in text


def test_the_table_covers_every_error_code_and_question_type() -> None:
    assert {c.error for c in CASES if c.error} == set(ERROR_PARAMS)
    types = {SURVEY.question(c.question).type for c in CASES}
    assert types == set(QuestionType)


def test_the_table_has_inputs_in_both_languages_for_both_channels() -> None:
    for channel in ("web", "telegram"):
        for language in ("fr", "en"):
            assert any(c.language == language and channel in c.channels for c in CASES)
