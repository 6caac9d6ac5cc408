"""Two bot processes behind one webhook, on one database: every answer stored once, in order.

Each process is the real Application serving python-telegram-bot's webhook on
its own port and event loop, as two workers behind a load balancer would. A
test balancer posts the updates of several chats at once, each chat's next
update once the bot has answered the previous one (as a person reads before
answering), alternating between the processes; every button press is
delivered twice, once to each process (Telegram retrying a webhook call).
A call without the secret-token header, or with a wrong one, gets 403.
"""

from __future__ import annotations

import asyncio
import itertools
import threading
import time
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from bot_support import Resident, act, choose, direct_walk
from fake_telegram import FakeTelegram
from sqlalchemy.orm import Session, sessionmaker
from test_walks import _response_of, _stored

from bot.application import ALLOWED_UPDATES, VigieApplication, build_application
from bot.settings import BotSettings
from intake.service import IntakeService

SECRET = "webhook-secret-0123456789"
CHATS = [8101, 8102, 8103, 8104]
SURVEY = "perceived_safety"


class Process:
    """One bot process: the Application's webhook server on its own loop and port."""

    def __init__(self, service: IntakeService, settings: BotSettings) -> None:
        self.loop = asyncio.new_event_loop()
        self.app: VigieApplication = build_application(service, settings)
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


class Balancer:
    """Posts each update to the next process in turn; waits until the bot is done with it."""

    def __init__(self, fake: FakeTelegram, processes: list[Process]) -> None:
        self.fake = fake
        self.ports = itertools.cycle([p.port for p in processes])
        self.lock = threading.Lock()

    def deliver(self, update: dict[str, Any], copies: int) -> None:
        chat = _chat_of(update)
        before = self._calls(chat)
        for _ in range(copies):
            with self.lock:
                port = next(self.ports)
            assert post(port, update) == 200
        deadline = time.monotonic() + 20
        last, quiet_since = self._calls(chat), time.monotonic()
        while time.monotonic() - quiet_since < 0.15 or last == before:
            time.sleep(0.01)
            now = self._calls(chat)
            if now != last:
                last, quiet_since = now, time.monotonic()
            if time.monotonic() > deadline:
                raise AssertionError(f"the bot did not answer update {update['update_id']}")

    def _calls(self, chat: int) -> int:
        with self.fake.lock:
            return sum(1 for _, params in self.fake.calls if params.get("chat_id") == chat) + sum(
                1
                for a in self.fake.callback_answers
                if a.get("callback_query_id", "").startswith(f"{chat}-")
            )


def _wait_for(condition: Callable[[], bool], what: str) -> None:
    deadline = time.monotonic() + 20
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what!r}")
        time.sleep(0.01)


def _chat_of(update: dict[str, Any]) -> int:
    if "message" in update:
        return int(update["message"]["chat"]["id"])
    return int(update["callback_query"]["message"]["chat"]["id"])


@pytest.mark.slow
def test_two_processes_store_every_answer_once_and_in_order(
    fake: FakeTelegram,
    make_service: Callable[[], IntakeService],
    settings: BotSettings,
    session_factory: sessionmaker[Session],
) -> None:
    processes = [Process(make_service(), settings), Process(make_service(), settings)]
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
        balancer = Balancer(fake, processes)

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
                # The balancer moves on after 0.15 s of quiet in the chat; under load the
                # response may not exist yet, which is not the end of the conversation.
                _wait_for(
                    lambda: checker.resume_by_chat(chat, SURVEY) is not None,
                    "the response to start",
                )
                for _ in range(200):
                    turn = checker.resume_by_chat(chat, SURVEY)
                    if turn is None:
                        return
                    assert turn.prompt is not None
                    label = turn.prompt.label[:40]
                    _wait_for(
                        lambda label=label: label in fake.bot_messages(chat)[-1]["text"], label
                    )
                    act(resident, choose(turn.prompt, language))
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
