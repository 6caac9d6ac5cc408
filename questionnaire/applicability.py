"""Which slots a questionnaire has for one respondent, and which of them apply.

Navigation is stateless: everything here is a function of the questionnaire,
the answers so far and the run's context. A *slot* is one question at one
answer path (:class:`questionnaire.slots.Slot`); a repeat section gives one
slot per question per instance, and an "another one?" repeat ends each
instance with a generated yes/no slot (``incident[2].another``).

A slot *applies* when

- its section is relevant (``section.relevant`` evaluated in the top scope),
- its repeat instance exists (:func:`questionnaire.context.instance_count`),
- its question's ``relevant`` is true in the slot's scope (the instance scope
  inside a repeat), and
- the run may show it: sensitive questions and sections only on channels
  that allow them (:meth:`questionnaire.context.RunContext.allows_sensitive`).
"""

from __future__ import annotations

from collections.abc import Iterator

from questionnaire.context import AnswerScope, RunContext, another_path, instance_count
from questionnaire.model import Section, Survey
from questionnaire.slots import Slot, another_question
from questionnaire.values import Answers, answer_path

#: Identifies one page: the section's name and the repeat instance (or None).
PageKey = tuple[str, int | None]


def page_key(slot: Slot) -> PageKey:
    """The section instance a slot belongs to (one web page, one chat heading)."""
    return (slot.section.name, slot.index)


def section_slots(section: Section, index: int | None = None) -> Iterator[Slot]:
    """The slots of one section, or of one instance of a repeat section.

    An "another one?" repeat ends each instance but the last possible one
    (``index == repeat.max``) with the generated ``another`` slot: a "yes"
    there could not open a new instance.
    """
    repeat = section.repeat
    if repeat is None or index is None:
        for question in section.questions:
            yield Slot(question.name, question, section)
        return
    for question in section.questions:
        path = answer_path(question.name, repeat.name, index)
        yield Slot(path, question, section, repeat.name, index)
    if repeat.another is not None and index < repeat.max:
        yield Slot(
            another_path(repeat.name, index), another_question(repeat), section, repeat.name, index
        )


def iter_slots_in_scope(survey: Survey, scope: AnswerScope) -> Iterator[Slot]:
    """Like :func:`iter_slots`, reusing an existing top scope of the same answers."""
    for section in survey.sections:
        if section.repeat is None:
            yield from section_slots(section)
            continue
        for index in range(1, instance_count(section, scope) + 1):
            yield from section_slots(section, index)


def iter_slots(survey: Survey, answers: Answers, ctx: RunContext) -> Iterator[Slot]:
    """Every slot in definition order, given the current instance counts.

    No relevance filter: a skipped section or question still yields its
    slots; repeat sections yield their instances in order (none when the
    section is not relevant or its count is null).
    """
    yield from iter_slots_in_scope(survey, AnswerScope(survey, answers, ctx))


def slot_scope(scope: AnswerScope, slot: Slot) -> AnswerScope:
    """The scope a slot's expressions are evaluated in (its instance's, in a repeat)."""
    if slot.repeat is None or slot.index is None:
        return scope.top()
    return scope.top().in_instance(slot.repeat, slot.index)


class Relevance:
    """Decides which slots apply for one respondent's answers, remembering results.

    Within one pass over the slots the answers do not change, so the result
    of an expression in one scope is computed once: a section's ``relevant``
    is read once for all its questions, and questions sharing a condition in
    one instance share its result.
    """

    def __init__(self, scope: AnswerScope) -> None:
        self.scope = scope.top()
        self._results: dict[tuple[str, str | None, int | None], bool] = {}

    def holds(self, expression: str | None, repeat: str | None, index: int | None) -> bool:
        """Whether ``expression`` holds in the top scope or in instance ``index`` of ``repeat``."""
        if expression is None:
            return True
        key = (expression, repeat, index)
        found = self._results.get(key)
        if found is None:
            scope = self.scope
            if repeat is not None and index is not None:
                scope = scope.in_instance(repeat, index)
            found = self._results[key] = scope.is_true(expression)
        return found

    def applies(self, slot: Slot) -> bool:
        """Whether ``slot`` applies (its instance is assumed to exist)."""
        if (
            slot.section.sensitive or slot.question.sensitive
        ) and not self.scope.ctx.allows_sensitive():
            return False
        if not self.holds(slot.section.relevant, None, None):
            return False
        return self.holds(slot.question.relevant, slot.repeat, slot.index)


def slot_applies(scope: AnswerScope, slot: Slot) -> bool:
    """Whether a slot applies to the respondent whose answers ``scope`` reads.

    ``scope`` is the respondent's scope (any instance of it). The slot's
    instance is assumed to exist (it came from :func:`iter_slots` on the same
    answers). To decide many slots, use one :class:`Relevance`.
    """
    return Relevance(scope).applies(slot)


def applicable_in_scope(survey: Survey, scope: AnswerScope) -> list[Slot]:
    """Like :func:`applicable_slots`, reusing an existing top scope."""
    relevance = Relevance(scope)
    return [slot for slot in iter_slots_in_scope(survey, scope) if relevance.applies(slot)]


def applicable_slots(survey: Survey, answers: Answers, ctx: RunContext) -> list[Slot]:
    """The slots that apply now, in definition order, notes included."""
    return applicable_in_scope(survey, AnswerScope(survey, answers, ctx))


def slot_count_bound(survey: Survey) -> int:
    """The most slots a respondent could ever meet (every repeat at its max)."""
    total = 0
    for section in survey.sections:
        repeat = section.repeat
        if repeat is None:
            total += len(section.questions)
        else:
            extra = 1 if repeat.another is not None else 0
            total += repeat.max * (len(section.questions) + extra)
    return total
