"""Reminder rows of Telegram responses: remember, list the due ones, claim, forget.

A row is claimed by the compare-and-set ``reminded_at IS NULL -> now`` (and
its seal cleared in the same statement): of two concurrent runs, only the one
whose update changed the row sends the reminder.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from storage.records import Channel, ResponseStatus
from storage.tables import ChatReminderModel, ResponseModel
from storage.upsert import insert_for, utc_now


@dataclass(frozen=True)
class DueReminder:
    """A response idle long enough, never reminded, with its sealed chat."""

    response_id: str
    chat_seal: str
    language: str


def remember_chat(session: Session, response_id: str, chat_seal: str) -> None:
    """Keep the sealed chat of a Telegram response (once; a later call changes nothing).

    ``ON CONFLICT DO NOTHING``, not select-then-insert: a start button delivered
    twice to two bot processes remembers the chat from both at once.
    """
    session.execute(
        insert_for(session, ChatReminderModel)
        .values(response_id=response_id, chat_seal=chat_seal)
        .on_conflict_do_nothing()
    )


def due_reminders(session: Session, idle_since: dt.datetime, limit: int = 500) -> list[DueReminder]:
    """Telegram responses in progress, idle since before ``idle_since``, not yet reminded."""
    rows = session.execute(
        select(ResponseModel.id, ChatReminderModel.chat_seal, ResponseModel.language)
        .join(ChatReminderModel, ChatReminderModel.response_id == ResponseModel.id)
        .where(
            ResponseModel.channel == Channel.TELEGRAM.value,
            ResponseModel.status == ResponseStatus.IN_PROGRESS.value,
            ResponseModel.updated_at < idle_since,
            ChatReminderModel.reminded_at.is_(None),
            ChatReminderModel.chat_seal.is_not(None),
        )
        .order_by(ResponseModel.updated_at)
        .limit(limit)
    ).all()
    return [DueReminder(r[0], r[1], r[2]) for r in rows if r[1] is not None]


def claim_reminder(session: Session, response_id: str, now: dt.datetime | None = None) -> bool:
    """Mark the reminder as sent and drop the seal; ``False`` if another run did first."""
    result = session.execute(
        update(ChatReminderModel)
        .where(
            ChatReminderModel.response_id == response_id,
            ChatReminderModel.reminded_at.is_(None),
        )
        .values(reminded_at=now or utc_now(), chat_seal=None)
        .execution_options(synchronize_session=False)
    )
    return bool(getattr(result, "rowcount", 0) == 1)


def forget_ended_chats(session: Session) -> int:
    """Drop the seals of responses no longer in progress (finished, erased, abandoned)."""
    ended = select(ResponseModel.id).where(ResponseModel.status != ResponseStatus.IN_PROGRESS.value)
    result = session.execute(
        update(ChatReminderModel)
        .where(ChatReminderModel.response_id.in_(ended), ChatReminderModel.chat_seal.is_not(None))
        .values(chat_seal=None)
        .execution_options(synchronize_session=False)
    )
    return int(getattr(result, "rowcount", 0) or 0)


def forget_chat(session: Session, response_id: str) -> None:
    """Erase a response's reminder row (with its seal)."""
    session.execute(delete(ChatReminderModel).where(ChatReminderModel.response_id == response_id))
