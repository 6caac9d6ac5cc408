"""Responses by the campaign they came through: those outside a set of campaigns, and erasing
those inside it.

For an administrator who closes a set of campaigns down with their responses (a trial run
wiped before the real one, the demonstration replacing its own residents) and who must first
know whether anything else is in the database. Erasing is the respondent's erasure
(:func:`storage.retention.erase_response`): the answers are deleted, a row with status
``erased`` and no campaign stays. Erased responses count nowhere.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable

from sqlalchemy.orm import Session, sessionmaker

from storage.activity import ResponseActivity, response_activity
from storage.campaigns import get_campaign_by_code, is_campaign_code
from storage.records import ResponseStatus
from storage.retention import erase_response


def _held(session: Session, survey_id: str) -> list[ResponseActivity]:
    """The questionnaire's responses that still hold answers (every status but ``erased``)."""
    return [
        response
        for response in response_activity(session, survey_id)
        if response.status is not ResponseStatus.ERASED
    ]


def code_available(sessions: sessionmaker[Session], code: str) -> bool:
    """Whether ``code`` can name a new campaign: well formed and used by none."""
    if not is_campaign_code(code):
        return False
    with sessions() as session:
        return get_campaign_by_code(session, code) is None


def responses_outside(
    sessions: sessionmaker[Session], survey_ids: Iterable[str], codes: Collection[str]
) -> int:
    """How many responses of the questionnaires came through none of the campaigns ``codes``.

    Responses without a campaign count (they came through no campaign of the set).
    """
    with sessions() as session:
        return sum(
            1
            for survey_id in survey_ids
            for response in _held(session, survey_id)
            if response.campaign_code not in codes
        )


def erase_campaign_responses(
    sessions: sessionmaker[Session], survey_id: str, codes: Collection[str]
) -> int:
    """Erase every response of ``survey_id`` that came through one of the campaigns ``codes``.

    One transaction; returns how many were erased.
    """
    with sessions.begin() as session:
        chosen = [r.response_id for r in _held(session, survey_id) if r.campaign_code in codes]
        return sum(erase_response(session, response_id) for response_id in chosen)
