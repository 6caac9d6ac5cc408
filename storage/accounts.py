"""Staff accounts, personal API tokens and the audit log: plain reads and writes.

The rules (who may do what, how passwords are hashed, what a token looks like)
live in ``observatory.users``; these functions only store and fetch, and
return frozen records, never ORM objects.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from storage.upsert import affected_rows, utc_now
from storage.workspace_tables import ApiTokenModel, AuditEventModel, UserModel


@dataclass(frozen=True, slots=True)
class UserRecord:
    """One staff account."""

    id: int
    email: str
    role: str
    organisation: str | None
    password_hash: str | None
    active: bool
    session_epoch: int
    created_at: dt.datetime
    last_login_at: dt.datetime | None
    invited: bool


@dataclass(frozen=True, slots=True)
class TokenRecord:
    """One API token (its hash only)."""

    id: int
    user_id: int
    name: str
    prefix: str
    created_at: dt.datetime
    last_used_at: dt.datetime | None
    revoked_at: dt.datetime | None


@dataclass(frozen=True, slots=True)
class AuditRecord:
    """One line of the audit log."""

    id: int
    at: dt.datetime
    actor_email: str
    action: str
    target: str
    detail: dict[str, Any]


class EmailTakenError(Exception):
    """Another account already has this e-mail address."""


def _user(row: UserModel) -> UserRecord:
    return UserRecord(
        id=row.id,
        email=row.email,
        role=row.role,
        organisation=row.organisation,
        password_hash=row.password_hash,
        active=row.active,
        session_epoch=row.session_epoch,
        created_at=row.created_at,
        last_login_at=row.last_login_at,
        invited=row.invitation_hash is not None,
    )


def _token(row: ApiTokenModel) -> TokenRecord:
    return TokenRecord(
        id=row.id,
        user_id=row.user_id,
        name=row.name,
        prefix=row.prefix,
        created_at=row.created_at,
        last_used_at=row.last_used_at,
        revoked_at=row.revoked_at,
    )


def create_user(
    session: Session,
    email: str,
    role: str,
    *,
    organisation: str | None = None,
    password_hash: str | None = None,
    invitation_hash: str | None = None,
) -> UserRecord:
    """Insert an account; raises :class:`EmailTakenError` when the address is used."""
    row = UserModel(
        email=email,
        role=role,
        organisation=organisation,
        password_hash=password_hash,
        invitation_hash=invitation_hash,
        active=True,
        session_epoch=0,
        created_at=utc_now(),
        last_login_at=None,
    )
    try:
        with session.begin_nested():
            session.add(row)
            session.flush()
    except IntegrityError as error:
        raise EmailTakenError(email) from error
    return _user(row)


def count_users(session: Session) -> int:
    return int(session.scalar(select(func.count()).select_from(UserModel)) or 0)


def user_by_id(session: Session, user_id: int) -> UserRecord | None:
    row = session.get(UserModel, user_id)
    return None if row is None else _user(row)


def user_by_email(session: Session, email: str) -> UserRecord | None:
    row = session.scalars(select(UserModel).where(UserModel.email == email)).first()
    return None if row is None else _user(row)


def user_by_invitation(session: Session, invitation_hash: str) -> UserRecord | None:
    query = select(UserModel).where(UserModel.invitation_hash == invitation_hash)
    row = session.scalars(query).first()
    return None if row is None else _user(row)


def list_users(session: Session) -> list[UserRecord]:
    return [_user(row) for row in session.scalars(select(UserModel).order_by(UserModel.email))]


def update_user(session: Session, user_id: int, **values: Any) -> bool:
    """Set columns of one account (``role``, ``active``, ``password_hash``...)."""
    result = session.execute(update(UserModel).where(UserModel.id == user_id).values(**values))
    return affected_rows(result) == 1


def bump_session_epoch(session: Session, user_id: int) -> int:
    """End every session of the account; returns the new epoch."""
    session.execute(
        update(UserModel)
        .where(UserModel.id == user_id)
        .values(session_epoch=UserModel.session_epoch + 1)
    )
    epoch = session.scalar(select(UserModel.session_epoch).where(UserModel.id == user_id))
    return int(epoch or 0)


def add_token(
    session: Session, user_id: int, name: str, token_hash: str, prefix: str
) -> TokenRecord:
    row = ApiTokenModel(
        user_id=user_id, name=name, token_hash=token_hash, prefix=prefix, created_at=utc_now()
    )
    session.add(row)
    session.flush()
    return _token(row)


def tokens_of(session: Session, user_id: int) -> list[TokenRecord]:
    query = select(ApiTokenModel).where(ApiTokenModel.user_id == user_id)
    return [_token(row) for row in session.scalars(query.order_by(ApiTokenModel.id))]


def user_by_token(session: Session, token_hash: str) -> UserRecord | None:
    """The owner of a live (unrevoked) token; marks the token used."""
    token = session.scalars(
        select(ApiTokenModel).where(
            ApiTokenModel.token_hash == token_hash, ApiTokenModel.revoked_at.is_(None)
        )
    ).first()
    if token is None:
        return None
    token.last_used_at = utc_now()
    return user_by_id(session, token.user_id)


def revoke_token(session: Session, user_id: int, token_id: int) -> bool:
    result = session.execute(
        update(ApiTokenModel)
        .where(
            ApiTokenModel.id == token_id,
            ApiTokenModel.user_id == user_id,
            ApiTokenModel.revoked_at.is_(None),
        )
        .values(revoked_at=utc_now())
    )
    return affected_rows(result) == 1


def add_audit(
    session: Session,
    action: str,
    actor_email: str,
    target: str,
    *,
    actor_id: int | None = None,
    detail: dict[str, Any] | None = None,
) -> None:
    session.add(
        AuditEventModel(
            at=utc_now(),
            actor_id=actor_id,
            actor_email=actor_email,
            action=action,
            target=target,
            detail=dict(detail or {}),
        )
    )


def audit_events(
    session: Session, *, action: str | None = None, limit: int = 200
) -> list[AuditRecord]:
    """The latest audit events, newest first."""
    query = select(AuditEventModel).order_by(AuditEventModel.id.desc()).limit(limit)
    if action is not None:
        query = query.where(AuditEventModel.action == action)
    return [
        AuditRecord(
            id=row.id,
            at=row.at,
            actor_email=row.actor_email,
            action=row.action,
            target=row.target,
            detail=dict(row.detail),
        )
        for row in session.scalars(query)
    ]
