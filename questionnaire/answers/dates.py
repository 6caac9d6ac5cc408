"""Dates and months as respondents type them, in French and English.

Dates: ISO ``2025-03-12``; ``12/03/2025``, ``12-03-2025`` and ``12.03.2025``
read day first (the usage in Québec and France; the prompt's hint says so);
``12 mars 2025``, ``1er mars 2025``, ``12 March 2025``, ``March 12, 2025``;
``aujourd'hui``/``today`` and ``hier``/``yesterday``.

Months: ``2025-03``, ``03/2025``, ``3/2025``, ``mars 2025``, ``March 2025``,
``Mar 2025``, ``févr. 2025``; a full date gives its month.

Month names are CLDR's (:func:`i18n.formats.month_names`, the names dates are
displayed with), in every language Vigie speaks whatever the respondent reads.
The other words (``le``, ``the``, ``premier``, ``aujourd'hui``, ``today``,
``hier``, ``yesterday``, ordinal suffixes) are parse vocabulary CLDR does not
provide, one module per language in :mod:`questionnaire.answers.vocabulary`
(docs/i18n.md says why).
"""

from __future__ import annotations

import datetime as dt
import re
from functools import cache
from typing import Final

from i18n import LANGUAGES
from i18n.formats import month_names
from questionnaire.answers.errors import AnswerError
from questionnaire.answers.text import normalise
from questionnaire.answers.vocabulary import every_language as vocabulary
from questionnaire.definition.values import YearMonth


@cache
def month_words() -> dict[str, int]:
    """Normalised month names and abbreviations of every language Vigie speaks -> 1-12.

    CLDR's wide and abbreviated names (:func:`i18n.formats.month_names`):
    ``mars``, ``march``, ``fevr``, ``juil``, ``juill``, ``sept``, ``sep``...
    """
    words: dict[str, int] = {}
    for language in LANGUAGES:
        for month, names in enumerate(month_names(language), start=1):
            for name in names:
                words[normalise(name)] = month
    return words


_ISO_DATE: Final = re.compile(r"([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})")
_DAY_FIRST: Final = re.compile(r"([0-9]{1,2})[/.-]([0-9]{1,2})[/.-]([0-9]{4})")
_ISO_MONTH: Final = re.compile(r"([0-9]{4})[-/]([0-9]{1,2})")
_MONTH_FIRST: Final = re.compile(r"([0-9]{1,2})[/.-]([0-9]{4})")
_DAY_WORD: Final = re.compile(
    r"([0-9]{1,2})(?:" + "|".join(map(re.escape, vocabulary.DAY_SUFFIXES)) + ")?"
)


def month_number(word: str) -> int | None:
    """1-12 for a normalised month name, abbreviation or unique prefix (3+ letters)."""
    words = month_words()
    if word in words:
        return words[word]
    if len(word) < 3:
        return None
    months = {month for name, month in words.items() if name.startswith(word)}
    return months.pop() if len(months) == 1 else None


def _make_date(year: int, month: int, day: int) -> dt.date:
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise AnswerError("invalid_date") from None


def _words_date(tokens: list[str]) -> dt.date | None:
    """``[day, month, year]`` or ``[month, day, year]`` tokens -> a date."""
    tokens = [t for t in tokens if t not in vocabulary.DATE_FILLERS]
    if len(tokens) != 3 or not re.fullmatch(r"[0-9]{4}", tokens[2]):
        return None
    first, second, year = tokens
    if first in vocabulary.FIRST_DAY:
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
    if words in vocabulary.TODAY:
        return today
    if words in vocabulary.YESTERDAY:
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
    tokens = [t for t in normalise(stripped).split() if t not in vocabulary.DATE_FILLERS]
    if len(tokens) == 2 and re.fullmatch(r"[0-9]{4}", tokens[1]):
        month = month_number(tokens[0])
        if month is not None:
            return _make_month(int(tokens[1]), month)
    try:
        return YearMonth.of(parse_date(stripped, today))
    except AnswerError:
        raise AnswerError("invalid_year_month") from None
