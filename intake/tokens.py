"""Resume codes and chat keys: how a respondent finds their response again.

Neither is ever stored as given, and neither can be recovered from a copy of
the database without the server's secret (``VIGIE_SECRET_KEY``):

- a resume code (shown on the web) is stored as
  ``HMAC-SHA256(secret, "resume" NUL SHA-256(code))``: a 45-bit code space is
  small enough to search offline if the digest were unkeyed, so it is keyed;
- a Telegram chat id is stored as
  ``HMAC-SHA256(secret, "chat" NUL survey_id NUL HMAC-SHA256(secret, chat_id))``:
  keyed, and different in every questionnaire, so that one chat's responses to
  two questionnaires cannot be linked through the database.

Both are built on the digest Vigie stored before (unkeyed SHA-256 of the code,
questionnaire-blind HMAC of the chat id), so a stored row of the earlier form
can be turned into the new form without knowing the code or the chat id
(:func:`upgrade_resume_digest`, :func:`upgrade_chat_key`):
:mod:`intake.finding` does it the first time such a row is used.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from typing import Final

#: Capital letters and digits without look-alikes (no 0/O, 1/I/L, 5/S, 8/B, 2/Z, U/V).
RESUME_ALPHABET: Final = "34679ACDEFGHJKMNPQRTWXY"
#: Characters of a resume code: 23**10 ≈ 4·10^13 codes, about 45 bits.
RESUME_CODE_LENGTH: Final = 10
#: Characters a respondent may type between groups; ignored.
_SEPARATORS: Final = " -_.\t"


def new_resume_code() -> str:
    """A fresh random resume code of :data:`RESUME_CODE_LENGTH` characters."""
    return "".join(secrets.choice(RESUME_ALPHABET) for _ in range(RESUME_CODE_LENGTH))


def format_resume_code(code: str) -> str:
    """The code as shown, in two groups: ``"ACD34-FGH79"``."""
    half = len(code) // 2
    return f"{code[:half]}-{code[half:]}"


def normalize_resume_code(typed: str) -> str | None:
    """The code a respondent typed, upper-cased and without separators.

    ``None`` when it cannot be a resume code (wrong length or a character
    outside :data:`RESUME_ALPHABET`).

    >>> normalize_resume_code(" acd34-fgh79 ")
    'ACD34FGH79'
    """
    code = "".join(c for c in typed.upper() if c not in _SEPARATORS)
    if len(code) != RESUME_CODE_LENGTH or any(c not in RESUME_ALPHABET for c in code):
        return None
    return code


def _hmac_hex(secret_key: str, *parts: str) -> str:
    message = "\x00".join(parts).encode("utf-8")
    return hmac.new(secret_key.encode("utf-8"), message, hashlib.sha256).hexdigest()


def legacy_resume_digest(code: str) -> str:
    """Unkeyed SHA-256 (hex) of a normalized resume code: the form stored before keying."""
    return hashlib.sha256(code.encode("ascii")).hexdigest()


def upgrade_resume_digest(legacy_digest: str, secret_key: str) -> str:
    """The keyed digest of a code whose :func:`legacy_resume_digest` is ``legacy_digest``."""
    return _hmac_hex(secret_key, "resume", legacy_digest)


def resume_digest(code: str, secret_key: str) -> str:
    """What the database keeps of a normalized resume code (64 hex digits)."""
    return upgrade_resume_digest(legacy_resume_digest(code), secret_key)


def legacy_chat_key(chat_id: int | str, secret_key: str) -> str:
    """HMAC-SHA256 (hex) of a chat id, the same in every questionnaire: the form stored before."""
    return _hmac_hex(secret_key, str(chat_id))


def upgrade_chat_key(legacy_key: str, survey_id: str, secret_key: str) -> str:
    """The questionnaire's chat key of a chat whose :func:`legacy_chat_key` is ``legacy_key``."""
    return _hmac_hex(secret_key, "chat", survey_id, legacy_key)


def chat_key(chat_id: int | str, secret_key: str, survey_id: str) -> str:
    """What the database keeps of a Telegram chat id answering ``survey_id`` (64 hex digits)."""
    return upgrade_chat_key(legacy_chat_key(chat_id, secret_key), survey_id, secret_key)


def hash_request_key(channel: str, request_key: str) -> str:
    """SHA-256 (hex) of a channel's request key: what ``responses.request_key`` keeps.

    The channel is part of the hash, so a web form token and a Telegram update
    id that happen to be equal never find each other's response.
    """
    return hashlib.sha256(f"{channel}\x1f{request_key}".encode()).hexdigest()
