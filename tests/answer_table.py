"""The shared table of raw answers (tests/data/answer_cases.yaml), loaded for any room's tests.

Each row becomes an :class:`AnswerCase`; :func:`table_survey` builds a
questionnaire holding the table's questions (one section, labels defaulting to
the question's name), so that a case can be sent through ``read_answer``, the
intake service or a channel.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from questionnaire.definition.model import Question, Section, Survey
from questionnaire.definition.values import Value, value_from_json

TABLE = Path(__file__).resolve().parent / "data" / "answer_cases.yaml"


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


def table_cases(table: Mapping[str, Any]) -> list[AnswerCase]:
    return [make_case(row) for row in table["cases"]]


def table_dates(table: Mapping[str, Any]) -> tuple[dt.date, dt.date]:
    """The day the respondents started and the day they answer."""
    context = table["context"]
    return dt.date.fromisoformat(context["started_on"]), dt.date.fromisoformat(context["today"])


def make_question(name: str, definition: Mapping[str, Any]) -> Question:
    """A question of the table; its label defaults to its name."""
    return Question.model_validate({"name": name, "label": {"fr": name, "en": name}, **definition})


def table_survey(
    table: Mapping[str, Any], first: Iterable[str] = (), survey_id: str = "answer_cases"
) -> Survey:
    """One section holding every question of the table, those named in ``first`` first."""
    definitions = table["questions"]
    leading = list(dict.fromkeys(first))
    order = leading + [name for name in definitions if name not in leading]
    questions = [make_question(name, definitions[name]) for name in order]
    section = Section(name="cases", title={"fr": "Cas", "en": "Cases"}, questions=questions)
    return Survey(
        id=survey_id,
        version="1",
        languages=["fr", "en"],
        title={"fr": "Cas", "en": "Cases"},
        reference_period_months=table["reference_period_months"],
        sections=[section],
    )
