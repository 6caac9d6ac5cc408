"""Answers: one row per (response, answer path), written by upsert.

Values are stored as ``questionnaire.definition.values.value_to_json(value)`` and read
back with ``value_from_json``. Writes are allowed only while the response is
in progress. Each write first touches the response row (``updated_at``), which
takes the response's row lock on PostgreSQL and the write lock on SQLite:
writes to one response are serialised, and an erasure running at the same
time either removes the new answer too or makes the write fail.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from functools import lru_cache
from typing import Any, Final

from sqlalchemy import Text, bindparam, cast, delete, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from questionnaire.definition.values import Value, split_path, value_from_json, value_to_json
from questionnaire.navigation.status import ResponseStatus
from storage.messages import StorageError
from storage.tables import AnswerModel, ResponseModel
from storage.upsert import affected_rows, utc_now


class ResponseNotFoundError(StorageError):
    """No response has this id."""

    def __init__(self, response_id: str) -> None:
        super().__init__("response_not_found", response_id=response_id)


class ResponseClosedError(StorageError):
    """The response is no longer in progress: its answers cannot change."""

    def __init__(self, response_id: str, status: str) -> None:
        super().__init__("response_not_in_progress", response_id=response_id, status=status)


def record_answer(
    session: Session,
    response_id: str,
    path: str,
    value: Value,
    *,
    now: dt.datetime | None = None,
) -> bool:
    """Insert or update the answer at ``path``; return whether anything changed.

    Writing the value already stored changes nothing and returns ``False``.
    Race-safe on SQLite and PostgreSQL: a single ``INSERT ... ON CONFLICT
    (response_id, path) DO UPDATE ... WHERE value differs``. Raises
    :class:`ResponseNotFoundError` or :class:`ResponseClosedError` (not in progress),
    ``ValueError`` for a malformed path and ``TypeError`` for a value that is
    not an answer value.
    """
    split_path(path)
    stored = value_to_json(value)
    moment = now or utc_now()
    _touch_open_response(session, response_id, moment)
    parameters = {"response_id": response_id, "path": path, "value": stored, "answered_at": moment}
    written = session.execute(_upsert_statement(session.get_bind().dialect.name), parameters).all()
    return len(written) == 1


@lru_cache(maxsize=4)
def _upsert_statement(dialect: str) -> Any:
    """The answer upsert for one dialect, built once (its parameters are bound per call).

    ``INSERT ... ON CONFLICT (response_id, path) DO UPDATE ... WHERE value
    differs``, compared as text: JSONB finds 4 and 4.0 equal, but they are
    different answers. RETURNING, not rowcount: psycopg reports no rowcount for
    an upsert.
    """
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    if dialect not in ("postgresql", "sqlite"):
        raise NotImplementedError(f"Vigie supports SQLite and PostgreSQL, not {dialect}")
    statement = insert(AnswerModel).values(
        response_id=bindparam("response_id"),
        path=bindparam("path"),
        value=bindparam("value", type_=AnswerModel.__table__.c.value.type),
        answered_at=bindparam("answered_at", type_=AnswerModel.__table__.c.answered_at.type),
    )
    statement = statement.on_conflict_do_update(
        index_elements=[AnswerModel.response_id, AnswerModel.path],
        set_={"value": statement.excluded.value, "answered_at": statement.excluded.answered_at},
        where=cast(AnswerModel.value, Text) != cast(statement.excluded.value, Text),
    )
    return statement.returning(AnswerModel.path)


def delete_answers(
    session: Session,
    response_id: str,
    paths: Iterable[str],
    *,
    now: dt.datetime | None = None,
) -> int:
    """Delete the answers at ``paths`` (e.g. pruned after a changed answer).

    Paths without an answer are ignored. Returns how many answers were deleted.
    Raises :class:`ResponseNotFoundError` or :class:`ResponseClosedError` like
    :func:`record_answer`.
    """
    wanted = sorted(set(paths))
    _touch_open_response(session, response_id, now or utc_now())
    if not wanted:
        return 0
    result = session.execute(
        delete(AnswerModel).where(
            AnswerModel.response_id == response_id, AnswerModel.path.in_(wanted)
        )
    )
    return affected_rows(result)


#: Every answer of one response, built once.
_ANSWERS: Final = (
    select(AnswerModel.path, AnswerModel.value)
    .where(AnswerModel.response_id == bindparam("response_id"))
    .order_by(AnswerModel.answered_at, AnswerModel.path)
)


def load_answers(session: Session, response_id: str) -> dict[str, Value]:
    """Every answer of a response, by path, ordered by when each was last written."""
    rows = session.execute(_ANSWERS, {"response_id": response_id})
    return {path: value_from_json(stored) for path, stored in rows}


#: ``updated_at`` of an in-progress response, built once.
_TOUCH: Final = (
    update(ResponseModel)
    .where(
        ResponseModel.id == bindparam("response_id"),
        ResponseModel.status == ResponseStatus.IN_PROGRESS.value,
    )
    .values(updated_at=bindparam("moment", type_=ResponseModel.__table__.c.updated_at.type))
    .execution_options(synchronize_session=False)
)


def _touch_open_response(session: Session, response_id: str, moment: dt.datetime) -> None:
    """Set ``updated_at`` of an in-progress response, or raise why it cannot be written."""
    result = session.execute(_TOUCH, {"response_id": response_id, "moment": moment})
    if affected_rows(result) == 1:
        return
    status = session.scalar(select(ResponseModel.status).where(ResponseModel.id == response_id))
    if status is None:
        raise ResponseNotFoundError(response_id)
    raise ResponseClosedError(response_id, status)
