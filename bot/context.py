"""What every handler shares: the intake service, the signer, the chat's response.

:class:`Vigie` is kept in ``application.bot_data`` (configuration, not
conversation state). Intake is synchronous (one database transaction per
call), so its calls run in a small pool of threads of the bot's own
(``BotSettings.database_threads``, 2 by default) while the event loop goes on
serving other chats. More threads do not serve more chats: an intake call is
mostly Python, and threads beyond two fight over the interpreter's lock (on
PostgreSQL, six threads handled 30 % fewer updates a second than two in
bench/bot.py); Telegram itself lets a bot send about 30 messages a second.
:func:`guarded` wraps every handler: an update never ends in an unhandled
exception, and a respondent never sees a traceback.
"""

from __future__ import annotations

import asyncio
import contextvars
import functools
import logging
from collections.abc import Callable, Coroutine
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from html import escape
from typing import TYPE_CHECKING, Any, ParamSpec, TypeVar

from telegram import Update
from telegram.ext import ContextTypes

from bot.callbacks import CallbackSigner, short_hash
from bot.handoff import handoff_messages, handoff_reason
from bot.keyboards import KeyboardMaker
from bot.render import Outgoing, messages, render_turn
from bot.sending import ChatGoneError, Sender
from bot.settings import BotSettings
from bot.words import N_
from i18n import negotiate, translate
from intake.errors import IntakeError, render_intake_error
from intake.service import IntakeService
from intake.turns import Turn

if TYPE_CHECKING:
    from intake.offer import OfferedSurvey

LOG = logging.getLogger(__name__)
P = ParamSpec("P")
R = TypeVar("R")
Context = ContextTypes.DEFAULT_TYPE
Handler = Callable[[Update, Context], Coroutine[Any, Any, None]]


@dataclass(frozen=True)
class Found:
    """A chat's response in progress and the questionnaire it answers."""

    survey_id: str
    turn: Turn


class Vigie:
    """The bot's side of the intake service."""

    def __init__(self, intake: IntakeService, settings: BotSettings) -> None:
        self.intake = intake
        self.settings = settings
        self.signer = CallbackSigner(settings.token)
        self.surveys: dict[str, OfferedSurvey] = {o.survey_id: o for o in intake.offer("fr")}
        self._survey_ids = tuple(self.surveys)
        self._threads = ThreadPoolExecutor(
            settings.database_threads, thread_name_prefix="vigie-intake"
        )

    async def call(self, function: Callable[P, R], *args: P.args, **kwargs: P.kwargs) -> R:
        """Run one intake call in one of the bot's intake threads."""
        loop = asyncio.get_running_loop()
        run = functools.partial(contextvars.copy_context().run, function, *args, **kwargs)
        return await loop.run_in_executor(self._threads, run)

    def close(self) -> None:
        """Let the intake calls under way finish, and stop the threads."""
        self._threads.shutdown(wait=True)

    async def find(self, chat_id: int) -> Found | None:
        """The chat's response in progress, if any (found by the chat's keyed hashes).

        The questionnaires are tried in the order of :attr:`surveys`; one intake call.
        """
        found = await self.call(self.intake.chat_turn, chat_id, self._survey_ids)
        return None if found is None else Found(found.survey_id, found.turn)

    async def answer(self, chat_id: int, text: str, request_key: str) -> Found | None:
        """Answer the chat's open question with ``text`` as typed; ``None`` if nothing started.

        One intake call: the response is found and answered in one transaction
        (nothing is stored when the question is to be answered on the web).
        """
        found = await self.call(
            self.intake.chat_answer, chat_id, self._survey_ids, text, request_key=request_key
        )
        return None if found is None else Found(found.survey_id, found.turn)

    def keyboards(self, chat_id: int, response_id: str) -> KeyboardMaker:
        return KeyboardMaker(self.signer, chat_id, response_id)

    def survey_for(self, survey_hash: str) -> str | None:
        """The questionnaire whose short hash a button carries."""
        return next((s for s in self.surveys if short_hash(s, 6) == survey_hash), None)


def vigie_of(context: Context) -> Vigie:
    found = context.application.bot_data["vigie"]
    assert isinstance(found, Vigie)
    return found


def chat_language(update: Update, found: Found | None = None) -> str:
    """The language to speak: the response's, else the user's Telegram language."""
    if found is not None:
        return found.turn.language
    user = update.effective_user
    return negotiate(None if user is None else user.language_code)


def private_chat_id(update: Update) -> int | None:
    """The chat id of a private chat with a user; ``None`` for groups, channels, forgeries."""
    chat, user = update.effective_chat, update.effective_user
    if chat is None or user is None or chat.type != "private" or chat.id != user.id:
        return None
    return chat.id


async def say(context: Context, chat_id: int, language: str, msgid: str, **params: Any) -> None:
    """Send one catalogue message to ``chat_id``."""
    text = translate(language, msgid, **params)
    await Sender(context.bot, chat_id).send(Outgoing(escape(text)))


async def send_turn(
    context: Context, chat_id: int, turn: Turn, *, lead: tuple[str, ...] = ()
) -> None:
    """Send the messages showing ``turn``, with its keyboard."""
    vigie = vigie_of(context)
    outgoing = render_turn(turn, vigie.keyboards(chat_id, turn.response_id), lead=lead)
    await Sender(context.bot, chat_id).send_all(outgoing)


async def show(context: Context, chat_id: int, turn: Turn, *, lead: tuple[str, ...] = ()) -> None:
    """Send ``turn``, or the link to the web when it reached a sensitive section (bot.handoff)."""
    vigie = vigie_of(context)
    reason = handoff_reason(turn)
    if reason is None:
        await send_turn(context, chat_id, turn, lead=lead)
        return
    outgoing = await handoff_messages(vigie, turn, reason, lead=lead)
    await Sender(context.bot, chat_id).send_all(outgoing)


def guarded(handler: Handler) -> Handler:
    """``handler`` that answers every failure politely and never raises."""

    @functools.wraps(handler)
    async def run(update: Update, context: Context) -> None:
        chat_id = private_chat_id(update)
        try:
            await handler(update, context)
        except ChatGoneError:
            LOG.info("chat blocked the bot; update %s dropped", update.update_id)
        except IntakeError as error:
            if chat_id is not None:
                text = render_intake_error(error, chat_language(update))
                await _quietly(context, chat_id, messages(escape(text)))
        except Exception:
            LOG.exception("update %s failed", update.update_id)
            if chat_id is not None:
                text = translate(chat_language(update), N_("bot.error"))
                await _quietly(context, chat_id, messages(escape(text)))

    return run


async def _quietly(context: Context, chat_id: int, outgoing: list[Outgoing]) -> None:
    try:
        await Sender(context.bot, chat_id).send_all(outgoing)
    except Exception:
        LOG.info("could not tell chat about a failure")
