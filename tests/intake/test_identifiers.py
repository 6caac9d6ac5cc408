"""Identifiers from outside are checked before the database, the same on every backend.

A channel passes on what it received (a URL segment, a callback payload, a
deep-link code). On PostgreSQL a NUL byte in a query parameter is a driver
error; on SQLite it is a harmless miss. Both must answer with the service's own
code and leave the tables as they were.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from intake.errors import IntakeError
from intake.service import IntakeService
from storage.campaigns import create_campaign, get_campaign_by_code, set_campaign_active
from storage.responses import get_response
from storage.retention import erase_response
from storage.tables import AnswerModel, CampaignModel, ResponseModel

BAD_RESPONSE_IDS = [
    "\x00",
    "0" * 16 + "\x00" + "0" * 15,
    "f" * 33,
    "F" * 32,
    "x" * 10_000,
    "' OR 1=1 --",
    "",
    "é" * 32,
]
BAD_CAMPAIGN_CODES = [
    "mdj\x00quebec",
    "\x00",
    "a" * 500,
    "MDJ-QUEBEC",
    "../../etc",
    "",
    "mdj quebec",
]


def _stored(session_factory: sessionmaker[Session]) -> list[tuple[object, ...]]:
    with session_factory() as session:
        rows = [
            *session.execute(select(ResponseModel.__table__).order_by("id")).all(),
            *session.execute(select(AnswerModel.__table__).order_by("response_id")).all(),
            *session.execute(select(CampaignModel.__table__).order_by("id")).all(),
        ]
    return [tuple(row) for row in rows]


@pytest.mark.parametrize("bad_id", BAD_RESPONSE_IDS)
def test_a_malformed_response_id_is_not_found_and_changes_nothing(
    service: IntakeService, session_factory: sessionmaker[Session], bad_id: str
) -> None:
    turn = service.start("short_safety", "web", "fr")
    service.submit(turn.response_id, "age_15_plus", "oui")
    before = _stored(session_factory)
    calls: list[Callable[[], object]] = [
        lambda: service.current(bad_id),
        lambda: service.submit(bad_id, "age_15_plus", "oui"),
        lambda: service.skip(bad_id, "walk_alone_dark"),
        lambda: service.submit_page(bad_id, "age_15_plus", {"age_15_plus": "oui"}),
        lambda: service.back(bad_id),
        lambda: service.pause(bad_id),
        lambda: service.change_language(bad_id, "en"),
        lambda: service.erase(bad_id),
    ]
    for call in calls:
        with pytest.raises(IntakeError) as caught:
            call()
        assert caught.value.code == "response_not_found"
    with session_factory.begin() as session:
        assert get_response(session, bad_id) is None
        assert erase_response(session, bad_id) is False
    assert _stored(session_factory) == before


@pytest.mark.parametrize("bad_code", BAD_CAMPAIGN_CODES)
def test_a_malformed_campaign_code_is_unknown_and_changes_nothing(
    service: IntakeService, session_factory: sessionmaker[Session], bad_code: str
) -> None:
    with session_factory.begin() as session:
        create_campaign(session, "Maison des jeunes", "short_safety", code="mdj-quebec")
    before = _stored(session_factory)
    with pytest.raises(IntakeError) as caught:
        service.start("short_safety", "web", "fr", campaign_code=bad_code)
    assert caught.value.code == "unknown_campaign"
    with session_factory.begin() as session:
        assert get_campaign_by_code(session, bad_code) is None
        assert set_campaign_active(session, bad_code, False) is False
    assert _stored(session_factory) == before


def test_a_nul_byte_in_a_chat_or_survey_id_finds_nothing(
    service: IntakeService, session_factory: sessionmaker[Session]
) -> None:
    service.start("short_safety", "telegram", "fr", chat_id=31)
    before = _stored(session_factory)
    assert service.resume_by_chat("31\x00", "short_safety") is None
    assert service.resume_by_chat(31, "short\x00safety") is None
    with pytest.raises(IntakeError) as caught:
        service.start("short\x00safety", "web", "fr")
    assert caught.value.code == "unknown_survey"
    assert _stored(session_factory) == before
