"""The bounds of a question (``min``, ``max``) as values, for one respondent.

Numbers are taken as written. For dates and months a bound is an ISO date
(``"2024-01-01"``) or an expression over the respondent's answers and the
context (``reference_date``, ``today``, ``date('2024-01-01')``), evaluated in
the slot's scope; a bound that evaluates to null does not apply.
"""

from __future__ import annotations

import calendar
import datetime as dt
import math
from functools import lru_cache
from typing import TYPE_CHECKING, Final

from questionnaire.definition.model import Question, QuestionType
from questionnaire.definition.values import YearMonth
from questionnaire.expressions import Expr, evaluate, parse_expression

if TYPE_CHECKING:
    from questionnaire.answers.scope import AnswerScope

#: A rating scale without bounds runs from 1 to 5.
DEFAULT_RATING_RANGE: Final = (1, 5)

#: A bound once evaluated: a number, a day, a month, or ``None`` (no bound).
Bound = int | float | dt.date | YearMonth | None


@lru_cache(maxsize=512)
def parsed_expression(text: str) -> Expr:
    """``parse_expression`` once per distinct text (raises ``ExpressionError``)."""
    return parse_expression(text)


def _raw_bound(bound: int | float | str | None, scope: AnswerScope) -> object:
    if bound is None or isinstance(bound, bool):
        return None
    if isinstance(bound, int | float):
        return bound
    text = bound.strip()
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        pass
    return evaluate(parsed_expression(text), scope)


def _as_number(value: object) -> int | float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return value if math.isfinite(value) else None


def _as_day(value: object, *, upper: bool) -> dt.date | None:
    if isinstance(value, YearMonth):
        if not upper:
            return value.first_day()
        return dt.date(value.year, value.month, calendar.monthrange(value.year, value.month)[1])
    if isinstance(value, dt.datetime):
        return value.date()
    return value if isinstance(value, dt.date) else None


def _as_month(value: object) -> YearMonth | None:
    if isinstance(value, YearMonth):
        return value
    day = _as_day(value, upper=False)
    return None if day is None else YearMonth.of(day)


def question_bounds(question: Question, scope: AnswerScope) -> tuple[Bound, Bound]:
    """``(min, max)`` of the question for the respondent of ``scope``.

    Dates give days, year_month questions give months (a month is within a
    bound when it contains the bound's day), numbers give numbers; ratings
    default to 1..5. Raises ``ExpressionError`` only for a bound that is not a
    valid expression (the loader reports those first).
    """
    low = _raw_bound(question.min, scope)
    high = _raw_bound(question.max, scope)
    if question.type == QuestionType.DATE:
        return _as_day(low, upper=False), _as_day(high, upper=True)
    if question.type == QuestionType.YEAR_MONTH:
        return _as_month(low), _as_month(high)
    if question.type == QuestionType.RATING:
        default_low, default_high = DEFAULT_RATING_RANGE
        low_n, high_n = _as_number(low), _as_number(high)
        return (
            default_low if low_n is None else low_n,
            default_high if high_n is None else high_n,
        )
    return _as_number(low), _as_number(high)
