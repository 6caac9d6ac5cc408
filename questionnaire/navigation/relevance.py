"""Deciding which slots apply for one respondent's answers, evaluating each condition once.

A :class:`Relevance` answers "does this slot apply?" for one set of answers
and remembers the result of every condition (``relevant`` of a question in
one instance, of a section) and every repeat's instance count.

Navigation functions are stateless, but a channel calls several of them on
the same answers in one turn (prune, the next slot, progress, eligibility),
and the next turn's answers differ by one path. :func:`relevance_for` keeps
the Relevance of the last few answer sets of each thread, so that

- the same answers (same paths, equal values of the same types) get the same
  Relevance, and
- answers that differ from recent ones in a few paths get a new Relevance
  that takes over, when first asked for them, the earlier results that the
  changed answers cannot affect: those whose expression reads none of the
  changed questions (directly, through calculations, or through a repeat's
  instances). Repeat counts are taken over likewise.

Only these truth values and counts are shared: every Relevance has a scope
of its own (a copy of the answers), with its own calculations.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Final, NamedTuple

from questionnaire.answers.names import read_names, survey_names
from questionnaire.answers.run_context import RunContext
from questionnaire.answers.scope import AnswerScope, instance_count
from questionnaire.definition.model import Section, Survey
from questionnaire.definition.slots import Slot
from questionnaire.definition.values import Answers, split_path
from questionnaire.expressions.compile import is_true_text

#: An expression to test, and where: ``(text, repeat, index)``, or the top scope
#: when ``repeat`` and ``index`` are ``None``.
Test = tuple[str, str | None, int | None]


class SlotRule(NamedTuple):
    """What deciding whether one slot applies needs, worked out once per slot."""

    slot: Slot
    path: str
    #: Sensitive (its own flag or its section's): shown only where allowed.
    hidden: bool
    #: The section's ``relevant`` (top scope), if any.
    section_test: Test | None
    #: The question's ``relevant`` (in the slot's instance scope), if any.
    question_test: Test | None
    #: Neither hidden nor tested: the slot applies wherever its instance exists.
    unconditional: bool


def slot_rule(slot: Slot) -> SlotRule:
    """The rule deciding whether ``slot`` applies."""
    section, question = slot.section, slot.question
    hidden = section.sensitive or question.sensitive
    section_test = None if section.relevant is None else (section.relevant, None, None)
    question_test = (
        None if question.relevant is None else (question.relevant, slot.repeat, slot.index)
    )
    unconditional = not hidden and section_test is None and question_test is None
    return SlotRule(slot, slot.path, hidden, section_test, question_test, unconditional)


@dataclass
class _Earlier:
    """Results for other answers, and what may differ from them."""

    results: dict[Test, bool]
    counts: dict[int, int]
    #: Names whose values may differ (see :func:`changed_names`).
    changed: set[str]
    #: Repeats whose instance count may differ.
    recounted: set[str]
    #: Expression text -> whether it reads none of ``changed``.
    unaffected: dict[str, bool]


class Relevance:
    """Decides which slots apply for one respondent's answers, remembering results.

    The answers do not change while a Relevance is in use, so the result of
    an expression in one scope is computed once: a section's ``relevant`` is
    read once for all its questions, and questions sharing a condition in one
    instance share its result.
    """

    def __init__(self, scope: AnswerScope) -> None:
        self.scope = scope.top()
        self._results: dict[Test, bool] = {}
        self._counts: dict[int, int] = {}  # by id(section)
        self._shows_sensitive = self.scope.ctx.allows_sensitive()
        self._earlier: _Earlier | None = None
        self._reads = survey_names(self.scope.survey).reads

    @property
    def takes_over(self) -> bool:
        """Whether results for other answers are taken over (see :func:`relevance_for`)."""
        return self._earlier is not None

    def instances(self, section: Section) -> int:
        """How many instances of a (repeat) section apply (see ``instance_count``)."""
        found = self._counts.get(id(section))
        if found is None:
            found = self._taken_count(section)
            if found is None:
                found = instance_count(section, self.scope)
            self._counts[id(section)] = found
        return found

    def holds(self, expression: str | None, repeat: str | None, index: int | None) -> bool:
        """Whether ``expression`` holds in the top scope or in instance ``index`` of ``repeat``."""
        if expression is None:
            return True
        test = (expression, repeat, index)
        found = self._results.get(test)
        return self._evaluate(test) if found is None else found

    def applies(self, slot: Slot) -> bool:
        """Whether ``slot`` applies (its instance is assumed to exist)."""
        return self.follows(slot_rule(slot))

    def follows(self, rule: SlotRule) -> bool:
        """Whether the slot of ``rule`` applies (its instance is assumed to exist)."""
        if rule.hidden and not self._shows_sensitive:
            return False
        results = self._results
        test = rule.section_test
        if test is not None:
            found = results.get(test)
            if not (self._evaluate(test) if found is None else found):
                return False
        test = rule.question_test
        if test is None:
            return True
        found = results.get(test)
        return self._evaluate(test) if found is None else found

    def take_over(self, earlier: Relevance, changed_paths: set[str]) -> None:
        """Use the results of ``earlier`` that the answers at ``changed_paths`` cannot affect.

        ``earlier`` is for the same questionnaire and context, with answers
        that differ from this one's only at ``changed_paths``. Results are
        taken when first asked for.
        """
        names, recounted = changed_names(self.scope.survey, changed_paths)
        self._earlier = _Earlier(earlier._results, earlier._counts, names, recounted, {})

    def _evaluate(self, test: Test) -> bool:
        found = self._taken_result(test)
        if found is None:
            expression, repeat, index = test
            scope = self.scope
            if repeat is not None and index is not None:
                scope = scope.in_instance(repeat, index)
            found = is_true_text(expression, scope)
        self._results[test] = found
        return found

    def _taken_result(self, test: Test) -> bool | None:
        earlier = self._earlier
        if earlier is None:
            return None
        found = earlier.results.get(test)
        if found is None:
            return None
        text = test[0]
        unaffected = earlier.unaffected.get(text)
        if unaffected is None:
            reads = self._reads.get(text) or read_names(self.scope.survey, text)
            unaffected = earlier.unaffected[text] = earlier.changed.isdisjoint(reads)
        return found if unaffected else None

    def _taken_count(self, section: Section) -> int | None:
        earlier = self._earlier
        if earlier is None or section.repeat is None or section.repeat.name in earlier.recounted:
            return None
        return earlier.counts.get(id(section))


def changed_names(survey: Survey, paths: set[str]) -> tuple[set[str], set[str]]:
    """What may differ when the answers at ``paths`` differ: ``(names, recounted)``.

    ``names`` are the names whose values may differ: each question's name and,
    for a path inside a repeat, the repeat's name (its instances are read by
    ``count`` and ``sum``). ``recounted`` are the repeats whose instance count
    may differ: their "another one?" answer changed, or their count or
    section relevance reads a name that may differ. A recounted repeat's name
    may differ in turn.
    """
    names: set[str] = set()
    recounted: set[str] = set()
    for path in paths:
        try:
            within, _, name = split_path(path)
        except ValueError:  # not an answer path: nothing reads it
            continue
        names.add(name)
        if within is not None:
            names.add(within)
            if name == "another":
                recounted.add(within)
    counted = [
        (s.repeat.name, read_names(survey, s.repeat.count) | read_names(survey, s.relevant))
        for s in survey.sections
        if s.repeat is not None
    ]
    grown = True
    while grown:
        grown = False
        for name, reads in counted:
            if name not in recounted and not names.isdisjoint(reads):
                recounted.add(name)
                grown = True
        if not recounted <= names:
            names |= recounted
            grown = True
    return names, recounted


#: Answer sets whose :class:`Relevance` each thread keeps (the oldest goes first).
RECENT_ANSWER_SETS: Final = 8
#: A kept Relevance is taken over for answers that differ in at most this many paths.
TAKEN_OVER_CHANGES: Final = 4


class _Kept(NamedTuple):
    survey: Survey
    ctx: RunContext
    items: tuple[tuple[str, object], ...]
    types: tuple[type, ...]
    relevance: Relevance


_recent = threading.local()
_MISSING: Final = object()


def relevance_for(survey: Survey, answers: Answers, ctx: RunContext) -> Relevance:
    """A :class:`Relevance` for ``answers``, sharing what was evaluated for recent answers.

    The same Relevance for the same questionnaire, context and answers (the
    same paths holding equal values of the same types, which decide the same
    way); one that takes over results for answers that differ from recent
    ones in at most :data:`TAKEN_OVER_CHANGES` paths. Its scope reads a copy
    of ``answers``: changing the caller's dict afterwards changes nothing.
    """
    items = tuple(answers.items())
    kept = _kept_here()
    for one in reversed(kept):
        if (
            one.survey is survey
            and len(one.items) == len(items)
            and one.items == items
            and one.types == tuple(map(type, answers.values()))
            and (one.ctx is ctx or one.ctx == ctx)
        ):
            return one.relevance
    types = tuple(map(type, answers.values()))
    relevance = Relevance(AnswerScope(survey, dict(answers), ctx))
    for one in reversed(kept):
        if one.survey is survey and (one.ctx is ctx or one.ctx == ctx):
            changed = changed_paths(one.relevance.scope.answers, answers, TAKEN_OVER_CHANGES)
            if changed is not None:
                relevance.take_over(one.relevance, changed)
                break
    if len(kept) >= RECENT_ANSWER_SETS:
        del kept[0]
    kept.append(_Kept(survey, ctx, items, types, relevance))
    return relevance


def changed_paths(before: Answers, after: Answers, limit: int) -> set[str] | None:
    """Paths whose value differs (in type, or unequal) or is on one side only.

    ``None`` when more than ``limit`` paths differ.
    """
    if abs(len(before) - len(after)) > limit:
        return None
    changed: set[str] = set()
    for path, value in after.items():
        old = before.get(path, _MISSING)
        if old is not value and (type(old) is not type(value) or old != value):
            changed.add(path)
            if len(changed) > limit:
                return None
    changed.update(path for path in before if path not in after)
    return None if len(changed) > limit else changed


def _kept_here() -> list[_Kept]:
    """This thread's kept answer sets, oldest first."""
    try:
        kept: list[_Kept] = _recent.kept
    except AttributeError:
        kept = _recent.kept = []
    return kept
