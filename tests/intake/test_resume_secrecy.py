"""Resume codes and chat keys a database copy cannot reverse; guesses slowed down.

Every test runs on SQLite and, with ``VIGIE_TEST_DATABASE_URL``, on PostgreSQL.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable

import pytest
from intake_support import TEST_SECRET, Clock
from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker

from intake.errors import IntakeError, render_intake_error
from intake.guesses import MAX_FAILED_PER_CLIENT, WINDOW, GuessLimiter
from intake.service import IntakeService
from intake.tokens import (
    chat_key,
    legacy_chat_key,
    legacy_resume_digest,
    normalize_resume_code,
    resume_digest,
)
from questionnaire.definition.model import Survey
from storage.tables import AnswerModel, ResponseModel


def _stored(session_factory: sessionmaker[Session]) -> list[tuple[object, ...]]:
    """Every response and answer row, to compare before and after."""
    with session_factory() as session:
        responses = session.execute(select(ResponseModel.__table__).order_by("id")).all()
        answers = session.execute(select(AnswerModel.__table__).order_by("response_id")).all()
    return [tuple(row) for row in [*responses, *answers]]


def _paused_code(service: IntakeService) -> tuple[str, str]:
    turn = service.start("short_safety", "web", "fr")
    service.submit(turn.response_id, "age_15_plus", "oui")
    code = service.pause(turn.response_id).resume_code
    assert code is not None
    return turn.response_id, code


def test_a_resume_code_is_stored_as_a_keyed_digest(
    service: IntakeService, session_factory: sessionmaker[Session]
) -> None:
    rid, shown = _paused_code(service)
    code = normalize_resume_code(shown)
    assert code is not None
    with session_factory() as session:
        stored = session.scalar(select(ResponseModel.resume_token_hash))
    assert stored == resume_digest(code, TEST_SECRET)
    # What someone holding a copy of the database could test offline without the secret:
    assert stored != hashlib.sha256(code.encode()).hexdigest()
    assert stored != resume_digest(code, TEST_SECRET + "-other")
    assert service.resume_by_code(shown).response_id == rid


def test_a_code_stored_in_the_earlier_form_still_works_and_is_rekeyed(
    service: IntakeService, session_factory: sessionmaker[Session]
) -> None:
    rid, shown = _paused_code(service)
    code = normalize_resume_code(shown)
    assert code is not None
    with session_factory.begin() as session:
        session.execute(update(ResponseModel).values(resume_token_hash=legacy_resume_digest(code)))
    assert service.resume_by_code(shown).response_id == rid
    with session_factory() as session:
        stored = session.scalar(select(ResponseModel.resume_token_hash))
    assert stored == resume_digest(code, TEST_SECRET)
    assert service.resume_by_code(shown).response_id == rid


def test_a_chat_has_a_different_key_in_each_questionnaire(
    make_service: Callable[..., IntakeService],
    short_survey: Survey,
    session_factory: sessionmaker[Session],
) -> None:
    other = short_survey.model_copy(update={"id": "short_safety_bis"})
    service = make_service([short_survey, other])
    first = service.start("short_safety", "telegram", "fr", chat_id=4242)
    second = service.start("short_safety_bis", "telegram", "fr", chat_id=4242)
    assert first.response_id != second.response_id
    with session_factory() as session:
        keys = dict(session.execute(select(ResponseModel.id, ResponseModel.chat_key)).all())
    assert keys[first.response_id] == chat_key(4242, TEST_SECRET, "short_safety")
    assert keys[second.response_id] == chat_key(4242, TEST_SECRET, "short_safety_bis")
    assert keys[first.response_id] != keys[second.response_id]
    assert legacy_chat_key(4242, TEST_SECRET) not in keys.values()
    found = service.resume_by_chat(4242, "short_safety_bis")
    assert found is not None and found.response_id == second.response_id


def test_a_chat_key_of_the_earlier_form_still_finds_its_response_and_is_rekeyed(
    service: IntakeService, session_factory: sessionmaker[Session]
) -> None:
    turn = service.start("short_safety", "telegram", "fr", chat_id=777)
    with session_factory.begin() as session:
        session.execute(update(ResponseModel).values(chat_key=legacy_chat_key(777, TEST_SECRET)))
    again = service.start("short_safety", "telegram", "fr", chat_id=777)
    assert again.response_id == turn.response_id
    with session_factory() as session:
        keys = session.scalars(select(ResponseModel.chat_key)).all()
    assert keys == [chat_key(777, TEST_SECRET, "short_safety")]


def test_wrong_guesses_are_limited_per_client_even_for_a_right_code(
    service: IntakeService, session_factory: sessionmaker[Session], clock: Clock
) -> None:
    rid, shown = _paused_code(service)
    before = _stored(session_factory)
    for _ in range(MAX_FAILED_PER_CLIENT):
        with pytest.raises(IntakeError) as wrong:
            service.resume_by_code("AAAAA-AAAAA", client="guesser")
        assert wrong.value.code == "unknown_resume_code"
    for typed in ("AAAAA-AAAAA", shown):
        with pytest.raises(IntakeError) as blocked:
            service.resume_by_code(typed, client="guesser")
        assert blocked.value.code == "too_many_attempts"
        assert blocked.value.params == {"minutes": 15}
    with pytest.raises(IntakeError) as erasing:
        service.erase_by_code(shown, client="guesser")
    assert erasing.value.code == "too_many_attempts"
    assert "15" in render_intake_error(blocked.value, "fr")
    assert render_intake_error(blocked.value, "fr") != render_intake_error(blocked.value, "en")
    assert _stored(session_factory) == before
    # Another client is not blocked; the guesser is again once the window has passed.
    assert service.resume_by_code(shown, client="someone else").response_id == rid
    clock.advance(seconds=WINDOW.total_seconds() + 1)
    assert service.resume_by_code(shown, client="guesser").response_id == rid


def test_the_overall_ceiling_stops_guesses_spread_over_many_clients() -> None:
    now = dt.datetime(2026, 3, 12, tzinfo=dt.UTC)
    limiter = GuessLimiter(lambda: now, per_client=3, overall=5)
    for client in ("a", "b", "c", "d", "e"):
        limiter.check(client)
        limiter.failed(client)
    with pytest.raises(IntakeError) as caught:
        limiter.check("f")
    assert caught.value.code == "too_many_attempts"
    assert "per_client=3" in repr(limiter)
