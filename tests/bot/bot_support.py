"""Driving the real bot in tests: a runner, a resident who reads and taps, a policy.

:class:`BotRunner` owns an event loop and the real ``Application`` built by
``bot.application.build_application`` against the fake Bot API server; it hands
it each update the fake produces (``process_update``: every outgoing call
still goes over HTTP to the fake). :class:`Resident` plays one Telegram user:
types, presses buttons by their label, and keeps a transcript of what the
chat shows. :func:`choose` is the test respondents' answering policy, shared
by the bot walk and the direct intake walk that it is compared with.
"""

from __future__ import annotations

import asyncio
import functools
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from fake_telegram import BOT_USER, FakeTelegram, InProcessRequest
from telegram import Update

from bot.application import VigieApplication, build_application, register_commands
from bot.settings import BotSettings
from intake.service import IntakeService
from intake.turns import Turn
from questionnaire.answers.formatting import format_year_month
from questionnaire.definition.model import QuestionType, Survey
from questionnaire.definition.values import YearMonth
from questionnaire.loader import load_survey
from questionnaire.navigation.prompts import Prompt

SURVEY_DEFS = Path(__file__).resolve().parents[2] / "survey_defs"


@functools.cache
def shipped_surveys() -> tuple[Survey, ...]:
    """The shipped questionnaires, loaded once per test process (reading the YAML is slow)."""
    return tuple(
        load_survey(SURVEY_DEFS / f"{n}.yaml") for n in ("perceived_safety", "victimisation")
    )


class BotRunner:
    """The bot on its own event loop, restartable (a new process on the same database)."""

    def __init__(
        self,
        fake: FakeTelegram,
        service: IntakeService,
        settings: BotSettings,
        *,
        in_process: bool = False,
    ) -> None:
        self.fake, self.service, self.settings = fake, service, settings
        #: Call the fake's handler directly instead of over HTTP (many-update tests).
        self.in_process = in_process
        self.loop = asyncio.new_event_loop()
        self.app: VigieApplication = self._start()

    def _start(self) -> VigieApplication:
        transport = (lambda: InProcessRequest(self.fake)) if self.in_process else None
        app = build_application(self.service, self.settings, transport=transport)
        self.loop.run_until_complete(app.initialize())
        self.loop.run_until_complete(register_commands(app))
        return app

    def process(self, update: dict[str, Any]) -> None:
        self.loop.run_until_complete(self.app.process_update(Update.de_json(update, self.app.bot)))

    def restart(self, service: IntakeService | None = None) -> None:
        """Stop the bot and start a fresh one (nothing carried over but the database)."""
        self.loop.run_until_complete(self.app.shutdown())
        if service is not None:
            self.service = service
        self.app = self._start()

    def close(self) -> None:
        self.loop.run_until_complete(self.app.shutdown())
        self.loop.close()

    def __enter__(self) -> BotRunner:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


@dataclass
class Resident:
    """One Telegram user in a private chat with the bot.

    ``deliver`` hands an update to the bot and returns once it is handled
    (by default the runner's ``process_update``; the two-process test posts
    to webhooks); presses may be delivered ``copies`` times (a retry).
    """

    runner: BotRunner | None
    chat_id: int
    language: str = "fr"
    transcript: list[str] = field(default_factory=list)
    fake_server: FakeTelegram | None = None
    deliver: Callable[[dict[str, Any], int], None] | None = None
    press_copies: int = 1
    _seen: int = 0

    @property
    def fake(self) -> FakeTelegram:
        if self.fake_server is not None:
            return self.fake_server
        assert self.runner is not None
        return self.runner.fake

    def _deliver(self, update: dict[str, Any], copies: int = 1) -> None:
        if self.deliver is not None:
            self.deliver(update, copies)
            return
        assert self.runner is not None
        for _ in range(copies):
            self.runner.process(update)

    def send(self, text: str) -> list[dict[str, Any]]:
        """Type and send ``text``; the bot's new messages."""
        who = "Résident" if self.language == "fr" else "Resident"
        self.transcript.append(
            f"**{who} :** {text}" if self.language == "fr" else f"**{who}:** {text}"
        )
        self._deliver(self.fake.user_message(self.chat_id, text, language=self.language))
        return self._news()

    def press(
        self, label: str, *, exact: bool = True, copies: int | None = None
    ) -> list[dict[str, Any]]:
        """Press the newest button showing ``label``; the bot's new messages."""
        message, button = self.find_button(label, exact=exact)
        self.transcript.append(f"**[{button['text']}]**")
        update = self.fake.user_press(self.chat_id, message["message_id"], button["callback_data"])
        self._deliver(update, self.press_copies if copies is None else copies)
        return self._news()

    def wait_until(self, condition: Callable[[], bool], seconds: float = 20) -> None:
        """Wait for what the bot does in the background (webhook delivery); at once otherwise."""
        deadline = time.monotonic() + seconds
        while not condition():
            if self.deliver is None or time.monotonic() > deadline:
                raise AssertionError(f"the chat never showed it; last: {self.last_text()!r}")
            time.sleep(0.01)

    def find_button(
        self, label: str, *, exact: bool = True
    ) -> tuple[dict[str, Any], dict[str, Any]]:
        for message in reversed(self.fake.bot_messages(self.chat_id)):
            for button in self.fake.buttons(message):
                text = button["text"]
                if text == label or (not exact and label in text):
                    return message, button
        raise AssertionError(f"no button {label!r} in the chat; last: {self.last_text()!r}")

    def _news(self) -> list[dict[str, Any]]:
        log = self.fake.chat(self.chat_id)
        fresh = [
            m for i, m in sorted(log.messages.items()) if i > self._seen and m["from"] is BOT_USER
        ]
        self._seen = log.next_id - 1
        for message in fresh:
            if not message.get("deleted"):
                self.transcript.append(shown(message, self.fake))
        return fresh

    def last_text(self) -> str:
        messages = self.fake.bot_messages(self.chat_id)
        return messages[-1]["text"] if messages else ""

    def texts(self) -> list[str]:
        return [m["text"] for m in self.fake.bot_messages(self.chat_id)]


def shown(message: dict[str, Any], fake: FakeTelegram) -> str:
    """A bot message as the respondent sees it: text (quoted), then its buttons."""
    lines = ["> " + line if line else ">" for line in message["text"].split("\n")]
    rows = (message.get("reply_markup") or {}).get("inline_keyboard", [])
    for row in rows:
        lines.append(">")
        lines.append("> " + "  ".join(f"[{b['text']}]" for b in row))
    return "\n".join(lines)


# -- the respondents' policy --------------------------------------------------------------

#: Typed answers by question name and language (words where the rules read them).
TYPED = {
    "age": {"fr": "trente-quatre", "en": "34"},
    "break_in_times": {"fr": "deux", "en": "two"},
    "household_size": {"fr": "3", "en": "3"},  # a choice typed by its number
}
#: Yes/no questions answered "yes" (the others "no").
YES = {"break_in", "has_vehicle", "screener_confirm", "consent", "respondent_present"}


@dataclass(frozen=True)
class Step:
    """One answer: typed text, a button, or ticked boxes then "done"; and its raw form."""

    kind: str  # "type", "press" or "ticks"
    labels: tuple[str, ...]
    raw: str | list[str]


def choose(prompt: Prompt, language: str, overrides: dict[str, str] | None = None) -> Step:
    """The answer the test respondent gives to ``prompt`` (``overrides``: name -> choice code)."""
    name = prompt.name
    if overrides and name in overrides:
        code = overrides[name]
        choice = next(c for c in prompt.choices if c.code == code)
        return Step("press", (choice.label,), code)
    if name in TYPED:
        text = TYPED[name][language]
        return Step("type", (text,), text)
    kind = prompt.type
    if kind in (QuestionType.YES_NO, QuestionType.CONSENT):
        code = "yes" if name in YES else "no"
        choice = next(c for c in prompt.choices if c.code == code)
        return Step("press", (choice.label,), code)
    if kind is QuestionType.SINGLE_CHOICE:
        return Step("press", (prompt.choices[0].label,), prompt.choices[0].code)
    if kind is QuestionType.MULTIPLE_CHOICE:
        picked = [c for c in prompt.choices if not c.exclusive and not c.special][:2]
        return Step("ticks", tuple(c.label for c in picked), [c.code for c in picked])
    if kind is QuestionType.YEAR_MONTH and isinstance(prompt.max, YearMonth):
        month = prompt.max
        return Step(
            "press", (format_year_month(month, language),), f"{month.year}-{month.month:02d}"
        )
    if kind in (QuestionType.INTEGER, QuestionType.DECIMAL, QuestionType.RATING):
        return Step("type", ("1",), "1")
    if kind is QuestionType.DATE:
        return Step("type", ("2026-03-01",), "2026-03-01")
    text = "Rien à ajouter" if language == "fr" else "Nothing to add"
    return Step("type", (text,), text)


def act(resident: Resident, step: Step) -> None:
    """Give ``step`` through the chat."""
    if step.kind == "type":
        resident.send(step.labels[0])
    elif step.kind == "press":
        resident.press(button_text(resident, step.labels[0]))
    else:
        for _ in range(3):  # a person looks at the boxes before "done", and ticks again
            for label in [x for x in step.labels if not _ticked(resident, x)]:
                # Ticks store nothing: only the answering presses are delivered twice.
                resident.press(button_text(resident, label, mark="☐ "), copies=1)
                resident.wait_until(lambda label=label: _ticked(resident, label))
            if resident.deliver is not None:
                time.sleep(0.3)
            if all(_ticked(resident, label) for label in step.labels):
                break
        resident.press("Terminé ✓" if resident.language == "fr" else "Done ✓")


def _ticked(resident: Resident, label: str) -> bool:
    try:
        button_text(resident, label, mark="☑ ")
    except AssertionError:
        return False
    return True


def button_text(resident: Resident, label: str, mark: str = "") -> str:
    """The button showing ``label`` (maybe shortened and numbered) in the newest keyboard."""
    for message in reversed(resident.fake.bot_messages(resident.chat_id)):
        for button in resident.fake.buttons(message):
            if not button["text"].startswith(mark):
                continue
            text = re.sub(r"^(✓|☐|☑) ", "", button["text"])
            if text == label or (
                text.endswith("…") and label.startswith(re.sub(r"^\d+\. ", "", text[:-1]))
            ):
                return str(button["text"])
    raise AssertionError(f"no button for {label!r}; last message: {resident.last_text()!r}")


def direct_walk(
    service: IntakeService, survey_id: str, language: str, overrides: dict[str, str]
) -> Turn:
    """The same respondent straight through intake on the web: the comparison path."""
    turn = service.start(survey_id, "web", language)
    for _ in range(600):
        if turn.prompt is None:
            return turn
        step = choose(turn.prompt, language, overrides)
        turn = service.submit(turn.response_id, turn.prompt.path, step.raw)
    raise AssertionError("the direct walk does not end")
