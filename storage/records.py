"""Plain records returned by the repository functions.

Callers (intake, analysis, the channels) receive these frozen dataclasses,
never ORM objects: nothing they hold refers back to a session, so a session
can be closed as soon as a repository call returns.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, NamedTuple

from questionnaire.definition.model import Survey
from questionnaire.definition.values import Value
from questionnaire.navigation.status import ResponseStatus


class Channel(StrEnum):
    """Where a response was given; analysts compare channels before pooling."""

    WEB = "web"
    TELEGRAM = "telegram"


@dataclass(frozen=True, slots=True)
class SurveyVersion:
    """One exact questionnaire definition that responses point at."""

    id: int
    survey_id: str
    version: str
    content_hash: str
    #: ``Survey.model_dump(mode="json")`` as registered.
    definition: dict[str, Any]
    registered_at: dt.datetime

    def survey(self) -> Survey:
        """Rebuild the typed questionnaire from the stored definition."""
        return Survey.model_validate(self.definition)


@dataclass(frozen=True, slots=True)
class Campaign:
    """A distribution campaign: one link or bot start code given to one organisation."""

    id: int
    #: Short, URL-safe, unique: ``/s/<code>`` on the web, ``/start <code>`` in the bot.
    code: str
    organisation: str
    #: The questionnaire's stable id (not a version: campaigns outlive versions).
    survey_id: str
    #: Municipality code preset for every respondent who comes through it.
    municipality_code: str | None
    active: bool
    created_at: dt.datetime


class CampaignCount(NamedTuple):
    """Responses started and completed through one campaign."""

    campaign: Campaign
    started: int
    completed: int


@dataclass(frozen=True, slots=True)
class PendingWarning:
    """A soft warning already shown: the same answer again is accepted."""

    path: str
    value: Value


@dataclass(frozen=True, slots=True)
class ResponseRecord:
    """One respondent's response, without its answers (see ``load_answers``)."""

    #: Random 128-bit identifier (UUID4 hex), never sequential.
    id: str
    version_id: int
    #: The questionnaire's stable id, from the version.
    survey_id: str
    campaign_id: int | None
    channel: Channel
    language: str
    status: ResponseStatus
    started_at: dt.datetime
    updated_at: dt.datetime
    completed_at: dt.datetime | None
    #: Answer path of the question the respondent is on.
    current_path: str | None
    #: Compare-and-set counter for :func:`storage.responses.update_response_state`.
    row_version: int
    #: SHA-256 (hex) of the resume code; never the code itself.
    resume_token_hash: str | None
    #: HMAC-SHA256 (hex) of the Telegram chat id; never the chat id itself.
    chat_key: str | None
    #: The soft warnings shown by the last post, accepted if the same answers come again
    #: (one, or several from one web page).
    pending_warning: PendingWarning | tuple[PendingWarning, ...] | None
    #: SHA-256 (hex) of the request key that started it (idempotent start), if any.
    request_key: str | None = None


@dataclass(frozen=True, slots=True)
class Municipality:
    """A municipality, by its official code (census subdivision in Quebec)."""

    code: str
    name: str
    region: str | None


@dataclass(frozen=True, slots=True)
class BenchmarkRow:
    """One population count: a cell of one margin in one municipality.

    ``variable`` is a question or calculation name (``gender``) or crossed
    names joined by ``*`` (``age_group*gender``); ``category`` holds the
    matching choice codes joined the same way (``a25_44*woman``).
    """

    municipality_code: str
    variable: str
    category: str
    count: int
    source: str
    year: int
