"""What expressions see: one respondent's answers, the run's context, one instance.

:class:`RunContext` holds what is known about a conversation besides its
answers (when it started, on which channel, in which language).
:class:`AnswerScope` implements :class:`questionnaire.expressions.Scope`: it
resolves names in expressions to values, evaluating calculations on demand,
and opens one scope per instance of a repeat.
"""

from __future__ import annotations

import calendar
import datetime as dt
import math
from dataclasses import dataclass, field
from typing import Final

from questionnaire.expressions import evaluate, parse_expression, truthy
from questionnaire.model import Section, Survey
from questionnaire.values import SKIPPED, Answers, YearMonth, answer_path

#: Names every expression may use besides questions and calculations.
CONTEXT_NAMES: Final = frozenset(
    {"today", "reference_date", "reference_month", "language", "channel", "value", "index"}
)

_UNSET: Final = object()


def months_before(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` months earlier, clamped to the month's end.

    >>> months_before(dt.date(2026, 3, 31), 1)
    datetime.date(2026, 2, 28)
    """
    total = day.year * 12 + (day.month - 1) - months
    year, month0 = divmod(total, 12)
    last = calendar.monthrange(year, month0 + 1)[1]
    return dt.date(year, month0 + 1, min(day.day, last))


@dataclass(frozen=True)
class RunContext:
    """Facts about one conversation that expressions and labels may use."""

    #: Day the response was started: anchors the reference period.
    started_on: dt.date
    #: ``"web"`` or ``"telegram"``.
    channel: str = "web"
    #: Language the respondent reads, one of the survey's languages.
    language: str = "fr"
    #: Today's date; defaults to ``started_on`` (tests and simulations fix it).
    today: dt.date | None = None

    def current_day(self) -> dt.date:
        return self.today if self.today is not None else self.started_on

    def reference_date(self, survey: Survey) -> dt.date | None:
        """Start of the reference period ("since 12 March 2025"), if any."""
        if survey.reference_period_months is None:
            return None
        return months_before(self.started_on, survey.reference_period_months)

    def allows_sensitive(self) -> bool:
        """Sensitive questions are asked on the web only (behind the quick exit)."""
        return self.channel == "web"


@dataclass
class _Shared:
    """State shared by a top scope and the instance scopes opened from it."""

    survey: Survey
    answers: Answers
    ctx: RunContext
    repeats: dict[str, Section] = field(default_factory=dict)
    members: dict[str, str] = field(default_factory=dict)  # question -> repeat
    calculations: dict[str, str] = field(default_factory=dict)
    calc_cache: dict[str, object] = field(default_factory=dict)
    calc_active: set[str] = field(default_factory=set)


class AnswerScope:
    """Names -> values for one respondent, optionally inside one repeat instance."""

    def __init__(
        self,
        survey: Survey,
        answers: Answers,
        ctx: RunContext,
        *,
        _shared: _Shared | None = None,
        _repeat: str | None = None,
        _index: int | None = None,
        _value: object = _UNSET,
    ) -> None:
        if _shared is None:
            _shared = _Shared(survey, answers, ctx)
            for section in survey.sections:
                if section.repeat is not None:
                    _shared.repeats[section.repeat.name] = section
                    for q in section.questions:
                        _shared.members[q.name] = section.repeat.name
            _shared.calculations = {c.name: c.expression for c in survey.calculations}
        self._shared = _shared
        self.repeat = _repeat
        self.index = _index
        self._value = _value

    # -- views -----------------------------------------------------------------

    @property
    def survey(self) -> Survey:
        return self._shared.survey

    @property
    def answers(self) -> Answers:
        return self._shared.answers

    @property
    def ctx(self) -> RunContext:
        return self._shared.ctx

    def with_value(self, value: object) -> AnswerScope:
        """The same scope with ``value`` bound (for constraints)."""
        return AnswerScope(
            self.survey,
            self.answers,
            self.ctx,
            _shared=self._shared,
            _repeat=self.repeat,
            _index=self.index,
            _value=value,
        )

    def in_instance(self, repeat: str, index: int) -> AnswerScope:
        """The scope of instance ``index`` (1-based) of ``repeat``."""
        return AnswerScope(
            self.survey, self.answers, self.ctx, _shared=self._shared, _repeat=repeat, _index=index
        )

    def top(self) -> AnswerScope:
        """The scope outside every repeat."""
        if self.repeat is None and self._value is _UNSET:
            return self
        return AnswerScope(self.survey, self.answers, self.ctx, _shared=self._shared)

    # -- the Scope protocol ----------------------------------------------------

    def lookup(self, name: str) -> object:
        shared = self._shared
        if name == "value":
            if self._value is _UNSET:
                raise KeyError(name)
            return self._value
        if name == "index":
            if self.index is None:
                raise KeyError(name)
            return self.index
        if name in shared.calculations:
            return self._calculation(name)
        repeat = shared.members.get(name)
        if repeat is not None:
            if repeat != self.repeat or self.index is None:
                return None
            return self._answer(answer_path(name, repeat, self.index))
        if self._is_question(name):
            return self._answer(name)
        if name in shared.repeats:
            return None
        return self._context(name)

    def is_repeat(self, name: str) -> bool:
        return name in self._shared.repeats

    def instances(self, repeat: str) -> list[AnswerScope]:
        section = self._shared.repeats.get(repeat)
        if section is None:
            raise KeyError(repeat)
        n = instance_count(section, self.top())
        return [self.in_instance(repeat, i) for i in range(1, n + 1)]

    # -- helpers ---------------------------------------------------------------

    def is_true(self, expression: str | None) -> bool:
        """Whether an expression holds here; a missing expression holds."""
        if expression is None:
            return True
        return truthy(evaluate(parse_expression(expression), self))

    def _answer(self, path: str) -> object:
        value = self.answers.get(path)
        return None if value is SKIPPED else value

    def _is_question(self, name: str) -> bool:
        return self.survey.has_question(name)

    def _calculation(self, name: str) -> object:
        shared = self._shared
        if name in shared.calc_cache:
            return shared.calc_cache[name]
        if name in shared.calc_active:  # a cycle; the loader rejects these
            return None
        shared.calc_active.add(name)
        try:
            result = evaluate(parse_expression(shared.calculations[name]), self.top())
        finally:
            shared.calc_active.discard(name)
        shared.calc_cache[name] = result
        return result

    def _context(self, name: str) -> object:
        ctx, survey = self.ctx, self.survey
        if name == "today":
            return ctx.current_day()
        if name == "reference_date":
            return ctx.reference_date(survey)
        if name == "reference_month":
            ref = ctx.reference_date(survey)
            return None if ref is None else YearMonth.of(ref)
        if name == "language":
            return ctx.language
        if name == "channel":
            return ctx.channel
        raise KeyError(name)


def another_path(repeat: str, index: int) -> str:
    """Path of the generated "another one?" question ending an instance."""
    return answer_path("another", repeat, index)


def instance_count(section: Section, scope: AnswerScope) -> int:
    """How many instances of a repeat section apply, given the answers so far.

    Count-driven repeats: ``min(count, max)`` (0 when the count is null or the
    section is not relevant). "Another one?" repeats: the first instance, plus
    one for each consecutive "yes" to the question that ends an instance.
    """
    repeat = section.repeat
    if repeat is None:
        return 1
    if not scope.is_true(section.relevant):
        return 0
    if repeat.count is not None:
        raw = evaluate(parse_expression(repeat.count), scope)
        if isinstance(raw, bool) or not isinstance(raw, int | float) or not math.isfinite(raw):
            return 0
        return max(0, min(int(raw), repeat.max))
    n = 1
    while n < repeat.max and scope.answers.get(another_path(repeat.name, n)) == "yes":
        n += 1
    return n
