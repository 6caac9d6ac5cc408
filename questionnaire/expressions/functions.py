"""What the functions of the language do to values.

``sum``, ``min``/``max``, ``round``, ``date``, ``year`` and ``month`` after
their arguments are evaluated; called by the compiled form
(:mod:`questionnaire.expressions.compile`). Every function is total: a value
without meaning gives null, never a Python exception.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from questionnaire.definition.values import Special, YearMonth
from questionnaire.expressions.grammar import parse_iso_date
from questionnaire.expressions.operations import arithmetic, is_null, is_number, order


def sum_over(values: Iterable[object]) -> object:
    """``sum(repeat, expr)``: the numbers among ``values`` added up (0 for none)."""
    total: object = 0
    for value in values:
        if is_number(value):
            total = arithmetic("+", total, value)
    return total


def extreme(wanted: str, values: list[object]) -> object:
    """``min``/``max`` (``wanted`` ``"<"``/``">"``) of the answered values of one family.

    Nulls and specials are left out; values of different families give null.
    """
    present = [v for v in values if not is_null(v) and not isinstance(v, Special)]
    if not present:
        return None
    best = present[0]
    for value in present[1:]:
        if not _same_family(best, value):
            return None
        if order(wanted, value, best):
            best = value
    return best


def _same_family(left: object, right: object) -> bool:
    if is_number(left):
        return is_number(right)
    if isinstance(left, str):
        return isinstance(right, str)
    dates = dt.date | YearMonth
    return isinstance(left, dates) and isinstance(right, dates)


def round_number(number: object, places: object) -> object:
    """``round(x, n)``: Python's rounding (half to even) to ``n`` decimals."""
    if not is_number(number) or not is_number(places):
        return None
    try:
        if isinstance(places, float):
            if not places.is_integer():
                return None
            places = int(places)
        return round(number, _useful_places(number, places))
    except (ArithmeticError, ValueError):
        return None


def _useful_places(number: int | float, places: int) -> int:
    """``places`` bounded to where rounding still changes something.

    Rounding to 10**400 places is the same as to 400 for any float (and to
    none for an int), and rounding to more tens than the number has digits
    gives 0; bounding avoids computing a power of ten with a huge exponent.
    """
    if isinstance(number, int):
        digits = number.bit_length() // 3 + 2  # at least the number of decimal digits
        return max(min(places, 0), -digits)
    return max(min(places, 400), -400)


def date_of_text(text: object) -> object:
    """``date(text)`` in a tree built by hand (the parser makes a literal)."""
    return parse_iso_date(text) if isinstance(text, str) else None


def date_part(function: str, value: object) -> object:
    """``year(d)`` or ``month(d)`` of a date or a month; null for anything else."""
    if not isinstance(value, dt.date | YearMonth):
        return None
    return value.year if function == "year" else value.month
