"""Check your answers: the answered questions of a response, as the respondent reads them.

A :class:`Review` lists, in questionnaire order, every applicable question that
has an answer, with the question as it was asked and the answer as the
respondent reads it (choice labels, "Don't know", "(no answer)"), in the
respondent's language. Each item's :attr:`ReviewItem.path` is what
``IntakeService.change_answer`` takes to go back to that question; the new
answer then goes through the usual rules, pruning included.
"""

from __future__ import annotations

from dataclasses import dataclass

from intake.actions import Action
from intake.conversation import (
    OPEN_STATUSES,
    Position,
    answerable_slots,
    current_slot,
    slot_scope,
)
from intake.turns import review_actions
from questionnaire.answers.formatting import format_value
from questionnaire.navigation.prompts import render_prompt
from storage.records import ResponseStatus


@dataclass(frozen=True)
class ReviewItem:
    """One answered question."""

    #: The answer path: give it to ``change_answer``.
    path: str
    #: The question's name in the definition.
    name: str
    #: The question as it was asked (earlier answers piped in).
    label: str
    #: The answer as the respondent reads it.
    value: str
    section_title: str
    #: "Incident 2 of 3" inside a repeat, else ``None``.
    instance_title: str | None


@dataclass(frozen=True)
class Review:
    """The answers of one response, ready to check."""

    response_id: str
    status: ResponseStatus
    #: The respondent's language (every text is in it).
    language: str
    items: tuple[ReviewItem, ...]
    #: Whether the answers can still be changed (the response is in progress).
    can_change: bool
    #: Once nothing is left to answer on a channel that asks for an explicit
    #: finish (the web): back, finish (send the answers), pause, erase. Else empty.
    actions: tuple[Action, ...] = ()

    @property
    def ready_to_finish(self) -> bool:
        """Whether ``finish`` now sends the answers (nothing is left to answer)."""
        return any(action.name == "finish" for action in self.actions)


def build_review(response_id: str, position: Position) -> Review:
    """The review of ``position``: its answered applicable questions, in order."""
    survey, answers, ctx = position.survey, position.answers, position.ctx
    language = position.language
    items: list[ReviewItem] = []
    for slot in answerable_slots(survey, answers, ctx):
        if slot.path not in answers:
            continue
        value = answers[slot.path]
        prompt = render_prompt(slot, slot_scope(survey, answers, ctx, slot), language, value)
        items.append(
            ReviewItem(
                path=slot.path,
                name=slot.question.name,
                label=prompt.label,
                value=format_value(value, slot.question, language),
                section_title=prompt.section_title,
                instance_title=prompt.instance_title,
            )
        )
    return Review(
        response_id=response_id,
        status=position.status,
        language=language,
        items=tuple(items),
        can_change=position.status in OPEN_STATUSES,
        actions=ready_actions(position),
    )


def ready_actions(position: Position) -> tuple[Action, ...]:
    """The review's actions when the response waits only for its explicit finish."""
    waiting = position.status in OPEN_STATUSES and current_slot(position) is None
    return review_actions(position) if waiting else ()
