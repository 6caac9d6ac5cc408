"""What comes next, what came before, pages, and pruning stale answers.

Navigation is stateless: every function takes the questionnaire, the answers
so far (paths -> values; :data:`questionnaire.definition.values.SKIPPED` means "seen and
left unanswered") and the run's context, and derives the rest. Which slots
exist and which apply is decided in :mod:`questionnaire.navigation.applicability`;
progress, eligibility and the response's status in
:mod:`questionnaire.navigation.progress`. Both are re-exported here so that channels
import navigation from one place.

The chat asks one slot at a time (:func:`next_slot`, with the notes shown
before it from :func:`leading_notes`); the web shows one section instance
per page (:func:`next_page`, :func:`page_of`, :func:`previous_page`).
"""

from __future__ import annotations

from questionnaire.answers.run_context import RunContext
from questionnaire.definition.model import Survey
from questionnaire.definition.slots import Slot
from questionnaire.definition.values import Answers
from questionnaire.navigation.applicability import (
    PageKey,
    Relevance,
    applicable_slots,
    applicable_with,
    iter_slots,
    iter_slots_in_scope,
    page_key,
    relevance_for,
    rule_groups,
    section_instances,
    slot_applies,
)
from questionnaire.navigation.progress import progress, screened_out, status

__all__ = [
    "PageKey",
    "Slot",
    "applicable_slots",
    "first_page_path",
    "iter_slots",
    "leading_notes",
    "next_page",
    "next_slot",
    "page_key",
    "page_of",
    "previous_page",
    "previous_slot",
    "progress",
    "prune",
    "screened_out",
    "slot_applies",
    "status",
]


def next_slot(survey: Survey, answers: Answers, ctx: RunContext) -> Slot | None:
    """The first applicable answerable slot with no entry in ``answers``.

    ``None`` when none is left (the questionnaire is complete). Slots that
    already have an entry are passed over without evaluating their relevance.
    """
    return next_slot_with(survey, relevance_for(survey, answers, ctx))


def next_slot_with(survey: Survey, relevance: Relevance) -> Slot | None:
    """Like :func:`next_slot`, for the answers ``relevance`` reads (sharing its results)."""
    answers = relevance.scope.answers
    answered = answers.keys()
    for entry in section_instances(survey, relevance):
        if answered >= entry.answerable_paths:
            continue
        for rule in entry.answerable_rules:
            if rule.path not in answers and relevance.follows(rule):
                return rule.slot
    return None


def previous_slot(survey: Survey, answers: Answers, ctx: RunContext, path: str) -> Slot | None:
    """The applicable answerable slot before ``path`` (what "back" returns to).

    ``path`` need not apply itself (it may be a note, or the slot the
    respondent is on); when it names no slot at all (e.g. the respondent is
    past the end), the last applicable answerable slot is returned. ``None``
    at the first question.
    """
    relevance = relevance_for(survey, answers, ctx)
    before: Slot | None = None
    for group in rule_groups(survey, relevance):
        for rule in group:
            if rule.path == path:
                return before
            if rule.slot.answerable and relevance.follows(rule):
                before = rule.slot
    return before


def leading_notes(survey: Survey, answers: Answers, ctx: RunContext, slot: Slot) -> list[Slot]:
    """The applicable notes shown just before ``slot`` in the chat.

    Those between the previous applicable answerable slot and ``slot``,
    within the same section instance.
    """
    notes: list[Slot] = []
    for candidate in applicable_slots(survey, answers, ctx):
        if candidate.path == slot.path:
            return [note for note in notes if page_key(note) == page_key(slot)]
        notes = [*notes, candidate] if not candidate.answerable else []
    return []


def _page(applicable: list[Slot], key: PageKey) -> list[Slot]:
    return [slot for slot in applicable if page_key(slot) == key]


def page_of(survey: Survey, answers: Answers, ctx: RunContext, path: str) -> list[Slot]:
    """Every applicable slot (notes included) of the section instance holding ``path``.

    One web page. Empty when ``path`` names no slot of the current answers.
    """
    relevance = relevance_for(survey, answers, ctx)
    for slot in iter_slots_in_scope(survey, relevance.scope):
        if slot.path == path:
            return _page(applicable_with(survey, relevance), page_key(slot))
    return []


def first_page_path(survey: Survey, answers: Answers, ctx: RunContext) -> str | None:
    """The path of the first applicable answerable slot: where page one starts.

    Use it to open a new response's first page; ``None`` when nothing applies.
    """
    for slot in applicable_slots(survey, answers, ctx):
        if slot.answerable:
            return slot.path
    return None


def next_page(survey: Survey, answers: Answers, ctx: RunContext) -> list[Slot]:
    """The page to show now: the page of :func:`next_slot` (empty at the end)."""
    upcoming = next_slot(survey, answers, ctx)
    if upcoming is None:
        return []
    return page_of(survey, answers, ctx, upcoming.path)


def previous_page(survey: Survey, answers: Answers, ctx: RunContext, path: str) -> list[Slot]:
    """The page before the one holding ``path`` (what the web's "back" shows).

    It is the page of the applicable answerable slot just before the first
    slot of ``path``'s page; empty on the first page.
    """
    relevance = relevance_for(survey, answers, ctx)
    applicable = applicable_with(survey, relevance)
    key: PageKey | None = None
    for slot in iter_slots_in_scope(survey, relevance.scope):
        if slot.path == path:
            key = page_key(slot)
            break
    before: Slot | None = None
    for slot in applicable:
        if key is not None and page_key(slot) == key:
            break
        if slot.answerable:
            before = slot
    return [] if before is None else _page(applicable, page_key(before))


def prune(survey: Survey, answers: Answers, ctx: RunContext) -> Answers:
    """A new dict without the answers whose slot no longer applies.

    Used when an earlier answer changes: answers of questions that no longer
    apply (skip logic, fewer repeat instances, sections switched off) are
    dropped; the others are kept unchanged. Repeats to a fixpoint, since
    dropping one answer can switch off others. Answers at paths that name no
    slot at all are dropped too.
    """
    current = dict(answers)
    while True:
        relevance = relevance_for(survey, current, ctx)
        keep: set[str] = set()
        for entry in section_instances(survey, relevance):
            keep.update(filter(current.__contains__, entry.unconditional_paths))
            keep.update(
                rule.path
                for rule in entry.conditional_rules
                if rule.path in current and relevance.follows(rule)
            )
        if len(keep) == len(current):
            return current
        current = {path: value for path, value in current.items() if path in keep}
