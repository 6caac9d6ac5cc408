"""One step of a response: load its position, decide a move, write it, build the turn.

:class:`ResponseSteps` is the machinery under :class:`intake.service.IntakeService`:
each public operation is a pure step of :mod:`intake.conversation` (or
:mod:`intake.pages`) run by :meth:`ResponseSteps.run_step` in one transaction,
retried on a concurrent change (:mod:`intake.transactions`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import replace

from sqlalchemy.orm import Session, sessionmaker

from intake.conversation import Move, Position, answers_after
from intake.errors import IntakeError
from intake.guesses import GuessLimiter
from intake.registry import SurveyRegistry
from intake.settings import IntakeSettings
from intake.transactions import StateMovedError, run_in_transaction
from intake.turns import Turn, build_turn
from questionnaire.answers.run_context import RunContext
from questionnaire.definition.values import Value
from storage.answers import load_answers, write_answers
from storage.records import PendingWarning, ResponseRecord
from storage.response_reads import get_response_with_answers
from storage.responses import UNCHANGED, get_response, update_response_state
from storage.upsert import utc_now

#: A step: from the loaded position, the move to write.
Step = Callable[[Position], Move]


class ResponseSteps:
    """Loading, deciding and writing one response's steps."""

    def __init__(
        self,
        session_factory: sessionmaker[Session],
        registry: SurveyRegistry,
        settings: IntakeSettings,
        *,
        clock: Callable[[], dt.datetime] = utc_now,
    ) -> None:
        self._sessions = session_factory
        self._registry = registry
        self._settings = settings.check()
        self._clock = clock
        #: Failed resume-code guesses (:mod:`intake.guesses`).
        self._guesses = GuessLimiter(clock)

    def __repr__(self) -> str:
        return f"{type(self).__name__}(surveys={self._registry.survey_ids()!r})"

    def _record(self, session: Session, response_id: str) -> ResponseRecord:
        record = get_response(session, response_id)
        if record is None:
            raise IntakeError("response_not_found")
        return record

    def _record_and_position(
        self, session: Session, response_id: str
    ) -> tuple[ResponseRecord, Position]:
        """The response and its position, read together in one statement."""
        found = get_response_with_answers(session, response_id)
        if found is None:
            raise IntakeError("response_not_found")
        record, answers = found
        return record, self._position(session, record, answers)

    def _position(
        self, session: Session, record: ResponseRecord, answers: dict[str, Value] | None = None
    ) -> Position:
        """The position of ``record`` (its ``answers`` when already read, else read here)."""
        survey = self._registry.by_version(session, record.version_id)
        ctx = RunContext(
            started_on=record.started_at.date(),
            channel=record.channel.value,
            language=record.language,
            today=self._clock().date(),
        )
        return Position(
            survey=survey,
            ctx=ctx,
            answers=load_answers(session, record.id) if answers is None else answers,
            cursor=record.current_path,
            status=record.status,
            pending=as_warnings(record.pending_warning),
        )

    def _load(self, response_id: str) -> Position:
        """The position of a response, read in a transaction of its own."""
        with self._sessions() as session:
            return self._record_and_position(session, response_id)[1]

    def run_step(self, response_id: str, step: Step) -> Turn:
        """Load, decide with ``step``, write the move in one transaction, build the turn."""

        def work(session: Session) -> tuple[Position, Move]:
            record, position = self._record_and_position(session, response_id)
            move = step(position)
            if move.changed:
                self._write(session, record, move)
            return position, move

        position, move = run_in_transaction(self._sessions, work)
        return turn_after(response_id, position, move)

    def _write(self, session: Session, record: ResponseRecord, move: Move) -> None:
        """Write ``move``: the state by compare-and-set first, then the answers.

        The compare-and-set proves that nobody moved the response (closed,
        erased) since it was read, and holds its row until the commit: the
        answers can then be written without checking the response again.
        """
        now = self._clock()
        moved = update_response_state(
            session,
            record.id,
            expected_row_version=record.row_version,
            current_path=move.cursor,
            status=UNCHANGED if move.status is record.status else move.status,
            pending_warning=(
                UNCHANGED
                if move.pending == as_warnings(record.pending_warning)
                else stored_warnings(move.pending)
            ),
            now=now,
        )
        if not moved:
            raise StateMovedError
        write_answers(session, record.id, move.writes, deleted=move.deletes, now=now)


def turn_after(response_id: str, position: Position, move: Move) -> Turn:
    """The turn once ``move`` (decided from ``position``) is written."""
    if move.changed:
        position = replace(
            position,
            answers=answers_after(position, move),
            cursor=move.cursor,
            status=move.status,
            pending=move.pending,
        )
    return build_turn(
        response_id,
        position,
        error=move.error,
        warning=move.warning,
        field_errors=move.field_errors,
    )


def as_warnings(
    stored: PendingWarning | tuple[PendingWarning, ...] | None,
) -> tuple[PendingWarning, ...]:
    """The pending warnings as stored (none, one, several) as a tuple."""
    if stored is None:
        return ()
    return stored if isinstance(stored, tuple) else (stored,)


def stored_warnings(
    pending: tuple[PendingWarning, ...],
) -> PendingWarning | tuple[PendingWarning, ...] | None:
    """The pending warnings as storage keeps them: none, one, or several."""
    if not pending:
        return None
    return pending[0] if len(pending) == 1 else pending
