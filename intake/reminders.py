"""One reminder for an idle Telegram respondent: what the bot's ``remind`` run needs.

A bot can message a chat only by its id, which intake otherwise keeps only as
a keyed hash. So when a Telegram response starts, the chat id is also kept
*sealed*: XORed with a pad from HMAC-SHA256(VIGIE_SECRET_KEY, response id)
and tagged, so the database alone reveals nothing and a seal moved to another
row does not open. The seal is dropped as soon as the reminder is claimed,
and with every answer when the response is erased; a run also drops the seals
of responses that ended. Claiming is a compare-and-set: of two runs, one sends.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
from dataclasses import dataclass

from sqlalchemy.orm import Session

from intake.stepping import ResponseSteps
from intake.transactions import run_in_transaction
from storage.reminders import claim_reminder, due_reminders, forget_ended_chats, remember_chat

_PAD = b"vigie-reminder-pad\x00"
_TAG = b"vigie-reminder-tag\x00"


@dataclass(frozen=True)
class Reminder:
    """A response to remind, with the chat to write to and its language."""

    response_id: str
    chat_id: int
    language: str


def seal_chat(chat_id: int, response_id: str, secret: str) -> str:
    """The chat id sealed for ``response_id`` (32 hex characters)."""
    key = secret.encode("utf-8")
    pad = hmac.new(key, _PAD + response_id.encode(), hashlib.sha256).digest()[:8]
    body = bytes(a ^ b for a, b in zip(chat_id.to_bytes(8, "big", signed=True), pad, strict=True))
    tag = hmac.new(key, _TAG + response_id.encode() + body, hashlib.sha256).digest()[:8]
    return (body + tag).hex()


def open_seal(seal: str, response_id: str, secret: str) -> int | None:
    """The chat id, or ``None`` when the seal is not this response's (or damaged)."""
    try:
        raw = bytes.fromhex(seal)
    except ValueError:
        return None
    if len(raw) != 16:
        return None
    key = secret.encode("utf-8")
    body, tag = raw[:8], raw[8:]
    expected = hmac.new(key, _TAG + response_id.encode() + body, hashlib.sha256).digest()[:8]
    if not hmac.compare_digest(tag, expected):
        return None
    pad = hmac.new(key, _PAD + response_id.encode(), hashlib.sha256).digest()[:8]
    return int.from_bytes(bytes(a ^ b for a, b in zip(body, pad, strict=True)), "big", signed=True)


class ReminderSteps(ResponseSteps):
    """The reminder operations of :class:`intake.service.IntakeService`."""

    def remember_chat(self, response_id: str, chat_id: int) -> None:
        """Keep the sealed chat of a Telegram response for its one reminder."""
        seal = seal_chat(chat_id, response_id, self._settings.secret_key)

        def work(session: Session) -> None:
            self._record(session, response_id)
            remember_chat(session, response_id, seal)

        run_in_transaction(self._sessions, work)

    def due_reminders(self, idle: dt.timedelta, *, limit: int = 500) -> list[Reminder]:
        """Telegram responses in progress, idle longer than ``idle``, never reminded."""
        since = self._clock() - idle

        def work(session: Session) -> list[Reminder]:
            forget_ended_chats(session)
            found = []
            for due in due_reminders(session, since, limit):
                chat_id = open_seal(due.chat_seal, due.response_id, self._settings.secret_key)
                if chat_id is not None:
                    found.append(Reminder(due.response_id, chat_id, due.language))
            return found

        return run_in_transaction(self._sessions, work)

    def claim_reminder(self, response_id: str) -> bool:
        """Record the reminder as sent (before sending); ``False`` if another run has."""
        now = self._clock()
        return run_in_transaction(
            self._sessions, lambda session: claim_reminder(session, response_id, now)
        )
