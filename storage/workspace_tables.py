"""The analysts' workspace tables: staff accounts, API tokens, the audit log, estimate runs.

Imported by :mod:`storage.tables` (and re-exported there), so that one metadata
holds every table for Alembic and for the schema check.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Boolean, CheckConstraint, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from storage.tables import Base, JsonDocument, UtcDateTime, _in

ROLES = ("admin", "analyst", "partner")


class UserModel(Base):
    """A staff account: an administrator, an analyst or a partner organisation."""

    __tablename__ = "users"
    __table_args__ = (CheckConstraint(_in("role", ROLES), name="role"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    #: Lower-case e-mail address, the sign-in name.
    email: Mapped[str] = mapped_column(String(254), unique=True)
    #: ``admin``, ``analyst`` or ``partner``.
    role: Mapped[str] = mapped_column(String(16))
    #: For partners: the organisation whose campaigns they see (``campaigns.organisation``).
    organisation: Mapped[str | None] = mapped_column(String(200))
    #: argon2id hash (PHC string); null until an invitation is accepted.
    password_hash: Mapped[str | None] = mapped_column(String(255))
    #: SHA-256 (hex) of a pending invitation code, never the code.
    invitation_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    #: Disabled accounts cannot sign in, and their sessions and tokens stop working.
    active: Mapped[bool] = mapped_column(Boolean)
    #: Changed at every sign-in, password change or disabling: older sessions end.
    session_epoch: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    last_login_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)


class ApiTokenModel(Base):
    """A personal API token: only its hash is kept; it is shown once."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    #: What the owner calls it (``R scripts``).
    name: Mapped[str] = mapped_column(String(100))
    #: SHA-256 (hex) of the token (256 random bits: no slow hash needed).
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    #: The first characters, to tell tokens apart in a list.
    prefix: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    last_used_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    revoked_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)


class AuditEventModel(Base):
    """Who did what, when: sign-ins, role changes, uploads, microdata exports."""

    __tablename__ = "audit_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[dt.datetime] = mapped_column(UtcDateTime, index=True)
    #: The account acting (null once that account is deleted, or for a failed sign-in).
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    #: The e-mail given or of the actor at the time (kept when the account goes).
    actor_email: Mapped[str] = mapped_column(String(254))
    #: ``login``, ``login_failed``, ``role_changed``, ``upload``, ``export``...
    action: Mapped[str] = mapped_column(String(32), index=True)
    #: What was acted upon (an account, a file, a questionnaire).
    target: Mapped[str] = mapped_column(String(254))
    #: More facts (old and new role, rows, format).
    detail: Mapped[dict[str, Any]] = mapped_column(JsonDocument)


RUN_STATUSES = ("queued", "running", "done", "failed")


class EstimateRunModel(Base):
    """An estimate run through the job queue: its progress, then its whole results table."""

    __tablename__ = "estimate_runs"
    __table_args__ = (CheckConstraint(_in("status", RUN_STATUSES), name="status"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    #: SHA-256 of (questionnaire versions, data snapshot, benchmarks, rules, replicates, seed).
    cache_key: Mapped[str] = mapped_column(String(64), unique=True)
    survey_id: Mapped[str] = mapped_column(String(64), index=True)
    #: The request (replicates, seed, rules...) as JSON.
    request: Mapped[dict[str, Any]] = mapped_column(JsonDocument)
    #: queued, running, done, failed.
    status: Mapped[str] = mapped_column(String(16))
    #: Steps done out of ``total`` (one per replicate, one per other stage).
    done: Mapped[int] = mapped_column(Integer)
    total: Mapped[int] = mapped_column(Integer)
    #: The error's code and words when the run failed.
    error: Mapped[dict[str, Any] | None] = mapped_column(JsonDocument)
    #: The results table (column -> values), written with ``status = done`` in one transaction.
    results: Mapped[dict[str, Any] | None] = mapped_column(JsonDocument)
    #: Every indicator by age group × gender (same layout), written with ``results``.
    groups: Mapped[dict[str, Any] | None] = mapped_column(JsonDocument)
    requested_by: Mapped[str] = mapped_column(String(254))
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    #: Heartbeat: a running job not updated for a while lost its worker.
    updated_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    finished_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    #: Set when an analyst publishes the run on the public results page.
    published_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
