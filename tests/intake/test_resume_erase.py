"""Pausing, resuming, erasing, campaigns, versions and retention, on every test database."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable

import pytest
from intake_support import TEST_SECRET, Clock
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from intake.errors import IntakeError
from intake.service import IntakeService
from intake.tokens import chat_key, normalize_resume_code
from questionnaire.definition.model import Survey
from questionnaire.navigation.status import ResponseStatus
from storage.answers import load_answers
from storage.campaigns import create_campaign
from storage.responses import get_response
from storage.tables import ResponseModel


def test_pause_issues_a_code_stored_only_as_its_hash(
    service: IntakeService, session_factory: sessionmaker[Session]
) -> None:
    turn = service.start("short_safety", "web", "fr")
    service.submit(turn.response_id, "age_15_plus", "oui")
    paused = service.pause(turn.response_id)
    assert paused.resume_code is not None
    assert paused.info is not None and paused.resume_code in paused.info.text
    code = normalize_resume_code(paused.resume_code)
    assert code is not None
    with session_factory() as session:
        record = get_response(session, turn.response_id)
        columns = session.execute(select(ResponseModel.__table__)).one()
    assert record is not None
    assert record.resume_token_hash == hashlib.sha256(code.encode()).hexdigest()
    assert not any(code in str(value) for value in columns)

    resumed = service.resume_by_code(paused.resume_code.lower().replace("-", " "))
    assert resumed.response_id == turn.response_id
    assert resumed.prompt is not None and resumed.prompt.path == "walk_alone_dark"


def test_a_new_pause_replaces_the_code(service: IntakeService) -> None:
    turn = service.start("short_safety", "web", "en")
    first = service.pause(turn.response_id).resume_code
    second = service.pause(turn.response_id).resume_code
    assert first is not None and second is not None and first != second
    assert service.resume_by_code(second).response_id == turn.response_id
    with pytest.raises(IntakeError) as caught:
        service.resume_by_code(first)
    assert caught.value.code == "unknown_resume_code"
    with pytest.raises(IntakeError) as malformed:
        service.resume_by_code("not a code")
    assert malformed.value.code == "unknown_resume_code"


def test_telegram_resumes_by_chat_and_keeps_no_chat_id(
    service: IntakeService, session_factory: sessionmaker[Session]
) -> None:
    turn = service.start("short_safety", "telegram", "fr", chat_id=987654321)
    service.submit(turn.response_id, "age_15_plus", "oui")
    paused = service.pause(turn.response_id)
    assert paused.resume_code is None and paused.info is not None
    again = service.start("short_safety", "telegram", "fr", chat_id=987654321)
    assert again.response_id == turn.response_id
    resumed = service.resume_by_chat(987654321, "short_safety")
    assert resumed is not None and resumed.prompt is not None
    assert resumed.prompt.path == "walk_alone_dark"
    assert service.resume_by_chat(111, "short_safety") is None
    with session_factory() as session:
        record = get_response(session, turn.response_id)
        columns = session.execute(select(ResponseModel.__table__)).one()
    assert record is not None
    assert record.chat_key == chat_key(987654321, TEST_SECRET)
    assert not any("987654321" in str(value) for value in columns)
    with pytest.raises(IntakeError) as caught:
        service.start("short_safety", "telegram", "fr")
    assert caught.value.code == "chat_id_required"


def test_erase_leaves_nothing_of_the_respondent(
    service: IntakeService, session_factory: sessionmaker[Session]
) -> None:
    turn = service.start("short_safety", "web", "fr")
    rid = turn.response_id
    service.submit(rid, "age_15_plus", "oui")
    code = service.pause(rid).resume_code
    assert code is not None
    erased = service.erase_by_code(code)
    assert erased.status is ResponseStatus.ERASED
    assert erased.prompt is None and erased.closing is not None
    with session_factory() as session:
        record = get_response(session, rid)
        assert load_answers(session, rid) == {}
    assert record is not None
    assert (record.resume_token_hash, record.chat_key, record.pending_warning) == (None, None, None)
    refused = service.submit(rid, "walk_alone_dark", "very_safe")
    assert refused.error is not None and refused.error.code == "response_closed"
    with pytest.raises(IntakeError):
        service.resume_by_code(code)


def test_erase_by_response_id_of_a_telegram_chat(service: IntakeService) -> None:
    turn = service.start("short_safety", "telegram", "en", chat_id=55)
    erased = service.erase(turn.response_id)
    assert erased.status is ResponseStatus.ERASED
    assert service.resume_by_chat(55, "short_safety") is None
    with pytest.raises(IntakeError) as caught:
        service.erase("0" * 32)
    assert caught.value.code == "response_not_found"


def test_start_refuses_unknown_survey_language_and_channel(service: IntakeService) -> None:
    for arguments, code in [
        (("nope", "web", "fr"), "unknown_survey"),
        (("short_safety", "web", "de"), "unknown_language"),
        (("short_safety", "fax", "fr"), "unknown_channel"),
    ]:
        with pytest.raises(IntakeError) as caught:
            service.start(*arguments)
        assert caught.value.code == code
    with pytest.raises(IntakeError) as caught:
        service.current("f" * 32)
    assert caught.value.code == "response_not_found"


def test_campaign_presets_the_municipality(
    service: IntakeService, session_factory: sessionmaker[Session]
) -> None:
    with session_factory.begin() as session:
        create_campaign(session, "Maison des jeunes", "short_safety", "2423027", code="mdj-quebec")
        create_campaign(session, "Ancienne", "short_safety", code="old-one", active=False)
    turn = service.start("short_safety", "web", "fr", campaign_code="mdj-quebec")
    with session_factory() as session:
        record = get_response(session, turn.response_id)
        assert load_answers(session, turn.response_id) == {"municipality": "2423027"}
    assert record is not None and record.campaign_id is not None
    for code, error in [("old-one", "inactive_campaign"), ("missing", "unknown_campaign")]:
        with pytest.raises(IntakeError) as caught:
            service.start("short_safety", "web", "fr", campaign_code=code)
        assert caught.value.code == error


def test_a_response_keeps_the_version_it_started_with(
    make_service: Callable[..., IntakeService], short_survey: Survey
) -> None:
    old_service = make_service([short_survey])
    turn = old_service.start("short_safety", "web", "en")
    questions = short_survey.sections[0].questions
    relabelled = questions[0].model_copy(update={"label": {"fr": "Âge ?", "en": "Age?"}})
    entry = short_survey.sections[0].model_copy(update={"questions": [relabelled]})
    newer = short_survey.model_copy(
        update={
            "version": "1.1",
            "content_hash": "",
            "sections": [entry, *short_survey.sections[1:]],
        }
    )
    new_service = make_service([newer])
    resumed = new_service.current(turn.response_id)
    assert resumed.prompt is not None and resumed.prompt.label == "Are you 15 or older?"
    fresh = new_service.start("short_safety", "web", "en")
    assert fresh.prompt is not None and fresh.prompt.label == "Age?"


def test_mark_abandoned_after_the_configured_days(
    make_service: Callable[..., IntakeService], clock: Clock
) -> None:
    service = make_service(abandon_after_days=10)
    idle = service.start("short_safety", "web", "fr")
    clock.advance(days=8)
    active = service.start("short_safety", "web", "fr")
    clock.advance(days=3)
    assert service.mark_abandoned() == 1
    assert service.current(idle.response_id).status is ResponseStatus.ABANDONED
    assert service.current(active.response_id).status is ResponseStatus.IN_PROGRESS
    assert service.mark_abandoned(dt.timedelta(days=1)) == 1
