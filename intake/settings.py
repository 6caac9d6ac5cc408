"""The intake service's settings, read once from the environment.

=========================  ==========================================================
variable                   meaning
=========================  ==========================================================
``VIGIE_SECRET_KEY``       key of the HMAC-SHA256 digests of resume codes and chat
                           ids; required outside testing (the built-in
                           development value is refused), at least 16 characters
                           besides spaces and varied enough (see
                           :func:`secret_strength`); never shown by ``repr()``
``VIGIE_ABANDON_AFTER_DAYS``  days without activity after which an in-progress
                           response counts as abandoned (default 30)
``VIGIE_TESTING``          ``1``/``true``: testing mode, where the development
                           secret is accepted
=========================  ==========================================================
"""

from __future__ import annotations

import datetime as dt
import math
import os
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Final

from intake.errors import IntakeError

#: The secret used when none is configured: accepted in testing only.
DEVELOPMENT_SECRET_KEY: Final = "vigie-development-secret-do-not-use-in-production"
#: Days of inactivity before an in-progress response is marked abandoned.
DEFAULT_ABANDON_AFTER_DAYS: Final = 30
#: A secret shorter than this is refused: the chat key must not be guessable.
MIN_SECRET_LENGTH: Final = 16
#: A secret whose characters carry fewer bits than this (see :func:`secret_strength`) is refused.
MIN_SECRET_BITS: Final = 40
#: A secret with fewer different characters than this is refused (``abababab...``).
MIN_SECRET_DISTINCT: Final = 6

_TRUE = frozenset({"1", "true", "yes", "on"})


@dataclass(frozen=True)
class IntakeSettings:
    """What the intake service needs from its deployment."""

    #: Key of the resume-code and chat-key HMACs; never logged, never stored, never in repr().
    secret_key: str = field(default=DEVELOPMENT_SECRET_KEY, repr=False)
    #: Retention: in-progress responses idle this long become abandoned.
    abandon_after_days: int = DEFAULT_ABANDON_AFTER_DAYS
    #: Testing mode accepts the development secret.
    testing: bool = False

    @property
    def abandon_after(self) -> dt.timedelta:
        """:attr:`abandon_after_days` as a duration."""
        return dt.timedelta(days=self.abandon_after_days)

    def check(self) -> IntakeSettings:
        """Return ``self`` if usable, else raise :class:`IntakeError`.

        Codes: ``default_secret`` (the development secret outside testing),
        ``short_secret`` (fewer than 16 characters besides white space),
        ``weak_secret`` (too few different characters, or too predictable:
        see :func:`secret_strength`), ``invalid_abandon_after_days``.
        """
        if self.secret_key == DEVELOPMENT_SECRET_KEY and not self.testing:
            raise IntakeError("default_secret")
        if len("".join(self.secret_key.split())) < MIN_SECRET_LENGTH:
            raise IntakeError("short_secret", {"min": MIN_SECRET_LENGTH})
        distinct, bits = secret_strength(self.secret_key)
        if distinct < MIN_SECRET_DISTINCT or bits < MIN_SECRET_BITS:
            raise IntakeError(
                "weak_secret", {"distinct": MIN_SECRET_DISTINCT, "bits": MIN_SECRET_BITS}
            )
        if self.abandon_after_days < 1:
            raise IntakeError("invalid_abandon_after_days", {"value": self.abandon_after_days})
        return self


def secret_strength(secret: str) -> tuple[int, float]:
    """How many different characters ``secret`` has, and a rough count of its bits.

    The bits are the length times the Shannon entropy of the characters'
    frequencies: 16 spaces give 0, ``aaaaaaaaaaaaaaaa1`` about 5, a
    ``secrets.token_urlsafe(32)`` about 200. It cannot tell a random secret
    from a well-mixed sentence, but it refuses the repeated, the blank and the
    short ones that no generator would produce.
    """
    if not secret:
        return 0, 0.0
    counts = Counter(secret)
    size = len(secret)
    entropy = -sum(n / size * math.log2(n / size) for n in counts.values())
    return len(counts), max(0.0, entropy * size)


def load_settings(
    environ: Mapping[str, str] | None = None, *, testing: bool | None = None
) -> IntakeSettings:
    """Settings from ``environ`` (default ``os.environ``), checked.

    ``testing`` overrides ``VIGIE_TESTING``. Raises :class:`IntakeError` with
    the codes of :meth:`IntakeSettings.check`, or ``invalid_abandon_after_days``
    when the variable is not a whole number.
    """
    env = os.environ if environ is None else environ
    is_testing = env.get("VIGIE_TESTING", "").strip().lower() in _TRUE
    if testing is not None:
        is_testing = testing
    raw_days = env.get("VIGIE_ABANDON_AFTER_DAYS", "").strip()
    days = DEFAULT_ABANDON_AFTER_DAYS
    if raw_days:
        try:
            days = int(raw_days)
        except ValueError:
            raise IntakeError("invalid_abandon_after_days", {"value": raw_days}) from None
    secret = env.get("VIGIE_SECRET_KEY", "").strip() or DEVELOPMENT_SECRET_KEY
    return IntakeSettings(secret_key=secret, abandon_after_days=days, testing=is_testing).check()
