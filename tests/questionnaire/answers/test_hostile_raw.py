"""``read_answer`` raises nothing but AnswerError, whatever a channel hands it, and never stalls.

A channel with a bug may pass a bare number, a boolean, bytes, a mapping or a
nested list instead of text; a definition built in code (not through the
checker) may carry a pattern prone to catastrophic backtracking. Neither may
raise anything but :class:`AnswerError`, nor hold the worker for long.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from definition_support import watchdog
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from questionnaire.answers.reading import AnswerError, read_answer
from questionnaire.definition.model import Question, QuestionType
from questionnaire.definition.patterns import pattern_matches
from tests.questionnaire.answers.test_fuzz import SCOPE, SURVEY

QUESTIONS = [q.name for s in SURVEY.sections for q in s.questions]

#: Anything a buggy channel could pass, nested a little.
ANYTHING = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats()
    | st.text(max_size=30)
    | st.binary(max_size=10)
    | st.builds(object),
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.tuples(inner, inner)
        | st.dictionaries(st.text(max_size=5), inner, max_size=3)
        | st.frozensets(st.integers(), max_size=3)
    ),
    max_leaves=8,
)


def _read(name: str, raw: object, language: str = "fr") -> object:
    return read_answer(SURVEY.question(name), raw, scope=SCOPE, language=language)  # type: ignore[arg-type]


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(QUESTIONS), ANYTHING, st.sampled_from(["fr", "en"]))
def test_any_python_value_gives_a_value_or_an_answer_error(
    name: str, raw: object, language: str
) -> None:
    try:
        _read(name, raw, language)
    except AnswerError as error:
        assert error.code


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (7, 7),
        (7.0, 7),
        ([8], 8),
        (True, "unreadable_answer"),
        (b"7", "unreadable_answer"),
        ({"value": 7}, "unreadable_answer"),
        ([[7]], "unreadable_answer"),
        (object(), "unreadable_answer"),
        (float("nan"), "not_a_number"),
        (10**5000, "number_too_large"),
    ],
    ids=["int", "float", "list", "bool", "bytes", "dict", "nested", "object", "nan", "huge-int"],
)
def test_non_text_raw_answers(raw: object, expected: object) -> None:
    try:
        value = _read("integer", raw)
    except AnswerError as error:
        assert error.code == expected
    else:
        assert value == expected


@pytest.mark.parametrize(
    "pattern", ["(a|aa)+$", "(a+)+b", "(\\w+\\s?)+$", "(x+x+)+y", "^(([a-z])+.)+[A-Z]([a-z])+$"]
)
def test_a_backtracking_pattern_that_slipped_through_cannot_stall_a_worker(
    pattern: str,
) -> None:
    question = Question(
        name="code", type=QuestionType.TEXT, label={"fr": "x", "en": "x"}, pattern=pattern
    )
    hostile = "a" * 60 + "!"
    read: Callable[[], object] = lambda: read_answer(  # noqa: E731
        question, hostile, scope=SCOPE, language="fr"
    )
    with watchdog(30), pytest.raises(AnswerError) as caught:
        read()
    assert caught.value.code == "pattern_mismatch"
    with watchdog(30):
        assert not pattern_matches(pattern, "x" * 5000 + "!")
    assert pattern_matches("[A-Z][0-9][A-Z] ?[0-9][A-Z][0-9]", "H2X 1Y4")
