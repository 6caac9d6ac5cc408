"""Random raw answers, valid for a question's type, for the simulator.

Each function returns what a channel would pass to
:func:`questionnaire.answers.reading.read_answer`: a choice code, a list of codes for
a multiple choice, digits, an ISO date, ``"YYYY-MM"``, some text, or ``""``
to skip. They aim at answers the question accepts (bounds, lengths,
patterns) but do not promise it: constraints over other answers are left to
``read_answer``, and the simulator draws again when an answer is refused.
"""

from __future__ import annotations

import datetime as dt
import random
import re
import string

from questionnaire.answers.reading import RawAnswer
from questionnaire.answers.scope import AnswerScope
from questionnaire.definition.model import Question, QuestionType
from questionnaire.definition.values import YearMonth
from questionnaire.expressions.compile import compile_text
from questionnaire.simulation import regex_sampling

#: Share of draws that skip a question that may be skipped.
SKIP_RATE = 0.06
#: Share of draws that give a special answer when the question offers one.
SPECIAL_RATE = 0.06
#: Share of draws that say "yes" to an "another one?" question.
ANOTHER_YES_RATE = 0.45
#: Span used for dates without bounds, in days.
DEFAULT_DATE_SPAN = 3 * 365

_WORDS = ("rue", "parc", "soir", "voisin", "street", "night", "bus", "quartier", "école", "métro")


def date_bound(bound: int | float | str | None, scope: AnswerScope) -> dt.date | None:
    """A date or year-month bound as a day: an ISO date, or an expression in ``scope``.

    A year-month bound gives its first day; anything else (null, a number)
    gives ``None``.
    """
    if not isinstance(bound, str):
        return None
    try:
        return dt.date.fromisoformat(bound)
    except ValueError:
        pass
    value = compile_text(bound)(scope)
    if isinstance(value, YearMonth):
        return value.first_day()
    if isinstance(value, dt.date):
        return value
    return None


def number_bounds(question: Question, low: float, high: float) -> tuple[float, float]:
    """The question's numeric bounds, with defaults where it gives none."""
    lo = question.min if isinstance(question.min, int | float) else None
    hi = question.max if isinstance(question.max, int | float) else None
    if lo is None:
        lo = min(low, hi) if hi is not None else low
    if hi is None:
        hi = max(high, lo)
    return float(lo), float(hi)


def random_integer(question: Question, rng: random.Random) -> str:
    """An integer within bounds, mostly small (counts of incidents are small)."""
    default_high = 5.0 if question.type == QuestionType.RATING else 30.0
    default_low = 1.0 if question.type == QuestionType.RATING else 0.0
    lo_f, hi_f = number_bounds(question, default_low, default_high)
    lo, hi = int(lo_f) if lo_f == int(lo_f) else int(lo_f) + 1, int(hi_f)
    roll = rng.random()
    if roll < 0.05:
        return str(rng.choice((lo, hi)))
    if roll < 0.4:
        return str(min(hi, lo + rng.randint(0, 3)))
    if roll < 0.65:
        return str(rng.randint(lo, min(hi, lo + 12)))
    return str(rng.randint(lo, hi))


def random_decimal(question: Question, rng: random.Random) -> str:
    """A decimal within bounds, with one digit after the point."""
    lo, hi = number_bounds(question, 0.0, 100.0)
    value = round(rng.uniform(lo, hi), 1)
    return str(min(max(value, lo), hi))


def day_range(question: Question, scope: AnswerScope) -> tuple[dt.date, dt.date]:
    """The days a date or year-month answer may fall on."""
    today = scope.ctx.current_day()
    low, high = date_bound(question.min, scope), date_bound(question.max, scope)
    if high is None:
        high = today if low is None or low <= today else low + dt.timedelta(DEFAULT_DATE_SPAN)
    if low is None:
        low = high - dt.timedelta(DEFAULT_DATE_SPAN)
    return low, high


def random_date(question: Question, scope: AnswerScope, rng: random.Random) -> str:
    """An ISO date within the question's bounds."""
    low, high = day_range(question, scope)
    span = max((high - low).days, 0)
    return (low + dt.timedelta(rng.randint(0, span))).isoformat()


def random_year_month(question: Question, scope: AnswerScope, rng: random.Random) -> str:
    """A ``YYYY-MM`` month that overlaps the question's bounds."""
    low, high = day_range(question, scope)
    first = low.year * 12 + low.month - 1
    last = max(high.year * 12 + high.month - 1, first)
    year, month0 = divmod(rng.randint(first, last), 12)
    return f"{year:04d}-{month0 + 1:02d}"


def random_text(question: Question, rng: random.Random) -> str:
    """Some text within ``max_length`` that matches ``pattern`` when it is simple enough."""
    limit = question.max_length if question.max_length is not None else 80
    if question.pattern is not None:
        sample = regex_sampling.sample_pattern(question.pattern, rng)
        if sample is not None and re.fullmatch(question.pattern, sample):
            return sample[:limit]
        return "".join(rng.choice(string.ascii_uppercase + string.digits) for _ in range(6))
    words = " ".join(rng.choice(_WORDS) for _ in range(rng.randint(1, 6)))
    return words[: max(limit, 1)].strip() or "a"


def random_choices(question: Question, rng: random.Random) -> list[str]:
    """A random selection of a multiple choice: an exclusive choice alone, or some others."""
    exclusive = [c.code for c in question.choices if c.exclusive]
    others = [c.code for c in question.choices if not c.exclusive]
    if exclusive and (not others or rng.random() < 0.2):
        return [rng.choice(exclusive)]
    picked = rng.sample(others, rng.randint(1, min(len(others), 3)))
    return [code for code in others if code in picked]


def random_raw_answer(question: Question, scope: AnswerScope, rng: random.Random) -> RawAnswer:
    """A raw answer to ``question`` as a channel would submit it.

    ``scope`` is the slot's scope (the instance's, inside a repeat), used for
    date bounds written as expressions. Sometimes a special answer when the
    question offers one, sometimes ``""`` when the question may be skipped.
    """
    kind = question.type
    if question.required is not True and rng.random() < SKIP_RATE:
        return ""
    if question.special and rng.random() < SPECIAL_RATE:
        return str(rng.choice(question.special))
    if kind == QuestionType.SINGLE_CHOICE:
        return rng.choice(question.choices).code
    if kind == QuestionType.MULTIPLE_CHOICE:
        return random_choices(question, rng)
    if kind == QuestionType.CONSENT:
        return "yes" if rng.random() < 0.95 else "no"
    if kind == QuestionType.YES_NO:
        yes_rate = ANOTHER_YES_RATE if question.name == "another" else 0.5
        return "yes" if rng.random() < yes_rate else "no"
    if kind in (QuestionType.INTEGER, QuestionType.RATING):
        return random_integer(question, rng)
    if kind == QuestionType.DECIMAL:
        return random_decimal(question, rng)
    if kind == QuestionType.DATE:
        return random_date(question, scope, rng)
    if kind == QuestionType.YEAR_MONTH:
        return random_year_month(question, scope, rng)
    if kind in (QuestionType.TEXT, QuestionType.LONG_TEXT):
        return random_text(question, rng)
    return ""
