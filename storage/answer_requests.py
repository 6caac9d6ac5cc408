"""Requests that gave an answer: the same request twice answers once.

:func:`claim_request` inserts ``(response, key hash)`` with ``ON CONFLICT DO
NOTHING`` in the transaction that writes the answer: of two deliveries of one
request, one inserts the row and answers; the other (concurrent or later)
finds it and changes nothing. Rows are kept :data:`KEPT_FOR` (Telegram stops
retrying a webhook call long before) and dropped by the response's next claim.
"""

from __future__ import annotations

import datetime as dt
from typing import Final

from sqlalchemy import delete
from sqlalchemy.orm import Session

from storage.tables import AnswerRequestModel
from storage.upsert import insert_for

#: How long a handled request is remembered.
KEPT_FOR: Final = dt.timedelta(days=1)


def claim_request(session: Session, response_id: str, key_hash: str, now: dt.datetime) -> bool:
    """Record that the request ``key_hash`` answers now; ``False`` if it already did."""
    session.execute(
        delete(AnswerRequestModel).where(
            AnswerRequestModel.response_id == response_id,
            AnswerRequestModel.handled_at < now - KEPT_FOR,
        )
    )
    statement = (
        insert_for(session, AnswerRequestModel)
        .values(response_id=response_id, key_hash=key_hash, handled_at=now)
        .on_conflict_do_nothing()
        .returning(AnswerRequestModel.key_hash)
    )
    # RETURNING, not the row count: an ORM insert reports no count on PostgreSQL.
    return session.execute(statement).first() is not None
