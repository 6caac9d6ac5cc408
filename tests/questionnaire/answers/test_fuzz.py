"""Any raw input either becomes a value of the question's kind or raises AnswerError.

Hypothesis feeds arbitrary text, lists of text, and text assembled from the
words respondents really type (numbers, month names, separators, labels) to
:func:`read_answer` for every question type, with bounds, patterns and
constraints. Accepted values must respect the question, and the form the web
posts back (a code, an ISO date, digits) must read as the same value.
"""

from __future__ import annotations

import datetime as dt
import math
import re

from hypothesis import given, settings
from hypothesis import strategies as st

from questionnaire.answers.reading import AnswerError, read_answer
from questionnaire.answers.run_context import RunContext
from questionnaire.answers.scope import AnswerScope
from questionnaire.definition.model import Question, QuestionType, Section, Survey
from questionnaire.definition.values import SKIPPED, Special, Value, YearMonth, value_to_json

STARTED = dt.date(2026, 3, 12)
TODAY = dt.date(2026, 3, 20)
REFERENCE = dt.date(2025, 3, 12)


def make_fuzz_survey() -> Survey:
    """One question of each type, each with the limits its type allows."""
    label = {"fr": "Question", "en": "Question"}
    choices = [
        {"code": "very_safe", "label": {"fr": "Très en sécurité", "en": "Very safe"}},
        {"code": "very_unsafe", "label": {"fr": "Très en insécurité", "en": "Very unsafe"}},
        {"code": "none", "label": {"fr": "Aucun", "en": "None"}, "exclusive": True},
    ]
    message = {"fr": "Refusé.", "en": "Refused."}
    definitions: list[dict[str, object]] = [
        {"name": "single", "type": "single_choice", "choices": choices, "special": ["dont_know"]},
        {
            "name": "multi",
            "type": "multiple_choice",
            "choices": choices,
            "special": ["prefer_not"],
            "constraints": [{"expression": "count(value) <= 2", "message": message}],
        },
        {"name": "yes_no", "type": "yes_no", "special": ["dont_know", "prefer_not"]},
        {"name": "consent", "type": "consent", "required": True},
        {
            "name": "integer",
            "type": "integer",
            "min": -5,
            "max": 500,
            "required": "soft",
            "constraints": [
                {"expression": "value % 2 == 0 or value < 50", "message": message, "soft": True}
            ],
        },
        {
            "name": "decimal",
            "type": "decimal",
            "min": 0,
            "max": 24.5,
            "constraints": [{"expression": "value * 2 != 7", "message": message}],
        },
        {"name": "rating", "type": "rating", "special": ["dont_know"]},
        {
            "name": "date",
            "type": "date",
            "min": "reference_date",
            "max": "today",
            "constraints": [{"expression": "month(value) != 6", "message": message}],
        },
        {
            "name": "year_month",
            "type": "year_month",
            "min": "2020-01-01",
            "max": "date('2026-12-31')",
            "constraints": [{"expression": "value >= reference_month", "message": message}],
        },
        {
            "name": "text",
            "type": "text",
            "max_length": 12,
            "pattern": "[A-Za-z0-9 ]+",
            "constraints": [{"expression": "value != 'interdit'", "message": message}],
        },
        {"name": "long_text", "type": "long_text", "max_length": 200, "special": ["prefer_not"]},
        {"name": "note", "type": "note"},
    ]
    questions = [Question.model_validate({"label": label, **d}) for d in definitions]
    return Survey(
        id="fuzz",
        version="1",
        languages=["fr", "en"],
        title=label,
        reference_period_months=12,
        sections=[Section(name="all", title=label, questions=questions)],
    )


SURVEY = make_fuzz_survey()
SCOPE = AnswerScope(SURVEY, {}, RunContext(started_on=STARTED, today=TODAY))

#: Pieces respondents type, assembled into plausible answers.
TOKENS = [
    "1", "2", "3", "12", "31", "2025", "2026", "1999", "0", "-", "+", ",", ".", ";", "/",
    " ", " et ", " and ", "1er", "mars", "March", "févr.", "juin", "dec", "vingt", "et",
    "un", "quatre-vingt-dix", "twenty-one", "fois", "Très", "en", "sécurité", "very",
    "safe", "aucun", "oui", "non", "yes", "no", "nsp", "don't know", "j'accepte",
    "refuse", "dont_know", "prefer_not", "none", "very_safe", "\n", "\x00", "é", "３",
]  # fmt: skip
assembled = st.lists(st.sampled_from(TOKENS), max_size=6).map("".join)
raw_text = st.one_of(st.text(max_size=40), assembled)
raw_answers = st.one_of(st.none(), raw_text, st.lists(raw_text, max_size=4))


def check_kind(question: Question, value: Value) -> None:
    """The value is of the question's kind and within its limits."""
    kind = question.type
    if value is SKIPPED:
        assert question.required is not True
        return
    if isinstance(value, Special):
        assert value.code in question.special
        return
    codes = [c.code for c in question.choices]
    if kind == QuestionType.SINGLE_CHOICE:
        assert value in codes
    elif kind == QuestionType.MULTIPLE_CHOICE:
        assert isinstance(value, tuple) and value
        assert list(value) == [c for c in codes if c in value]
        assert "none" not in value or value == ("none",)
        assert len(value) <= 2
    elif kind in (QuestionType.YES_NO, QuestionType.CONSENT):
        assert value in ("yes", "no")
    elif kind == QuestionType.INTEGER:
        assert type(value) is int and -5 <= value <= 500
    elif kind == QuestionType.RATING:
        assert type(value) is int and 1 <= value <= 5
    elif kind == QuestionType.DECIMAL:
        assert type(value) is float and math.isfinite(value) and 0 <= value <= 24.5
        assert value * 2 != 7
    elif kind == QuestionType.DATE:
        assert type(value) is dt.date and REFERENCE <= value <= TODAY and value.month != 6
    elif kind == QuestionType.YEAR_MONTH:
        assert isinstance(value, YearMonth) and YearMonth(2025, 3) <= value <= YearMonth(2026, 12)
    elif kind == QuestionType.TEXT:
        assert isinstance(value, str) and 0 < len(value) <= 12
        assert re.fullmatch("[A-Za-z0-9 ]+", value) and value != "interdit"
    elif kind == QuestionType.LONG_TEXT:
        assert isinstance(value, str) and 0 < len(value) <= 200 and "\x00" not in value
    else:
        raise AssertionError(f"{kind} gave {value!r}")


def web_form(value: Value) -> str | list[str] | None:
    """What the web posts back for a stored value (codes, ISO dates, digits)."""
    data = value_to_json(value)
    if isinstance(data, dict):
        ((key, raw),) = data.items()
        return {"skipped": None, "special": raw, "choices": raw, "date": raw}.get(key, raw)
    return str(data)


def read_any(question: Question, raw: str | list[str] | None, warned: bool) -> Value | None:
    try:
        return read_answer(question, raw, scope=SCOPE, language="fr", warned=warned)
    except AnswerError as error:
        assert error.code and isinstance(error.soft, bool)
        return None


@settings(max_examples=60, deadline=None)
@given(raw=raw_answers, warned=st.booleans(), language=st.sampled_from(["fr", "en"]))
def test_every_question_type_reads_any_input(
    raw: str | list[str] | None, warned: bool, language: str
) -> None:
    for question in SURVEY.questions():
        try:
            value = read_answer(question, raw, scope=SCOPE, language=language, warned=warned)
        except AnswerError as error:
            assert error.code
            continue
        check_kind(question, value)
        back = read_any(question, web_form(value), warned=True)
        assert back == value, (question.name, raw, value, back)


@settings(max_examples=150, deadline=None)
@given(number=st.integers(-(10**6), 10**6), grouped=st.booleans())
def test_integers_typed_in_full_read_back(number: int, grouped: bool) -> None:
    question = SURVEY.question("integer")
    text = f"{number:,}".replace(",", " ") if grouped else str(number)
    value = read_any(question, text, warned=True)
    assert value == (number if -5 <= number <= 500 else None)


@settings(max_examples=150, deadline=None)
@given(day=st.dates(dt.date(1900, 1, 1), dt.date(2100, 12, 31)))
def test_dates_typed_day_first_or_iso_read_back(day: dt.date) -> None:
    question = SURVEY.question("date")
    inside = REFERENCE <= day <= TODAY and day.month != 6
    for text in (day.isoformat(), day.strftime("%d/%m/%Y")):
        assert read_any(question, text, warned=False) == (day if inside else None)
