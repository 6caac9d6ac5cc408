"""What the responses of a questionnaire look like from above, for the analysts' dashboard.

Two reads, both over every version of one questionnaire: one plain record per
response (when, where, through which campaign, how far), and how many
responses hold an answer at each answer path. Counting and grouping is left to
the caller (``observatory.dashboard``): the rows are small and the same on
SQLite and PostgreSQL.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session

from questionnaire.definition.values import value_from_json
from questionnaire.navigation.status import ResponseStatus
from storage.records import Channel
from storage.tables import AnswerModel, CampaignModel, ResponseModel, SurveyVersionModel


@dataclass(frozen=True, slots=True)
class ResponseActivity:
    """One response seen from the dashboard: no answers, no respondent key."""

    response_id: str
    channel: Channel
    language: str
    status: ResponseStatus
    started_at: dt.datetime
    completed_at: dt.datetime | None
    #: The campaign's code, or ``None`` (no campaign, or erased).
    campaign_code: str | None
    #: The answer at the municipality question, when asked for and given.
    municipality: str | None
    #: The answer path the respondent is on (or stopped at).
    current_path: str | None


def response_activity(
    session: Session, survey_id: str, *, municipality_path: str | None = None
) -> list[ResponseActivity]:
    """Every response of ``survey_id`` (all versions), oldest first.

    ``municipality_path`` names the answer holding the municipality (the
    weighting domain question); without it, ``municipality`` is ``None``.
    """
    statement = (
        select(
            ResponseModel.id,
            ResponseModel.channel,
            ResponseModel.language,
            ResponseModel.status,
            ResponseModel.started_at,
            ResponseModel.completed_at,
            CampaignModel.code,
            ResponseModel.current_path,
            AnswerModel.value,
        )
        .join(SurveyVersionModel, SurveyVersionModel.id == ResponseModel.version_id)
        .outerjoin(CampaignModel, CampaignModel.id == ResponseModel.campaign_id)
        .outerjoin(
            AnswerModel,
            and_(
                AnswerModel.response_id == ResponseModel.id,
                # No answer path is empty: without a municipality question, no match.
                AnswerModel.path == (municipality_path or ""),
            ),
        )
        .where(SurveyVersionModel.survey_id == survey_id)
        .order_by(ResponseModel.started_at, ResponseModel.id)
    )
    found = []
    for rid, channel, language, status, started, completed, code, path, place in session.execute(
        statement
    ):
        value = None if place is None else value_from_json(place)
        found.append(
            ResponseActivity(
                response_id=rid,
                channel=Channel(channel),
                language=language,
                status=ResponseStatus(status),
                started_at=started,
                completed_at=completed,
                campaign_code=code,
                municipality=None if value is None else str(value),
                current_path=path,
            )
        )
    return found


def answered_paths(session: Session, survey_id: str) -> dict[str, int]:
    """How many responses of ``survey_id`` hold an answer at each answer path."""
    statement = (
        select(AnswerModel.path, func.count(AnswerModel.response_id))
        .join(ResponseModel, ResponseModel.id == AnswerModel.response_id)
        .join(SurveyVersionModel, SurveyVersionModel.id == ResponseModel.version_id)
        .where(SurveyVersionModel.survey_id == survey_id)
        .group_by(AnswerModel.path)
    )
    return {path: int(count) for path, count in session.execute(statement)}
