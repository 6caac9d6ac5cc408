"""What a respondent may do now, besides answering: the actions of a turn.

Each :class:`Action` carries its label in the respondent's language, from the
gettext catalogs (``intake.action.<name>``), so the web's buttons and the
bot's keyboard say the same words. Which actions are offered is decided here,
once, from the turn's state; the channels never work it out themselves.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Final

from i18n import translate
from storage.records import ResponseStatus


def N_(msgid: str) -> str:  # noqa: N802 - the gettext marker's usual name
    """Mark ``msgid`` for extraction (``make catalogs-update``); return it unchanged."""
    return msgid


class ActionName(StrEnum):
    """The actions a turn may offer, in the order a channel shows them."""

    #: Go back one question (``IntakeService.back``; a page on the web).
    BACK = "back"
    #: Leave the question unanswered (``IntakeService.skip``).
    SKIP = "skip"
    #: Revisiting earlier answers: on to the first unanswered question, or the end
    #: (``IntakeService.finish``).
    FINISH = "finish"
    #: Stop for now and come back later (``IntakeService.pause``).
    PAUSE = "pause"
    #: Erase every answer given (``IntakeService.erase``; by chat on Telegram).
    ERASE = "erase"


#: The message id of each action's label (declared literally for extraction).
ACTION_LABELS: Final = {
    ActionName.BACK: N_("intake.action.back"),
    ActionName.SKIP: N_("intake.action.skip"),
    ActionName.FINISH: N_("intake.action.finish"),
    ActionName.PAUSE: N_("intake.action.pause"),
    ActionName.ERASE: N_("intake.action.erase"),
}

#: Statuses whose answers a respondent may still erase (not ``erased`` itself).
ERASABLE: Final = frozenset(
    {
        ResponseStatus.IN_PROGRESS,
        ResponseStatus.COMPLETED,
        ResponseStatus.SCREENED_OUT,
        ResponseStatus.ABANDONED,
    }
)


@dataclass(frozen=True)
class Action:
    """One thing the respondent may do now, with its label in their language."""

    name: ActionName
    label: str


def offered_actions(
    status: ResponseStatus,
    language: str,
    *,
    can_back: bool = False,
    can_skip: bool = False,
    revisiting: bool = False,
) -> tuple[Action, ...]:
    """The actions of a turn, in :class:`ActionName` order.

    ``revisiting``: the question shown already has an answer (after "back" or
    a change from the review), so "finish" is offered.
    """
    names: list[ActionName] = []
    if status is ResponseStatus.IN_PROGRESS:
        names += [ActionName.BACK] if can_back else []
        names += [ActionName.SKIP] if can_skip else []
        names += [ActionName.FINISH] if revisiting else []
        names.append(ActionName.PAUSE)
    if status in ERASABLE:
        names.append(ActionName.ERASE)
    return tuple(Action(name, translate(language, ACTION_LABELS[name])) for name in names)
