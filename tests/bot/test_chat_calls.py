"""What one update costs the database, and the hand-off decided with the turn.

A typed answer is one intake call (the chat's response found and answered in
one transaction); a button press finds the response and then answers it. The
counts are statements sent to the database, not times. Runs on SQLite and,
with ``VIGIE_TEST_DATABASE_URL``, on PostgreSQL.
"""

from __future__ import annotations

from bot_support import BotRunner, Resident, choose
from db_fixtures import statements
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from i18n import translate
from intake.handoff import HandoffReason
from intake.service import IntakeService
from storage.tables import AnswerModel

#: Statements of one typed answer: the chat's keys, the answers, the update's
#: key claimed (older keys dropped), the state and the answer written.
TYPED_STATEMENTS = 6
#: Statements of one button answering a question: the chat's keys and the
#: answers, then the response with its answers, the state and the answer written.
PRESSED_STATEMENTS = 5
#: A short way to victimisation's sensitive module: no incident.
NO_INCIDENT = {"break_in": "no", "screener_confirm": "yes"}


def test_a_typed_answer_and_a_button_each_cost_a_handful_of_statements(
    runner: BotRunner, service: IntakeService, session_factory: sessionmaker[Session]
) -> None:
    resident = Resident(runner, 601)
    turn = service.start("perceived_safety", "telegram", "fr", chat_id=601)
    assert turn.prompt is not None and turn.prompt.name == "age"
    with statements(session_factory) as typed:
        resident.send("34")
    after = service.resume_by_chat(601, "perceived_safety")
    assert after is not None and after.prompt is not None and after.prompt.name == "consent"
    assert len(typed) <= TYPED_STATEMENTS, typed
    message, button = resident.find_button(
        next(c.label for c in after.prompt.choices if c.code == "yes")
    )
    with statements(session_factory) as pressed:
        runner.process(runner.fake.user_press(601, message["message_id"], button["callback_data"]))
    moved = service.resume_by_chat(601, "perceived_safety")
    assert moved is not None and moved.prompt is not None and moved.prompt.name != "consent"
    assert len(pressed) <= PRESSED_STATEMENTS, pressed
    with statements(session_factory) as stale:  # the same button again: an earlier question
        runner.process(runner.fake.user_press(601, message["message_id"], button["callback_data"]))
    assert translate("fr", "bot.button.stale") in resident.last_text()  # said, and shown again
    assert len(stale) <= 2, stale  # found, shown: nothing written
    with session_factory() as session:
        stored = session.scalar(
            select(func.count()).select_from(AnswerModel).filter_by(response_id=turn.response_id)
        )
    assert stored == 2


def test_every_turn_says_when_the_chat_hands_off_as_chat_handoff_does(
    service: IntakeService, session_factory: sessionmaker[Session]
) -> None:
    turn = service.start("victimisation", "telegram", "fr", chat_id=4242)
    seen: set[HandoffReason | None] = set()
    for _ in range(200):
        reason = service.chat_handoff(turn.response_id)
        assert turn.handoff is reason, turn.prompt
        seen.add(reason)
        if reason is not None:
            break
        assert turn.prompt is not None
        turn = service.submit(
            turn.response_id, turn.prompt.path, choose(turn.prompt, "fr", NO_INCIDENT).raw
        )
    assert seen == {None, HandoffReason.SENSITIVE_SECTION}
    with session_factory() as session:
        before = session.scalar(select(func.count()).select_from(AnswerModel))
    found = service.chat_answer(4242, ["victimisation"], "1", request_key="77")
    assert found is not None and found.turn.handoff is HandoffReason.SENSITIVE_SECTION
    with session_factory() as session:
        assert session.scalar(select(func.count()).select_from(AnswerModel)) == before
