"""What expressions see: one respondent's answers, the run's context, one instance.

:class:`AnswerScope` implements :class:`questionnaire.expressions.Scope`: it
resolves names in expressions to values, evaluating calculations on demand,
and opens one scope per instance of a repeat. The run's context is
:mod:`questionnaire.answers.run_context`; what each name stands for,
:mod:`questionnaire.answers.names`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Final

from questionnaire.answers.names import (
    CALCULATION,
    QUESTION,
    REPEAT,
    SurveyNames,
    survey_names,
)
from questionnaire.answers.run_context import RunContext
from questionnaire.definition.model import Section, Survey
from questionnaire.definition.values import SKIPPED, Answers, YearMonth, answer_path
from questionnaire.expressions.compile import compile_text, is_true_text

_UNSET: Final = object()


@dataclass
class _Shared:
    """State shared by a top scope and the instance scopes opened from it."""

    survey: Survey
    answers: Answers
    ctx: RunContext
    names: SurveyNames
    calc_cache: dict[str, object] = field(default_factory=dict)
    calc_active: set[str] = field(default_factory=set)
    context_cache: dict[str, object] = field(default_factory=dict)
    top: AnswerScope | None = None
    instances: dict[tuple[str, int], AnswerScope] = field(default_factory=dict)


class AnswerScope:
    """Names -> values for one respondent, optionally inside one repeat instance.

    The answers are read, never copied: a scope and the scopes opened from it
    (instances, a bound ``value``) share the results of calculations, so the
    answers must not change while they are in use.
    """

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
            _shared = _Shared(survey, answers, ctx, survey_names(survey))
        self._shared = _shared
        self._answers = _shared.answers
        self._kinds = _shared.names.kinds
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
        """The scope of instance ``index`` (1-based) of ``repeat`` (opened once, then kept)."""
        shared = self._shared
        found = shared.instances.get((repeat, index))
        if found is None:
            found = AnswerScope(
                shared.survey,
                shared.answers,
                shared.ctx,
                _shared=shared,
                _repeat=repeat,
                _index=index,
            )
            shared.instances[(repeat, index)] = found
        return found

    def top(self) -> AnswerScope:
        """The scope outside every repeat."""
        if self.repeat is None and self._value is _UNSET:
            return self
        shared = self._shared
        if shared.top is None:
            shared.top = AnswerScope(shared.survey, shared.answers, shared.ctx, _shared=shared)
        return shared.top

    # -- the Scope protocol ----------------------------------------------------

    def lookup(self, name: str) -> object:
        kind = self._kinds.get(name)
        if kind is QUESTION:
            value = self._answers.get(name)
            return None if value is SKIPPED else value
        if kind is None:
            return self._special_name(name)
        if kind is CALCULATION:
            return self._calculation(name)
        if kind is REPEAT:
            return None
        # A question of repeat ``kind``: this instance's answer, if in one.
        if kind != self.repeat or self.index is None:
            return None
        value = self._answers.get(f"{kind}[{self.index}].{name}")
        return None if value is SKIPPED else value

    def _special_name(self, name: str) -> object:
        """``value``, ``index`` or a context name (``KeyError`` for any other)."""
        if name == "value":
            if self._value is _UNSET:
                raise KeyError(name)
            return self._value
        if name == "index":
            if self.index is None:
                raise KeyError(name)
            return self.index
        cache = self._shared.context_cache
        found = cache.get(name, _UNSET)
        if found is _UNSET:
            found = cache[name] = self._context(name)
        return found

    def is_repeat(self, name: str) -> bool:
        return name in self._shared.names.repeats

    def instances(self, repeat: str) -> list[AnswerScope]:
        section = self._shared.names.repeats.get(repeat)
        if section is None:
            raise KeyError(repeat)
        n = instance_count(section, self.top())
        return [self.in_instance(repeat, i) for i in range(1, n + 1)]

    # -- helpers ---------------------------------------------------------------

    def is_true(self, expression: str | None) -> bool:
        """Whether an expression holds here; a missing expression holds."""
        if expression is None:
            return True
        return is_true_text(expression, self)

    def _calculation(self, name: str) -> object:
        shared = self._shared
        if name in shared.calc_cache:
            return shared.calc_cache[name]
        if name in shared.calc_active:  # a cycle; the loader rejects these
            return None
        shared.calc_active.add(name)
        try:
            result = compile_text(shared.names.calculations[name])(self.top())
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
        raw = compile_text(repeat.count)(scope)
        if isinstance(raw, bool) or not isinstance(raw, int | float) or not math.isfinite(raw):
            return 0
        return max(0, min(int(raw), repeat.max))
    n = 1
    while n < repeat.max and scope.answers.get(another_path(repeat.name, n)) == "yes":
        n += 1
    return n
