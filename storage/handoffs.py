"""One-time links from a Telegram chat to the web form: issue, redeem, move the response.

A token is stored only as its keyed hash (:mod:`intake.handoff` computes it).
Issuing writes the response's one row (a new token replaces the older one);
redeeming is the compare-and-set ``token_hash = :hash AND expires_at > now ->
token_hash NULL``, so of two concurrent redemptions exactly one changes the
row and wins.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from storage.records import Channel
from storage.tables import ChatReminderModel, ResponseModel, WebHandoffModel
from storage.upsert import affected_rows, insert_for


def save_handoff(
    session: Session, response_id: str, token_hash: str, now: dt.datetime, expires_at: dt.datetime
) -> None:
    """Keep ``token_hash`` as the response's one valid link (the older one stops working)."""
    values = {"token_hash": token_hash, "issued_at": now, "expires_at": expires_at}
    statement = insert_for(session, WebHandoffModel).values(response_id=response_id, **values)
    session.execute(
        statement.on_conflict_do_update(index_elements=[WebHandoffModel.response_id], set_=values)
    )


def claim_handoff(session: Session, token_hash: str, now: dt.datetime) -> str | None:
    """Use the link whose hash is ``token_hash``: its response id, or ``None``.

    ``None`` when no valid link has that hash (unknown, already used,
    replaced by a newer one, or expired). The claim clears the hash in the
    same statement that checks it, so a link opens its response once.
    """
    found = session.execute(
        select(WebHandoffModel.response_id).where(WebHandoffModel.token_hash == token_hash)
    ).scalar_one_or_none()
    if found is None:
        return None
    result = session.execute(
        update(WebHandoffModel)
        .where(
            WebHandoffModel.response_id == found,
            WebHandoffModel.token_hash == token_hash,
            WebHandoffModel.expires_at > now,
        )
        .values(token_hash=None, redeemed_at=now)
    )
    return found if affected_rows(result) == 1 else None


def move_to_web(
    session: Session, response_id: str, *, expected_row_version: int, now: dt.datetime
) -> bool:
    """The response goes on on the web: its channel becomes ``web``, its chat seal is dropped.

    A compare-and-set on ``row_version`` like every state change; ``False``
    if someone moved the response first.
    """
    result = session.execute(
        update(ResponseModel)
        .where(
            ResponseModel.id == response_id,
            ResponseModel.row_version == expected_row_version,
        )
        .values(
            channel=Channel.WEB.value,
            row_version=ResponseModel.row_version + 1,
            updated_at=now,
        )
    )
    if affected_rows(result) != 1:
        return False
    session.execute(delete(ChatReminderModel).where(ChatReminderModel.response_id == response_id))
    return True


def redeemed_at(session: Session, response_id: str) -> dt.datetime | None:
    """When a link of this response was last used, if ever (it came from Telegram)."""
    return session.execute(
        select(WebHandoffModel.redeemed_at).where(WebHandoffModel.response_id == response_id)
    ).scalar_one_or_none()
