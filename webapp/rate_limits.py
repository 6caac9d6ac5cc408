"""Cheap rate limits: counters in the process without a thread per hit, answers counted directly.

Flask-Limiter guards the rare routes (starts, resume codes, sign-in) with its
decorators. Two things keep the most frequent post, an answer, cheap:

- :class:`ProcessMemory` serves ``memory://`` (the default, one process's
  counters). limits' own memory storage starts a timer thread after almost
  every hit to expire old windows; a thread costs more than the rest of the
  limit check together. Here a window that has run out is dropped when its key
  is hit or read again, and every other one in a sweep at most once a minute,
  in the thread that counts.
- :func:`webapp.security.check_answer_rate` counts an answer post against
  ``VIGIE_ANSWER_RATE_LIMIT`` in the limiter's storage (memory or Redis: the
  same counters as the decorators) with one call, instead of going through
  the decorator's resolution of routes, blueprints and exemptions on every
  post. Beyond the limit: 429, the same page as any refused request.
"""

from __future__ import annotations

import threading
import time
from functools import lru_cache
from typing import Any, Final

from limits import RateLimitItem, parse
from limits.storage import MemoryStorage

#: The URI of :class:`ProcessMemory`, used in place of ``memory://``.
PROCESS_MEMORY_URI: Final = "vigie-memory://"
#: Seconds between two sweeps of the windows that ran out.
SWEEP_SECONDS: Final = 60.0


class ProcessMemory(MemoryStorage):
    """limits' memory storage for fixed windows, without an expiry thread per hit."""

    STORAGE_SCHEME = ["vigie-memory"]  # noqa: RUF012 - the type limits declares

    def __init__(self, uri: str | None = None, wrap_exceptions: bool = False, **options: Any):
        super().__init__(uri, wrap_exceptions=wrap_exceptions, **options)
        self._counting = threading.Lock()
        self._next_sweep = time.time() + SWEEP_SECONDS

    def incr(self, key: str, expiry: float, amount: int = 1) -> int:
        """Count ``amount`` in ``key``'s window, opening a new one of ``expiry`` seconds if none."""
        now = time.time()
        with self._counting:
            if now >= self._next_sweep:
                self._sweep(now)
            if self.expirations.get(key, 0) <= now:
                self.storage.pop(key, None)
                self.expirations.pop(key, None)
            count = self.storage[key] + amount
            self.storage[key] = count
            if count == amount:
                self.expirations[key] = now + expiry
            return count

    def get(self, key: str) -> int:
        """The count in ``key``'s window (0 once it ran out)."""
        with self._counting:
            if self.expirations.get(key, 0) <= time.time():
                self.storage.pop(key, None)
                self.expirations.pop(key, None)
            return self.storage.get(key, 0)

    def _sweep(self, now: float) -> None:
        """Drop every window that ran out (so that keys seen once do not pile up)."""
        for key in [key for key, ends in self.expirations.items() if ends <= now]:
            self.storage.pop(key, None)
            self.expirations.pop(key, None)
            self.locks.pop(key, None)
        self._next_sweep = now + SWEEP_SECONDS


def storage_uri(configured: str | None) -> str:
    """The storage Flask-Limiter is given: :class:`ProcessMemory` for ``memory://``."""
    return PROCESS_MEMORY_URI if configured in (None, "", "memory://") else configured


@lru_cache(maxsize=8)
def parsed_limit(text: str) -> RateLimitItem:
    """``60 per minute`` as limits reads it (parsed once per text)."""
    return parse(text)
