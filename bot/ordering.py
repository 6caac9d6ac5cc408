"""Updates of different chats at once, updates of one chat in order.

python-telegram-bot's ``concurrent_updates`` runs handlers concurrently with
no notion of a chat; :class:`ChatOrderedProcessor` adds a lock per chat, held
while one update of that chat is handled. Updates are handed over in the
order received, the global semaphore and the asyncio locks wake waiters
first-come first-served, so a chat's answers reach intake in the order they
were sent. The global limit is generous (a chat's queued updates hold slots
while they wait), and intake's calls are bounded by the worker threads anyway. Locks are dropped as
soon as no update of the chat is pending.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable

from telegram import Update
from telegram.ext import BaseUpdateProcessor


def chat_of(update: object) -> int | None:
    """The chat an update belongs to, if any."""
    if not isinstance(update, Update):
        return None
    chat = update.effective_chat
    if chat is not None:
        return chat.id
    user = update.effective_user
    return None if user is None else user.id


class ChatOrderedProcessor(BaseUpdateProcessor):
    """At most ``max_concurrent_updates`` at once; one at a time per chat."""

    def __init__(self, max_concurrent_updates: int) -> None:
        super().__init__(max_concurrent_updates)
        self._locks: dict[int, asyncio.Lock] = {}
        self._waiting: dict[int, int] = {}

    async def do_process_update(self, update: object, coroutine: Awaitable[object]) -> None:
        chat = chat_of(update)
        if chat is None:
            await coroutine
            return
        lock = self._locks.setdefault(chat, asyncio.Lock())
        self._waiting[chat] = self._waiting.get(chat, 0) + 1
        try:
            async with lock:
                await coroutine
        finally:
            self._waiting[chat] -= 1
            if self._waiting[chat] == 0:
                del self._waiting[chat]
                del self._locks[chat]

    async def initialize(self) -> None:
        """Nothing to set up."""

    async def shutdown(self) -> None:
        """Nothing to release."""
