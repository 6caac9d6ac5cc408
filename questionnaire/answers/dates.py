"""Dates and months as respondents type them, in French and English.

Dates: ISO ``2025-03-12``; ``12/03/2025``, ``12-03-2025`` and ``12.03.2025``
read day first (the usage in Québec and France; the prompt's hint says so);
``12 mars 2025``, ``1er mars 2025``, ``12 March 2025``, ``March 12, 2025``;
``aujourd'hui``/``today`` and ``hier``/``yesterday``.

Months: ``2025-03``, ``03/2025``, ``3/2025``, ``mars 2025``, ``March 2025``,
``Mar 2025``, ``févr. 2025``; a full date gives its month.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Final

from questionnaire.answers.errors import AnswerError
from questionnaire.answers.text import normalise
from questionnaire.definition.values import YearMonth


def _month_words() -> dict[str, int]:
    names = {
        1: "janvier january janv jan",
        2: "fevrier february fevr fev feb",
        3: "mars march mar",
        4: "avril april avr apr",
        5: "mai may",
        6: "juin june jun",
        7: "juillet july juil jul",
        8: "aout august aou aug",
        9: "septembre september sept sep",
        10: "octobre october oct",
        11: "novembre november nov",
        12: "decembre december dec",
    }
    return {word: month for month, words in names.items() for word in words.split()}


#: Normalised month names and abbreviations, French and English -> 1-12.
MONTH_WORDS: Final[dict[str, int]] = _month_words()

_ISO_DATE: Final = re.compile(r"([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})")
_DAY_FIRST: Final = re.compile(r"([0-9]{1,2})[/.-]([0-9]{1,2})[/.-]([0-9]{4})")
_ISO_MONTH: Final = re.compile(r"([0-9]{4})[-/]([0-9]{1,2})")
_MONTH_FIRST: Final = re.compile(r"([0-9]{1,2})[/.-]([0-9]{4})")
_DAY_WORD: Final = re.compile(r"([0-9]{1,2})(?:er|re|e|st|nd|rd|th)?")
_FILLERS: Final = frozenset({"le", "the", "of", "de", "du", "en", "in"})
_TODAY: Final = frozenset({"aujourd hui", "aujourdhui", "today"})
_YESTERDAY: Final = frozenset({"hier", "yesterday"})


def month_number(word: str) -> int | None:
    """1-12 for a normalised month name, abbreviation or unique prefix (3+ letters)."""
    if word in MONTH_WORDS:
        return MONTH_WORDS[word]
    if len(word) < 3:
        return None
    months = {MONTH_WORDS[name] for name in MONTH_WORDS if name.startswith(word)}
    return months.pop() if len(months) == 1 else None


def _make_date(year: int, month: int, day: int) -> dt.date:
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise AnswerError("invalid_date") from None


def _words_date(tokens: list[str]) -> dt.date | None:
    """``[day, month, year]`` or ``[month, day, year]`` tokens -> a date."""
    tokens = [t for t in tokens if t not in _FILLERS]
    if len(tokens) != 3 or not re.fullmatch(r"[0-9]{4}", tokens[2]):
        return None
    first, second, year = tokens
    if first == "premier":
        first = "1"
    day_match = _DAY_WORD.fullmatch(first)
    month = month_number(second)
    if day_match is None or month is None:
        day_match = _DAY_WORD.fullmatch(second)
        month = month_number(first)
    if day_match is None or month is None:
        return None
    return _make_date(int(year), month, int(day_match.group(1)))


def parse_date(text: str, today: dt.date) -> dt.date:
    """Read a date; ``invalid_date`` for anything else, 31/02/2025 included.

    >>> parse_date("1er mars 2025", dt.date(2026, 1, 1))
    datetime.date(2025, 3, 1)
    """
    stripped = text.strip()
    if match := _ISO_DATE.fullmatch(stripped):
        year, month, day = (int(g) for g in match.groups())
        return _make_date(year, month, day)
    if match := _DAY_FIRST.fullmatch(stripped):
        day, month, year = (int(g) for g in match.groups())
        return _make_date(year, month, day)
    words = normalise(stripped)
    if words in _TODAY:
        return today
    if words in _YESTERDAY:
        return today - dt.timedelta(days=1)
    found = _words_date(words.split())
    if found is None:
        raise AnswerError("invalid_date")
    return found


def _make_month(year: int, month: int) -> YearMonth:
    if not 1 <= year <= 9999 or not 1 <= month <= 12:
        raise AnswerError("invalid_year_month")
    return YearMonth(year, month)


def parse_year_month(text: str, today: dt.date) -> YearMonth:
    """Read a month of a year; ``invalid_year_month`` for anything else.

    >>> parse_year_month("févr. 2025", dt.date(2026, 1, 1))
    YearMonth(year=2025, month=2)
    """
    stripped = text.strip()
    if match := _ISO_MONTH.fullmatch(stripped):
        return _make_month(int(match.group(1)), int(match.group(2)))
    if match := _MONTH_FIRST.fullmatch(stripped):
        return _make_month(int(match.group(2)), int(match.group(1)))
    tokens = [t for t in normalise(stripped).split() if t not in _FILLERS]
    if len(tokens) == 2 and re.fullmatch(r"[0-9]{4}", tokens[1]):
        month = month_number(tokens[0])
        if month is not None:
            return _make_month(int(tokens[1]), month)
    try:
        return YearMonth.of(parse_date(stripped, today))
    except AnswerError:
        raise AnswerError("invalid_year_month") from None
