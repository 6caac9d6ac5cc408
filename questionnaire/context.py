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
from functools import lru_cache
from typing import Final

from questionnaire.expressions import parse_expression
from questionnaire.expressions.compile import compile_text, is_true_text
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


@dataclass(frozen=True)
class SurveyNames:
    """What each name of a questionnaire stands for, built once per definition."""

    #: Repeat name -> its section.
    repeats: dict[str, Section]
    #: Question inside a repeat -> the repeat's name.
    members: dict[str, str]
    #: Calculation name -> its expression.
    calculations: dict[str, str]
    #: Every question name.
    questions: frozenset[str]
    #: How :meth:`AnswerScope.lookup` resolves each name, in its order of
    #: precedence (``value``, ``index`` and the context names are left out):
    #: a calculation, a question of a repeat (the repeat's name), a question,
    #: or a repeat.
    kinds: dict[str, str | _Kind]
    #: Expression text -> the names it reads, calculations expanded (filled on use).
    reads: dict[str | None, frozenset[str]] = field(default_factory=dict)


class _Kind:
    """What a name stands for in :attr:`SurveyNames.kinds` (besides a repeat's name)."""

    def __init__(self, label: str) -> None:
        self.label = label

    def __repr__(self) -> str:
        return self.label


_CALCULATION: Final = _Kind("calculation")
_QUESTION: Final = _Kind("question")
_REPEAT: Final = _Kind("repeat")

_NAMES_CACHE_SIZE: Final = 64
_names_by_survey: dict[int, tuple[Survey, SurveyNames]] = {}


def survey_names(survey: Survey) -> SurveyNames:
    """The names of ``survey``, kept while the definition is in use (it is frozen)."""
    found = _names_by_survey.get(id(survey))
    if found is not None and found[0] is survey:
        return found[1]
    repeats: dict[str, Section] = {}
    members: dict[str, str] = {}
    for section in survey.sections:
        if section.repeat is not None:
            repeats[section.repeat.name] = section
            for q in section.questions:
                members[q.name] = section.repeat.name
    calculations = {c.name: c.expression for c in survey.calculations}
    questions = frozenset(q.name for q in survey.questions())
    kinds: dict[str, str | _Kind] = dict.fromkeys(repeats, _REPEAT)
    kinds.update(dict.fromkeys(questions, _QUESTION))
    kinds.update(members)
    kinds.update(dict.fromkeys(calculations, _CALCULATION))
    for name in ("value", "index"):
        kinds.pop(name, None)
    names = SurveyNames(repeats, members, calculations, questions, kinds)
    if len(_names_by_survey) >= _NAMES_CACHE_SIZE:
        _names_by_survey.clear()
    _names_by_survey[id(survey)] = (survey, names)
    return names


@lru_cache(maxsize=4096)
def expression_names(text: str | None) -> frozenset[str]:
    """The names an expression reads (empty for a missing expression)."""
    if text is None:
        return frozenset()
    return parse_expression(text).references()


def read_names(survey: Survey, text: str | None) -> frozenset[str]:
    """The names an expression reads, with calculations replaced by what they read.

    Kept per definition and text (definitions are frozen).
    """
    names = survey_names(survey)
    found = names.reads.get(text)
    if found is None:
        found = names.reads[text] = _read_names(names.calculations, text)
    return found


def _read_names(calculations: dict[str, str], text: str | None) -> frozenset[str]:
    names: set[str] = set()
    todo = list(expression_names(text))
    while todo:
        name = todo.pop()
        if name in names:
            continue
        names.add(name)
        if name in calculations:
            todo.extend(expression_names(calculations[name]))
    return frozenset(names)


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
        if kind is _QUESTION:
            value = self._answers.get(name)
            return None if value is SKIPPED else value
        if kind is None:
            return self._special_name(name)
        if kind is _CALCULATION:
            return self._calculation(name)
        if kind is _REPEAT:
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
