"""Callback data of inline buttons: short, versioned, signed and bound to one chat.

Telegram gives a button at most 64 bytes of data and sends it back verbatim
when pressed; anyone can craft an update with any data. So every button's
data is ``<version><kind>:<field>:...:<signature>`` where the signature is an
HMAC of the chat id and the payload with a key derived from the bot's token:
data copied from another chat, edited or replayed from an older format does
not verify and is ignored.

The fields name the response (its id's first characters) and the question (a
short hash of its answer path), never the answer rules: the bot compares them
with the current turn before calling intake, so a button of an old message
answers only the question that is still open.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from dataclasses import dataclass
from enum import StrEnum
from typing import Final

#: Bumped when the layout changes: older buttons then read as stale, never misread.
VERSION: Final = "1"
#: Telegram's limit on callback data, in bytes.
MAX_BYTES: Final = 64
_SIGNATURE_CHARS: Final = 11
_SEPARATOR: Final = ":"
#: Characters of the response id kept on a button.
RESPONSE_PREFIX: Final = 8


class Kind(StrEnum):
    """What pressing the button does (one letter each on the wire)."""

    OFFER = "o"  # start the questionnaire: survey hash
    LANGUAGE = "g"  # go on in a language: response prefix, language
    ANSWER = "a"  # answer with option N: response, path hash, number
    TOGGLE = "t"  # tick/untick option N: response, path hash, number, selection mask
    DONE = "d"  # send the ticked options: response, path hash, selection mask
    VALUE = "v"  # answer with a value offered as a button (a month, a rating): path hash, raw
    SKIP = "k"  # skip the question: response, path hash
    BACK = "b"  # go back: response, path hash
    CHANGE = "c"  # change an answer from the review: response, path hash
    ERASE = "e"  # erase, confirmed: response
    KEEP = "n"  # do not erase: response
    FINISH = "f"  # done revisiting: response


@dataclass(frozen=True)
class Callback:
    """A verified button press."""

    kind: Kind
    fields: tuple[str, ...]

    def field(self, index: int) -> str:
        return self.fields[index] if index < len(self.fields) else ""


def short_hash(text: str, length: int = 8) -> str:
    """A URL-safe short hash of ``text`` (answer paths, survey ids)."""
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return base64.urlsafe_b64encode(digest).decode("ascii")[:length]


class CallbackSigner:
    """Makes and checks the data of buttons with one key."""

    def __init__(self, token: str) -> None:
        self._key = hashlib.sha256(b"vigie-telegram-callback\x00" + token.encode("utf-8")).digest()

    def _signature(self, chat_id: int, payload: str) -> str:
        mac = hmac.new(self._key, f"{chat_id}|{payload}".encode(), hashlib.sha256).digest()
        return base64.urlsafe_b64encode(mac).decode("ascii")[:_SIGNATURE_CHARS]

    def make(self, chat_id: int, kind: Kind, *fields: str) -> str:
        """The data of a button of ``kind`` in ``chat_id``'s chat."""
        for item in fields:
            if _SEPARATOR in item:
                raise ValueError(f"callback field {item!r} contains {_SEPARATOR!r}")
        payload = _SEPARATOR.join((VERSION + kind.value, *fields))
        data = f"{payload}{_SEPARATOR}{self._signature(chat_id, payload)}"
        if len(data.encode("utf-8")) > MAX_BYTES:
            raise ValueError(f"callback data longer than {MAX_BYTES} bytes: {data!r}")
        return data

    def read(self, chat_id: int, data: object) -> Callback | None:
        """The press, or ``None`` when the data is not one of this bot's for this chat."""
        if not isinstance(data, str) or not 0 < len(data) <= MAX_BYTES:
            return None
        payload, _, signature = data.rpartition(_SEPARATOR)
        if not payload or not hmac.compare_digest(signature, self._signature(chat_id, payload)):
            return None
        head, *fields = payload.split(_SEPARATOR)
        if len(head) != 2 or head[0] != VERSION:
            return None
        try:
            kind = Kind(head[1])
        except ValueError:
            return None
        return Callback(kind, tuple(fields))


def response_prefix(response_id: str) -> str:
    """What a button keeps of a response id."""
    return response_id[:RESPONSE_PREFIX]
