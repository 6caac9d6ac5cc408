"""The channel-neutral intake service: the conversation both channels drive.

The web form and the Telegram bot call these methods and render the
:class:`intake.turns.Turn` each returns; they never write SQL and never decide
a rule about answers. Every call that changes something is one transaction
(the answer, the answers pruned because they no longer apply, the response's
new position and status): an acknowledged answer survives a crash of the
process right after it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import replace

from sqlalchemy.orm import Session, sessionmaker

from intake.conversation import (
    Move,
    Position,
    answers_after,
    go_back,
    stay,
    submit_answer,
    submit_page,
)
from intake.errors import IntakeError
from intake.language import check_language
from intake.notices import intake_notice
from intake.registry import SurveyRegistry
from intake.settings import IntakeSettings
from intake.starting import open_response
from intake.tokens import (
    chat_key,
    format_resume_code,
    hash_resume_code,
    new_resume_code,
    normalize_resume_code,
)
from intake.transactions import StateMovedError, run_in_transaction
from intake.turns import Turn, build_turn
from questionnaire.answers.reading import RawAnswer
from questionnaire.answers.run_context import RunContext
from questionnaire.navigation.status import ResponseStatus
from storage.answers import delete_answers, load_answers, record_answer
from storage.records import Channel, ResponseRecord
from storage.responses import (
    UNCHANGED,
    erase_response,
    find_active_response_by_chat_key,
    find_response_by_resume_hash,
    get_response,
    purge_abandoned,
    update_response_state,
)
from storage.upsert import utc_now

#: A step: from the loaded position, the move to write.
Step = Callable[[Position], Move]


class IntakeService:
    """Start, answer, go back, skip, pause, resume, change language, erase."""

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

    # -- starting and finding a response -----------------------------------------

    def start(
        self,
        survey_id: str,
        channel: str,
        language: str,
        *,
        campaign_code: str | None = None,
        chat_id: int | str | None = None,
    ) -> Turn:
        """Start a response and return its first question.

        On Telegram ``chat_id`` is required; it is kept only as a keyed hash,
        and a chat that already has a response in progress to this
        questionnaire gets that response back instead of a new one.
        """
        registered = self._registry.current(survey_id)
        try:
            kind = Channel(channel)
        except ValueError:
            raise IntakeError("unknown_channel", {"channel": channel}) from None
        if kind is Channel.TELEGRAM and chat_id is None:
            raise IntakeError("chat_id_required")
        key = None if chat_id is None else chat_key(chat_id, self._settings.secret_key)
        if key is not None:
            resumed = self._resume_by_key(key, survey_id)
            if resumed is not None:
                return resumed

        def work(session: Session) -> str:
            return open_response(
                session,
                registered,
                kind,
                language,
                campaign_code=campaign_code,
                chat_key=key,
                now=self._clock(),
            )

        response_id = run_in_transaction(self._sessions, work)
        return self.current(response_id)

    def current(self, response_id: str) -> Turn:
        """The turn to show now (the question the respondent is on, or the end)."""
        return self._run(response_id, stay)

    def resume_by_code(self, typed_code: str) -> Turn:
        """The response whose resume code was typed (separators and case ignored)."""
        code = normalize_resume_code(typed_code)
        if code is None:
            raise IntakeError("unknown_resume_code")
        with self._sessions() as session:
            record = find_response_by_resume_hash(session, hash_resume_code(code))
        if record is None:
            raise IntakeError("unknown_resume_code")
        return self.current(record.id)

    def resume_by_chat(self, chat_id: int | str, survey_id: str) -> Turn | None:
        """The response in progress of a Telegram chat to ``survey_id``, or ``None``."""
        return self._resume_by_key(chat_key(chat_id, self._settings.secret_key), survey_id)

    def _resume_by_key(self, key: str, survey_id: str) -> Turn | None:
        with self._sessions() as session:
            record = find_active_response_by_chat_key(session, key, survey_id)
        return None if record is None else self.current(record.id)

    # -- answering ----------------------------------------------------------------

    def submit(self, response_id: str, path: str, raw: RawAnswer) -> Turn:
        """Answer the question at ``path`` (the one shown) with a raw answer.

        ``raw`` is what the channel received: a choice code or number, free
        text, a list for a multiple choice. Errors and soft warnings come back
        in the turn; a valid answer is stored and the next question returned.
        """
        return self._run(response_id, lambda position: submit_answer(position, path, raw))

    def skip(self, response_id: str, path: str) -> Turn:
        """Leave the question at ``path`` unanswered, where its ``required`` allows."""
        return self.submit(response_id, path, None)

    def submit_page(
        self, response_id: str, page_path: str, fields: Mapping[str, RawAnswer]
    ) -> Turn:
        """Answer a whole web page (the page holding ``page_path``); errors come per field."""
        return self._run(response_id, lambda position: submit_page(position, page_path, fields))

    def back(self, response_id: str, *, page: bool = False) -> Turn:
        """Go back one question (``page=True``: to the previous web page)."""
        return self._run(response_id, lambda position: go_back(position, page=page))

    # -- pausing, language, erasing ---------------------------------------------------

    def pause(self, response_id: str) -> Turn:
        """Pause: on the web, issue a new resume code (the previous one stops working).

        The code is in the turn once and never stored: only its SHA-256 is.
        On Telegram the chat itself is the way back; no code is issued.
        """
        with self._sessions() as session:
            record = self._record(session, response_id)
        if record.channel is Channel.TELEGRAM or record.status is not ResponseStatus.IN_PROGRESS:
            turn = self.current(response_id)
            if record.status is not ResponseStatus.IN_PROGRESS:
                return turn
            return replace(turn, info=intake_notice("paused_chat", turn.language))
        code = new_resume_code()

        def work(session: Session) -> None:
            fresh = self._record(session, response_id)
            moved = update_response_state(
                session,
                response_id,
                expected_row_version=fresh.row_version,
                resume_token_hash=hash_resume_code(code),
                now=self._clock(),
            )
            if not moved:
                raise StateMovedError

        run_in_transaction(self._sessions, work)
        shown = format_resume_code(code)
        turn = self.current(response_id)
        info = intake_notice("paused", turn.language, code=shown)
        return replace(turn, resume_code=shown, info=info)

    def change_language(self, response_id: str, language: str) -> Turn:
        """Go on in another of the questionnaire's languages."""

        def work(session: Session) -> None:
            record = self._record(session, response_id)
            check_language(self._registry.by_version(session, record.version_id), language)
            if record.language == language:
                return
            moved = update_response_state(
                session,
                response_id,
                expected_row_version=record.row_version,
                language=language,
                now=self._clock(),
            )
            if not moved:
                raise StateMovedError

        run_in_transaction(self._sessions, work)
        return self.current(response_id)

    def erase(self, response_id: str) -> Turn:
        """Erase every answer and key of a response; it stays as status ``erased``."""

        def work(session: Session) -> None:
            if not erase_response(session, response_id, now=self._clock()):
                raise IntakeError("response_not_found")

        run_in_transaction(self._sessions, work)
        return self.current(response_id)

    def erase_by_code(self, typed_code: str) -> Turn:
        """Erase the response whose resume code was typed."""
        return self.erase(self.resume_by_code(typed_code).response_id)

    def mark_abandoned(self, older_than: dt.timedelta | None = None) -> int:
        """Mark responses idle longer than ``older_than`` as abandoned (for a scheduled job).

        Defaults to ``VIGIE_ABANDON_AFTER_DAYS``. Partial answers are kept.
        Returns how many responses were marked.
        """
        cutoff = self._settings.abandon_after if older_than is None else older_than

        def work(session: Session) -> int:
            return purge_abandoned(session, cutoff, now=self._clock())

        return run_in_transaction(self._sessions, work)

    # -- one step ---------------------------------------------------------------------

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

    def _run(self, response_id: str, step: Step) -> Turn:
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
