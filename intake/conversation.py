"""The rules of the conversation, as pure functions over one response's state.

Nothing here touches the database: :mod:`intake.service` loads a
:class:`Position`, asks one of these functions for a :class:`Move` and writes
the move in one transaction. Keeping the rules pure makes a retried
transaction (after a concurrent change) recompute the same decision from the
fresh state.

The *cursor* is the answer path the respondent is on. After an answer it moves
to the first applicable question that is unanswered or comes after the one
just answered: on a forward walk that is the first unanswered question; after
"back", the respondent steps forward through the answers already given.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property

from intake.notices import Notice, answer_notice, intake_notice
from questionnaire.answers.reading import AnswerError, RawAnswer, read_answer, soft_warning
from questionnaire.answers.run_context import RunContext
from questionnaire.answers.scope import AnswerScope
from questionnaire.definition.model import Survey
from questionnaire.definition.slots import Slot
from questionnaire.definition.values import Answers, Value
from questionnaire.navigation.applicability import Relevance
from questionnaire.navigation.next import (
    answerable_tuple,
    next_slot_with,
    prune,
    relevance_for,
    screened_out,
)
from questionnaire.navigation.status import ResponseStatus
from storage.records import PendingWarning

__all__ = ["RawAnswer"]  # the one raw-answer type, as the channels' modules import it here

#: Statuses in which the conversation can still move.
OPEN_STATUSES = frozenset({ResponseStatus.IN_PROGRESS})

#: Channels on which a response ends only by an explicit ``finish`` from the review
#: ("check your answers") once nothing is left to answer. The chat ends at the last answer.
EXPLICIT_FINISH_CHANNELS = frozenset({"web"})


@dataclass(frozen=True)
class Position:
    """Where one response stands: everything the rules need, loaded at once."""

    survey: Survey
    ctx: RunContext
    answers: Answers
    cursor: str | None
    status: ResponseStatus
    #: The soft warnings shown last (the same answers again are accepted).
    pending: tuple[PendingWarning, ...]

    @property
    def language(self) -> str:
        return self.ctx.language

    @property
    def explicit_finish(self) -> bool:
        """Whether this response's channel ends only by an explicit ``finish`` (the web)."""
        return self.ctx.channel in EXPLICIT_FINISH_CHANNELS

    @cached_property
    def relevance(self) -> Relevance:
        """Which slots apply to these answers, decided once for every rule of a step."""
        return relevance_for(self.survey, self.answers, self.ctx)


@dataclass(frozen=True)
class Move:
    """What one step decides: answers to write and delete, and the new state.

    ``changed`` is false when nothing needs writing (a replayed submission, a
    refused one): the caller then skips the transaction's writes.
    """

    cursor: str | None
    status: ResponseStatus
    pending: tuple[PendingWarning, ...]
    writes: Mapping[str, Value] = field(default_factory=dict)
    deletes: frozenset[str] = frozenset()
    changed: bool = True
    error: Notice | None = None
    warning: Notice | None = None
    field_errors: Mapping[str, Notice] = field(default_factory=dict)


def stay(position: Position, error: Notice | None = None) -> Move:
    """A move that changes nothing (optionally reporting ``error``)."""
    return Move(
        cursor=position.cursor,
        status=position.status,
        pending=position.pending,
        changed=False,
        error=error,
    )


def answers_after(position: Position, move: Move) -> Answers:
    """The answers once ``move`` is written."""
    kept = {p: v for p, v in position.answers.items() if p not in move.deletes}
    return {**kept, **move.writes}


# -- where the respondent is ---------------------------------------------------


def answerable_slots(survey: Survey, answers: Answers, ctx: RunContext) -> list[Slot]:
    """The applicable slots that take an answer (notes left out), in order."""
    return list(answerable_tuple(survey, relevance_for(survey, answers, ctx)))


def current_slot(position: Position) -> Slot | None:
    """The question the respondent is on: the cursor if it still applies, else the next one.

    ``None`` once the response is closed or nothing is left to answer.
    """
    if position.status not in OPEN_STATUSES:
        return None
    survey, relevance = position.survey, position.relevance
    if position.cursor is not None:
        for slot in answerable_tuple(survey, relevance):
            if slot.path == position.cursor:
                return slot
    return next_slot_with(survey, relevance)


def slot_at(survey: Survey, answers: Answers, ctx: RunContext, path: str) -> Slot | None:
    """The applicable answerable slot at ``path``, or ``None``."""
    for slot in answerable_slots(survey, answers, ctx):
        if slot.path == path:
            return slot
    return None


def slot_scope(survey: Survey, answers: Answers, ctx: RunContext, slot: Slot) -> AnswerScope:
    """The scope a slot's answer is read in (its instance's, inside a repeat)."""
    scope = AnswerScope(survey, answers, ctx)
    if slot.repeat is None or slot.index is None:
        return scope
    return scope.in_instance(slot.repeat, slot.index)


def following_slot(
    survey: Survey, answers: Answers, ctx: RunContext, after: str | None
) -> Slot | None:
    """The first applicable question that is unanswered or comes after ``after``.

    ``after=None``: the first unanswered one (back to where the respondent was).
    """
    passed = False
    for slot in answerable_slots(survey, answers, ctx):
        if passed or slot.path not in answers:
            return slot
        passed = slot.path == after
    return None


def settle(
    position: Position, answers: Answers, after: str | None
) -> tuple[str | None, ResponseStatus]:
    """Cursor and status once ``answers`` hold, the last answer given at ``after``.

    With nothing left to ask, the chat's response is completed; on a channel
    that asks for an explicit finish (the web) it stays in progress with no
    question (the review: "check your answers", then ``finish``).
    """
    survey, ctx = position.survey, position.ctx
    if screened_out(survey, answers, ctx) is not None:
        return None, ResponseStatus.SCREENED_OUT
    upcoming = following_slot(survey, answers, ctx, after)
    if upcoming is None:
        if position.explicit_finish:
            return None, ResponseStatus.IN_PROGRESS
        return None, ResponseStatus.COMPLETED
    return upcoming.path, ResponseStatus.IN_PROGRESS


# -- reading one answer --------------------------------------------------------


@dataclass(frozen=True)
class Reading:
    """One raw answer read for one slot: a value to store, or a notice."""

    value: Value | None = None
    accepted: bool = False
    notice: Notice | None = None
    #: The soft warning to remember when the notice is a warning.
    pending: PendingWarning | None = None


def read_slot(
    position: Position, answers: Answers, slot: Slot, raw: RawAnswer, *, confirmed: bool = False
) -> Reading:
    """Read ``raw`` for ``slot`` once, with the questionnaire's rules.

    A hard problem is a notice; a soft one (soft constraint, soft ``required``)
    is a warning unless the respondent ``confirmed`` it or already saw the
    same warning for the same value at the same path (the response's pending
    warnings: a chat confirms by sending the answer again, a page by posting
    the same answers again).
    """
    scope = slot_scope(position.survey, answers, position.ctx, slot)
    language = position.language
    try:
        value = read_answer(slot.question, raw, scope=scope, language=language, warned=True)
    except AnswerError as error:
        return Reading(notice=answer_notice(error, language, slot.path))
    warning = soft_warning(slot.question, value, scope=scope)
    warned = PendingWarning(slot.path, value)
    already = position.answers.get(slot.path) == value  # stored, so accepted before
    if warning is None or confirmed or already or warned in position.pending:
        return Reading(value=value, accepted=True)
    return Reading(value=value, notice=answer_notice(warning, language, slot.path), pending=warned)


# -- steps -----------------------------------------------------------------------


def closed_replay(position: Position, path: str, raw: RawAnswer) -> bool:
    """Whether a submission to a closed response repeats an answer it already holds.

    A double click on the last question must show the end again, not an error.
    """
    if position.status not in (ResponseStatus.COMPLETED, ResponseStatus.SCREENED_OUT):
        return False
    if path not in position.answers:
        return False
    slot = slot_at(position.survey, position.answers, position.ctx, path)
    if slot is None:
        return False
    scope = slot_scope(position.survey, position.answers, position.ctx, slot)
    try:
        value = read_answer(
            slot.question, raw, scope=scope, language=position.language, warned=True
        )
    except AnswerError:
        return False
    return position.answers[path] == value


def submit_answer(position: Position, path: str, raw: RawAnswer, *, confirm: bool = False) -> Move:
    """Answer (or, with ``raw=None``, skip) the question at ``path``.

    ``path`` is the question the channel showed: the current one, or one
    answered earlier (changing it prunes what no longer applies). Giving again
    the value already stored for an earlier question changes nothing, which
    makes a double click or a replayed update harmless. ``confirm`` accepts a
    soft warning about this answer without showing it first.
    """
    if position.status not in OPEN_STATUSES:
        if closed_replay(position, path, raw):
            return stay(position)
        return stay(position, intake_notice("response_closed", position.language))
    survey, answers, ctx = position.survey, position.answers, position.ctx
    current = current_slot(position)
    slot = slot_at(survey, answers, ctx, path)
    is_current = current is not None and current.path == path
    if slot is None or not (is_current or path in answers):
        return stay(position, intake_notice("path_not_open", position.language, path))
    reading = read_slot(position, answers, slot, raw, confirmed=confirm)
    if not reading.accepted:
        assert reading.notice is not None
        if reading.pending is None:
            return stay(position, reading.notice)
        return Move(
            cursor=path,
            status=position.status,
            pending=(reading.pending,),
            warning=reading.notice,
        )
    value = reading.value
    assert value is not None
    if not is_current and answers.get(path) == value:
        return stay(position)
    return store(position, {path: value}, after=path)


def store(position: Position, given: Mapping[str, Value], *, after: str | None) -> Move:
    """The move that stores ``given``, prunes, and settles the cursor and status.

    ``after=None``: the cursor goes to the first unanswered question (or the review).
    """
    merged = {**position.answers, **given}
    kept = prune(position.survey, merged, position.ctx)
    cursor, status = settle(position, kept, after)
    writes = {
        p: v for p, v in kept.items() if p not in position.answers or position.answers[p] != v
    }
    deletes = frozenset(p for p in position.answers if p not in kept)
    return Move(cursor=cursor, status=status, pending=(), writes=writes, deletes=deletes)
