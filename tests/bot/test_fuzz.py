"""Ten thousand arbitrary updates through the real bot: no unhandled exception, no bad answer.

Every kind of message, random text and commands with random arguments,
random, forged, replayed and foreign callback data, edits, group and channel
updates, in chats that started a questionnaire and chats that never did. At
the end every stored answer must be one the shared answer rules accept.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import random
from typing import Any

import pytest
from bot_support import BotRunner, Resident, shipped_surveys
from fake_telegram import FakeTelegram
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker
from test_bad_input import OTHER_KINDS

from bot.callbacks import CallbackSigner, Kind, short_hash
from bot.settings import BotSettings
from intake.service import IntakeService
from questionnaire.answers.errors import AnswerError
from questionnaire.answers.reading import read_answer
from questionnaire.answers.run_context import RunContext
from questionnaire.answers.scope import AnswerScope
from questionnaire.definition.slots import another_question
from questionnaire.definition.values import SKIPPED, Special, YearMonth, split_path
from storage.answers import load_answers
from storage.tables import ResponseModel, SurveyVersionModel

UPDATES = int(os.environ.get("VIGIE_FUZZ_UPDATES", "10000"))
CHATS = list(range(7001, 7013))
COMMANDS = [
    "/start",
    "/back",
    "/skip",
    "/review",
    "/pause",
    "/resume",
    "/language",
    "/erase",
    "/exit",
    "/help",
    "/nope",
    "/start@vigie_test_bot",
]
WORDS = [
    "oui",
    "non",
    "yes",
    "no",
    "3",
    "trois",
    "-1",
    "1e9",
    "mars 2025",
    "2025-13",
    "  ",
    "🙂",
    "0",
    "12/2025",
    "Je ne sais pas",
    "don't know",
    "1, 2",
    "aucune",
    "<b>x</b>",
    "&amp;",
    "'; DROP TABLE answers;--",
]


def _text(rng: random.Random) -> str:
    roll = rng.random()
    if roll < 0.6:
        return rng.choice(WORDS)
    if roll < 0.8:
        return "".join(chr(rng.randint(32, 0x2FFF)) for _ in range(rng.randint(1, 40)))
    if roll < 0.9:
        return (
            rng.choice(COMMANDS)
            + " "
            + "".join(rng.choice("abc123-_/ 🙂") for _ in range(rng.randint(0, 80)))
        )
    return rng.choice("xé🙂") * rng.randint(100, 4096)


def _callback(rng: random.Random, signer: CallbackSigner, chat: int, runner: BotRunner) -> str:
    buttons = [
        b["callback_data"]
        for m in runner.fake.bot_messages(chat)[-6:]
        for b in runner.fake.buttons(m)
        if "callback_data" in b
    ]
    roll = rng.random()
    if buttons and roll < 0.55:
        return rng.choice(buttons)  # current or replayed
    if roll < 0.7:
        kind = rng.choice(list(Kind))
        fields = [
            rng.choice(["deadbeef", "", "x" * 8]),
            short_hash(str(rng.random())),
            str(rng.randint(-3, 40)),
            format(rng.randint(0, 2**20), "x"),
        ]
        return signer.make(chat, kind, *fields[: rng.randint(0, 4)])
    if roll < 0.85 and buttons:
        return signer.make(chat + 1, Kind.ANSWER, "x", "y", "1")  # another chat's
    return "".join(chr(rng.randint(33, 126)) for _ in range(rng.randint(1, 64)))


def _update(rng: random.Random, runner: BotRunner, signer: CallbackSigner) -> dict[str, Any]:
    fake, chat = runner.fake, rng.choice(CHATS)
    roll = rng.random()
    bot_messages = fake.bot_messages(chat)
    if roll < 0.35 and bot_messages:
        message = rng.choice(bot_messages[-4:])
        return fake.user_press(
            chat,
            message["message_id"],
            _callback(rng, signer, chat, runner),
            from_id=None if rng.random() < 0.95 else chat + 5,
        )
    if roll < 0.8:
        return fake.user_message(chat, _text(rng), language=rng.choice(["fr", "en", "de", None]))
    if roll < 0.9:
        return fake.user_message(chat, **rng.choice(list(OTHER_KINDS.values())))
    if roll < 0.95:
        own = [m for m in fake.visible(chat) if not m["from"]["is_bot"]]
        if own:
            return fake.user_edit(chat, rng.choice(own)["message_id"], _text(rng))
    group = {"id": -100 - chat, "type": "group", "title": "g"}
    message = {
        "message_id": 1,
        "date": 0,
        "chat": group,
        "from": {"id": chat, "is_bot": False, "first_name": "x"},
        "text": rng.choice(COMMANDS),
    }
    return {
        "update_id": 10**7 + rng.randint(0, 10**6),
        rng.choice(["message", "channel_post", "edited_message"]): message,
    }


def _check_answers(session_factory: sessionmaker[Session]) -> int:
    """Every stored answer is one the rules accept (soft warnings as confirmed)."""
    checked = 0
    with session_factory() as session:
        rows = session.execute(
            select(ResponseModel, SurveyVersionModel).join(SurveyVersionModel)
        ).all()
        for response, version in rows:
            survey = load_survey_cached(version.survey_id)
            answers = load_answers(session, response.id)
            ctx = RunContext(
                started_on=response.started_at.date(),
                channel="telegram",
                language=response.language,
                today=dt.date(2026, 3, 12),
            )
            for path, value in answers.items():
                repeat, _, name = split_path(path)
                if name == "another":
                    section = next(
                        s
                        for s in survey.sections
                        if s.repeat is not None and s.repeat.name == repeat
                    )
                    assert section.repeat is not None
                    question = another_question(section.repeat)
                else:
                    question = survey.question(name)
                assert (
                    not (question.sensitive or survey.section_of(name).sensitive)
                    if name != "another"
                    else True
                )
                raw = _raw(value)
                scope = AnswerScope(survey, dict(answers), ctx)
                try:
                    again = read_answer(
                        question, raw, scope=scope, language=response.language, warned=True
                    )
                except AnswerError as error:
                    if (
                        error.code == "constraint"
                        or error.code.startswith("above")
                        or error.code.startswith("below")
                    ):
                        continue  # cross-answer constraints depend on answers changed later
                    raise AssertionError(f"{path}={value!r} refused: {error!r}") from None
                assert again == value, (path, value, again)
                checked += 1
    return checked


def load_survey_cached(survey_id: str) -> Any:
    return next(s for s in shipped_surveys() if s.id == survey_id)


def _raw(value: Any) -> Any:
    if value is SKIPPED:
        return None
    if isinstance(value, Special):
        return str(value)
    if isinstance(value, tuple):
        return list(value)
    if isinstance(value, YearMonth):
        return f"{value.year}-{value.month:02d}"
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float | int) and not isinstance(value, bool):
        return str(value)
    return value


@pytest.mark.slow
def test_ten_thousand_arbitrary_updates(
    fake: FakeTelegram,
    service: IntakeService,
    settings: BotSettings,
    session_factory: sessionmaker[Session],
    caplog: pytest.LogCaptureFixture,
) -> None:
    with BotRunner(fake, service, settings, in_process=True) as runner:
        _send_arbitrary_updates(runner, caplog)
    assert _check_answers(session_factory) > 0


def _send_arbitrary_updates(runner: BotRunner, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.WARNING)
    rng = random.Random(20261129)
    signer = CallbackSigner(runner.settings.token)
    for chat in CHATS[: len(CHATS) // 2]:
        resident = Resident(runner, chat)
        resident.send("/start")
        resident.press("(environ", exact=False)
    for _ in range(UPDATES):
        runner.process(_update(rng, runner, signer))
    failures = [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]
    assert not failures, failures[:5]
