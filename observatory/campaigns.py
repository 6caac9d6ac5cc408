"""Distribution campaigns of community organisations: create, list with their counts, open, close.

A campaign is one code given to one organisation for one questionnaire,
optionally with its municipality preset; responses that come through it are
counted per campaign so that the organisation sees what its link brought in.
A preset municipality must be one the questionnaire's municipality question
offers, or every respondent of the link would be placed nowhere.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from sqlalchemy.orm import Session, sessionmaker

from observatory.errors import ObservatoryError
from questionnaire.definition.model import QuestionType, Survey
from storage import campaigns as stored
from storage.campaigns import CampaignCodeInvalidError, CampaignCodeTakenError
from storage.records import Campaign

#: The questionnaires served now, by id (the survey registry's current definitions).
SurveyLookup = Callable[[], Mapping[str, Survey]]


@dataclass(frozen=True, slots=True)
class CampaignSummary:
    """A campaign with the responses it brought in."""

    code: str
    organisation: str
    survey_id: str
    #: Municipality code preset for its respondents, or ``None``.
    municipality: str | None
    active: bool
    #: Responses started through it (erased ones no longer name it).
    started: int
    #: Of which completed.
    completed: int


def _summary(campaign: Campaign, started: int = 0, completed: int = 0) -> CampaignSummary:
    return CampaignSummary(
        code=campaign.code,
        organisation=campaign.organisation,
        survey_id=campaign.survey_id,
        municipality=campaign.municipality_code,
        active=campaign.active,
        started=started,
        completed=completed,
    )


def find_survey(surveys: Mapping[str, Survey], survey_id: str, folder: str) -> Survey:
    """The questionnaire ``survey_id``; ``unknown_survey`` names the known ones."""
    if survey_id not in surveys:
        known = ", ".join(sorted(surveys)) or "-"
        raise ObservatoryError(
            "unknown_survey", {"survey": survey_id, "folder": folder, "known": known}
        )
    return surveys[survey_id]


def check_municipality(survey: Survey, code: str) -> None:
    """A preset municipality must be a choice of the questionnaire's municipality question.

    Questionnaires without a weighting domain, or whose domain question is not a
    single choice, accept any code. Raises ``unknown_municipality``.
    """
    if survey.weighting is None or not survey.has_question(survey.weighting.domain):
        return
    question = survey.question(survey.weighting.domain)
    if question.type != QuestionType.SINGLE_CHOICE:
        return
    if code not in {choice.code for choice in question.choices}:
        raise ObservatoryError(
            "unknown_municipality",
            {"code": code, "question": question.name, "survey": survey.id},
        )


def create_campaign(
    sessions: sessionmaker[Session],
    survey: Survey,
    organisation: str,
    *,
    municipality: str | None = None,
    code: str | None = None,
) -> CampaignSummary:
    """Create a campaign for ``survey``; a code is generated unless one is given.

    Raises ``unknown_municipality``, ``campaign_code_invalid`` or ``campaign_code_taken``.
    """
    if municipality is not None:
        check_municipality(survey, municipality)
    try:
        with sessions.begin() as session:
            made = stored.create_campaign(
                session, organisation.strip(), survey.id, municipality, code
            )
    except CampaignCodeTakenError as error:
        raise ObservatoryError("campaign_code_taken", {"code": code}) from error
    except CampaignCodeInvalidError as error:
        raise ObservatoryError("campaign_code_invalid", {"code": code}) from error
    return _summary(made)


def list_campaigns(
    sessions: sessionmaker[Session], survey_id: str | None = None
) -> list[CampaignSummary]:
    """Every campaign (or those of one questionnaire) with its counts, by questionnaire."""
    with sessions() as session:
        survey_ids = (
            [survey_id]
            if survey_id
            else sorted({c.survey_id for c in stored.list_campaigns(session)})
        )
        return [
            _summary(campaign, started, completed)
            for sid in survey_ids
            for campaign, started, completed in stored.count_responses_by_campaign(session, sid)
        ]


def set_campaign_active(sessions: sessionmaker[Session], code: str, active: bool) -> None:
    """Open (``active``) or close a campaign's code; ``no_campaign`` if none has it."""
    with sessions.begin() as session:
        if not stored.set_campaign_active(session, code, active):
            raise ObservatoryError("no_campaign", {"code": code})
