"""Typed answer values, shared by every channel, storage and analysis.

What a respondent's answer becomes once parsed (see :mod:`questionnaire.answers.reading`):

==================  ==============================================
question type       Python value
==================  ==============================================
single_choice       ``str`` (the choice code)
multiple_choice     ``tuple[str, ...]`` (codes, in definition order)
yes_no              ``"yes"`` or ``"no"``
consent             ``"yes"`` (agrees) or ``"no"`` (declines)
integer, rating     ``int``
decimal             ``float``
text, long_text     ``str``
date                ``datetime.date``
year_month          :class:`YearMonth`
any (special)       :class:`Special` (``dont_know``, ``prefer_not``)
any (skipped)       :data:`SKIPPED`
==================  ==============================================

``Answers`` maps answer paths to values. A path is a question name
(``walk_alone_dark``) or, inside a repeat, ``incident[2].reported``
(1-based index). :data:`SKIPPED` records that a respondent saw the question
and chose not to answer; in expressions it reads as null.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any, Final

from questionnaire.definition.model import SpecialCode


@dataclass(frozen=True, order=True, slots=True)
class YearMonth:
    """A month of a year, e.g. the month an incident happened."""

    year: int
    month: int

    def __post_init__(self) -> None:
        if not 1 <= self.month <= 12:
            raise ValueError(f"month must be 1-12, got {self.month}")

    @classmethod
    def of(cls, day: dt.date) -> YearMonth:
        return cls(day.year, day.month)

    def first_day(self) -> dt.date:
        return dt.date(self.year, self.month, 1)

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"


@dataclass(frozen=True, slots=True)
class Special:
    """A special answer: "don't know" or "prefer not to answer"."""

    code: SpecialCode

    def __str__(self) -> str:
        return str(self.code)


class _Skipped:
    """The respondent saw the question and left it unanswered."""

    _instance: _Skipped | None = None

    def __new__(cls) -> _Skipped:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "SKIPPED"

    def __reduce__(self) -> str:
        return "SKIPPED"


SKIPPED: Final = _Skipped()

#: A parsed answer.
Value = str | tuple[str, ...] | int | float | dt.date | YearMonth | Special | _Skipped
#: Answers so far, by path.
Answers = dict[str, Value]

_PATH = re.compile(
    r"^(?:(?P<repeat>[a-z][a-z0-9_]*)\[(?P<index>[1-9][0-9]*)\]\.)?(?P<name>[a-z][a-z0-9_]*)$"
)


def answer_path(name: str, repeat: str | None = None, index: int | None = None) -> str:
    """``answer_path("reported", "incident", 2) == "incident[2].reported"``."""
    if repeat is None:
        return name
    return f"{repeat}[{index}].{name}"


def split_path(path: str) -> tuple[str | None, int | None, str]:
    """Inverse of :func:`answer_path`: ``(repeat, index, name)``.

    Raises ``ValueError`` for a string that is not an answer path.
    """
    m = _PATH.match(path)
    if m is None:
        raise ValueError(f"not an answer path: {path!r}")
    index = m.group("index")
    return m.group("repeat"), int(index) if index else None, m.group("name")


# -- JSON form, for storage and exports ---------------------------------------


def value_to_json(value: Value) -> Any:
    """A JSON-ready form of a value that :func:`value_from_json` reverses.

    Strings, ints and floats stay themselves; every other kind is a one-key
    object so that the kind survives the round trip.
    """
    if value is SKIPPED:
        return {"skipped": True}
    if isinstance(value, Special):
        return {"special": str(value.code)}
    if isinstance(value, tuple):
        return {"choices": list(value)}
    if isinstance(value, YearMonth):
        return {"year_month": str(value)}
    if isinstance(value, dt.date):
        return {"date": value.isoformat()}
    if isinstance(value, bool):  # bool is an int: refuse it explicitly
        raise TypeError("booleans are not answer values; yes/no answers are 'yes'/'no'")
    if isinstance(value, str | int | float):
        return value
    raise TypeError(f"not an answer value: {value!r}")


def value_from_json(data: Any) -> Value:
    """Rebuild a value written by :func:`value_to_json`."""
    if isinstance(data, bool):
        raise ValueError("booleans are not answer values")
    if isinstance(data, str | int | float):
        return data
    if isinstance(data, dict) and len(data) == 1:
        ((key, raw),) = data.items()
        if key == "skipped" and raw is True:
            return SKIPPED
        if key == "special":
            return Special(SpecialCode(raw))
        if key == "choices" and isinstance(raw, list):
            return tuple(str(c) for c in raw)
        if key == "year_month" and isinstance(raw, str):
            year, month = raw.split("-")
            return YearMonth(int(year), int(month))
        if key == "date" and isinstance(raw, str):
            return dt.date.fromisoformat(raw)
    raise ValueError(f"not a stored answer value: {data!r}")
