"""What a dashboard shows of a questionnaire's responses: counts, progress by question, time.

Plain records, counted from :mod:`storage.activity`: responses by day, channel,
campaign, municipality, status or language; for each question, how many
responses answered it and how many stopped there; the median time to complete.
Erased responses count in the statuses only: they hold no answers and no
campaign any more.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy.orm import Session, sessionmaker

from questionnaire.definition.model import Survey
from questionnaire.definition.values import split_path
from questionnaire.navigation.status import ResponseStatus
from storage.activity import ResponseActivity, answered_paths, response_activity
from storage.surveys import latest_survey_version


class Dimension(StrEnum):
    """What responses are counted by."""

    DAY = "day"
    CHANNEL = "channel"
    CAMPAIGN = "campaign"
    MUNICIPALITY = "municipality"
    STATUS = "status"
    LANGUAGE = "language"


@dataclass(frozen=True, slots=True)
class ResponseCount:
    """Responses sharing one value of a dimension."""

    #: The day (ISO date, UTC), channel, campaign code, municipality code, status or
    #: language; ``None`` for no campaign or no municipality given.
    key: str | None
    #: Responses started (erased ones only under ``status``).
    responses: int
    completed: int


@dataclass(frozen=True, slots=True)
class QuestionProgress:
    """How far respondents went at one question (every instance of a repeat counted once)."""

    question: str
    #: Responses holding at least one answer to it.
    answered: int
    #: ``answered`` over the responses started (erased ones aside); 0.0 without responses.
    answered_share: float
    #: Responses in progress whose respondent is on this question now.
    waiting_here: int
    #: Responses abandoned at this question: the break-off.
    abandoned_here: int


def _key_of(dimension: Dimension) -> Callable[[ResponseActivity], str | None]:
    keys: dict[Dimension, Callable[[ResponseActivity], str | None]] = {
        Dimension.DAY: lambda r: r.started_at.astimezone(dt.UTC).date().isoformat(),
        Dimension.CHANNEL: lambda r: r.channel.value,
        Dimension.CAMPAIGN: lambda r: r.campaign_code,
        Dimension.MUNICIPALITY: lambda r: r.municipality,
        Dimension.STATUS: lambda r: r.status.value,
        Dimension.LANGUAGE: lambda r: r.language,
    }
    return keys[dimension]


def _survey(session: Session, survey_id: str) -> Survey | None:
    version = latest_survey_version(session, survey_id)
    return None if version is None else version.survey()


def _activity(
    sessions: sessionmaker[Session], survey_id: str
) -> tuple[Survey | None, list[ResponseActivity]]:
    with sessions() as session:
        survey = _survey(session, survey_id)
        domain = None if survey is None or survey.weighting is None else survey.weighting.domain
        return survey, response_activity(session, survey_id, municipality_path=domain)


def count_responses(
    activity: Iterable[ResponseActivity], dimension: Dimension | str
) -> list[ResponseCount]:
    """Responses counted by ``dimension``: days in order, other keys most frequent first."""
    dimension = Dimension(dimension)
    key_of = _key_of(dimension)
    started: Counter[str | None] = Counter()
    completed: Counter[str | None] = Counter()
    for response in activity:
        if response.status is ResponseStatus.ERASED and dimension is not Dimension.STATUS:
            continue
        key = key_of(response)
        started[key] += 1
        if response.status is ResponseStatus.COMPLETED:
            completed[key] += 1
    if dimension is Dimension.DAY:
        order = sorted(started, key=lambda k: k or "")
    else:
        order = sorted(started, key=lambda k: (-started[k], k or ""))
    return [ResponseCount(key, started[key], completed[key]) for key in order]


def responses_by(
    sessions: sessionmaker[Session], survey_id: str, dimension: Dimension | str
) -> list[ResponseCount]:
    """The responses of ``survey_id`` (every version) counted by ``dimension``."""
    return count_responses(_activity(sessions, survey_id)[1], dimension)


def _question_of(path: str | None) -> str | None:
    if path is None:
        return None
    try:
        return split_path(path)[2]
    except ValueError:
        return path


def question_progress(sessions: sessionmaker[Session], survey_id: str) -> list[QuestionProgress]:
    """Each question of ``survey_id`` in the order of its latest version, with its progress.

    Questions answered only under an older version follow, by name.
    """
    survey, activity = _activity(sessions, survey_id)
    with sessions() as session:
        by_path = answered_paths(session, survey_id)
    started = sum(1 for r in activity if r.status is not ResponseStatus.ERASED)
    # A response answers a repeated question once per instance: count it once, at most
    # the number of responses with any answer to it (bounded by started).
    answered: Counter[str] = Counter()
    for path, count in by_path.items():
        name = _question_of(path)
        if name is not None:
            answered[name] = max(answered[name], count)
    waiting = Counter(
        _question_of(r.current_path) for r in activity if r.status is ResponseStatus.IN_PROGRESS
    )
    abandoned = Counter(
        _question_of(r.current_path) for r in activity if r.status is ResponseStatus.ABANDONED
    )
    names = [q.name for q in survey.questions()] if survey is not None else []
    names += sorted(set(answered) - set(names))
    return [
        QuestionProgress(
            question=name,
            answered=answered[name],
            answered_share=answered[name] / started if started else 0.0,
            waiting_here=waiting[name],
            abandoned_here=abandoned[name],
        )
        for name in names
    ]


def median_completion_time(sessions: sessionmaker[Session], survey_id: str) -> dt.timedelta | None:
    """The median time from start to completion of completed responses; ``None`` without any."""
    seconds = [
        (r.completed_at - r.started_at).total_seconds()
        for r in _activity(sessions, survey_id)[1]
        if r.status is ResponseStatus.COMPLETED and r.completed_at is not None
    ]
    if not seconds:
        return None
    return dt.timedelta(seconds=statistics.median(seconds))
