"""The shared table of raw answers (tests/data/answer_cases.yaml), read straight through.

The web and Telegram tests send the same cases through their channels; here
each case goes to :func:`questionnaire.answers.reading.read_answer` directly.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pytest
from answer_table import AnswerCase, load_table, table_cases, table_dates, table_survey

from questionnaire.answers.errors import ERROR_PARAMS
from questionnaire.answers.reading import AnswerError, read_answer, render_error
from questionnaire.answers.run_context import RunContext
from questionnaire.answers.scope import AnswerScope
from questionnaire.definition.model import QuestionType, Survey
from questionnaire.definition.values import Value


def make_scope(
    survey: Survey, table: Mapping[str, Any], answers: Mapping[str, Value]
) -> AnswerScope:
    started_on, today = table_dates(table)
    return AnswerScope(survey, dict(answers), RunContext(started_on=started_on, today=today))


TABLE_DATA = load_table()
SURVEY = table_survey(TABLE_DATA)
CASES = table_cases(TABLE_DATA)


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


#: Codes no channel can produce (a channel's own bug: a raw answer that is not text);
#: tests/questionnaire/answers/test_hostile_raw.py covers them.
NOT_FROM_A_CHANNEL = {"unreadable_answer"}


def test_the_table_covers_every_error_code_and_question_type() -> None:
    assert {c.error for c in CASES if c.error} | NOT_FROM_A_CHANNEL == set(ERROR_PARAMS)
    types = {SURVEY.question(c.question).type for c in CASES}
    assert types == set(QuestionType)


def test_the_table_has_inputs_in_both_languages_for_both_channels() -> None:
    for channel in ("web", "telegram"):
        for language in ("fr", "en"):
            assert any(c.language == language and channel in c.channels for c in CASES)
