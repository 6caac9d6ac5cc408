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
    #: End the response (``IntakeService.finish``). In the chat: offered when
    #: revisiting earlier answers, on to the first unanswered question or the end.
    #: On the web: offered only at the review, once nothing is left to answer
    #: (labelled "Send my answers"), since the last page leads to the review.
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

#: The label of ``finish`` at the review, where it sends the answers.
SUBMIT_LABEL: Final = N_("intake.action.submit")

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
    ready: bool = False,
    explicit_finish: bool = False,
) -> tuple[Action, ...]:
    """The actions of a turn, in :class:`ActionName` order.

    ``revisiting``: the question shown already has an answer (after "back" or
    a change from the review), so the chat offers "finish". ``ready``: nothing
    is left to answer and the channel asks for an explicit finish
    (``explicit_finish``, the web): "finish" sends the answers. On such a
    channel "finish" is offered only then, never from a question.
    """
    names: list[ActionName] = []
    if status is ResponseStatus.IN_PROGRESS:
        names += [ActionName.BACK] if can_back else []
        names += [ActionName.SKIP] if can_skip else []
        names += [ActionName.FINISH] if ready or (revisiting and not explicit_finish) else []
        names.append(ActionName.PAUSE)
    if status in ERASABLE:
        names.append(ActionName.ERASE)
    return tuple(Action(name, _label(name, language, ready=ready)) for name in names)


def _label(name: ActionName, language: str, *, ready: bool) -> str:
    if name is ActionName.FINISH and ready:
        return translate(language, SUBMIT_LABEL)
    return translate(language, ACTION_LABELS[name])
