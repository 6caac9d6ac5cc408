"""INSERT ... ON CONFLICT for the two supported databases.

Both SQLite (3.24+) and PostgreSQL accept ``ON CONFLICT``; SQLAlchemy spells it
through a dialect-specific ``insert``. Writing "insert, or update if present"
this way, rather than select-then-insert, is what makes concurrent writers safe.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session


def insert_for(session: Session, model: Any) -> Any:
    """A dialect ``insert(model)`` offering ``on_conflict_do_update``/``_nothing``.

    Raises ``NotImplementedError`` for a database other than SQLite or PostgreSQL.
    """
    name = session.get_bind().dialect.name
    if name == "postgresql":
        return postgresql.insert(model)
    if name == "sqlite":
        return sqlite.insert(model)
    raise NotImplementedError(f"Vigie supports SQLite and PostgreSQL, not {name}")


def utc_now() -> dt.datetime:
    """The current time, aware, in UTC (what every timestamp column stores)."""
    return dt.datetime.now(dt.UTC)


def affected_rows(result: Any) -> int:
    """How many rows an INSERT, UPDATE or DELETE changed (its cursor's rowcount)."""
    count = result.rowcount
    assert isinstance(count, int)
    return count
