"""Which slots a questionnaire has for one respondent, and which of them apply.

Navigation is stateless: everything here is a function of the questionnaire,
the answers so far and the run's context. A *slot* is one question at one
answer path (:class:`questionnaire.definition.slots.Slot`); a repeat section gives one
slot per question per instance, and an "another one?" repeat ends each
instance with a generated yes/no slot (``incident[2].another``).

A slot *applies* when

- its section is relevant (``section.relevant`` evaluated in the top scope),
- its repeat instance exists (:func:`questionnaire.answers.scope.instance_count`),
- its question's ``relevant`` is true in the slot's scope (the instance scope
  inside a repeat), and
- the run may show it: sensitive questions and sections only on channels
  that allow them (:meth:`questionnaire.answers.run_context.RunContext.allows_sensitive`).

Slots and what deciding them needs (:class:`SlotRule`) are built once per
section instance and kept; the decisions themselves are made by a
:class:`questionnaire.navigation.relevance.Relevance`.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Final, NamedTuple

from questionnaire.answers.run_context import RunContext
from questionnaire.answers.scope import AnswerScope, another_path, instance_count
from questionnaire.definition.model import Section, Survey
from questionnaire.definition.slots import Slot, another_question
from questionnaire.definition.values import Answers, answer_path
from questionnaire.navigation.relevance import Relevance, SlotRule, relevance_for, slot_rule

__all__ = [
    "PageKey",
    "Relevance",
    "SectionInstance",
    "SlotRule",
    "applicable_in_scope",
    "applicable_slots",
    "applicable_with",
    "instance_rules",
    "instance_slots",
    "iter_slots",
    "iter_slots_in_scope",
    "page_key",
    "relevance_for",
    "rule_groups",
    "section_instance",
    "section_instances",
    "section_slots",
    "slot_applies",
    "slot_count_bound",
    "slot_groups",
    "slot_scope",
]

#: Identifies one page: the section's name and the repeat instance (or None).
PageKey = tuple[str, int | None]


def page_key(slot: Slot) -> PageKey:
    """The section instance a slot belongs to (one web page, one chat heading)."""
    return (slot.section.name, slot.index)


class SectionInstance(NamedTuple):
    """The slots of one section (or of one instance of a repeat section), and their rules."""

    section: Section
    slots: tuple[Slot, ...]
    rules: tuple[SlotRule, ...]
    #: The rules of the answerable slots (notes left out).
    answerable_rules: tuple[SlotRule, ...]
    #: The paths of the answerable slots.
    answerable_paths: frozenset[str]
    #: Paths of answerable slots that apply wherever the instance exists.
    unconditional_paths: tuple[str, ...]
    #: Rules of the other answerable slots, in order.
    conditional_rules: tuple[SlotRule, ...]


_SLOTS_CACHE_SIZE: Final = 8192
_slots_by_instance: dict[tuple[int, int | None], SectionInstance] = {}


def instance_slots(section: Section, index: int | None = None) -> tuple[Slot, ...]:
    """The slots of one section (instance), built once and kept: slots are immutable.

    The same slots as :func:`section_slots`, as a tuple shared by every caller.
    """
    return section_instance(section, index).slots


def instance_rules(
    section: Section, index: int | None = None, *, answerable: bool = False
) -> tuple[SlotRule, ...]:
    """The rules of the slots of one section (instance), notes left out with ``answerable``."""
    entry = section_instance(section, index)
    return entry.answerable_rules if answerable else entry.rules


def section_instance(section: Section, index: int | None = None) -> SectionInstance:
    """The slots and rules of one section (instance), built once and kept."""
    if section.repeat is None:
        index = None
    key = (id(section), index)
    found = _slots_by_instance.get(key)
    if found is not None and found.section is section:
        return found
    slots = tuple(_build_slots(section, index))
    rules = tuple(slot_rule(slot) for slot in slots)
    answerable = tuple(r for r in rules if r.slot.answerable)
    entry = SectionInstance(
        section,
        slots,
        rules,
        answerable,
        frozenset(r.path for r in answerable),
        tuple(r.path for r in answerable if r.unconditional),
        tuple(r for r in answerable if not r.unconditional),
    )
    if len(_slots_by_instance) >= _SLOTS_CACHE_SIZE:
        _slots_by_instance.clear()
    _slots_by_instance[key] = entry
    return entry


def section_slots(section: Section, index: int | None = None) -> Iterator[Slot]:
    """The slots of one section, or of one instance of a repeat section.

    An "another one?" repeat ends each instance but the last possible one
    (``index == repeat.max``) with the generated ``another`` slot: a "yes"
    there could not open a new instance.
    """
    return iter(instance_slots(section, index))


def _build_slots(section: Section, index: int | None) -> Iterator[Slot]:
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


def slot_groups(survey: Survey, scope: AnswerScope) -> Iterator[tuple[Slot, ...]]:
    """The slots of each section instance in definition order, given the instance counts."""
    for section in survey.sections:
        if section.repeat is None:
            yield instance_slots(section)
            continue
        for index in range(1, instance_count(section, scope) + 1):
            yield instance_slots(section, index)


def rule_groups(
    survey: Survey, relevance: Relevance, *, answerable: bool = False
) -> Iterator[tuple[SlotRule, ...]]:
    """Like :func:`slot_groups`, the slots' rules; notes left out with ``answerable``."""
    for entry in section_instances(survey, relevance):
        yield entry.answerable_rules if answerable else entry.rules


def section_instances(survey: Survey, relevance: Relevance) -> Iterator[SectionInstance]:
    """Every section instance in definition order, given the instance counts."""
    for section in survey.sections:
        if section.repeat is None:
            yield section_instance(section)
            continue
        for index in range(1, relevance.instances(section) + 1):
            yield section_instance(section, index)


def iter_slots_in_scope(survey: Survey, scope: AnswerScope) -> Iterator[Slot]:
    """Like :func:`iter_slots`, reusing an existing top scope of the same answers."""
    for group in slot_groups(survey, scope):
        yield from group


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


def slot_applies(scope: AnswerScope, slot: Slot) -> bool:
    """Whether a slot applies to the respondent whose answers ``scope`` reads.

    ``scope`` is the respondent's scope (any instance of it). The slot's
    instance is assumed to exist (it came from :func:`iter_slots` on the same
    answers). To decide many slots, use one :class:`Relevance`.
    """
    return Relevance(scope).applies(slot)


def applicable_in_scope(survey: Survey, scope: AnswerScope) -> list[Slot]:
    """Like :func:`applicable_slots`, reusing an existing top scope."""
    return applicable_with(survey, Relevance(scope))


def applicable_with(survey: Survey, relevance: Relevance) -> list[Slot]:
    """Like :func:`applicable_slots`, for the answers ``relevance`` reads (sharing its results)."""
    return [
        rule.slot
        for group in rule_groups(survey, relevance)
        for rule in group
        if relevance.follows(rule)
    ]


def applicable_slots(survey: Survey, answers: Answers, ctx: RunContext) -> list[Slot]:
    """The slots that apply now, in definition order, notes included."""
    return applicable_with(survey, relevance_for(survey, answers, ctx))


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
