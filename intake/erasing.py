"""Erasing and abandoning responses: a resident's right to take back what they said.

Erasing deletes every answer and key of a response and keeps it, answerless,
as status ``erased`` (so counts of started responses stay true); marking
abandoned keeps partial answers. Each is one transaction.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from intake.conversation import stay
from intake.errors import IntakeError
from intake.finding import find_all_by_chat
from intake.stepping import ResponseSteps
from intake.transactions import run_in_transaction
from intake.turns import Turn
from storage.records import ResponseStatus
from storage.retention import erase_response, purge_abandoned

#: The responses a chat may erase: those that still hold answers and its chat key.
CHAT_ERASABLE = (ResponseStatus.IN_PROGRESS, ResponseStatus.COMPLETED, ResponseStatus.SCREENED_OUT)


class ErasingSteps(ResponseSteps):
    """Erase a response (by id or by chat), mark idle ones abandoned."""

    def erase(self, response_id: str) -> Turn:
        """Erase every answer and key of a response; it stays as status ``erased``."""

        def work(session: Session) -> None:
            if not erase_response(session, response_id, now=self._clock()):
                raise IntakeError("response_not_found")

        run_in_transaction(self._sessions, work)
        return self.run_step(response_id, stay)

    def erase_by_chat(self, chat_id: int | str, survey_id: str) -> Turn:
        """Erase what a Telegram chat answered to ``survey_id``, finished or not.

        Every response of the chat to the questionnaire that still holds
        answers (in progress, completed, screened out) is erased; the turn is
        the newest one's. :class:`IntakeError` ``response_not_found`` if none.
        """
        secret = self._settings.secret_key

        def work(session: Session) -> str:
            found = find_all_by_chat(session, chat_id, survey_id, secret, CHAT_ERASABLE)
            if not found:
                raise IntakeError("response_not_found")
            for record in found:
                erase_response(session, record.id, now=self._clock())
            return found[0].id

        return self.run_step(run_in_transaction(self._sessions, work), stay)

    def mark_abandoned(self, older_than: dt.timedelta | None = None) -> int:
        """Mark responses idle longer than ``older_than`` as abandoned (for a scheduled job).

        Defaults to ``VIGIE_ABANDON_AFTER_DAYS``. Partial answers are kept.
        Returns how many responses were marked.
        """
        cutoff = self._settings.abandon_after if older_than is None else older_than

        def work(session: Session) -> int:
            return purge_abandoned(session, cutoff, now=self._clock())

        return run_in_transaction(self._sessions, work)
