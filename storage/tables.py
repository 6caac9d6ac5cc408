"""The database tables, as SQLAlchemy 2 typed models.

The schema is created and changed by Alembic migrations only
(``storage/migrations/versions``; ``vigie db upgrade``); a test checks that the
migrations produce exactly these models. Nothing here identifies a respondent:
no names, no e-mail, no IP address, no raw chat id. The staff accounts
(``users``) hold an e-mail address: analysts and partners sign in with it.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    DateTime,
    Dialect,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator

from questionnaire.definition.limits import (
    MAX_ANSWER_PATH_LENGTH,
    MAX_SURVEY_ID_LENGTH,
    MAX_VERSION_LENGTH,
)
from questionnaire.navigation.status import ResponseStatus

#: Constraint names are stable so that migrations can refer to them.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class JsonText(TypeDecorator[Any]):
    """JSON kept as TEXT (SQLite).

    SQLite gives a column declared ``JSON`` numeric affinity, which turns the
    stored text ``4.0`` into the integer 4; a TEXT column keeps it as written.
    """

    impl = Text
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Dialect) -> str | None:
        return None if value is None else json.dumps(value, ensure_ascii=False)

    def process_result_value(self, value: Any, dialect: Dialect) -> Any:
        return None if value is None else json.loads(value)


#: JSON documents: TEXT on SQLite, JSONB on PostgreSQL (plain ``json`` has no equality).
JsonDocument = JsonText().with_variant(JSONB(none_as_null=True), "postgresql")

CHANNELS = ("web", "telegram")
STATUSES = tuple(status.value for status in ResponseStatus)


class UtcDateTime(TypeDecorator[dt.datetime]):
    """An aware UTC datetime on every backend (SQLite keeps no time zone)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Dialect) -> Any:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        value = value.astimezone(dt.UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: Any, dialect: Dialect) -> dt.datetime | None:
        if value is None:
            return None
        assert isinstance(value, dt.datetime)
        if value.tzinfo is None:
            return value.replace(tzinfo=dt.UTC)
        return value.astimezone(dt.UTC)


def _in(column: str, allowed: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(a) for a in allowed)})"


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class SurveyVersionModel(Base):
    """A questionnaire definition exactly as it was served."""

    __tablename__ = "survey_versions"
    __table_args__ = (
        UniqueConstraint("survey_id", "content_hash", name="uq_survey_versions_hash"),
    )

    #: Sequential number (versions are public, unlike responses).
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    #: The questionnaire's stable id (``victimisation``).
    survey_id: Mapped[str] = mapped_column(String(MAX_SURVEY_ID_LENGTH), index=True)
    #: The version declared by its authors (``"1.0"``).
    version: Mapped[str] = mapped_column(String(MAX_VERSION_LENGTH))
    #: SHA-256 (hex) of the definition's canonical JSON.
    content_hash: Mapped[str] = mapped_column(String(64))
    #: ``Survey.model_dump(mode="json")``: the definition as loaded.
    definition: Mapped[dict[str, Any]] = mapped_column(JsonDocument)
    #: When this definition was first registered.
    registered_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)


class CampaignModel(Base):
    """A distribution campaign run by one organisation."""

    __tablename__ = "campaigns"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    #: Short URL-safe code, unique: ``/s/<code>`` and ``/start <code>``.
    code: Mapped[str] = mapped_column(String(32), unique=True)
    #: The organisation distributing the link (a body, never a person).
    organisation: Mapped[str] = mapped_column(String(200))
    #: The questionnaire's stable id; responses use its latest version.
    survey_id: Mapped[str] = mapped_column(String(MAX_SURVEY_ID_LENGTH), index=True)
    #: Municipality code preset for every respondent of this campaign.
    municipality_code: Mapped[str | None] = mapped_column(String(16))
    #: Inactive campaigns accept no new responses.
    active: Mapped[bool] = mapped_column(Boolean)
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)


class ResponseModel(Base):
    """One respondent's response to one questionnaire version."""

    __tablename__ = "responses"
    __table_args__ = (
        CheckConstraint(_in("channel", CHANNELS), name="channel"),
        CheckConstraint(_in("status", STATUSES), name="status"),
        Index("ix_responses_status_updated_at", "status", "updated_at"),
    )

    #: Random 128-bit id (UUID4 hex); never sequential, never guessable.
    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    #: The exact questionnaire version answered.
    version_id: Mapped[int] = mapped_column(
        ForeignKey("survey_versions.id", ondelete="RESTRICT"), index=True
    )
    #: The campaign the respondent came through, if any.
    campaign_id: Mapped[int | None] = mapped_column(
        ForeignKey("campaigns.id", ondelete="SET NULL"), index=True
    )
    #: ``web`` or ``telegram``.
    channel: Mapped[str] = mapped_column(String(16))
    #: Language the respondent answers in (``fr``, ``en``).
    language: Mapped[str] = mapped_column(String(8))
    #: in_progress, completed, screened_out, abandoned, erased.
    status: Mapped[str] = mapped_column(String(16))
    started_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    #: Last activity; the retention job compares it with its cut-off.
    updated_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    completed_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    #: Answer path of the question the respondent is on.
    current_path: Mapped[str | None] = mapped_column(String(MAX_ANSWER_PATH_LENGTH))
    #: Incremented by every state change; compare-and-set guard.
    row_version: Mapped[int] = mapped_column(Integer)
    #: SHA-256 (hex) of the resume code, never the code.
    resume_token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    #: HMAC-SHA256 (hex) of the Telegram chat id with a server secret, never the chat id.
    chat_key: Mapped[str | None] = mapped_column(String(64), index=True)
    #: ``{"path": ..., "value": ...}`` of a soft warning already shown, or null.
    pending_warning: Mapped[dict[str, Any] | None] = mapped_column(JsonDocument)
    #: SHA-256 (hex) of the channel's request key (a form token, a Telegram update id)
    #: that started the response: the same start twice finds this response again.
    request_key: Mapped[str | None] = mapped_column(String(64), unique=True, index=True)


class AnswerModel(Base):
    """One answer of one response; one row per answer path."""

    __tablename__ = "answers"

    response_id: Mapped[str] = mapped_column(
        ForeignKey("responses.id", ondelete="CASCADE"), primary_key=True
    )
    #: Answer path: ``walk_alone_dark`` or ``incident[2].reported``.
    path: Mapped[str] = mapped_column(String(MAX_ANSWER_PATH_LENGTH), primary_key=True)
    #: ``questionnaire.definition.values.value_to_json(value)``.
    value: Mapped[Any] = mapped_column(JsonDocument)
    #: When this value was written.
    answered_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)


class ChatReminderModel(Base):
    """A Telegram response that may get one reminder (``vigie bot remind``).

    The chat id is sealed (encrypted, bound to the response) and kept only
    until the reminder is sent, the response ends or it is erased.
    """

    __tablename__ = "chat_reminders"

    response_id: Mapped[str] = mapped_column(
        ForeignKey("responses.id", ondelete="CASCADE"), primary_key=True
    )
    #: The chat id sealed with a key derived from VIGIE_SECRET_KEY; null once used.
    chat_seal: Mapped[str | None] = mapped_column(String(64))
    #: When the one reminder was claimed (set before sending, so two runs never both send).
    reminded_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)


class MunicipalityModel(Base):
    """A municipality known to the observatory."""

    __tablename__ = "municipalities"

    #: Official code (census subdivision code in Quebec, e.g. ``2466023``).
    code: Mapped[str] = mapped_column(String(16), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    #: Administrative region, if known.
    region: Mapped[str | None] = mapped_column(String(200))


class PopulationBenchmarkModel(Base):
    """A census count: one cell of one weighting margin in one municipality."""

    __tablename__ = "population_benchmarks"
    __table_args__ = (
        UniqueConstraint(
            "municipality_code",
            "variable",
            "category",
            "source",
            "year",
            name="uq_population_benchmarks_cell",
        ),
        CheckConstraint("count >= 0", name="count_not_negative"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    municipality_code: Mapped[str] = mapped_column(
        ForeignKey("municipalities.code", ondelete="CASCADE")
    )
    #: Question name, or crossed names joined by ``*`` (``age_group*gender``).
    variable: Mapped[str] = mapped_column(String(200))
    #: Choice codes joined the same way (``a25_44*woman``).
    category: Mapped[str] = mapped_column(String(200))
    #: Number of people (aged 15+) in the cell.
    count: Mapped[int] = mapped_column(BigInteger)
    #: Where the count comes from (``census-2021``, ``demo-invented``).
    source: Mapped[str] = mapped_column(String(100))
    #: Reference year of the count.
    year: Mapped[int] = mapped_column(Integer)


class WebHandoffModel(Base):
    """The one-time link that takes a Telegram response to the web (a sensitive section).

    One row per response: issuing a new link replaces the token, so the older
    link stops working. Only a keyed hash of the token is kept, and it is
    cleared when the link is used; ``redeemed_at`` records that the response
    went on on the web.
    """

    __tablename__ = "web_handoffs"

    response_id: Mapped[str] = mapped_column(
        ForeignKey("responses.id", ondelete="CASCADE"), primary_key=True
    )
    #: HMAC-SHA256 (hex) of the token with a server secret; null once used.
    token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    issued_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    #: After this moment the token no longer opens the response.
    expires_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    #: When a link of this response was last used (the response then goes on on the web).
    redeemed_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)


class AnswerRequestModel(Base):
    """A request that gave an answer (a Telegram update id, a form token), kept a while.

    The same request delivered twice (a webhook retried) finds its row and
    changes nothing the second time. Only a hash of the key is kept; rows
    older than a day are dropped as the response's next keyed answer comes.
    """

    __tablename__ = "answer_requests"

    response_id: Mapped[str] = mapped_column(
        ForeignKey("responses.id", ondelete="CASCADE"), primary_key=True
    )
    #: SHA-256 (hex) of the channel and its request key.
    key_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    handled_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)


# The analysts' workspace keeps its tables in a room of its own
# (storage/workspace_tables.py); importing it here registers them on the same
# metadata, so Alembic and the schema check always see every table.
import storage.workspace_tables  # noqa: E402, F401
