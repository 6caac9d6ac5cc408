"""How far a respondent is, whether they are screened out, and the response's status.

Progress and eligibility need to know which questions are still *open*: a
question is open when one of its slots applies and has no answer yet, or when
whether it applies cannot be decided yet because its relevance (or its
section's, or its repeat's instance count) reads an open question. Relevance
only refers to earlier questions (the loader rejects forward references), so
one pass in definition order settles everything.

Repeat instances that may still come (a count that reads an open question,
or an "another one?" not answered yet) count as to come, up to the repeat's
``max``: the estimate is pessimistic, so progress never goes backwards on a
forward walk (it jumps ahead when a count turns out small).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Literal

from questionnaire.applicability import Relevance, iter_slots_in_scope, section_slots
from questionnaire.context import AnswerScope, RunContext, another_path, instance_count
from questionnaire.expressions import evaluate, parse_expression, truthy
from questionnaire.model import Eligibility, Section, Survey
from questionnaire.slots import Slot
from questionnaire.values import Answers

Status = Literal["in_progress", "completed", "screened_out"]


@lru_cache(maxsize=4096)
def expression_names(text: str | None) -> frozenset[str]:
    """The names an expression reads (empty for a missing expression)."""
    if text is None:
        return frozenset()
    return parse_expression(text).references()


def read_names(survey: Survey, text: str | None) -> frozenset[str]:
    """The names an expression reads, with calculations replaced by what they read."""
    calculations = {c.name: c.expression for c in survey.calculations}
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
class OpenQuestions:
    """The outcome of one pass over a respondent's slots."""

    #: Answerable slots that apply and have an answer.
    answered: int = 0
    #: Answerable slots that apply without an answer, or may still apply.
    to_come: int = 0
    #: Question and repeat names that are still open.
    names: set[str] = field(default_factory=set)


def _reads_open(survey: Survey, text: str | None, open_names: set[str]) -> bool:
    return not open_names.isdisjoint(read_names(survey, text))


def _shown(section: Section, sensitive: bool, ctx: RunContext) -> bool:
    return ctx.allows_sensitive() or not (section.sensitive or sensitive)


def open_questions(survey: Survey, answers: Answers, ctx: RunContext) -> OpenQuestions:
    """Count answered and to-come slots, and name the open questions, in one pass."""
    scope = AnswerScope(survey, answers, ctx)
    relevance = Relevance(scope)
    result = OpenQuestions()
    for section in survey.sections:
        section_open = not scope.is_true(section.relevant) and _reads_open(
            survey, section.relevant, result.names
        )
        repeat = section.repeat
        if repeat is None:
            _settle(survey, relevance, section_slots(section), section_open, result)
            continue
        count = instance_count(section, scope)
        for index in range(1, count + 1):
            _settle(survey, relevance, section_slots(section, index), section_open, result)
        more = section_open or _reads_open(survey, repeat.count, result.names)
        if repeat.another is not None and 1 <= count < repeat.max:
            more = more or another_path(repeat.name, count) not in answers
        if more:
            for index in range(count + 1, repeat.max + 1):
                _settle(survey, relevance, section_slots(section, index), True, result)
            result.names.add(repeat.name)
    return result


def _settle(
    survey: Survey,
    relevance: Relevance,
    slots: Iterable[Slot],
    undecided: bool,
    result: OpenQuestions,
) -> None:
    """Classify slots: answered, to come (applies or undecided), or settled out."""
    for slot in slots:
        ctx = relevance.scope.ctx
        if not slot.answerable or not _shown(slot.section, slot.question.sensitive, ctx):
            continue
        if undecided:
            applies, is_open = False, True
        else:
            applies = relevance.applies(slot)
            is_open = not applies and _reads_open(survey, slot.question.relevant, result.names)
        if applies and slot.path in relevance.scope.answers:
            result.answered += 1
            continue
        if applies or is_open:
            result.to_come += 1
            result.names.add(slot.question.name)
            if slot.repeat is not None:
                result.names.add(slot.repeat)


def progress(survey: Survey, answers: Answers, ctx: RunContext) -> float:
    """Fraction in [0, 1] of the questions that apply that are answered.

    A question whose relevance cannot be decided yet (it reads an unanswered
    question) counts as to come; so do repeat instances that may still come.
    1.0 once no question is left.
    """
    counts = open_questions(survey, answers, ctx)
    if counts.to_come == 0:
        return 1.0
    return counts.answered / (counts.answered + counts.to_come)


def screened_out(survey: Survey, answers: Answers, ctx: RunContext) -> Eligibility | None:
    """The first eligibility rule whose references are all answered and which is false.

    A reference is answered when no slot of it is still open (answered,
    skipped, or settled as not applying); calculations count through the
    questions they read. ``None`` while the respondent is eligible so far.
    """
    scope = AnswerScope(survey, answers, ctx)
    failing = [
        rule
        for rule in survey.eligibility
        if not truthy(evaluate(parse_expression(rule.expression), scope))
    ]
    if not failing:
        return None
    open_names = open_questions(survey, answers, ctx).names
    for rule in failing:
        if not _reads_open(survey, rule.expression, open_names):
            return rule
    return None


def status(survey: Survey, answers: Answers, ctx: RunContext) -> Status:
    """``screened_out`` if a rule failed, ``completed`` if no slot is left, else ``in_progress``."""
    if screened_out(survey, answers, ctx) is not None:
        return "screened_out"
    return "in_progress" if has_open_slot(survey, answers, ctx) else "completed"


def has_open_slot(survey: Survey, answers: Answers, ctx: RunContext) -> bool:
    """Whether an applicable answerable slot has no answer yet."""
    scope = AnswerScope(survey, answers, ctx)
    relevance = Relevance(scope)
    return any(
        slot.answerable and slot.path not in answers and relevance.applies(slot)
        for slot in iter_slots_in_scope(survey, scope)
    )
