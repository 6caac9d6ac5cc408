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
from dataclasses import dataclass, field, replace

from intake.notices import Notice, answer_notice, intake_notice
from questionnaire.answers.reading import AnswerError, RawAnswer, read_answer
from questionnaire.answers.run_context import RunContext
from questionnaire.answers.scope import AnswerScope
from questionnaire.definition.model import Survey
from questionnaire.definition.slots import Slot
from questionnaire.definition.values import Answers, Value
from questionnaire.navigation.next import (
    applicable_slots,
    next_slot,
    page_of,
    previous_slot,
    prune,
    screened_out,
)
from questionnaire.navigation.status import ResponseStatus
from storage.records import PendingWarning

#: Statuses in which the conversation can still move.
OPEN_STATUSES = frozenset({ResponseStatus.IN_PROGRESS})


@dataclass(frozen=True)
class Position:
    """Where one response stands: everything the rules need, loaded at once."""

    survey: Survey
    ctx: RunContext
    answers: Answers
    cursor: str | None
    status: ResponseStatus
    pending: PendingWarning | None

    @property
    def language(self) -> str:
        return self.ctx.language


@dataclass(frozen=True)
class Move:
    """What one step decides: answers to write and delete, and the new state.

    ``changed`` is false when nothing needs writing (a replayed submission, a
    refused one): the caller then skips the transaction's writes.
    """

    cursor: str | None
    status: ResponseStatus
    pending: PendingWarning | None
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
    return [s for s in applicable_slots(survey, answers, ctx) if s.answerable]


def current_slot(position: Position) -> Slot | None:
    """The question the respondent is on: the cursor if it still applies, else the next one.

    ``None`` once the response is closed or nothing is left to answer.
    """
    if position.status not in OPEN_STATUSES:
        return None
    survey, answers, ctx = position.survey, position.answers, position.ctx
    if position.cursor is not None:
        for slot in answerable_slots(survey, answers, ctx):
            if slot.path == position.cursor:
                return slot
    return next_slot(survey, answers, ctx)


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


def following_slot(survey: Survey, answers: Answers, ctx: RunContext, after: str) -> Slot | None:
    """The first applicable question that is unanswered or comes after ``after``."""
    passed = False
    for slot in answerable_slots(survey, answers, ctx):
        if passed or slot.path not in answers:
            return slot
        passed = slot.path == after
    return None


def settle(position: Position, answers: Answers, after: str) -> tuple[str | None, ResponseStatus]:
    """Cursor and status once ``answers`` hold, the last answer given at ``after``."""
    survey, ctx = position.survey, position.ctx
    if screened_out(survey, answers, ctx) is not None:
        return None, ResponseStatus.SCREENED_OUT
    upcoming = following_slot(survey, answers, ctx, after)
    if upcoming is None:
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


def read_slot(position: Position, answers: Answers, slot: Slot, raw: RawAnswer) -> Reading:
    """Read ``raw`` for ``slot`` with the questionnaire's rules.

    A soft problem (soft constraint, soft ``required``) is accepted only when
    the same value was already warned about at the same path.
    """
    scope = slot_scope(position.survey, answers, position.ctx, slot)
    language = position.language
    try:
        value = read_answer(slot.question, raw, scope=scope, language=language)
    except AnswerError as error:
        if not error.soft:
            return Reading(notice=answer_notice(error, language, slot.path))
        value = read_answer(slot.question, raw, scope=scope, language=language, warned=True)
        warned = PendingWarning(slot.path, value)
        if position.pending != warned:
            return Reading(notice=answer_notice(error, language, slot.path), pending=warned)
    return Reading(value=value, accepted=True)


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


def submit_answer(position: Position, path: str, raw: RawAnswer) -> Move:
    """Answer (or, with ``raw=None``, skip) the question at ``path``.

    ``path`` is the question the channel showed: the current one, or one
    answered earlier (changing it prunes what no longer applies). Giving again
    the value already stored for an earlier question changes nothing, which
    makes a double click or a replayed update harmless.
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
    reading = read_slot(position, answers, slot, raw)
    if not reading.accepted:
        assert reading.notice is not None
        if reading.pending is None:
            return stay(position, reading.notice)
        return Move(
            cursor=path,
            status=position.status,
            pending=reading.pending,
            warning=reading.notice,
        )
    value = reading.value
    assert value is not None
    if not is_current and answers.get(path) == value:
        return stay(position)
    return _store(position, {path: value}, after=path)


def _store(position: Position, given: Mapping[str, Value], *, after: str) -> Move:
    """The move that stores ``given``, prunes, and settles the cursor and status."""
    merged = {**position.answers, **given}
    kept = prune(position.survey, merged, position.ctx)
    cursor, status = settle(position, kept, after)
    writes = {
        p: v for p, v in kept.items() if p not in position.answers or position.answers[p] != v
    }
    deletes = frozenset(p for p in position.answers if p not in kept)
    return Move(cursor=cursor, status=status, pending=None, writes=writes, deletes=deletes)


def go_back(position: Position, *, page: bool = False) -> Move:
    """Move the cursor to the previous question (or to the previous page's first one).

    Answers are kept: the channel shows them prefilled.
    """
    current = current_slot(position)
    if current is None:
        return stay(position, intake_notice("response_closed", position.language))
    survey, answers, ctx = position.survey, position.answers, position.ctx
    start = current.path
    if page:
        first = next((s for s in page_of(survey, answers, ctx, start) if s.answerable), current)
        start = first.path
    previous = previous_slot(survey, answers, ctx, start)
    if previous is None:
        return stay(position, intake_notice("no_previous_question", position.language))
    target = previous
    if page:
        target = next(s for s in page_of(survey, answers, ctx, previous.path) if s.answerable)
    return Move(cursor=target.path, status=position.status, pending=None)


def submit_page(position: Position, page_path: str, fields: Mapping[str, RawAnswer]) -> Move:
    """Answer every field of the web page holding ``page_path`` at once.

    Each field is read in page order, with the answers given above it on the
    same page (skip logic inside a page works). Valid answers are stored even
    when other fields have errors; the errors come back per field. A field the
    form did not send counts as unanswered, except for questions that only
    became applicable through this page's answers (the form could not show
    them): they stay open and the page is shown again with them.
    """
    if position.status not in OPEN_STATUSES:
        if fields and all(closed_replay(position, p, raw) for p, raw in fields.items()):
            return stay(position)
        return stay(position, intake_notice("response_closed", position.language))
    survey, answers, ctx = position.survey, position.answers, position.ctx
    current = current_slot(position)
    shown = [s for s in page_of(survey, answers, ctx, page_path) if s.answerable]
    holds_current = current is not None and any(s.path == current.path for s in shown)
    if not shown or not (holds_current or all(s.path in answers for s in shown)):
        return stay(position, intake_notice("path_not_open", position.language, page_path))
    shown_paths = {s.path for s in shown}
    given: dict[str, Value] = {}
    errors: dict[str, Notice] = {}
    pending: PendingWarning | None = None
    done: set[str] = set()
    while True:
        merged = {**answers, **given}
        todo = [
            s
            for s in page_of(survey, merged, ctx, page_path)
            if s.answerable and s.path not in done
        ]
        if not todo:
            break
        slot = todo[0]
        done.add(slot.path)
        if slot.path not in fields and slot.path not in shown_paths:
            continue
        reading = read_slot(position, merged, slot, fields.get(slot.path))
        if reading.accepted:
            assert reading.value is not None
            given[slot.path] = reading.value
            continue
        assert reading.notice is not None
        errors[slot.path] = reading.notice
        if reading.pending is not None and pending is None:
            pending = reading.pending
    unchanged = all(answers.get(p) == v for p, v in given.items())
    if not errors and unchanged and not holds_current:
        return stay(position)
    move = _store(position, given, after=shown[-1].path)
    if errors and move.status is ResponseStatus.IN_PROGRESS:
        move = replace(move, cursor=next(iter(errors)))
    return replace(move, pending=pending, field_errors=errors)
