"""The definition language and the database columns agree on how long things may be.

What the checker accepts at its limits is stored on every backend (PostgreSQL
enforces ``VARCHAR(n)``; SQLite would keep anything); one character more is a
definition error before the database is reached, and a broken file among
several registers nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from db_fixtures import make_survey
from definition_support import VALID
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from intake.registry import SurveyRegistry
from questionnaire.definition.errors import DefinitionErrors
from questionnaire.definition.limits import (
    MAX_ANSWER_PATH_LENGTH,
    MAX_NAME_LENGTH,
    MAX_SURVEY_ID_LENGTH,
    MAX_VERSION_LENGTH,
)
from questionnaire.definition.model import Question, QuestionType, Repeat, Section
from storage.answers import load_answers, record_answer
from storage.records import ResponseRecord, SurveyVersion
from storage.tables import AnswerModel, CampaignModel, ResponseModel, SurveyVersionModel


def test_the_columns_are_declared_with_the_definition_limits() -> None:
    columns = {
        "survey_versions.survey_id": (SurveyVersionModel.survey_id, MAX_SURVEY_ID_LENGTH),
        "survey_versions.version": (SurveyVersionModel.version, MAX_VERSION_LENGTH),
        "campaigns.survey_id": (CampaignModel.survey_id, MAX_SURVEY_ID_LENGTH),
        "answers.path": (AnswerModel.path, MAX_ANSWER_PATH_LENGTH),
        "responses.current_path": (ResponseModel.current_path, MAX_ANSWER_PATH_LENGTH),
    }
    for name, (column, limit) in columns.items():
        assert column.type.length == limit, name  # type: ignore[attr-defined]
    # The longest answer path: a repeat name, the largest index, a question name.
    longest = f"{'r' * MAX_NAME_LENGTH}[{2**63 - 1}].{'q' * MAX_NAME_LENGTH}"
    assert len(longest) <= MAX_ANSWER_PATH_LENGTH


def test_a_questionnaire_at_every_limit_is_stored_and_answered(
    register_version: Callable[..., SurveyVersion],
    make_response: Callable[..., ResponseRecord],
    session_factory: sessionmaker[Session],
) -> None:
    both = {"fr": "Texte", "en": "Text"}
    question = Question(name="q" * MAX_NAME_LENGTH, type=QuestionType.TEXT, label=both)
    repeat = Repeat(name="r" * MAX_NAME_LENGTH, count="3", max=3)
    section = Section(name="s" * MAX_NAME_LENGTH, title=both, questions=[question], repeat=repeat)
    survey = make_survey("i" * MAX_SURVEY_ID_LENGTH, "9" * MAX_VERSION_LENGTH, sections=[section])
    version = register_version(survey)
    response = make_response(version_id=version.id)
    path = f"{repeat.name}[{2**63 - 1}].{question.name}"
    with session_factory.begin() as session:
        record_answer(session, response.id, path, "answer")
    with session_factory() as session:
        assert load_answers(session, response.id) == {path: "answer"}
        stored = session.execute(select(SurveyVersionModel.survey_id, SurveyVersionModel.version))
        assert stored.one() == (survey.id, survey.version)


def test_one_character_more_is_refused_before_the_database_and_nothing_is_stored(
    session_factory: sessionmaker[Session], tmp_path: Path
) -> None:
    (tmp_path / "a_good.yaml").write_text(VALID, encoding="utf-8")
    too_long = VALID.replace("id: fuzz", "id: " + "i" * (MAX_SURVEY_ID_LENGTH + 1))
    (tmp_path / "b_too_long.yaml").write_text(too_long, encoding="utf-8")
    with pytest.raises(DefinitionErrors) as caught:
        SurveyRegistry.from_directory(session_factory, tmp_path)
    assert [(e.code, e.line) for e in caught.value.errors] == [("too_long", 1)]
    with session_factory() as session:
        assert session.scalars(select(SurveyVersionModel)).all() == []


@pytest.mark.parametrize(
    "hostile",
    [
        "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
        + "".join(
            f"{c}: &{c} [{', '.join(['*' + p] * 10)}]\n"
            for p, c in zip("abcdefgh", "bcdefghi", strict=True)
        ),
        VALID.replace("max: 120", "max: .inf"),
        VALID + "\x00",
        VALID + "  - include: /etc/passwd\n",
    ],
    ids=["billion-laughs", "inf-bound", "nul", "include-outside"],
)
def test_a_hostile_definition_at_start_up_registers_nothing(
    session_factory: sessionmaker[Session], tmp_path: Path, hostile: str
) -> None:
    (tmp_path / "a_good.yaml").write_text(VALID, encoding="utf-8")
    (tmp_path / "b_hostile.yaml").write_text(hostile, encoding="utf-8")
    with pytest.raises(DefinitionErrors) as caught:
        SurveyRegistry.from_directory(session_factory, tmp_path)
    assert caught.value.errors
    assert {e.file for e in caught.value.errors} == {str(tmp_path / "b_hostile.yaml")}
    with session_factory() as session:
        assert session.scalars(select(SurveyVersionModel)).all() == []
