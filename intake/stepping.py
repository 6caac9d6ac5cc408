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
from intake.registry import SurveyRegistry
from intake.settings import IntakeSettings
from intake.transactions import StateMovedError, run_in_transaction
from intake.turns import Turn, build_turn
from questionnaire.answers.run_context import RunContext
from storage.answers import delete_answers, load_answers, record_answer
from storage.records import ResponseRecord
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

    def _record(self, session: Session, response_id: str) -> ResponseRecord:
        record = get_response(session, response_id)
        if record is None:
            raise IntakeError("response_not_found")
        return record

    def _position(self, session: Session, record: ResponseRecord) -> Position:
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
            answers=load_answers(session, record.id),
            cursor=record.current_path,
            status=record.status,
            pending=record.pending_warning,
        )

    def _load(self, response_id: str) -> Position:
        """The position of a response, read in a transaction of its own."""
        with self._sessions() as session:
            return self._position(session, self._record(session, response_id))

    def run_step(self, response_id: str, step: Step) -> Turn:
        """Load, decide with ``step``, write the move in one transaction, build the turn."""

        def work(session: Session) -> tuple[Position, Move]:
            record = self._record(session, response_id)
            position = self._position(session, record)
            move = step(position)
            if move.changed:
                self._write(session, record, move)
            return position, move

        position, move = run_in_transaction(self._sessions, work)
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

    def _write(self, session: Session, record: ResponseRecord, move: Move) -> None:
        """Write ``move``: answers first (they need the response open), then the state."""
        now = self._clock()
        for path, value in move.writes.items():
            record_answer(session, record.id, path, value, now=now)
        if move.deletes:
            delete_answers(session, record.id, move.deletes, now=now)
        moved = update_response_state(
            session,
            record.id,
            expected_row_version=record.row_version,
            current_path=move.cursor,
            status=UNCHANGED if move.status is record.status else move.status,
            pending_warning=UNCHANGED if move.pending == record.pending_warning else move.pending,
            now=now,
        )
        if not moved:
            raise StateMovedError
