"""Every button press lands here: verified, then handed to the one handler it names.

A press is ignored (with a short notice) when its data is not this bot's for
this chat (forged, edited, copied from another chat, an older format), when
it comes from a group or from a message of another chat, and answered as
stale when it belongs to another response or an earlier question.
"""

from __future__ import annotations

from telegram import Update

from bot.answers import act
from bot.callbacks import Kind, response_prefix
from bot.commands import erase_pressed
from bot.context import Context, chat_language, guarded, private_chat_id, say, show, vigie_of
from bot.sending import answer_query
from bot.starting import start_offered
from bot.words import N_
from i18n import translate


@guarded
async def pressed(update: Update, context: Context) -> None:
    """A callback query."""
    query = update.callback_query
    if query is None:
        return
    chat_id = private_chat_id(update)
    message = query.message
    if chat_id is None or message is None or message.chat.id != chat_id:
        await answer_query(context.bot, query.id)
        return
    vigie = vigie_of(context)
    press = vigie.signer.read(chat_id, query.data)
    if press is None:
        notice = translate(chat_language(update), N_("bot.button.invalid"))
        await answer_query(context.bot, query.id, notice)
        return
    if press.kind is Kind.OFFER:
        await answer_query(context.bot, query.id)
        await start_offered(update, context, chat_id, press)
        return
    if press.kind in (Kind.ERASE, Kind.KEEP):
        await answer_query(context.bot, query.id)
        await erase_pressed(update, context, chat_id, press)
        return
    found = await vigie.find(chat_id)
    if found is None or press.field(0) != response_prefix(found.turn.response_id):
        language = chat_language(update, found)
        await answer_query(context.bot, query.id, translate(language, "bot.button.stale"))
        if found is None:
            await say(context, chat_id, language, N_("bot.not_started"))
        else:
            await show(context, chat_id, found.turn)
        return
    await act(context, query, chat_id, press, found)
