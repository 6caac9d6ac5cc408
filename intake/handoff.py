"""Sensitive sections go to the web: one-time links that take a chat's response there.

Sensitive sections (``sensitive: true`` in the questionnaire) are asked only
on the web, behind the quick exit; a chat's history stays on the phone. When a
Telegram respondent reaches one, the bot asks :meth:`HandoffSteps.chat_handoff`,
gets a link from :meth:`HandoffSteps.issue_handoff` and sends it; opening it
calls :meth:`HandoffSteps.redeem_handoff`, and the same response goes on on
the web from the sensitive section to its end.

A token is 192 random bits (URL-safe, 32 characters). Only its keyed hash
(``HMAC-SHA256(VIGIE_SECRET_KEY, "handoff" NUL token)``) is stored, for
:data:`HANDOFF_LIFETIME`; a link opens its response once, and a newer link
replaces the older one. Redeeming is a compare-and-set on the hash: of two
concurrent redemptions, exactly one wins. Failed redemptions count against
the same guess limit as resume codes (:mod:`intake.guesses`).

What redeeming does to the response: its channel becomes ``web`` (the
sensitive answers are then, like every sensitive answer, web answers), its
sealed chat id for the reminder is dropped, and its cursor moves to the first
unanswered question, the first of the sensitive section. ``web_handoffs``
keeps when a link was used, so a response that started in the chat stays
recognisable. The chat no longer takes answers for it: it says that the
response goes on on the web and gives a fresh link.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import re
import secrets
from typing import Final

from sqlalchemy.orm import Session

from intake.conversation import stay
from intake.errors import IntakeError
from intake.moving import go_forward
from intake.stepping import ResponseSteps
from intake.transactions import StateMovedError, run_in_transaction
from intake.turns import Turn
from intake.web_only import HandoffReason, chat_handoff_of, has_web_only_part, web_part_next
from storage.handoffs import claim_handoff, move_to_web, save_handoff
from storage.records import Channel, ResponseStatus

__all__ = [
    "HANDOFF_LIFETIME",
    "HandoffReason",
    "HandoffSteps",
    "handoff_digest",
    "has_web_only_part",
    "new_handoff_token",
    "web_part_next",
]

#: How long a link works after it is issued.
HANDOFF_LIFETIME: Final = dt.timedelta(minutes=30)
#: Random bytes of a token (192 bits).
TOKEN_BYTES: Final = 24
#: What a token looks like (``secrets.token_urlsafe(24)``): anything else is refused unread.
TOKEN_PATTERN: Final = re.compile(r"[A-Za-z0-9_-]{32}")


def new_handoff_token() -> str:
    """A fresh random token (192 bits, 32 URL-safe characters)."""
    return secrets.token_urlsafe(TOKEN_BYTES)


def handoff_digest(token: str, secret_key: str) -> str:
    """What the database keeps of a token (64 hex digits)."""
    key = secret_key.encode("utf-8")
    return hmac.new(key, b"handoff\x00" + token.encode("utf-8"), hashlib.sha256).hexdigest()


class HandoffSteps(ResponseSteps):
    """The hand-off operations of :class:`intake.service.IntakeService`."""

    def chat_handoff(self, response_id: str) -> HandoffReason | None:
        """Why the chat must send this response to the web instead of asking on, if it must.

        :attr:`HandoffReason.SENSITIVE_SECTION` for a response in progress that
        reached a sensitive section the chat does not ask (:func:`web_part_next`),
        :attr:`HandoffReason.ON_WEB` for one that went on on the web through a
        link; ``None`` otherwise (the chat asks its question). Every turn with a
        question already carries the same answer (:attr:`Turn.handoff`).
        """
        with self._sessions() as session:
            record = self._record(session, response_id)
            if record.status is not ResponseStatus.IN_PROGRESS:
                return None
            if record.channel is Channel.WEB:
                return HandoffReason.ON_WEB
            survey = self._registry.by_version(session, record.version_id)
            if not has_web_only_part(survey):
                return None
            return chat_handoff_of(self._position(session, record))

    def issue_handoff(self, response_id: str) -> str:
        """A one-time token that opens this response on the web; older ones stop working.

        Raises :class:`IntakeError` ``response_not_found`` or ``response_closed``.
        """
        token = new_handoff_token()
        digest = handoff_digest(token, self._settings.secret_key)

        def work(session: Session) -> None:
            record = self._record(session, response_id)
            if record.status is not ResponseStatus.IN_PROGRESS:
                raise IntakeError("response_closed")
            now = self._clock()
            save_handoff(session, response_id, digest, now, now + HANDOFF_LIFETIME)

        run_in_transaction(self._sessions, work)
        return token

    def redeem_handoff(self, token: str, *, client: str | None = None) -> Turn:
        """Use a link: the response goes on on the web; its turn there.

        ``client`` names the caller for the guess limit, as for resume codes.
        Raises :class:`IntakeError` ``unknown_handoff`` for a token that is
        malformed, unknown, used, replaced or expired, or whose response has
        ended; ``too_many_attempts`` over the guess limit.
        """
        self._guesses.check(client)
        found = None
        if TOKEN_PATTERN.fullmatch(token) is not None:
            digest = handoff_digest(token, self._settings.secret_key)
            found = run_in_transaction(self._sessions, lambda s: self._claim(s, digest))
        if found is None:
            self._guesses.failed(client)
            raise IntakeError("unknown_handoff")
        return self.run_step(found, stay)

    def _claim(self, session: Session, digest: str) -> str | None:
        """Claim the link, move its response to the web and to its first unanswered question."""
        now = self._clock()
        response_id = claim_handoff(session, digest, now)
        if response_id is None:
            return None
        record = self._record(session, response_id)
        if record.status is not ResponseStatus.IN_PROGRESS:
            return None
        if record.channel is not Channel.WEB:
            if not move_to_web(
                session, response_id, expected_row_version=record.row_version, now=now
            ):
                raise StateMovedError
            record = self._record(session, response_id)
        move = go_forward(self._position(session, record))
        if move.changed:
            self._write(session, record, move)
        return response_id
