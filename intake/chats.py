"""A Telegram chat's response, found and answered in one transaction.

A chat names no response: the bot knows only the chat id, and each
questionnaire keeps its own keyed hash of it (:mod:`intake.tokens`). Every
update therefore starts by finding the chat's response; :meth:`ChatSteps.chat_turn`
does it with one statement for every questionnaire and builds the turn from
the same reads, and :meth:`ChatSteps.chat_answer` also answers the open
question in the same transaction (a typed message). The turn says whether the
chat must send the respondent to the web instead (:attr:`Turn.handoff`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy.orm import Session

from intake.conversation import Move, Position, RawAnswer, current_slot, stay, submit_answer
from intake.finding import find_by_chat_in
from intake.stepping import ResponseSteps, turn_after
from intake.tokens import hash_request_key
from intake.transactions import run_in_transaction
from intake.turns import Turn
from intake.web_only import chat_handoff_of
from storage.answer_requests import claim_request
from storage.records import ResponseRecord


@dataclass(frozen=True)
class ChatTurn:
    """A chat's response in progress, the questionnaire it answers, and its turn."""

    survey_id: str
    turn: Turn


class ChatSteps(ResponseSteps):
    """The chat's finding and answering of :class:`intake.service.IntakeService`."""

    def _chat_record(
        self, session: Session, chat_id: int | str, survey_ids: Sequence[str]
    ) -> ResponseRecord | None:
        return find_by_chat_in(session, chat_id, survey_ids, self._settings.secret_key)

    def chat_turn(self, chat_id: int | str, survey_ids: Sequence[str]) -> ChatTurn | None:
        """The chat's response in progress to the first of ``survey_ids`` it answers, or ``None``.

        The same response as :meth:`resume_by_chat` tried on each questionnaire
        in turn, with its current turn; one transaction.
        """

        def work(session: Session) -> tuple[ResponseRecord, Position] | None:
            record = self._chat_record(session, chat_id, survey_ids)
            return None if record is None else (record, self._position(session, record))

        found = run_in_transaction(self._sessions, work)
        if found is None:
            return None
        record, position = found
        return ChatTurn(record.survey_id, turn_after(record.id, position, stay(position)))

    def chat_answer(
        self,
        chat_id: int | str,
        survey_ids: Sequence[str],
        raw: RawAnswer,
        *,
        request_key: str | None = None,
    ) -> ChatTurn | None:
        """Answer the chat's open question with ``raw`` as typed; ``None`` if no response.

        What :meth:`chat_turn` then :meth:`submit` at the turn's question do, in
        one transaction. Nothing is stored when no question is open or the
        question is to be answered on the web (:attr:`Turn.handoff`): the turn
        comes back as it is. Once per ``request_key``, as :meth:`submit`.
        """
        digest = None if request_key is None else hash_request_key("answer", request_key)

        def work(session: Session) -> tuple[ResponseRecord, Position, Move] | None:
            record = self._chat_record(session, chat_id, survey_ids)
            if record is None:
                return None
            position = self._position(session, record)
            slot = current_slot(position)
            if slot is None or chat_handoff_of(position) is not None:
                return record, position, stay(position)
            if digest is not None and not claim_request(session, record.id, digest, self._clock()):
                return record, position, stay(position)
            move = submit_answer(position, slot.path, raw)
            if move.changed:
                self._write(session, record, move)
            return record, position, move

        done = run_in_transaction(self._sessions, work)
        if done is None:
            return None
        record, position, move = done
        return ChatTurn(record.survey_id, turn_after(record.id, position, move))
