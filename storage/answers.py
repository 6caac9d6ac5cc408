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
import json
from collections.abc import Iterable, Mapping
from functools import lru_cache
from typing import Any, Final

from sqlalchemy import Text, bindparam, cast, delete, func, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from questionnaire.definition.values import Value, split_path, value_from_json, value_to_json
from questionnaire.navigation.status import ResponseStatus
from storage.messages import StorageError
from storage.tables import AnswerModel, ResponseModel
from storage.upsert import affected_rows, utc_now

#: Answers and responses are written and read as tables (Core statements): what
#: comes back is plain values, so the ORM's identity map would only add work.
_ANSWER_TABLE: Final = AnswerModel.metadata.tables[AnswerModel.__tablename__]
_RESPONSE_TABLE: Final = ResponseModel.metadata.tables[ResponseModel.__tablename__]


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
    return _upsert(dialect).returning(_ANSWER_TABLE.c.path)


@lru_cache(maxsize=4)
def _upsert(dialect: str) -> Any:
    """``INSERT ... ON CONFLICT (response_id, path) DO UPDATE ... WHERE value differs``."""
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    if dialect not in ("postgresql", "sqlite"):
        raise NotImplementedError(f"Vigie supports SQLite and PostgreSQL, not {dialect}")
    table = _ANSWER_TABLE
    statement = insert(table).values(
        response_id=bindparam("response_id"),
        path=bindparam("path"),
        value=bindparam("value", type_=table.c.value.type),
        answered_at=bindparam("answered_at", type_=table.c.answered_at.type),
    )
    return statement.on_conflict_do_update(
        index_elements=[table.c.response_id, table.c.path],
        set_={"value": statement.excluded.value, "answered_at": statement.excluded.answered_at},
        where=cast(table.c.value, Text) != cast(statement.excluded.value, Text),
    )


def write_answers(
    session: Session,
    response_id: str,
    values: Mapping[str, Value],
    *,
    deleted: Iterable[str] = (),
    now: dt.datetime,
) -> None:
    """Upsert ``values`` and delete the answers at ``deleted``, for a response held by the caller.

    For a caller that has compare-and-set the response's state in the same
    transaction (:func:`storage.responses.update_response_state`): that proves
    the response was not closed or erased since the caller read it, and holds
    its row (the row lock on PostgreSQL, the write lock on SQLite) until the
    commit, as :func:`record_answer`'s touch does; the state may even have
    just been closed. One statement for all the values; a value equal to the
    stored one changes nothing, as in :func:`record_answer`.
    """
    rows = []
    for path, value in values.items():
        split_path(path)
        stored = value_to_json(value)
        rows.append({"response_id": response_id, "path": path, "value": stored, "answered_at": now})
    if rows:
        session.execute(_upsert(session.get_bind().dialect.name), rows)
    wanted = sorted(set(deleted))
    if wanted:
        session.execute(_delete_statement(response_id, wanted))


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
    return affected_rows(session.execute(_delete_statement(response_id, wanted)))


def _delete_statement(response_id: str, paths: list[str]) -> Any:
    table = _ANSWER_TABLE
    return delete(table).where(table.c.response_id == response_id, table.c.path.in_(paths))


#: Every answer of one response, built once.
_ANSWERS: Final = (
    select(_ANSWER_TABLE.c.path, _ANSWER_TABLE.c.value)
    .where(_ANSWER_TABLE.c.response_id == bindparam("response_id"))
    .order_by(_ANSWER_TABLE.c.answered_at, _ANSWER_TABLE.c.path)
)
#: The same on SQLite as one row, ``[[path, value text, answered_at], ...]`` (built once).
_ANSWERS_IN_ONE_ROW: Final = select(
    func.json_group_array(
        func.json_array(_ANSWER_TABLE.c.path, _ANSWER_TABLE.c.value, _ANSWER_TABLE.c.answered_at)
    )
).where(_ANSWER_TABLE.c.response_id == bindparam("response_id"))


def load_answers(session: Session, response_id: str) -> dict[str, Value]:
    """Every answer of a response, by path, ordered by when each was last written.

    On SQLite the answers come as one row (a JSON array of the stored texts)
    and are put in order here as ``ORDER BY answered_at, path`` would (both
    compare the stored texts). The sqlite3 driver releases the interpreter's
    lock for every row it steps through and must take it back each time; in
    the bot, whose event loop holds that lock most of the time, a response
    read row by row cost its worker thread more than the rows themselves
    (bench/bot.py, docs/benchmarks.md).
    """
    parameters = {"response_id": response_id}
    if session.get_bind().dialect.name != "sqlite":
        rows = session.execute(_ANSWERS, parameters)
        return {path: value_from_json(stored) for path, stored in rows}
    listed = json.loads(session.execute(_ANSWERS_IN_ONE_ROW, parameters).scalar_one())
    listed.sort(key=_written_order)
    return {path: value_from_json(json.loads(stored)) for path, stored, _ in listed}


def _written_order(item: list[str]) -> tuple[str, str]:
    """``(answered_at, path)`` of a ``[path, value, answered_at]`` of the one-row read."""
    return item[2], item[0]


#: ``updated_at`` of an in-progress response, built once.
_TOUCH: Final = (
    update(_RESPONSE_TABLE)
    .where(
        _RESPONSE_TABLE.c.id == bindparam("response_id"),
        _RESPONSE_TABLE.c.status == ResponseStatus.IN_PROGRESS.value,
    )
    .values(updated_at=bindparam("moment", type_=_RESPONSE_TABLE.c.updated_at.type))
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
