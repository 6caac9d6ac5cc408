"""What the bot spends per update besides intake: its few intake threads, nothing searched for.

Intake's calls run in the bot's own small pool of threads
(``VIGIE_BOT_DB_THREADS``), however many chats answer at once, and the pool
stops with the Application. Over real HTTP to the fake Bot API server, a walk
through a questionnaire imports nothing after a first walk has warmed the
same paths: no module is looked for on every request (httpcore tries
``import sniffio`` per request, which searches ``sys.path`` each time when
the package is missing).
"""

from __future__ import annotations

import asyncio
import dataclasses
import sys
import threading

from bot_support import BotRunner, Resident, act, choose
from fake_telegram import FakeTelegram
from telegram import Update

from bot.settings import BotSettings
from intake.service import IntakeService

SURVEY = "perceived_safety"


def _intake_threads() -> dict[int, str]:
    return {
        t.ident: t.name
        for t in threading.enumerate()
        if t.ident is not None and t.name.startswith("vigie-intake")
    }


def test_intake_calls_of_many_chats_at_once_run_on_the_bot_s_few_threads(
    fake: FakeTelegram, service: IntakeService, settings: BotSettings
) -> None:
    chats = range(700, 712)
    for chat in chats:
        service.start(SURVEY, "telegram", "fr", chat_id=chat)
    before = _intake_threads()
    with BotRunner(fake, service, dataclasses.replace(settings, database_threads=2)) as runner:
        app = runner.app
        updates = [Update.de_json(fake.user_message(c, "34"), app.bot) for c in chats]

        async def all_at_once() -> None:
            await asyncio.gather(*(app.process_update(u) for u in updates))

        runner.loop.run_until_complete(all_at_once())
        ours = {i: n for i, n in _intake_threads().items() if i not in before}
        assert 1 <= len(ours) <= 2, ours
    for chat in chats:
        turn = service.resume_by_chat(chat, SURVEY)
        assert turn is not None and turn.prompt is not None
        assert turn.prompt.name == "consent", (chat, turn.prompt.name)
    assert not set(ours) & set(_intake_threads()), "the threads outlived the Application"


#: Modules looked for while the measured walk runs (the audit hook stays installed
#: for the rest of the process, so it only records while this flag is set).
_LOOKED_FOR: list[str] = []
_RECORDING = threading.Event()
_HOOKED = False


def _audit(event: str, args: tuple[object, ...]) -> None:
    if event == "import" and _RECORDING.is_set():
        _LOOKED_FOR.append(str(args[0]))


def _walk(runner: BotRunner, service: IntakeService, chat_id: int) -> int:
    resident = Resident(runner, chat_id)
    resident.send("/start")
    offered = next(o for o in service.offer("fr") if o.survey_id == SURVEY)
    resident.press(offered.title, exact=False)
    steps = 0
    while (turn := service.resume_by_chat(chat_id, SURVEY)) is not None:
        assert turn.prompt is not None and steps < 200
        act(resident, choose(turn.prompt, "fr"))
        steps += 1
    return steps


def test_a_warmed_bot_looks_for_no_module_while_it_answers(
    runner: BotRunner, service: IntakeService
) -> None:
    global _HOOKED
    if not _HOOKED:
        sys.addaudithook(_audit)
        _HOOKED = True
    assert _walk(runner, service, 811) > 10  # every path of the walk runs once
    _LOOKED_FOR.clear()
    _RECORDING.set()
    try:
        steps = _walk(runner, service, 812)
    finally:
        _RECORDING.clear()
    assert steps > 10
    assert _LOOKED_FOR == [], sorted(set(_LOOKED_FOR))
