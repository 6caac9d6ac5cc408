"""Retention of unfinished responses, for a scheduled job.

An unfinished response idle for longer than the retention period (the
``VIGIE_ABANDON_AFTER_DAYS`` setting, 30 days by default) is marked abandoned:
its partial answers are kept (they are data) but it can no longer be resumed.
Observatories whose retention rule says that unfinished responses are deleted
delete them instead, with their answers. Completed, screened-out and erased
responses are never touched.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy.orm import Session, sessionmaker

from observatory.errors import ObservatoryError
from storage.responses import delete_abandoned, purge_abandoned


@dataclass(frozen=True, slots=True)
class RetentionRun:
    """What one pass of the retention rule did."""

    #: Responses marked abandoned, or deleted.
    count: int
    idle_days: int
    deleted: bool


def apply_retention(
    sessions: sessionmaker[Session],
    idle_days: int,
    *,
    delete: bool = False,
    now: dt.datetime | None = None,
) -> RetentionRun:
    """Mark abandoned (or, with ``delete``, delete) unfinished responses idle over ``idle_days``.

    Raises ``bad_idle_days`` when ``idle_days`` is below 1.
    """
    if idle_days < 1:
        raise ObservatoryError("bad_idle_days", {"value": idle_days})
    older_than = dt.timedelta(days=idle_days)
    with sessions.begin() as session:
        if delete:
            count = delete_abandoned(session, older_than, now=now)
        else:
            count = purge_abandoned(session, older_than, now=now)
    return RetentionRun(count=count, idle_days=idle_days, deleted=delete)
