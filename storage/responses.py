"""Responses: create, find, move through the questionnaire, erase, retention.

Every function takes an open session and leaves the transaction to the caller
(``with session_factory.begin() as session: ...``): a state change and the
answer that caused it commit together or not at all. Nothing returned refers
to the session.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable
from enum import Enum
from functools import cache
from typing import Any, Final

from sqlalchemy import Select, bindparam, delete, select, update
from sqlalchemy.orm import Session

from questionnaire.definition.values import value_from_json, value_to_json
from questionnaire.navigation.status import ResponseStatus
from storage.records import Channel, PendingWarning, ResponseRecord
from storage.tables import AnswerModel, ResponseModel, SurveyVersionModel
from storage.upsert import affected_rows, utc_now


class _Unchanged(Enum):
    UNCHANGED = "unchanged"


#: Default of :func:`update_response_state`'s fields: leave the column as it is.
UNCHANGED: Final = _Unchanged.UNCHANGED


def new_response_id() -> str:
    """A random 128-bit response id (UUID4, 32 hex digits): never sequential."""
    return uuid.uuid4().hex


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
    """The response with this id, or ``None``."""
    found = session.execute(_by_id(), {"response_id": response_id}).first()
    return None if found is None else response_record(found[0], found[1])


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
    statement = (
        _select()
        .where(
            ResponseModel.chat_key == chat_key,
            ResponseModel.status.in_([s.value for s in statuses]),
            SurveyVersionModel.survey_id == survey_id,
        )
        .order_by(ResponseModel.updated_at.desc(), ResponseModel.id)
    )
    return [response_record(row, sid) for row, sid in session.execute(statement).all()]


def find_active_response_by_chat_key(
    session: Session, chat_key: str, survey_id: str
) -> ResponseRecord | None:
    """The in-progress response of one Telegram chat to one questionnaire, or ``None``.

    If several exist (a respondent restarted), the most recently active one.
    """
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


def update_response_state(
    session: Session,
    response_id: str,
    *,
    expected_row_version: int,
    current_path: str | _Unchanged | None = UNCHANGED,
    status: ResponseStatus | str | _Unchanged = UNCHANGED,
    pending_warning: PendingWarning | _Unchanged | None = UNCHANGED,
    resume_token_hash: str | _Unchanged | None = UNCHANGED,
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
    moment = now or utc_now()
    values: dict[str, Any] = {
        "row_version": ResponseModel.row_version + 1,
        "updated_at": moment,
    }
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
    if language is not UNCHANGED:
        values["language"] = language
    result = session.execute(
        update(ResponseModel)
        .where(
            ResponseModel.id == response_id,
            ResponseModel.row_version == expected_row_version,
        )
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    return affected_rows(result) == 1


def erase_response(session: Session, response_id: str, *, now: dt.datetime | None = None) -> bool:
    """Erase everything a respondent gave: every answer, the resume and chat keys.

    What remains is a row saying that a response was erased (status
    ``erased``), so that a returning respondent is told so. Returns ``False``
    if there is no such response.
    """
    # The response row first: it is the lock that record_answer also takes first,
    # so an answer being written concurrently is either erased too or refused.
    result = session.execute(
        update(ResponseModel)
        .where(ResponseModel.id == response_id)
        .values(
            status=ResponseStatus.ERASED.value,
            resume_token_hash=None,
            chat_key=None,
            pending_warning=None,
            current_path=None,
            completed_at=None,
            campaign_id=None,
            updated_at=now or utc_now(),
            row_version=ResponseModel.row_version + 1,
        )
        .execution_options(synchronize_session=False)
    )
    session.execute(delete(AnswerModel).where(AnswerModel.response_id == response_id))
    return affected_rows(result) == 1


def purge_abandoned(
    session: Session, older_than: dt.timedelta, *, now: dt.datetime | None = None
) -> int:
    """Mark in-progress responses idle for longer than ``older_than`` as abandoned.

    Their partial answers are kept (they are data); their resume code and chat
    key are cleared, so they can no longer be resumed. ``updated_at`` keeps the
    time of the last activity. Returns how many were marked.
    """
    cutoff = (now or utc_now()) - older_than
    result = session.execute(
        update(ResponseModel)
        .where(
            ResponseModel.status == ResponseStatus.IN_PROGRESS.value,
            ResponseModel.updated_at < cutoff,
        )
        .values(
            status=ResponseStatus.ABANDONED.value,
            resume_token_hash=None,
            chat_key=None,
            pending_warning=None,
            row_version=ResponseModel.row_version + 1,
        )
        .execution_options(synchronize_session=False)
    )
    return affected_rows(result)


def delete_abandoned(
    session: Session, older_than: dt.timedelta, *, now: dt.datetime | None = None
) -> int:
    """Delete, with their answers, responses abandoned or idle for longer than ``older_than``.

    For observatories whose retention rule says that unfinished responses are
    deleted rather than kept. Completed, screened-out and erased responses are
    never touched. Returns how many responses were deleted.
    """
    cutoff = (now or utc_now()) - older_than
    result = session.execute(
        delete(ResponseModel)
        .where(
            ResponseModel.status.in_(
                [ResponseStatus.IN_PROGRESS.value, ResponseStatus.ABANDONED.value]
            ),
            ResponseModel.updated_at < cutoff,
        )
        .execution_options(synchronize_session=False)
    )
    return affected_rows(result)


# -- rows to records ------------------------------------------------------------


def _select() -> Select[ResponseModel, str]:
    return (
        select(ResponseModel, SurveyVersionModel.survey_id)
        .join(SurveyVersionModel, SurveyVersionModel.id == ResponseModel.version_id)
        .execution_options(populate_existing=True)
    )


@cache
def _by_id() -> Select[ResponseModel, str]:
    """The response with a bound id (built once)."""
    return _select().where(ResponseModel.id == bindparam("response_id"))


def _one(session: Session, statement: Select[ResponseModel, str]) -> ResponseRecord | None:
    found = session.execute(statement).first()
    return None if found is None else response_record(found[0], found[1])


def response_record(row: ResponseModel, survey_id: str) -> ResponseRecord:
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


def _warning_to_json(warning: PendingWarning | None) -> dict[str, Any] | None:
    if warning is None:
        return None
    return {"path": warning.path, "value": value_to_json(warning.value)}


def _warning_from_json(data: dict[str, Any] | None) -> PendingWarning | None:
    if data is None:
        return None
    return PendingWarning(path=data["path"], value=value_from_json(data["value"]))
