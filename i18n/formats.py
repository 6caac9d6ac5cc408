"""Dates, months and numbers as readers of each language write them, from CLDR (Babel).

One place for every displayed date and number, keyed by the same negotiation
as the words (:func:`i18n.negotiate`): French is written as in Québec
(``fr_CA``: ``12 mars 2025``, ``1 234,5`` with a no-break space) and English
as in Canada (``en_CA``: ``March 12, 2025``, ``1,234.5``). The patterns,
month names, decimal marks and group separators are CLDR's, through
:mod:`babel.dates` and :mod:`babel.numbers`; the only addition is the French
"premier" of the first day of a month (``1er mars 2025``), a catalog entry
(``answer.date.first_day``) because CLDR's date patterns have no ordinal day.

Babel is imported when a function first runs, so importing the rule book
stays quick; what it writes is remembered (a few thousand entries), because
a Babel call costs tens of microseconds and a month keyboard or a review page
writes the same values again and again. The first-day word is part of the
remembered key, so new catalogs take effect at once.
"""

from __future__ import annotations

import datetime as dt
import math
from decimal import Decimal
from functools import cache, lru_cache
from typing import Final

from i18n import negotiate, translate

#: The CLDR locale that writes each language Vigie speaks.
FORMAT_LOCALES: Final = {"fr": "fr_CA", "en": "en_CA"}


def format_locale(language: str | None) -> str:
    """The CLDR locale of ``language`` after negotiation (``fr-FR`` -> ``fr_CA``)."""
    return FORMAT_LOCALES[negotiate(language)]


def format_date(day: dt.date, language: str | None) -> str:
    """The long date: ``12 mars 2025``, ``1er mars 2025`` / ``March 12, 2025``."""
    first = translate(language, "answer.date.first_day") if day.day == 1 else None
    return _format_date(day, format_locale(language), first)


@lru_cache(maxsize=4096)
def _format_date(day: dt.date, locale: str, first: str | None) -> str:
    """Babel's formatting, remembered: a page or a keyboard shows the same dates again."""
    from babel.dates import format_date as cldr_format_date
    from babel.dates import get_date_format

    pattern = get_date_format("long", locale=locale).pattern
    if first is not None:
        pattern = _replace_field(pattern, "d", "'" + first.replace("'", "''") + "'")
    return cldr_format_date(day, pattern, locale=locale)


def format_year_month(year: int, month: int, language: str | None) -> str:
    """A month of a year: ``mars 2025`` / ``March 2025`` (CLDR's ``yMMMM`` skeleton)."""
    return _format_year_month(year, month, format_locale(language))


@lru_cache(maxsize=4096)
def _format_year_month(year: int, month: int, locale: str) -> str:
    from babel.dates import format_skeleton

    return format_skeleton("yMMMM", dt.date(year, month, 1), locale=locale)


def format_number(number: int | float, language: str | None) -> str:
    """``1 234 567`` and ``3,5`` in French, ``1,234,567`` and ``3.5`` in English.

    Floats show the shortest digits that read back as the same number (their
    ``repr``), whole floats no decimals (``3.0`` -> ``3``); nothing is rounded.
    """
    if isinstance(number, float):
        if not math.isfinite(number):
            return str(number)
        digits = str(int(number)) if number.is_integer() else repr(number)
    else:
        digits = str(int(number))
    return _format_digits(digits, format_locale(language))


@lru_cache(maxsize=4096)
def _format_digits(digits: str, locale: str) -> str:
    from babel.numbers import format_decimal

    return format_decimal(Decimal(digits), locale=locale, decimal_quantization=False)


def format_fixed(number: float, digits: int, language: str | None) -> str:
    """``number`` rounded to ``digits`` decimals, written in ``language`` (``12,3``)."""
    from babel.numbers import format_decimal

    pattern = "#,##0" + ("." + "0" * digits if digits > 0 else "")
    return format_decimal(number, pattern, locale=format_locale(language))


@cache
def month_names(language: str) -> tuple[tuple[str, ...], ...]:
    """Every CLDR name of each month (1-12) in ``language``: wide and abbreviated.

    Both the format and the stand-alone forms, of the language's own locale
    and of its generic locale (``fr_CA``'s ``juill.`` and ``fr``'s ``juil.``):
    the words respondents may type. Index 0 is January.
    """
    from babel.dates import get_month_names

    lang = negotiate(language)
    names: list[set[str]] = [set() for _ in range(12)]
    for locale in dict.fromkeys((FORMAT_LOCALES[lang], lang)):
        for width in ("wide", "abbreviated"):
            for context in ("format", "stand-alone"):
                found = get_month_names(width, context, locale=locale)
                for month, name in found.items():
                    names[month - 1].add(str(name))
    return tuple(tuple(sorted(words)) for words in names)


def _replace_field(pattern: str, letter: str, literal: str) -> str:
    """``pattern`` with each unquoted run of ``letter`` replaced by ``literal``."""
    out: list[str] = []
    quoted = False
    index = 0
    while index < len(pattern):
        char = pattern[index]
        if char == "'":
            quoted = not quoted
            out.append(char)
        elif char == letter and not quoted:
            while index + 1 < len(pattern) and pattern[index + 1] == letter:
                index += 1
            out.append(literal)
        else:
            out.append(char)
        index += 1
    return "".join(out)
