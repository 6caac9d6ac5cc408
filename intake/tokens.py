"""Resume codes and chat keys: how a respondent finds their response again.

Neither is ever stored as given. A resume code (shown on the web) is stored as
its SHA-256; a Telegram chat id is stored as an HMAC-SHA256 keyed with the
server's secret (``VIGIE_SECRET_KEY``), so that the database alone cannot be
joined with Telegram's users.
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


def hash_resume_code(code: str) -> str:
    """SHA-256 (hex) of a normalized resume code: what the database keeps."""
    return hashlib.sha256(code.encode("ascii")).hexdigest()


def chat_key(chat_id: int | str, secret_key: str) -> str:
    """HMAC-SHA256 (hex) of a Telegram chat id keyed with the server secret."""
    return hmac.new(
        secret_key.encode("utf-8"), str(chat_id).encode("utf-8"), hashlib.sha256
    ).hexdigest()


def hash_request_key(channel: str, request_key: str) -> str:
    """SHA-256 (hex) of a channel's request key: what ``responses.request_key`` keeps.

    The channel is part of the hash, so a web form token and a Telegram update
    id that happen to be equal never find each other's response.
    """
    return hashlib.sha256(f"{channel}\x1f{request_key}".encode()).hexdigest()
