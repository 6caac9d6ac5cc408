"""The observatory's errors: every code has its words in French and English."""

from __future__ import annotations

import string

import pytest

from i18n import has_message, translate
from observatory import ObservatoryError
from observatory.errors import CODES


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


@pytest.mark.parametrize("msgid", CODES)
def test_each_code_speaks_both_languages_with_the_same_placeholders(msgid: str) -> None:
    assert has_message(msgid, "fr") and has_message(msgid, "en")
    assert _fields(translate("fr", msgid)) == _fields(translate("en", msgid))


def test_an_error_renders_its_code_and_lists_its_problems() -> None:
    class Line:
        def __init__(self, number: int) -> None:
            self.number = number

        def render(self, language: str) -> str:
            return f"{'ligne' if language == 'fr' else 'line'} {self.number}"

    error = ObservatoryError(
        "benchmarks_rejected", {"path": "b.csv", "count": 2}, problems=[Line(3), Line(5)]
    )
    assert str(error) == "b.csv: 2 error(s), nothing was loaded."
    assert error.problem_lines("fr") == ["ligne 3", "ligne 5"]
    assert error.render("de") == error.render("fr")  # one fallback: French
