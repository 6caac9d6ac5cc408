"""A chat's response found and answered in one call (``chat_turn``, ``chat_answer``).

Every test runs on SQLite and, with ``VIGIE_TEST_DATABASE_URL``, on PostgreSQL.
The statement counts are what each call costs the database; they are counts,
not times.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from db_fixtures import statements
from intake_support import TEST_SECRET
from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker

from intake.service import IntakeService
from intake.tokens import chat_key, legacy_chat_key
from intake.turns import Turn
from questionnaire.definition.model import Survey
from storage.tables import AnswerModel, ResponseModel

BOTH = ("short_safety", "short_safety_bis")


def two_surveys(make_service: Callable[..., IntakeService], short_survey: Survey) -> IntakeService:
    return make_service([short_survey, short_survey.model_copy(update={"id": "short_safety_bis"})])


def anonymous(turn: Turn) -> Turn:
    return replace(turn, response_id="-")


def typed(turn: Turn) -> str:
    """A plausible typed answer to the turn's question."""
    assert turn.prompt is not None
    return "1" if turn.prompt.choices else "3"


def test_chat_turn_finds_the_first_questionnaire_in_progress_with_two_statements(
    make_service: Callable[..., IntakeService],
    short_survey: Survey,
    session_factory: sessionmaker[Session],
) -> None:
    service = two_surveys(make_service, short_survey)
    assert service.chat_turn(4242, BOTH) is None
    second = service.start("short_safety_bis", "telegram", "fr", chat_id=4242)
    with statements(session_factory) as seen:
        found = service.chat_turn(4242, BOTH)
    assert found is not None and found.survey_id == "short_safety_bis"
    assert found.turn == service.current(second.response_id)
    assert len(seen) == 2, seen  # the chat's keys at once, then the answers
    first = service.start("short_safety", "telegram", "fr", chat_id=4242)
    in_order = service.chat_turn(4242, BOTH)
    reversed_order = service.chat_turn(4242, BOTH[::-1])
    assert in_order is not None and in_order.turn.response_id == first.response_id
    assert reversed_order is not None and reversed_order.turn.response_id == second.response_id
    assert service.chat_turn(4343, BOTH) is None  # another chat
    assert service.chat_turn(4242, ()) is None


def test_chat_turn_finds_a_chat_key_of_the_earlier_form_and_rekeys_it(
    make_service: Callable[..., IntakeService],
    short_survey: Survey,
    session_factory: sessionmaker[Session],
) -> None:
    service = two_surveys(make_service, short_survey)
    turn = service.start("short_safety_bis", "telegram", "fr", chat_id=777)
    with session_factory.begin() as session:
        session.execute(update(ResponseModel).values(chat_key=legacy_chat_key(777, TEST_SECRET)))
    found = service.chat_turn(777, BOTH)
    assert found is not None and found.survey_id == "short_safety_bis"
    assert found.turn.response_id == turn.response_id
    with session_factory() as session:
        keys = session.scalars(select(ResponseModel.chat_key)).all()
    assert keys == [chat_key(777, TEST_SECRET, "short_safety_bis")]
    answered = service.chat_answer(777, BOTH, "1", request_key="1")
    assert answered is not None and answered.turn.error is None
    assert answered.turn.prompt != turn.prompt  # the rekeyed response takes answers


def test_chat_answer_gives_what_finding_then_submit_gives(
    make_service: Callable[..., IntakeService],
    short_survey: Survey,
    session_factory: sessionmaker[Session],
) -> None:
    service = two_surveys(make_service, short_survey)
    by_chat = service.start("short_safety", "telegram", "fr", chat_id=1)
    by_hand = service.start("short_safety", "telegram", "fr", chat_id=2)
    for step in range(4):
        raw = "beaucoup" if step == 2 else typed(by_hand)  # one refused answer too
        assert by_hand.prompt is not None
        by_hand = service.submit(by_hand.response_id, by_hand.prompt.path, raw)
        with statements(session_factory) as seen:
            found = service.chat_answer(1, BOTH, raw, request_key=f"u{step}")
        assert found is not None and found.survey_id == "short_safety"
        assert anonymous(found.turn) == anonymous(by_hand), step
        assert found.turn.response_id == by_chat.response_id
        # the chat's keys, the answers, the request claimed (old ones dropped),
        # then, for an accepted answer, the state and the answer written
        assert len(seen) <= 6, seen
    assert by_hand.error is None and by_hand.prompt is not None
    with session_factory() as session:
        counts = {
            rid: len(session.scalars(select(AnswerModel).filter_by(response_id=rid)).all())
            for rid in (by_chat.response_id, by_hand.response_id)
        }
    assert counts[by_chat.response_id] == counts[by_hand.response_id] == 3


def test_chat_answer_once_per_request_key_and_none_without_a_response(
    make_service: Callable[..., IntakeService],
    short_survey: Survey,
    session_factory: sessionmaker[Session],
) -> None:
    service = two_surveys(make_service, short_survey)
    assert service.chat_answer(55, BOTH, "1", request_key="9") is None
    start = service.start("short_safety", "telegram", "fr", chat_id=55)
    first = service.chat_answer(55, BOTH, "1", request_key="9")
    again = service.chat_answer(55, BOTH, "1", request_key="9")
    assert first is not None and again is not None
    assert first.turn.prompt != start.prompt
    assert again.turn == first.turn  # the same update twice answers once
    assert again.turn == service.current(start.response_id)
    with session_factory() as session:
        stored = session.scalars(select(AnswerModel.path)).all()
    assert stored == ["age_15_plus"]
