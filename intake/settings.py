"""The intake service's settings, read once from the environment.

=========================  ==========================================================
variable                   meaning
=========================  ==========================================================
``VIGIE_SECRET_KEY``       key of the HMAC-SHA256 that turns a Telegram chat id into
                           a chat key; required outside testing (the built-in
                           development value is refused)
``VIGIE_ABANDON_AFTER_DAYS``  days without activity after which an in-progress
                           response counts as abandoned (default 30)
``VIGIE_TESTING``          ``1``/``true``: testing mode, where the development
                           secret is accepted
=========================  ==========================================================
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Final

from intake.errors import IntakeError

#: The secret used when none is configured: accepted in testing only.
DEVELOPMENT_SECRET_KEY: Final = "vigie-development-secret-do-not-use-in-production"
#: Days of inactivity before an in-progress response is marked abandoned.
DEFAULT_ABANDON_AFTER_DAYS: Final = 30
#: A secret shorter than this is refused: the chat key must not be guessable.
MIN_SECRET_LENGTH: Final = 16

_TRUE = frozenset({"1", "true", "yes", "on"})


@dataclass(frozen=True)
class IntakeSettings:
    """What the intake service needs from its deployment."""

    #: Key of the chat-key HMAC; never logged, never stored.
    secret_key: str = DEVELOPMENT_SECRET_KEY
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
        ``short_secret``, ``invalid_abandon_after_days``.
        """
        if self.secret_key == DEVELOPMENT_SECRET_KEY and not self.testing:
            raise IntakeError("default_secret")
        if len(self.secret_key) < MIN_SECRET_LENGTH:
            raise IntakeError("short_secret", {"min": MIN_SECRET_LENGTH})
        if self.abandon_after_days < 1:
            raise IntakeError("invalid_abandon_after_days", {"value": self.abandon_after_days})
        return self


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
    secret = env.get("VIGIE_SECRET_KEY", "") or DEVELOPMENT_SECRET_KEY
    return IntakeSettings(secret_key=secret, abandon_after_days=days, testing=is_testing).check()
