"""Two bot processes behind one webhook, on one database: every answer stored once, in order.

Each process is the real Application serving python-telegram-bot's webhook on
its own port and event loop, as two workers behind a load balancer would. A
test balancer posts the updates of several chats at once, each chat's next
update once the bot has handled the previous one (as a person reads before
answering), alternating between the processes; every button press is
delivered twice, once to each process (Telegram retrying a webhook call).
A call without the secret-token header, or with a wrong one, gets 403.
"""

from __future__ import annotations

import asyncio
import itertools
import threading
import time
from collections import Counter
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from bot_support import Resident, act, choose, direct_walk
from fake_telegram import FakeTelegram
from sqlalchemy.orm import Session, sessionmaker
from telegram import Update
from telegram.ext import TypeHandler
from test_walks import _response_of, _stored

from bot.application import ALLOWED_UPDATES, VigieApplication, build_application
from bot.settings import BotSettings
from intake.service import IntakeService
from intake.turns import Turn

SECRET = "webhook-secret-0123456789"
CHATS = [8101, 8102, 8103, 8104]
SURVEY = "perceived_safety"


class Process:
    """One bot process: the Application's webhook server on its own loop and port."""

    def __init__(self, service: IntakeService, settings: BotSettings, handled: Handled) -> None:
        self.loop = asyncio.new_event_loop()
        self.app: VigieApplication = build_application(service, settings)
        # A later group runs once the bot's own handler of the update has finished.
        self.app.add_handler(TypeHandler(Update, handled.record), group=1)
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()
        self.port = 0

    def run(self, coroutine: Any) -> Any:
        return asyncio.run_coroutine_threadsafe(coroutine, self.loop).result(timeout=30)

    def start(self) -> None:
        async def start() -> None:
            await self.app.initialize()
            assert self.app.updater is not None
            await self.app.updater.start_webhook(
                listen="127.0.0.1",
                port=0,
                url_path="hook",
                webhook_url="https://vigie.example/hook",
                secret_token=SECRET,
                allowed_updates=ALLOWED_UPDATES,
            )
            await self.app.start()

        self.run(start())
        httpd = self.app.updater._httpd  # type: ignore[union-attr]
        sockets = httpd._http_server._sockets
        self.port = next(iter(sockets.values())).getsockname()[1]

    def stop(self) -> None:
        async def stop() -> None:
            assert self.app.updater is not None
            await self.app.updater.stop()
            await self.app.stop()
            await self.app.shutdown()

        self.run(stop())
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(5)
        self.loop.close()


def post(port: int, update: dict[str, Any], secret: str | None = SECRET) -> int:
    headers = {} if secret is None else {"X-Telegram-Bot-Api-Secret-Token": secret}
    url = f"http://127.0.0.1:{port}/hook"
    return httpx.post(url, json=update, headers=headers, timeout=10).status_code


class Handled:
    """How many times each update has been handled, by any process."""

    def __init__(self) -> None:
        self.counts: Counter[int] = Counter()
        self.lock = threading.Lock()

    async def record(self, update: Update, _context: object) -> None:
        with self.lock:
            self.counts[update.update_id] += 1

    def times(self, update_id: int) -> int:
        with self.lock:
            return self.counts[update_id]


class Balancer:
    """Posts each update to the next process in turn; waits until every copy is handled."""

    def __init__(self, processes: list[Process], handled: Handled) -> None:
        self.ports = itertools.cycle([p.port for p in processes])
        self.handled = handled
        self.lock = threading.Lock()

    def deliver(self, update: dict[str, Any], copies: int) -> None:
        for _ in range(copies):
            with self.lock:
                port = next(self.ports)
            assert post(port, update) == 200
        # Both copies of a press, not just the first: a late copy's "old button"
        # notice and the question it shows again would land amid the next answer.
        update_id = update["update_id"]
        _wait_for(lambda: self.handled.times(update_id) >= copies, f"update {update_id}")


def _wait_for(condition: Callable[[], bool], what: str) -> None:
    deadline = time.monotonic() + 60  # a loaded CI machine; failing late costs nothing
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what!r}")
        time.sleep(0.01)


def _moved_on(turn: Turn | None, path: str) -> bool:
    return turn is None or turn.prompt is None or turn.prompt.path != path


@pytest.mark.slow
def test_two_processes_store_every_answer_once_and_in_order(
    fake: FakeTelegram,
    make_service: Callable[[], IntakeService],
    settings: BotSettings,
    session_factory: sessionmaker[Session],
) -> None:
    handled = Handled()
    processes = [Process(make_service(), settings, handled) for _ in range(2)]
    for process in processes:
        process.start()
    checker = make_service()
    errors: list[BaseException] = []
    try:
        assert fake.webhook["url"] == "https://vigie.example/hook"
        assert post(processes[0].port, fake.user_message(8100, "/start"), None) == 403
        assert (
            post(processes[1].port, fake.user_message(8100, "/start"), "wrong-secret-0123") == 403
        )
        balancer = Balancer(processes, handled)

        def converse(chat: int) -> None:
            try:
                language = "fr" if chat % 2 else "en"
                resident = Resident(
                    None, chat, language, fake_server=fake, deliver=balancer.deliver
                )
                resident.press_copies = 2
                resident.send("/start")
                title = next(o.title for o in checker.offer(language) if o.survey_id == SURVEY)
                resident.press(title, exact=False)
                assert checker.resume_by_chat(chat, SURVEY) is not None, "no response started"
                for _ in range(200):
                    turn = checker.resume_by_chat(chat, SURVEY)
                    if turn is None:
                        return
                    assert turn.prompt is not None
                    assert turn.prompt.label[:40] in fake.bot_messages(chat)[-1]["text"]
                    act(resident, choose(turn.prompt, language))
                    # Every copy was handled before act returned: the answer is in.
                    after = checker.resume_by_chat(chat, SURVEY)
                    assert _moved_on(after, turn.prompt.path), turn.prompt.path
                raise AssertionError("the conversation does not end")
            except BaseException as error:
                errors.append(error)

        threads = [threading.Thread(target=converse, args=(chat,)) for chat in CHATS]
        for thread in threads:
            thread.start()
        for thread in threads:
            # Generous: on a loaded machine four interleaved conversations take minutes,
            # and a thread still running must fail here rather than as missing answers.
            thread.join(600)
        still = [thread.name for thread in threads if thread.is_alive()]
        assert not still, f"conversations still running after 600 s: {still}"
    finally:
        for process in processes:
            process.stop()
    assert not errors, errors[0]
    assert fake.bot_messages(8100) == []
    for chat in CHATS:
        language = "fr" if chat % 2 else "en"
        web = direct_walk(checker, SURVEY, language, {})
        expected = _stored(session_factory, web.response_id)
        assert _stored(session_factory, _response_of(session_factory, chat, SURVEY)) == expected
