"""Parts asked on the web only: whether a chat's response has reached one.

Sensitive sections (``sensitive: true`` in the questionnaire) are asked only
on the web, behind the quick exit. :func:`chat_handoff_of` decides, from the
position a step already loaded, whether a chat showing it must send the
respondent to the web instead of asking (:mod:`intake.handoff` issues the
link); every turn carries the answer (:attr:`intake.turns.Turn.handoff`), so
the chat never reads the response again to know.
"""

from __future__ import annotations

from dataclasses import replace
from enum import StrEnum

from intake.conversation import Position, current_slot
from questionnaire.definition.model import Survey
from questionnaire.definition.slots import Slot
from questionnaire.navigation.next import next_slot
from storage.records import Channel, ResponseStatus


class HandoffReason(StrEnum):
    """Why a chat sends its response to the web."""

    #: The response reached a sensitive section (asked on the web only).
    SENSITIVE_SECTION = "sensitive_section"
    #: A link of the response was used: it goes on on the web.
    ON_WEB = "on_web"


def has_web_only_part(survey: Survey) -> bool:
    """Whether ``survey`` has a sensitive section or question (asked on the web only)."""
    return any(s.sensitive or any(q.sensitive for q in s.questions) for s in survey.sections)


def _sensitive(slot: Slot) -> bool:
    return slot.section.sensitive or slot.question.sensitive


def web_part_next(position: Position) -> bool:
    """Whether a chat's response has reached a sensitive part that applies to it.

    True when, read as on the web, the first unanswered question is
    sensitive, and the chat is not revisiting an answered question (``/back``
    and ``/review`` still work in the chat before going to the web).
    """
    slot = current_slot(position)
    if slot is not None and slot.path in position.answers:
        return False
    on_web = replace(position.ctx, channel=Channel.WEB.value)
    upcoming = next_slot(position.survey, position.answers, on_web)
    return upcoming is not None and _sensitive(upcoming)


def chat_handoff_of(position: Position) -> HandoffReason | None:
    """Why a chat must send this response to the web instead of asking on, if it must.

    :attr:`HandoffReason.ON_WEB` for a response in progress that goes on on
    the web (its channel is ``web``), :attr:`HandoffReason.SENSITIVE_SECTION`
    for one that reached a sensitive section the chat does not ask
    (:func:`web_part_next`); ``None`` otherwise (the chat asks its question).
    """
    if position.status is not ResponseStatus.IN_PROGRESS:
        return None
    if position.ctx.channel == Channel.WEB.value:
        return HandoffReason.ON_WEB
    if not has_web_only_part(position.survey) or not web_part_next(position):
        return None
    return HandoffReason.SENSITIVE_SECTION
