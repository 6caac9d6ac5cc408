"""Whatever is not an answer: stickers, photos, voice notes, locations, edits, strangers.

A private chat gets one short polite sentence in its language; groups,
channels and service updates get silence (Telegram's convention for bots
that were not addressed). Nothing is stored.
"""

from __future__ import annotations

from telegram import Update

from bot.context import Context, chat_language, guarded, private_chat_id, say, vigie_of
from bot.words import N_


@guarded
async def not_text(update: Update, context: Context) -> None:
    """A sticker, a photo, a voice note, a location, a contact, a poll..."""
    chat_id = private_chat_id(update)
    if chat_id is None or update.message is None:
        return
    found = await vigie_of(context).find(chat_id)
    msgid = N_("bot.input.not_text") if found is not None else N_("bot.not_started")
    await say(context, chat_id, chat_language(update, found), msgid)


@guarded
async def edited(update: Update, context: Context) -> None:
    """An edited message: answers are never changed by editing (use /review)."""
    chat_id = private_chat_id(update)
    if chat_id is None or update.edited_message is None:
        return
    found = await vigie_of(context).find(chat_id)
    await say(context, chat_id, chat_language(update, found), N_("bot.input.edited"))
