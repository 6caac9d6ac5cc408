"""One transaction per step, retried when another writer moved first.

Two devices may answer the same response at once. Each step reads the
response, decides, and writes its answers and the response's new state in one
transaction; the state is written by compare-and-set on the response's row
version (:func:`storage.responses.update_response_state`). When the row moved
in between, the transaction is rolled back and the step runs again on the
fresh state, so a decision is never written over a state it did not see.

The same retry covers the databases' own refusals under contention: SQLite's
"database is locked" and PostgreSQL's serialization failures and deadlocks.

A lost connection (the server restarted, the backend was terminated) is
retried once, on a fresh connection: the engine pings a pooled connection
before lending it (``pool_pre_ping``), so a connection that died while idle
is replaced before use, and one that dies during a step makes the step run
again from the start. That is safe because a step is idempotent: it
re-reads the response and decides on what it finds, and its writes are a
compare-and-set on the row version, so a step whose commit did reach the
database before the connection broke finds the state it wrote and writes
nothing more. A second loss in a row raises :class:`IntakeError`
``unavailable`` (the service's own error, shown to the respondent as "try
again in a moment"), never the driver's exception.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from typing import Final, TypeVar

from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from intake.errors import IntakeError
from storage.answers import ResponseClosedError

T = TypeVar("T")

#: Attempts before a step gives up with ``busy``.
DEFAULT_ATTEMPTS: Final = 60
#: Longest pause between two attempts, in seconds.
MAX_BACKOFF_SECONDS: Final = 0.05
#: Steps run again after losing their connection before giving up with ``unavailable``.
CONNECTION_RETRIES: Final = 1


class StateMovedError(Exception):
    """The response's row version changed since it was read: run the step again."""


def _retryable(error: OperationalError) -> bool:
    """Contention errors worth retrying (the others are real failures)."""
    text = str(error.orig).lower()
    return any(
        sign in text
        for sign in ("database is locked", "could not serialize", "deadlock detected", "busy")
    )


def run_in_transaction(
    session_factory: sessionmaker[Session],
    work: Callable[[Session], T],
    *,
    attempts: int = DEFAULT_ATTEMPTS,
) -> T:
    """Run ``work`` in a transaction, again on a conflict, at most ``attempts`` times.

    ``work`` raises :class:`StateMovedError` when its compare-and-set failed; a
    :class:`storage.answers.ResponseClosedError` raised by a write (the response was
    closed by a concurrent step) is retried too: the next attempt sees the
    closed response and answers accordingly. Raises :class:`IntakeError`
    ``busy`` when every attempt conflicted, ``unavailable`` when the
    connection was lost twice in a row.
    """
    lost = 0
    for attempt in range(attempts):
        try:
            with session_factory.begin() as session:
                return work(session)
        except (StateMovedError, ResponseClosedError):
            pass
        except DBAPIError as error:
            if error.connection_invalidated or _disconnected(error):
                lost += 1
                if lost > CONNECTION_RETRIES:
                    raise IntakeError("unavailable") from error
                continue
            if not (isinstance(error, OperationalError) and _retryable(error)):
                raise
        time.sleep(random.uniform(0, min(MAX_BACKOFF_SECONDS, 0.002 * (attempt + 1))))
    raise IntakeError("busy")


def _disconnected(error: DBAPIError) -> bool:
    """Whether ``error`` says the connection to the server is gone."""
    text = str(error.orig).lower()
    return any(
        sign in text
        for sign in (
            "terminating connection",
            "server closed the connection",
            "connection is closed",
            "consuming input failed",
            "connection refused",
            "could not connect",
        )
    )
