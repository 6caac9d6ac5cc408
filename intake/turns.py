"""What a channel receives from every intake call: one :class:`Turn`.

A turn is plain data, already in the respondent's language: the question to
ask (and, for the web, the whole page it stands on), the notes to show before
it, an error or a warning, progress, whether "back" and "skip" are offered,
and the closing text once the conversation has ended. Channels render it;
they never decide a rule about answers.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from intake.actions import Action, offered_actions
from intake.conversation import Position, current_slot
from intake.messages import intake_message
from intake.notices import Notice
from intake.prompt_cache import PROMPTS
from intake.web_only import HandoffReason, chat_handoff_of
from questionnaire.answers.messages import message
from questionnaire.answers.scope import AnswerScope
from questionnaire.definition.slots import Slot
from questionnaire.navigation.applicability import slot_scope
from questionnaire.navigation.next import (
    leading_notes_with,
    page_with,
    previous_slot_with,
    progress,
    progress_with,
    screened_out,
)
from questionnaire.navigation.prompts import Prompt, render_prompt
from questionnaire.navigation.status import ResponseStatus


@dataclass(frozen=True)
class Turn:
    """Everything a channel shows after one call."""

    response_id: str
    #: in_progress, completed, screened_out, abandoned or erased.
    status: ResponseStatus
    #: The respondent's language (every text below is in it).
    language: str
    #: The question to answer now; ``None`` once the conversation has ended.
    prompt: Prompt | None = None
    #: The web page holding :attr:`prompt`: every applicable slot of its
    #: section instance, notes included, in order.
    page: tuple[Prompt, ...] = ()
    #: Notes to show just before :attr:`prompt` (the chat sends them first).
    notes: tuple[Prompt, ...] = ()
    #: Why the last submission was refused, if it was.
    error: Notice | None = None
    #: A soft warning: the same answer again is accepted.
    warning: Notice | None = None
    #: For a whole page: the error or warning of each field, by answer path.
    field_errors: Mapping[str, Notice] = field(default_factory=dict)
    #: Fraction of the applicable questions answered, in [0, 1].
    progress: float = 0.0
    can_back: bool = False
    can_skip: bool = False
    #: The end text (completed, screened out, erased); ``None`` while in progress.
    closing: str | None = None
    #: A freshly issued resume code, shown once (after ``pause`` on the web).
    resume_code: str | None = None
    #: A confirmation to show (paused, with the resume code), if any.
    info: Notice | None = None
    #: What the respondent may do now besides answering (back, skip, finish,
    #: pause, erase), labels in :attr:`language`.
    actions: tuple[Action, ...] = ()
    #: The introduction of the section :attr:`page` belongs to, if it has one.
    intro: str | None = None
    #: For a chat: why :attr:`prompt` is to be answered on the web instead
    #: (:func:`intake.web_only.chat_handoff_of`); ``None`` when the chat asks
    #: it, and whenever there is no question.
    handoff: HandoffReason | None = None

    @property
    def finished(self) -> bool:
        """Whether the conversation has ended (nothing more to ask, not in progress)."""
        return self.prompt is None and self.status is not ResponseStatus.IN_PROGRESS

    @property
    def ready_to_finish(self) -> bool:
        """Nothing is left to answer and the channel asks for an explicit finish (the web).

        The respondent is at the review ("check your answers"); the ``finish``
        action sends the answers.
        """
        return self.prompt is None and self.status is ResponseStatus.IN_PROGRESS


def _prompt(position: Position, scope: AnswerScope, slot: Slot) -> Prompt:
    """``slot``'s prompt; ``scope`` reads the position's answers (its calculations are shared).

    A prompt that reads no answer is rendered once per process (:mod:`intake.prompt_cache`).
    """
    current = position.answers.get(slot.path)
    language = position.language

    def render() -> Prompt:
        return render_prompt(slot, slot_scope(scope, slot), language, current=current)

    return PROMPTS.prompt(position.survey, slot, language, current, render)


def closing_text(position: Position) -> str | None:
    """The text that ends a conversation, in the respondent's language."""
    language = position.language
    if position.status is ResponseStatus.COMPLETED:
        return message("survey.end", language)
    if position.status is ResponseStatus.SCREENED_OUT:
        rule = screened_out(position.survey, position.answers, position.ctx)
        if rule is not None and language in rule.message:
            return rule.message[language]
        return message("survey.screened_out", language)
    if position.status is ResponseStatus.ERASED:
        return intake_message("erased", language)
    if position.status is ResponseStatus.ABANDONED:
        return intake_message("abandoned", language)
    return None


def build_turn(
    response_id: str,
    position: Position,
    *,
    error: Notice | None = None,
    warning: Notice | None = None,
    field_errors: Mapping[str, Notice] | None = None,
    resume_code: str | None = None,
) -> Turn:
    """The turn showing ``position`` to the respondent."""
    survey, answers, ctx = position.survey, position.answers, position.ctx
    slot = current_slot(position)
    if slot is None and position.status is ResponseStatus.IN_PROGRESS:
        return Turn(
            response_id,
            position.status,
            position.language,
            error=error,
            warning=warning,
            field_errors=dict(field_errors or {}),
            resume_code=resume_code,
            progress=progress(survey, answers, ctx),
            can_back=True,
            actions=review_actions(position),
        )
    if slot is None:
        done = position.status in (ResponseStatus.COMPLETED, ResponseStatus.SCREENED_OUT)
        return Turn(
            response_id,
            position.status,
            position.language,
            error=error,
            warning=warning,
            field_errors=dict(field_errors or {}),
            resume_code=resume_code,
            progress=1.0 if done else progress(survey, answers, ctx),
            closing=closing_text(position),
            actions=offered_actions(position.status, position.language),
        )
    relevance = position.relevance
    scope = relevance.scope
    can_back = previous_slot_with(survey, relevance, slot.path) is not None
    can_skip = slot.question.required is not True
    return Turn(
        response_id,
        position.status,
        position.language,
        error=error,
        warning=warning,
        field_errors=dict(field_errors or {}),
        resume_code=resume_code,
        prompt=_prompt(position, scope, slot),
        page=tuple(_prompt(position, scope, s) for s in page_with(survey, relevance, slot.path)),
        notes=tuple(
            _prompt(position, scope, s) for s in leading_notes_with(survey, relevance, slot)
        ),
        progress=progress_with(survey, relevance),
        can_back=can_back,
        can_skip=can_skip,
        actions=offered_actions(
            position.status,
            position.language,
            can_back=can_back,
            can_skip=can_skip,
            revisiting=slot.path in answers,
            explicit_finish=position.explicit_finish,
        ),
        intro=section_intro(slot, position.language),
        handoff=chat_handoff_of(position),
    )


def review_actions(position: Position) -> tuple[Action, ...]:
    """The actions at the review once nothing is left to answer: back, finish, pause, erase."""
    return offered_actions(
        position.status,
        position.language,
        can_back=True,
        ready=position.status is ResponseStatus.IN_PROGRESS,
        explicit_finish=position.explicit_finish,
    )


def section_intro(slot: Slot, language: str) -> str | None:
    """The introduction of ``slot``'s section, in ``language`` (else its first language)."""
    intro = slot.section.intro
    if not intro:
        return None
    return intro.get(language) or next(iter(intro.values()))
