"""Declared indicators, evaluated for one respondent or for many.

An indicator (:class:`questionnaire.definition.model.Indicator`) is published as
``weighted sum(numerator) / weighted sum(denominator)``. Here each
respondent's numerator and denominator are computed with the expression
engine in the top scope:

- ``true``/``false`` count as 1/0, numbers as themselves;
- a denominator that is null or 0 puts the respondent outside the
  indicator's population: the pair is ``(None, None)``;
- inside the population, a null numerator counts as 0 (e.g. a count of
  incidents when there were none to describe);
- any other kind of result (a text, a date) is an :class:`IndicatorError`:
  the loader's type checks should have caught it.

The analysis loader calls :func:`indicator_table` for many respondents; it
parses each expression once and returns plain lists (``None`` for "outside"),
which ``numpy.array(column, dtype=float)`` turns into NaN.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field

from questionnaire.answers.run_context import RunContext
from questionnaire.answers.scope import AnswerScope
from questionnaire.definition.model import Indicator, Survey
from questionnaire.definition.values import SKIPPED, Answers, Special
from questionnaire.expressions import Expr, evaluate, parse_expression

#: One respondent's (numerator, denominator) for one indicator.
IndicatorPair = tuple[float | None, float | None]


class IndicatorError(Exception):
    """An indicator expression gave something that is not a number.

    ``code`` is ``"not_a_number"``; ``indicator`` names the indicator and
    ``part`` says which expression (``numerator`` or ``denominator``).
    """

    def __init__(self, code: str, indicator: str, part: str, message: str) -> None:
        super().__init__(code, indicator, part, message)
        self.code = code
        self.indicator = indicator
        self.part = part
        self.message = message

    def __str__(self) -> str:
        return f"{self.indicator} ({self.part}): {self.message} [{self.code}]"


@dataclass(frozen=True)
class ParsedIndicator:
    """An indicator with its two expressions parsed once."""

    indicator: Indicator
    numerator: Expr
    denominator: Expr


@dataclass
class IndicatorColumn:
    """One indicator over many respondents, in the order they were given."""

    numerator: list[float | None] = field(default_factory=list)
    denominator: list[float | None] = field(default_factory=list)


def parse_indicators(survey: Survey) -> list[ParsedIndicator]:
    """Parse every declared indicator's numerator and denominator."""
    return [
        ParsedIndicator(i, parse_expression(i.numerator), parse_expression(i.denominator))
        for i in survey.indicators
    ]


def as_number(value: object, *, indicator: str, part: str) -> float | None:
    """A result of an indicator expression as a float, or None when it is null.

    >>> as_number(True, indicator="x", part="numerator")
    1.0
    """
    if value is None or value is SKIPPED or isinstance(value, Special):
        return None
    if isinstance(value, bool):
        return 1.0 if value else 0.0
    if isinstance(value, int | float):
        number = float(value)
        return number if math.isfinite(number) else None
    raise IndicatorError(
        "not_a_number",
        indicator,
        part,
        f"expected a number or true/false, got {type(value).__name__} {value!r}",
    )


def evaluate_parsed(parsed: ParsedIndicator, scope: AnswerScope) -> IndicatorPair:
    """One respondent's (numerator, denominator) for one parsed indicator."""
    name = parsed.indicator.name
    denominator = as_number(evaluate(parsed.denominator, scope), indicator=name, part="denominator")
    if denominator is None or denominator == 0:
        return (None, None)
    numerator = as_number(evaluate(parsed.numerator, scope), indicator=name, part="numerator")
    return (0.0 if numerator is None else numerator, denominator)


def evaluate_indicators(
    survey: Survey, answers: Answers, ctx: RunContext
) -> dict[str, IndicatorPair]:
    """(numerator, denominator) per declared indicator for one respondent.

    ``(None, None)`` when the respondent is outside the indicator's
    population (null or 0 denominator). Raises :class:`IndicatorError` for a
    result that is not a number.
    """
    scope = AnswerScope(survey, answers, ctx)
    return {p.indicator.name: evaluate_parsed(p, scope) for p in parse_indicators(survey)}


def indicator_table(
    survey: Survey, respondents: Iterable[tuple[Answers, RunContext]]
) -> dict[str, IndicatorColumn]:
    """Numerators and denominators of every indicator for many respondents.

    ``respondents`` yields each respondent's answers and run context; the
    columns keep that order. Expressions are parsed once.
    """
    parsed = parse_indicators(survey)
    table = {p.indicator.name: IndicatorColumn() for p in parsed}
    for answers, ctx in respondents:
        scope = AnswerScope(survey, answers, ctx)
        for p in parsed:
            numerator, denominator = evaluate_parsed(p, scope)
            column = table[p.indicator.name]
            column.numerator.append(numerator)
            column.denominator.append(denominator)
    return table
