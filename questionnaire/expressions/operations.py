"""What operators do to values: the null rules, specials, dates and numbers.

Pure functions over the values an expression meets at run time: ``None``
(null), ``bool``, ``int``, ``float``, ``str``, ``tuple[str, ...]`` (a
multiple choice's selection), ``list`` (a list literal), ``datetime.date``,
:class:`~questionnaire.definition.values.YearMonth` and
:class:`~questionnaire.definition.values.Special`. None of them raises: an operation
that has no meaning gives null (arithmetic) or false (comparison).
"""

from __future__ import annotations

import datetime as dt
import math
import operator
from collections.abc import Callable
from typing import Any, TypeGuard

from questionnaire.definition.values import SKIPPED, Special, YearMonth

_ARITHMETIC_FAILURES = (ArithmeticError, ValueError)


def is_null(value: object) -> bool:
    """Null: unanswered, not applicable (``None``) or skipped."""
    return value is None or value is SKIPPED


def truthy(value: object) -> bool:
    """Whether a condition holds: null, skipped and ``False`` do not; all else does."""
    return not (value is None or value is SKIPPED or value is False)


def is_number(value: object) -> TypeGuard[int | float]:
    """An ``int`` or ``float`` that is not a ``bool``."""
    return isinstance(value, int | float) and not isinstance(value, bool)


def equals(left: object, right: object) -> bool:
    """``left == right``: null equals only null; a special equals its code."""
    if is_null(left) or is_null(right):
        return is_null(left) and is_null(right)
    if isinstance(left, Special):
        left = str(left.code)
    if isinstance(right, Special):
        right = str(right.code)
    if isinstance(left, bool) or isinstance(right, bool):
        return isinstance(left, bool) and isinstance(right, bool) and left == right
    if is_number(left) and is_number(right):
        return bool(left == right)
    if isinstance(left, dt.date) and isinstance(right, dt.date):
        return left == right
    if isinstance(left, dt.date | YearMonth) and isinstance(right, dt.date | YearMonth):
        return _month_of(left) == _month_of(right)
    if isinstance(left, str) and isinstance(right, str):
        return left == right
    if isinstance(left, tuple | list) and isinstance(right, tuple | list):
        return len(left) == len(right) and all(map(equals, left, right))
    return False


def order(op: str, left: object, right: object) -> bool:
    """``< <= > >=``: false unless both are numbers, texts, or dates/months."""
    if is_number(left) and is_number(right):
        pair: tuple[object, object] = (left, right)
    elif _same_type(left, right, str) or _same_type(left, right, dt.date):
        pair = (left, right)
    elif isinstance(left, dt.date | YearMonth) and isinstance(right, dt.date | YearMonth):
        pair = (_month_of(left), _month_of(right))
    else:
        return False
    return bool(_ORDERINGS[op](*pair))


_ORDERINGS: dict[str, Callable[[Any, Any], Any]] = {
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
}


def contains(item: object, collection: object) -> bool:
    """``item in collection``: a value in a list, or a code in a selection."""
    if is_null(item) or is_null(collection):
        return False
    if isinstance(collection, list):
        return any(equals(item, member) for member in collection)
    if isinstance(collection, tuple):
        if isinstance(item, Special):
            return False
        return isinstance(item, str) and item in collection
    return False


def arithmetic(op: str, left: object, right: object) -> object:
    """``+ - * / %`` on numbers, and days added to or between dates.

    Null, specials, texts and any other pairing give null; so do a division by
    zero and a result too large to represent.
    """
    try:
        if is_number(left) and is_number(right):
            return _number_arithmetic(op, left, right)
        if isinstance(left, dt.date) and not isinstance(left, dt.datetime):
            return _date_arithmetic(op, left, right)
        if op == "+" and isinstance(right, dt.date) and is_number(left):
            return _date_arithmetic(op, right, left)
    except _ARITHMETIC_FAILURES:
        return None
    return None


def negate(value: object) -> object:
    """``-value`` for a number; null for anything else."""
    if is_number(value):
        return -value
    return None


def _number_arithmetic(op: str, left: int | float, right: int | float) -> int | float | None:
    if op == "+":
        return left + right
    if op == "-":
        return left - right
    if op == "*":
        return left * right
    if right == 0:
        return None
    if op == "/":
        return left / right
    return left % right


def _date_arithmetic(op: str, day: dt.date, other: object) -> object:
    if is_number(other) and op in ("+", "-"):
        if not math.isfinite(other):
            return None
        days = dt.timedelta(days=other)
        return day + days if op == "+" else day - days
    if op == "-" and isinstance(other, dt.date):
        return (day - other).days
    return None


def _same_type(left: object, right: object, kind: type) -> bool:
    return isinstance(left, kind) and isinstance(right, kind)


def _month_of(value: dt.date | YearMonth) -> YearMonth:
    return value if isinstance(value, YearMonth) else YearMonth.of(value)
