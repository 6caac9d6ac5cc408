"""Responses: create, find, move through the questionnaire, erase, retention.

Every function takes an open session and leaves the transaction to the caller
(``with session_factory.begin() as session: ...``): a state change and the
answer that caused it commit together or not at all. Nothing returned refers
to the session.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from collections.abc import Collection, Iterable
from enum import Enum
from functools import cache, lru_cache
from typing import Any, Final

from sqlalchemy import Row, Select, Update, bindparam, select, update
from sqlalchemy.orm import Session

from questionnaire.definition.values import value_from_json, value_to_json
from questionnaire.navigation.status import ResponseStatus
from storage.records import Channel, PendingWarning, ResponseRecord
from storage.tables import ResponseModel, SurveyVersionModel
from storage.upsert import affected_rows, utc_now


class _Unchanged(Enum):
    UNCHANGED = "unchanged"


#: Default of :func:`update_response_state`'s fields: leave the column as it is.
UNCHANGED: Final = _Unchanged.UNCHANGED


#: What a response id looks like (:func:`new_response_id`).
RESPONSE_ID: Final = re.compile(r"[0-9a-f]{32}")


def new_response_id() -> str:
    """A random 128-bit response id (UUID4, 32 hex digits): never sequential."""
    return uuid.uuid4().hex


def is_response_id(text: object) -> bool:
    """Whether ``text`` can be a response id: checked before any query.

    A channel passes on whatever it received (a URL segment, a callback
    payload); a NUL byte or an over-long string must mean "no such response"
    on every database, not an error of the database driver.
    """
    return isinstance(text, str) and RESPONSE_ID.fullmatch(text) is not None


def create_response(
    session: Session,
    version_id: int,
    channel: Channel | str,
    language: str,
    campaign_id: int | None = None,
    resume_token_hash: str | None = None,
    chat_key: str | None = None,
    *,
    request_key: str | None = None,
    now: dt.datetime | None = None,
) -> ResponseRecord:
    """Start a response to questionnaire version ``version_id``, in progress.

    ``resume_token_hash`` is the SHA-256 of the resume code shown to the
    respondent, ``chat_key`` the HMAC of the Telegram chat id: the code and the
    chat id themselves are never stored. ``request_key`` (unique) is the hash
    of the request that started it: a second response with the same key fails
    with ``IntegrityError`` when the transaction flushes.
    """
    moment = now or utc_now()
    row = ResponseModel(
        id=new_response_id(),
        version_id=version_id,
        campaign_id=campaign_id,
        channel=Channel(channel).value,
        language=language,
        status=ResponseStatus.IN_PROGRESS.value,
        started_at=moment,
        updated_at=moment,
        completed_at=None,
        current_path=None,
        row_version=1,
        resume_token_hash=resume_token_hash,
        chat_key=chat_key,
        pending_warning=None,
        request_key=request_key,
    )
    session.add(row)
    session.flush()
    record = get_response(session, row.id)
    assert record is not None
    return record


def get_response(session: Session, response_id: str) -> ResponseRecord | None:
    """The response with this id, or ``None`` (also for a string that cannot be an id)."""
    if not is_response_id(response_id):
        return None
    found = session.execute(_by_id(), {"response_id": response_id}).first()
    return None if found is None else _record(found)


def find_response_by_resume_hash(session: Session, resume_token_hash: str) -> ResponseRecord | None:
    """The response whose resume code hashes to ``resume_token_hash``, or ``None``."""
    return _one(session, _select().where(ResponseModel.resume_token_hash == resume_token_hash))


def find_response_by_request_key(session: Session, request_key: str) -> ResponseRecord | None:
    """The response started by the request whose key hashes to ``request_key``, or ``None``."""
    return _one(session, _select().where(ResponseModel.request_key == request_key))


def find_responses_by_chat_key(
    session: Session, chat_key: str, survey_id: str, statuses: Iterable[ResponseStatus]
) -> list[ResponseRecord]:
    """Every response of one Telegram chat to one questionnaire in ``statuses``, newest first.

    A completed or screened-out response keeps its chat key (until erased), so a
    respondent who has finished can still reach it from the chat, e.g. to erase it.
    """
    if "\x00" in chat_key or "\x00" in survey_id:  # no database stores NUL in text
        return []
    statement = (
        _select()
        .where(
            ResponseModel.chat_key == chat_key,
            ResponseModel.status.in_([s.value for s in statuses]),
            SurveyVersionModel.survey_id == survey_id,
        )
        .order_by(ResponseModel.updated_at.desc(), ResponseModel.id)
    )
    return [_record(row) for row in session.execute(statement).all()]


def find_active_response_by_chat_key(
    session: Session, chat_key: str, survey_id: str
) -> ResponseRecord | None:
    """The in-progress response of one Telegram chat to one questionnaire, or ``None``.

    If several exist (a respondent restarted), the most recently active one.
    """
    if "\x00" in chat_key or "\x00" in survey_id:  # no database stores NUL in text
        return None
    statement = (
        _select()
        .where(
            ResponseModel.chat_key == chat_key,
            ResponseModel.status == ResponseStatus.IN_PROGRESS.value,
            SurveyVersionModel.survey_id == survey_id,
        )
        .order_by(ResponseModel.updated_at.desc(), ResponseModel.id)
        .limit(1)
    )
    return _one(session, statement)


def find_active_responses_by_chat_keys(
    session: Session, chat_keys: Collection[str]
) -> list[ResponseRecord]:
    """The in-progress responses whose chat key is one of ``chat_keys``, newest first.

    One statement for every questionnaire a chat may be answering (each has its
    own key): the caller picks, per questionnaire, the first row of its key.
    """
    keys = [key for key in chat_keys if "\x00" not in key]  # no database stores NUL in text
    if not keys:
        return []
    parameters = {f"chat_key_{i}": key for i, key in enumerate(keys)}
    rows = session.execute(_by_chat_keys(len(keys)), parameters).all()
    return [_record(row) for row in rows]


def update_response_state(
    session: Session,
    response_id: str,
    *,
    expected_row_version: int,
    current_path: str | _Unchanged | None = UNCHANGED,
    status: ResponseStatus | str | _Unchanged = UNCHANGED,
    pending_warning: PendingWarning | tuple[PendingWarning, ...] | _Unchanged | None = UNCHANGED,
    resume_token_hash: str | _Unchanged | None = UNCHANGED,
    chat_key: str | _Unchanged | None = UNCHANGED,
    language: str | _Unchanged = UNCHANGED,
    now: dt.datetime | None = None,
) -> bool:
    """Compare-and-set the response's state; ``False`` if someone else moved first.

    The row changes only if its ``row_version`` still equals
    ``expected_row_version``; it is then incremented. Fields left
    :data:`UNCHANGED` keep their value; ``None`` clears them. Setting the
    status to ``completed`` also sets ``completed_at``. Erasing goes through
    :func:`erase_response`, not here.
    """
    if not is_response_id(response_id):
        return False
    moment = now or utc_now()
    values: dict[str, Any] = {"updated_at": moment}
    if current_path is not UNCHANGED:
        values["current_path"] = current_path
    if status is not UNCHANGED:
        new_status = ResponseStatus(status)
        if new_status is ResponseStatus.ERASED:
            raise ValueError("use erase_response to erase a response")
        values["status"] = new_status.value
        if new_status is ResponseStatus.COMPLETED:
            values["completed_at"] = moment
    if pending_warning is not UNCHANGED:
        values["pending_warning"] = _warning_to_json(pending_warning)
    if resume_token_hash is not UNCHANGED:
        values["resume_token_hash"] = resume_token_hash
    if chat_key is not UNCHANGED:
        values["chat_key"] = chat_key
    if language is not UNCHANGED:
        values["language"] = language
    parameters = {f"new_{name}": value for name, value in values.items()}
    parameters.update(response_id=response_id, expected_row_version=expected_row_version)
    result = session.execute(_state_update(tuple(values)), parameters)
    return affected_rows(result) == 1


@lru_cache(maxsize=64)
def _state_update(names: tuple[str, ...]) -> Update:
    """The compare-and-set of :func:`update_response_state` setting ``names`` (built once).

    ``row_version`` is incremented; each column in ``names`` is set from the
    parameter ``new_<name>``.
    """
    table = _RESPONSES
    values: dict[str, Any] = {"row_version": table.c.row_version + 1}
    values.update({name: bindparam(f"new_{name}", type_=table.c[name].type) for name in names})
    return (
        update(table)
        .where(
            table.c.id == bindparam("response_id"),
            table.c.row_version == bindparam("expected_row_version"),
        )
        .values(values)
    )


# -- rows to records ------------------------------------------------------------


#: The response table, read and written as a table (Core): a response comes back
#: as a plain record, so the ORM's identity map would only add work.
_RESPONSES: Final = ResponseModel.metadata.tables[ResponseModel.__tablename__]
_VERSIONS: Final = SurveyVersionModel.metadata.tables[SurveyVersionModel.__tablename__]


def _select() -> Select[Any]:
    """Every column of a response and its questionnaire's id (rows for :func:`_record`)."""
    return select(*_RESPONSES.c, _VERSIONS.c.survey_id).join_from(
        _RESPONSES, _VERSIONS, _VERSIONS.c.id == _RESPONSES.c.version_id
    )


@lru_cache(maxsize=16)
def _by_chat_keys(count: int) -> Select[Any]:
    """In-progress responses of ``count`` chat keys, newest first (built once per count).

    One parameter per key (``chat_key_0``...), not an expanding list: the
    statement is then compiled once, not rendered again on every call.
    """
    keys: list[Any] = [bindparam(f"chat_key_{i}") for i in range(count)]
    return (
        _select()
        .where(
            _RESPONSES.c.chat_key.in_(keys),
            _RESPONSES.c.status == ResponseStatus.IN_PROGRESS.value,
        )
        .order_by(_RESPONSES.c.updated_at.desc(), _RESPONSES.c.id)
    )


@cache
def _by_id() -> Select[Any]:
    """The response with a bound id (built once)."""
    return _select().where(_RESPONSES.c.id == bindparam("response_id"))


def _one(session: Session, statement: Select[Any]) -> ResponseRecord | None:
    found = session.execute(statement).first()
    return None if found is None else _record(found)


def _record(row: Row[Any]) -> ResponseRecord:
    """A row of :func:`_select` as a plain record."""
    return response_record(row, row.survey_id)


def response_record(row: ResponseModel | Row[Any], survey_id: str) -> ResponseRecord:
    """Copy a response row into a plain record."""
    return ResponseRecord(
        id=row.id,
        version_id=row.version_id,
        survey_id=survey_id,
        campaign_id=row.campaign_id,
        channel=Channel(row.channel),
        language=row.language,
        status=ResponseStatus(row.status),
        started_at=row.started_at,
        updated_at=row.updated_at,
        completed_at=row.completed_at,
        current_path=row.current_path,
        row_version=row.row_version,
        resume_token_hash=row.resume_token_hash,
        chat_key=row.chat_key,
        pending_warning=_warning_from_json(row.pending_warning),
        request_key=row.request_key,
    )


def _warning_to_json(
    warning: PendingWarning | tuple[PendingWarning, ...] | None,
) -> dict[str, Any] | None:
    """One warning as ``{path, value}``; several (one web page's) as ``{warnings: [...]}``."""
    if warning is None or warning == ():
        return None
    if isinstance(warning, tuple):
        return {"warnings": [_warning_to_json(one) for one in warning]}
    return {"path": warning.path, "value": value_to_json(warning.value)}


def _warning_from_json(
    data: dict[str, Any] | None,
) -> PendingWarning | tuple[PendingWarning, ...] | None:
    if data is None:
        return None
    if "warnings" in data:
        return tuple(
            PendingWarning(path=one["path"], value=value_from_json(one["value"]))
            for one in data["warnings"]
        )
    return PendingWarning(path=data["path"], value=value_from_json(data["value"]))
