"""Whatever a chat sends that is not an answer: a polite word or silence, nothing stored.

Stickers, photos, voice notes, locations, contacts, polls, edited messages,
text at Telegram's 4,096-character limit, emoji, commands with garbage
arguments, forged and replayed buttons, a button of another chat's message,
chats that never started, a user who blocked the bot, flood control.
"""

from __future__ import annotations

import logging
from typing import Any

import pytest
from bot_support import BotRunner, Resident
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from bot.callbacks import CallbackSigner, Kind
from intake.service import IntakeService
from storage.tables import AnswerModel, ResponseModel

OTHER_KINDS: dict[str, dict[str, Any]] = {
    "sticker": {
        "sticker": {
            "file_id": "s",
            "file_unique_id": "s",
            "type": "regular",
            "width": 512,
            "height": 512,
            "is_animated": False,
            "is_video": False,
            "emoji": "🙂",
        }
    },
    "photo": {"photo": [{"file_id": "p", "file_unique_id": "p", "width": 90, "height": 90}]},
    "voice": {"voice": {"file_id": "v", "file_unique_id": "v", "duration": 3}},
    "location": {"location": {"latitude": 45.5, "longitude": -73.6}},
    "contact": {"contact": {"phone_number": "+15145550000", "first_name": "X"}},
    "poll": {
        "poll": {
            "id": "1",
            "question": "?",
            "options": [
                {"persistent_id": "a", "text": "a", "voter_count": 0},
                {"persistent_id": "b", "text": "b", "voter_count": 0},
            ],
            "total_voter_count": 0,
            "is_closed": False,
            "is_anonymous": True,
            "type": "regular",
            "allows_multiple_answers": False,
            "allows_revoting": False,
            "members_only": False,
        }
    },
}


def _counts(session_factory: sessionmaker[Session]) -> tuple[int, int]:
    with session_factory() as session:
        answers = session.scalar(select(func.count()).select_from(AnswerModel)) or 0
        responses = session.scalar(select(func.count()).select_from(ResponseModel)) or 0
    return answers, responses


@pytest.fixture
def no_errors(caplog: pytest.LogCaptureFixture) -> Any:
    caplog.set_level(logging.WARNING)
    yield
    failures = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert not failures, [r.getMessage() for r in failures]


def test_a_chat_that_never_started_is_told_how_to(
    runner: BotRunner, no_errors: None, session_factory: sessionmaker[Session]
) -> None:
    resident = Resident(runner, 501)
    for kind, content in OTHER_KINDS.items():
        runner.process(runner.fake.user_message(501, **content))
        assert "/start" in resident.last_text(), kind
    resident.send("42")
    assert resident.last_text() == "Bonjour! Pour répondre à un sondage, envoyez /start."
    signer = CallbackSigner(runner.settings.token)
    resident.send("/help")
    message = runner.fake.bot_messages(501)[-1]["message_id"]
    runner.process(
        runner.fake.user_press(501, message, signer.make(501, Kind.ANSWER, "deadbeef", "x", "1"))
    )
    assert _counts(session_factory) == (0, 0)


def test_other_kinds_edits_and_garbage_while_answering(
    runner: BotRunner,
    service: IntakeService,
    no_errors: None,
    session_factory: sessionmaker[Session],
) -> None:
    resident = Resident(runner, 502, "en")
    resident.send("/start")
    resident.press("(about", exact=False)
    turn = service.resume_by_chat(
        502, next(iter(service.offer("en"))).survey_id
    ) or service.resume_by_chat(502, "victimisation")
    assert turn is not None and turn.prompt is not None
    before = _counts(session_factory)
    for kind, content in OTHER_KINDS.items():
        runner.process(runner.fake.user_message(502, language="en", **content))
        assert resident.last_text().startswith("I can only read text and buttons"), kind
    user_message = runner.fake.visible(502)[-1]["message_id"] - 1
    runner.process(runner.fake.user_edit(502, user_message, "34"))
    assert "Edited messages are not read" in resident.last_text()
    for garbage in [
        "/start " + "x" * 200,
        "/start ../../etc",
        "/back now please",
        "/frobnicate",
        "/review 1 2 3",
    ]:
        resident.send(garbage)
    assert _counts(session_factory) == before
    resident.send("🙂🙂🙂")
    assert "⚠️" in resident.last_text()
    resident.send("x" * 4096)
    assert "⚠️" in resident.last_text()
    assert _counts(session_factory) == before


def test_forged_replayed_and_foreign_buttons_are_refused(
    runner: BotRunner,
    service: IntakeService,
    no_errors: None,
    session_factory: sessionmaker[Session],
) -> None:
    fake = runner.fake
    first, second = Resident(runner, 503), Resident(runner, 504)
    for resident in (first, second):
        resident.send("/start")
        resident.press("(environ", exact=False)
        resident.send("34")
    message, button = first.find_button("J'accepte")
    data = button["callback_data"]
    before = _counts(session_factory)
    runner.process(
        fake.user_press(503, message["message_id"], data[:-1] + ("A" if data[-1] != "A" else "B"))
    )
    runner.process(fake.user_press(504, second.find_button("J'accepte")[0]["message_id"], data))
    runner.process(fake.user_press(503, message["message_id"], data, from_id=999))
    assert _counts(session_factory) == before
    answers = [a.get("text") for a in fake.callback_answers[-3:]]
    assert answers[0] == answers[1] == "Ce bouton ne fonctionne pas ici."
    first.press("J'accepte")
    after = _counts(session_factory)
    assert after[0] == before[0] + 1
    runner.process(fake.user_press(503, message["message_id"], data))  # replayed
    assert _counts(session_factory) == after
    assert "déjà passée" in fake.callback_answers[-1]["text"]


def test_a_user_who_blocked_the_bot_and_flood_control(runner: BotRunner, no_errors: None) -> None:
    fake = runner.fake
    resident = Resident(runner, 505)
    resident.send("/start")
    fake.chat(505).blocked = True
    resident.send("/help")
    resident.send("34")
    fake.chat(505).blocked = False
    fake.flood["sendMessage"] = 2
    resident.send("/help")
    assert resident.last_text().startswith("Je vous pose les questions")
    assert fake.flood["sendMessage"] == 0
