"""Retention and erasure: what a respondent's "erase" and the retention rule do to responses.

A respondent can erase everything they gave at any time; the retention rule
marks idle responses abandoned (partial answers kept, keys cleared) or, where
an observatory's rule says so, deletes unfinished ones. Each is one statement
over the response table, run inside the caller's transaction.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import delete, update
from sqlalchemy.orm import Session

from questionnaire.navigation.status import ResponseStatus
from storage.responses import is_response_id
from storage.tables import AnswerModel, ChatReminderModel, ResponseModel
from storage.upsert import affected_rows, utc_now


def erase_response(session: Session, response_id: str, *, now: dt.datetime | None = None) -> bool:
    """Erase everything a respondent gave: every answer, the resume and chat keys.

    What remains is a row saying that a response was erased (status
    ``erased``), so that a returning respondent is told so. Returns ``False``
    if there is no such response.
    """
    if not is_response_id(response_id):
        return False
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
    session.execute(delete(ChatReminderModel).where(ChatReminderModel.response_id == response_id))
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
