"""Requests that gave an answer: the same request twice answers once.

:func:`claim_request` inserts ``(response, key hash)`` with ``ON CONFLICT DO
NOTHING`` in the transaction that writes the answer: of two deliveries of one
request, one inserts the row and answers; the other (concurrent or later)
finds it and changes nothing. Rows are kept :data:`KEPT_FOR` (Telegram stops
retrying a webhook call long before) and dropped by the response's next claim.
"""

from __future__ import annotations

import datetime as dt
from functools import cache
from typing import Any, Final

from sqlalchemy import bindparam, delete
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from storage.tables import AnswerRequestModel

#: How long a handled request is remembered.
KEPT_FOR: Final = dt.timedelta(days=1)
_TABLE: Final = AnswerRequestModel.metadata.tables[AnswerRequestModel.__tablename__]
#: The response's requests handled before a bound moment (built once).
_EXPIRED: Final = delete(_TABLE).where(
    _TABLE.c.response_id == bindparam("response_id"),
    _TABLE.c.handled_at < bindparam("before", type_=_TABLE.c.handled_at.type),
)


@cache
def _claim(dialect: str) -> Any:
    """``INSERT ... ON CONFLICT DO NOTHING RETURNING`` of one request, for ``dialect`` (built once).

    Raises ``NotImplementedError`` for a database other than SQLite or PostgreSQL.
    """
    if dialect == "postgresql":
        insert: Any = postgresql.insert(_TABLE)
    elif dialect == "sqlite":
        insert = sqlite.insert(_TABLE)
    else:
        raise NotImplementedError(f"Vigie supports SQLite and PostgreSQL, not {dialect}")
    return insert.on_conflict_do_nothing().returning(_TABLE.c.key_hash)


def claim_request(session: Session, response_id: str, key_hash: str, now: dt.datetime) -> bool:
    """Record that the request ``key_hash`` answers now; ``False`` if it already did."""
    session.execute(_EXPIRED, {"response_id": response_id, "before": now - KEPT_FOR})
    row = {"response_id": response_id, "key_hash": key_hash, "handled_at": now}
    # RETURNING, not the row count: the inserted key comes back only if it was new.
    return session.execute(_claim(session.get_bind().dialect.name), row).first() is not None
