"""Talking to the Bot API politely: flood control, blocked users, stale edits.

Every call the bot makes goes through :class:`Sender`. A 429 (``RetryAfter``)
waits the time Telegram asks for (bounded) and tries again; a 403
(``Forbidden``: the user blocked the bot, or left) raises :class:`ChatGoneError`
so that the update's handling stops quietly; a 400 on an edit of a message
that is gone or unchanged is ignored. Nothing here raises anything else.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import warnings
from collections.abc import Awaitable, Callable, Sequence
from functools import partial
from typing import Final, TypeVar

from telegram import Bot, InlineKeyboardMarkup, LinkPreviewOptions, Message
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TelegramError

from bot.render import Outgoing

LOG = logging.getLogger(__name__)
#: Tries of one call (flood control and network hiccups).
ATTEMPTS: Final = 4
#: No link previews: Telegram would fetch a hand-off link (bot.handoff) to preview it.
NO_PREVIEW: Final = LinkPreviewOptions(is_disabled=True)
#: The longest wait for flood control, in seconds; a longer one gives up on the call.
MAX_RETRY_WAIT: Final = 30.0
#: Ids one ``deleteMessages`` call takes.
DELETE_BATCH: Final = 100
#: Message ids swept back from the last one by a quick exit (a long conversation has a few hundred).
MAX_SWEEP: Final = 3000

T = TypeVar("T")


class ChatGoneError(Exception):
    """The user blocked the bot (403): say nothing more to this chat."""


def retry_seconds(error: RetryAfter) -> float:
    """Seconds Telegram asked to wait (without PTB's int/timedelta deprecation warning)."""
    value = getattr(error, "_retry_after", None)
    if value is None:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            value = error.retry_after
    if isinstance(value, dt.timedelta):
        return value.total_seconds()
    return float(value)


class Sender:
    """One chat's outgoing calls."""

    def __init__(self, bot: Bot, chat_id: int) -> None:
        self.bot = bot
        self.chat_id = chat_id

    async def _call(self, make: Callable[[], Awaitable[T]]) -> T | None:
        for attempt in range(ATTEMPTS):
            try:
                return await make()
            except RetryAfter as error:
                wait = retry_seconds(error)
                if wait > MAX_RETRY_WAIT:
                    LOG.warning("flood control asks %.0f s; giving up this message", wait)
                    return None
                await asyncio.sleep(wait)
            except Forbidden as error:
                raise ChatGoneError(str(error)) from None
            except BadRequest as error:
                LOG.info("Bot API refused a call: %s", error.message)
                return None
            except NetworkError:
                await asyncio.sleep(0.2 * (attempt + 1))
            except TelegramError as error:
                LOG.warning("Bot API error: %s", error)
                return None
        return None

    async def send(self, message: Outgoing) -> Message | None:
        return await self._call(
            lambda: self.bot.send_message(
                self.chat_id,
                message.text,
                parse_mode="HTML",
                reply_markup=message.markup,
                link_preview_options=NO_PREVIEW,
            )
        )

    async def send_all(self, outgoing: Sequence[Outgoing]) -> Message | None:
        """Send each message in order; the last one sent."""
        last = None
        for message in outgoing:
            last = await self.send(message) or last
        return last

    async def edit_text(
        self, message_id: int, text: str, markup: InlineKeyboardMarkup | None = None
    ) -> None:
        await self._call(
            lambda: self.bot.edit_message_text(
                text, self.chat_id, message_id, parse_mode="HTML", reply_markup=markup
            )
        )

    async def edit_markup(self, message_id: int, markup: InlineKeyboardMarkup | None) -> None:
        await self._call(
            lambda: self.bot.edit_message_reply_markup(
                self.chat_id, message_id, reply_markup=markup
            )
        )

    async def delete_up_to(self, last_id: int) -> None:
        """Delete every message of the chat from id 1 to ``last_id`` (what Telegram allows).

        Telegram lets a bot delete the messages of a private chat that are less
        than 48 hours old; ``deleteMessages`` skips the others silently.
        """
        top = last_id
        while top >= 1 and last_id - top < MAX_SWEEP:
            ids = list(range(max(1, top - DELETE_BATCH + 1), top + 1))
            await self._call(partial(self.bot.delete_messages, self.chat_id, ids))
            top -= DELETE_BATCH


async def answer_query(bot: Bot, query_id: str, text: str | None = None) -> None:
    """Stop the button's spinner (with a short notice); errors only logged (stale queries)."""
    try:
        await bot.answer_callback_query(query_id, text=text)
    except Forbidden as error:
        raise ChatGoneError(str(error)) from None
    except TelegramError as error:
        LOG.info("answerCallbackQuery refused: %s", error)
