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

from questionnaire.answers.names import read_names
from questionnaire.answers.run_context import RunContext
from questionnaire.answers.scope import another_path
from questionnaire.definition.model import Eligibility, Survey
from questionnaire.definition.values import Answers
from questionnaire.expressions.compile import is_true_text
from questionnaire.navigation.applicability import (
    Relevance,
    SlotRule,
    instance_rules,
    relevance_for,
    rule_groups,
)
from questionnaire.navigation.status import ResponseStatus

__all__ = [
    "OpenQuestions",
    "has_open_slot",
    "has_open_slot_with",
    "open_questions",
    "open_questions_with",
    "progress",
    "screened_out",
    "screened_out_with",
    "status",
]


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


def open_questions(survey: Survey, answers: Answers, ctx: RunContext) -> OpenQuestions:
    """Count answered and to-come slots, and name the open questions, in one pass."""
    return open_questions_with(survey, relevance_for(survey, answers, ctx))


def open_questions_with(survey: Survey, relevance: Relevance) -> OpenQuestions:
    """Like :func:`open_questions`, for the answers ``relevance`` reads (sharing its results)."""
    scope = relevance.scope
    result = OpenQuestions()
    for section in survey.sections:
        section_open = not relevance.holds(section.relevant, None, None) and _reads_open(
            survey, section.relevant, result.names
        )
        repeat = section.repeat
        if repeat is None:
            _settle(survey, relevance, instance_rules(section), section_open, result)
            continue
        count = relevance.instances(section)
        for index in range(1, count + 1):
            _settle(survey, relevance, instance_rules(section, index), section_open, result)
        more = section_open or _reads_open(survey, repeat.count, result.names)
        if repeat.another is not None and 1 <= count < repeat.max:
            more = more or another_path(repeat.name, count) not in scope.answers
        if more:
            for index in range(count + 1, repeat.max + 1):
                _settle(survey, relevance, instance_rules(section, index), True, result)
            result.names.add(repeat.name)
    return result


def _settle(
    survey: Survey,
    relevance: Relevance,
    rules: Iterable[SlotRule],
    undecided: bool,
    result: OpenQuestions,
) -> None:
    """Classify slots: answered, to come (applies or undecided), or settled out."""
    shows_sensitive = relevance.scope.ctx.allows_sensitive()
    answers = relevance.scope.answers
    for rule in rules:
        slot = rule.slot
        if not slot.answerable or (rule.hidden and not shows_sensitive):
            continue
        if undecided:
            applies, is_open = False, True
        else:
            applies = relevance.follows(rule)
            is_open = not applies and _reads_open(survey, slot.question.relevant, result.names)
        if applies and rule.path in answers:
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
    return screened_out_with(survey, relevance_for(survey, answers, ctx))


def screened_out_with(survey: Survey, relevance: Relevance) -> Eligibility | None:
    """Like :func:`screened_out`, for the answers ``relevance`` reads (sharing its results)."""
    scope = relevance.scope
    failing = [rule for rule in survey.eligibility if not is_true_text(rule.expression, scope)]
    if not failing:
        return None
    open_names = open_questions_with(survey, relevance).names
    for rule in failing:
        if not _reads_open(survey, rule.expression, open_names):
            return rule
    return None


def status(survey: Survey, answers: Answers, ctx: RunContext) -> ResponseStatus:
    """``screened_out`` if a rule failed, ``completed`` if no slot is left, else ``in_progress``."""
    relevance = relevance_for(survey, answers, ctx)
    if screened_out_with(survey, relevance) is not None:
        return ResponseStatus.SCREENED_OUT
    if has_open_slot_with(survey, relevance):
        return ResponseStatus.IN_PROGRESS
    return ResponseStatus.COMPLETED


def has_open_slot(survey: Survey, answers: Answers, ctx: RunContext) -> bool:
    """Whether an applicable answerable slot has no answer yet."""
    return has_open_slot_with(survey, relevance_for(survey, answers, ctx))


def has_open_slot_with(survey: Survey, relevance: Relevance) -> bool:
    """Like :func:`has_open_slot`, for the answers ``relevance`` reads."""
    answers = relevance.scope.answers
    return any(
        rule.path not in answers and relevance.follows(rule)
        for group in rule_groups(survey, relevance, answerable=True)
        for rule in group
    )
