"""Slowing down whoever guesses resume codes.

A resume code is 10 characters out of 23 (about 45 bits). Guessing one online
is hopeless at human speed, but not at machine speed, so the service counts
failed guesses and refuses to look codes up beyond a budget:

- at most :data:`MAX_FAILED_PER_CLIENT` failed guesses per client in any
  :data:`WINDOW` (a client is what the channel can name the caller by, e.g. a
  keyed hash of the web request's address; callers that name none share one
  client);
- at most :data:`MAX_FAILED_OVERALL` failed guesses in any window for the
  whole process, whoever makes them (an attacker spreading guesses over many
  addresses still meets this ceiling).

Over a budget, every look-up by code from that client (or from anyone, for
the overall ceiling) is refused with ``too_many_attempts`` until the window
has slid past the oldest failure, a right code included: otherwise a blocked
guesser would still learn which guess was right. A success does not wipe the
failures. The counts live in the process's memory: each worker process keeps
its own, so the service-wide ceiling is the per-process one times the number
of processes; the web channel's per-address rate limit comes on top.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections import deque
from collections.abc import Callable
from typing import Final

from intake.errors import IntakeError

#: Failed guesses one client may make in a window.
MAX_FAILED_PER_CLIENT: Final = 10
#: Failed guesses the whole process accepts in a window.
MAX_FAILED_OVERALL: Final = 300
#: The sliding window.
WINDOW: Final = dt.timedelta(minutes=15)
#: The client of callers that name none.
ANONYMOUS: Final = ""


class GuessLimiter:
    """Counts failed resume-code guesses in a sliding window, per client and overall."""

    def __init__(
        self,
        clock: Callable[[], dt.datetime],
        *,
        per_client: int = MAX_FAILED_PER_CLIENT,
        overall: int = MAX_FAILED_OVERALL,
        window: dt.timedelta = WINDOW,
    ) -> None:
        self._clock = clock
        self._per_client = per_client
        self._overall = overall
        self._window = window
        self._lock = threading.Lock()
        self._failures: dict[str, deque[dt.datetime]] = {}
        self._all: deque[dt.datetime] = deque()

    def __repr__(self) -> str:
        return (
            f"GuessLimiter(per_client={self._per_client}, overall={self._overall}, "
            f"window={self._window})"
        )

    def check(self, client: str | None) -> None:
        """Raise :class:`IntakeError` ``too_many_attempts`` if ``client`` is over a budget."""
        key = ANONYMOUS if client is None else client
        with self._lock:
            self._forget_old()
            mine = self._failures.get(key, ())
            if len(mine) >= self._per_client or len(self._all) >= self._overall:
                raise IntakeError("too_many_attempts", {"minutes": self.minutes})

    def failed(self, client: str | None) -> None:
        """Count one failed guess of ``client``."""
        key = ANONYMOUS if client is None else client
        now = self._clock()
        with self._lock:
            self._failures.setdefault(key, deque()).append(now)
            self._all.append(now)

    @property
    def minutes(self) -> int:
        """The window in whole minutes (for the message)."""
        return max(1, round(self._window.total_seconds() / 60))

    def _forget_old(self) -> None:
        cutoff = self._clock() - self._window
        while self._all and self._all[0] <= cutoff:
            self._all.popleft()
        for key in list(self._failures):
            times = self._failures[key]
            while times and times[0] <= cutoff:
                times.popleft()
            if not times:
                del self._failures[key]
