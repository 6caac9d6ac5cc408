"""Staff accounts: who may sign in, with which role, and what they did (the audit log).

Roles: ``admin`` (everything, plus accounts and the audit log), ``analyst``
(every page, microdata, estimates, publishing), ``partner`` (a community
organisation: its own campaigns and their counts, never microdata).

- Passwords are hashed with argon2id (argon2-cffi's defaults), rehashed at
  sign-in when the parameters move on; at least 12 characters.
- An invitation is an account without a password and a one-time code (only
  its SHA-256 is stored); the invitee chooses a password with it.
- API tokens are 256 random bits shown once; only their SHA-256 is kept.
- Every sign-in (and failure), account change, upload and microdata export
  is written to the audit log, in the same transaction as the change.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy.orm import Session, sessionmaker

from observatory.errors import N_, ObservatoryError
from storage import accounts
from storage.accounts import AuditRecord, EmailTakenError, TokenRecord, UserRecord
from storage.upsert import utc_now
from storage.workspace_tables import ROLES

CODES = (
    N_("observatory.bad_email"),
    N_("observatory.bad_role"),
    N_("observatory.partner_needs_organisation"),
    N_("observatory.email_taken"),
    N_("observatory.weak_password"),
    N_("observatory.login_failed"),
    N_("observatory.no_user"),
    N_("observatory.invitation_unknown"),
    N_("observatory.own_account"),
    N_("observatory.no_token"),
)

MIN_PASSWORD_LENGTH = 12
TOKEN_PREFIX = "vgt_"
_EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]{1,189}\.[^@\s]{2,}$")


@dataclass(frozen=True, slots=True)
class Invitation:
    """A new account waiting for its password, and the one-time code to set it."""

    user: UserRecord
    code: str


@dataclass(frozen=True, slots=True)
class IssuedToken:
    """A new API token: ``secret`` is shown once and never stored."""

    token: TokenRecord
    secret: str


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def normalise_email(email: str) -> str:
    """The address as stored (trimmed, lower case); ``bad_email`` when it is not one."""
    cleaned = email.strip().lower()
    if not _EMAIL.match(cleaned) or len(cleaned) > 254:
        raise ObservatoryError("bad_email", {"email": email.strip()[:254]})
    return cleaned


def _check_role(role: str, organisation: str | None) -> str | None:
    if role not in ROLES:
        raise ObservatoryError("bad_role", {"role": role, "roles": ", ".join(ROLES)})
    organisation = (organisation or "").strip() or None
    if role == "partner" and organisation is None:
        raise ObservatoryError("partner_needs_organisation")
    return organisation if role == "partner" else None


def _check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ObservatoryError("weak_password", {"length": MIN_PASSWORD_LENGTH})


class Accounts:
    """Account, token and audit operations over one database."""

    def __init__(
        self, session_factory: sessionmaker[Session], hasher: PasswordHasher | None = None
    ) -> None:
        self._sessions = session_factory
        self.use_hasher(hasher or PasswordHasher())

    def use_hasher(self, hasher: PasswordHasher) -> None:
        """Hash passwords with ``hasher`` (tests use cheaper parameters than the default)."""
        self._hasher = hasher
        #: Verified when the address is unknown, so a failure takes as long either way.
        self._dummy_hash = hasher.hash(secrets.token_urlsafe(16))

    def _hash(self, password: str) -> str:
        _check_password(password)
        return self._hasher.hash(password)

    # -- accounts -------------------------------------------------------------------

    def create_user(
        self,
        email: str,
        role: str,
        *,
        organisation: str | None = None,
        password: str | None = None,
        actor: UserRecord | None = None,
    ) -> Invitation:
        """A new account; without ``password`` it waits for its invitation to be accepted.

        Codes: ``bad_email``, ``bad_role``, ``partner_needs_organisation``,
        ``weak_password``, ``email_taken``.
        """
        address = normalise_email(email)
        organisation = _check_role(role, organisation)
        password_hash = None if password is None else self._hash(password)
        code = "" if password is not None else secrets.token_urlsafe(24)
        with self._sessions.begin() as session:
            try:
                user = accounts.create_user(
                    session,
                    address,
                    role,
                    organisation=organisation,
                    password_hash=password_hash,
                    invitation_hash=_sha256(code) if code else None,
                )
            except EmailTakenError as error:
                raise ObservatoryError("email_taken", {"email": address}) from error
            self._audit(
                session, actor, "user_created", address, role=role, organisation=organisation
            )
        return Invitation(user, code)

    def users(self) -> list[UserRecord]:
        with self._sessions() as session:
            return accounts.list_users(session)

    def user(self, user_id: int) -> UserRecord:
        with self._sessions() as session:
            found = accounts.user_by_id(session, user_id)
        if found is None:
            raise ObservatoryError("no_user", {"user": user_id})
        return found

    def invitation(self, code: str) -> UserRecord:
        """The account a pending invitation code belongs to; ``invitation_unknown`` otherwise."""
        with self._sessions() as session:
            found = accounts.user_by_invitation(session, _sha256(code))
        if found is None or not found.active:
            raise ObservatoryError("invitation_unknown")
        return found

    def accept_invitation(self, code: str, password: str) -> UserRecord:
        """Set the invitee's password; the code stops working."""
        user = self.invitation(code)
        password_hash = self._hash(password)
        with self._sessions.begin() as session:
            accounts.update_user(
                session, user.id, password_hash=password_hash, invitation_hash=None
            )
            self._audit(session, user, "invitation_accepted", user.email)
            return self._reload(session, user.id)

    def set_role(
        self, actor: UserRecord, user_id: int, role: str, organisation: str | None = None
    ) -> UserRecord:
        """Change an account's role (ends its sessions); an admin cannot demote themself."""
        organisation = _check_role(role, organisation)
        target = self.user(user_id)
        if target.id == actor.id and role != target.role:
            raise ObservatoryError("own_account")
        with self._sessions.begin() as session:
            accounts.update_user(session, user_id, role=role, organisation=organisation)
            accounts.bump_session_epoch(session, user_id)
            self._audit(
                session,
                actor,
                "role_changed",
                target.email,
                old=target.role,
                new=role,
                organisation=organisation,
            )
            return self._reload(session, user_id)

    def set_active(self, actor: UserRecord, user_id: int, active: bool) -> UserRecord:
        """Disable (sessions and tokens stop at once) or enable an account."""
        target = self.user(user_id)
        if target.id == actor.id:
            raise ObservatoryError("own_account")
        with self._sessions.begin() as session:
            accounts.update_user(session, user_id, active=active)
            accounts.bump_session_epoch(session, user_id)
            action = "user_enabled" if active else "user_disabled"
            self._audit(session, actor, action, target.email)
            return self._reload(session, user_id)

    # -- signing in -----------------------------------------------------------------

    def authenticate(self, email: str, password: str) -> UserRecord:
        """The account if the password is right and the account active; ``login_failed`` else.

        The failure says nothing of which part was wrong; it is audited.
        """
        address = email.strip().lower()[:254]
        with self._sessions.begin() as session:
            user = accounts.user_by_email(session, address)
            stored = user.password_hash if user is not None else None
            try:
                self._hasher.verify(stored or self._dummy_hash, password)
                good = stored is not None
            except (VerificationError, InvalidHashError):
                good = False
            if user is None or not good or not user.active:
                accounts.add_audit(session, "login_failed", address or "-", address or "-")
                failed = True
            else:
                failed = False
                values: dict[str, Any] = {"last_login_at": utc_now()}
                if stored is not None and self._hasher.check_needs_rehash(stored):
                    values["password_hash"] = self._hasher.hash(password)
                accounts.update_user(session, user.id, **values)
                self._audit(session, user, "login", user.email)
        if failed or user is None:
            raise ObservatoryError("login_failed")
        return user

    def session_user(self, user_id: int, epoch: int) -> UserRecord | None:
        """The account behind a signed-in session, if it is still active and current."""
        with self._sessions() as session:
            user = accounts.user_by_id(session, user_id)
        if user is None or not user.active or user.session_epoch != epoch:
            return None
        return user

    def record_logout(self, user: UserRecord) -> None:
        with self._sessions.begin() as session:
            self._audit(session, user, "logout", user.email)

    # -- API tokens -----------------------------------------------------------------

    def issue_token(self, user: UserRecord, name: str) -> IssuedToken:
        """A new token for ``user``; its secret is in the result only."""
        secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
        label = name.strip()[:100] or secret[:12]
        with self._sessions.begin() as session:
            token = accounts.add_token(session, user.id, label, _sha256(secret), secret[:12])
            self._audit(session, user, "token_created", label)
        return IssuedToken(token, secret)

    def tokens(self, user: UserRecord) -> list[TokenRecord]:
        with self._sessions() as session:
            return accounts.tokens_of(session, user.id)

    def revoke_token(self, user: UserRecord, token_id: int) -> None:
        with self._sessions.begin() as session:
            if not accounts.revoke_token(session, user.id, token_id):
                raise ObservatoryError("no_token", {"token": token_id})
            self._audit(session, user, "token_revoked", str(token_id))

    def token_user(self, secret: str) -> UserRecord | None:
        """The active owner of a live token, or ``None``."""
        if not secret.startswith(TOKEN_PREFIX):
            return None
        with self._sessions.begin() as session:
            user = accounts.user_by_token(session, _sha256(secret))
        return user if user is not None and user.active else None

    # -- audit ----------------------------------------------------------------------

    def record(self, actor: UserRecord, action: str, target: str, **detail: Any) -> None:
        """Write one audit event (an upload, a microdata export...)."""
        with self._sessions.begin() as session:
            self._audit(session, actor, action, target, **detail)

    def audit_log(self, *, action: str | None = None, limit: int = 200) -> list[AuditRecord]:
        with self._sessions() as session:
            return accounts.audit_events(session, action=action, limit=limit)

    @staticmethod
    def _audit(
        session: Session, actor: UserRecord | None, action: str, target: str, **detail: Any
    ) -> None:
        accounts.add_audit(
            session,
            action,
            actor.email if actor is not None else "vigie",
            target,
            actor_id=None if actor is None else actor.id,
            detail={key: value for key, value in detail.items() if value is not None},
        )

    @staticmethod
    def _reload(session: Session, user_id: int) -> UserRecord:
        user = accounts.user_by_id(session, user_id)
        assert user is not None
        return user
