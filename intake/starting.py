"""Opening a response: language, campaign, preset municipality, first question.

A campaign run for one municipality presets the answer to the questionnaire's
weighting domain question (the municipality), so its respondents are not
asked where they live; the preset goes through the same answer rules as any
answer and is skipped when the question would not accept it.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from intake.errors import IntakeError
from intake.language import check_language
from intake.registry import RegisteredSurvey
from questionnaire.answers.reading import AnswerError, read_answer
from questionnaire.answers.run_context import RunContext
from questionnaire.answers.scope import AnswerScope
from questionnaire.definition.model import Survey
from questionnaire.definition.values import Answers, Value
from questionnaire.navigation.next import next_slot
from storage.answers import record_answer
from storage.campaigns import CAMPAIGN_CODE, get_campaign_by_code
from storage.records import Campaign, Channel, ResponseStatus
from storage.responses import UNCHANGED, create_response, update_response_state


def find_campaign(session: Session, survey_id: str, code: str) -> Campaign:
    """The active campaign ``code`` for ``survey_id``.

    Codes: ``unknown_campaign``, ``inactive_campaign``, ``campaign_other_survey``.
    """
    campaign = get_campaign_by_code(session, code)
    if campaign is None:
        raise IntakeError("unknown_campaign", {"code": code})
    if not campaign.active:
        raise IntakeError("inactive_campaign", {"code": code})
    if campaign.survey_id != survey_id:
        raise IntakeError("campaign_other_survey", {"code": code})
    return campaign


def campaign_by_code(session: Session, typed_code: str) -> Campaign:
    """The active campaign a distribution link or ``/start <code>`` names.

    Case and surrounding spaces are ignored. Codes: ``unknown_campaign`` (also
    for text that cannot be a campaign code), ``inactive_campaign``.
    """
    code = typed_code.strip().lower()
    campaign = get_campaign_by_code(session, code) if CAMPAIGN_CODE.match(code) else None
    if campaign is None:
        raise IntakeError("unknown_campaign", {"code": typed_code})
    if not campaign.active:
        raise IntakeError("inactive_campaign", {"code": code})
    return campaign


def preset_answers(survey: Survey, campaign: Campaign | None, ctx: RunContext) -> Answers:
    """The answers a campaign gives in advance: its municipality, when the survey accepts it."""
    if campaign is None or campaign.municipality_code is None or survey.weighting is None:
        return {}
    name = survey.weighting.domain
    try:
        question = survey.question(name)
    except KeyError:
        return {}
    section = survey.section_of(name)
    if section.repeat is not None or section.relevant or question.relevant:
        return {}
    scope = AnswerScope(survey, {}, ctx)
    try:
        value: Value = read_answer(
            question, campaign.municipality_code, scope=scope, language=ctx.language
        )
    except AnswerError:
        return {}
    return {name: value}


def open_response(
    session: Session,
    registered: RegisteredSurvey,
    channel: Channel,
    language: str,
    *,
    campaign_code: str | None,
    chat_key: str | None,
    now: dt.datetime,
    request_key: str | None = None,
) -> str:
    """Create a response in progress, positioned on its first question; return its id.

    ``request_key`` is the hashed key of the request that starts it (unique).
    """
    survey = registered.survey
    check_language(survey, language)
    campaign = None if campaign_code is None else find_campaign(session, survey.id, campaign_code)
    record = create_response(
        session,
        registered.version_id,
        channel,
        language,
        campaign_id=None if campaign is None else campaign.id,
        chat_key=chat_key,
        request_key=request_key,
        now=now,
    )
    ctx = RunContext(started_on=now.date(), channel=channel.value, language=language)
    answers = preset_answers(survey, campaign, ctx)
    for path, value in answers.items():
        record_answer(session, record.id, path, value, now=now)
    first = next_slot(survey, answers, ctx)
    update_response_state(
        session,
        record.id,
        expected_row_version=record.row_version,
        current_path=None if first is None else first.path,
        status=ResponseStatus.COMPLETED if first is None else UNCHANGED,
        now=now,
    )
    return record.id
