"""The commands: /back /skip /review /pause /resume /language /erase /exit /help.

Each is one intake call (or none) and a rendering; arguments after a command
are ignored. The list is registered with ``setMyCommands`` in French and
English (:func:`command_list`).
"""

from __future__ import annotations

from html import escape
from typing import Final

from telegram import BotCommand, InlineKeyboardButton, InlineKeyboardMarkup, Update

from bot.callbacks import Callback, Kind, response_prefix, short_hash
from bot.context import (
    Context,
    Found,
    chat_language,
    guarded,
    private_chat_id,
    say,
    show,
    vigie_of,
)
from bot.handoff import handoff_reason
from bot.render import Outgoing, messages
from bot.sending import Sender
from bot.starting import LANGUAGE_NAMES
from bot.words import N_
from i18n import translate
from intake.errors import IntakeError

#: Commands in menu order, each with its description's message id.
COMMANDS: Final = (
    ("back", N_("bot.command.back")),
    ("skip", N_("bot.command.skip")),
    ("review", N_("bot.command.review")),
    ("pause", N_("bot.command.pause")),
    ("resume", N_("bot.command.resume")),
    ("language", N_("bot.command.language")),
    ("erase", N_("bot.command.erase")),
    ("exit", N_("bot.command.exit")),
    ("help", N_("bot.command.help")),
)
#: Items of the review per message (each with its "change" button).
REVIEW_PAGE: Final = 8
#: Characters of a question shown in the review.
REVIEW_LABEL: Final = 90


def command_list(language: str) -> list[BotCommand]:
    """The command menu in ``language``."""
    return [BotCommand(name, translate(language, msgid)) for name, msgid in COMMANDS]


async def _found(update: Update, context: Context) -> tuple[int, Found] | None:
    """The chat and its response in progress; says "nothing started" when there is none."""
    chat_id = private_chat_id(update)
    if chat_id is None:
        return None
    found = await vigie_of(context).find(chat_id)
    if found is None:
        await say(context, chat_id, chat_language(update), N_("bot.no_response"))
        return None
    return chat_id, found


@guarded
async def back(update: Update, context: Context) -> None:
    if (located := await _found(update, context)) is None:
        return
    chat_id, found = located
    vigie = vigie_of(context)
    await show(context, chat_id, await vigie.call(vigie.intake.back, found.turn.response_id))


@guarded
async def skip(update: Update, context: Context) -> None:
    if (located := await _found(update, context)) is None:
        return
    chat_id, found = located
    vigie, prompt = vigie_of(context), found.turn.prompt
    if prompt is None or handoff_reason(found.turn) is not None:
        await show(context, chat_id, found.turn)
        return
    turn = await vigie.call(vigie.intake.skip, found.turn.response_id, prompt.path)
    await show(context, chat_id, turn)


@guarded
async def resume(update: Update, context: Context) -> None:
    if (located := await _found(update, context)) is None:
        return
    chat_id, found = located
    lead = (escape(translate(found.turn.language, "bot.start.welcome_back")),)
    await show(context, chat_id, found.turn, lead=lead)


@guarded
async def pause(update: Update, context: Context) -> None:
    if (located := await _found(update, context)) is None:
        return
    chat_id, found = located
    vigie = vigie_of(context)
    turn = await vigie.call(vigie.intake.pause, found.turn.response_id)
    text = turn.info.text if turn.info is not None else translate(turn.language, "bot.paused")
    await Sender(context.bot, chat_id).send(Outgoing(escape(text)))


@guarded
async def review(update: Update, context: Context) -> None:
    """The answers so far, a few per message, each with a button to change it."""
    if (located := await _found(update, context)) is None:
        return
    chat_id, found = located
    vigie = vigie_of(context)
    summary = await vigie.call(vigie.intake.review, found.turn.response_id)
    language = summary.language
    sender = Sender(context.bot, chat_id)
    if not summary.items:
        await say(context, chat_id, language, N_("bot.review.empty"))
        return
    keyboards = vigie.keyboards(chat_id, found.turn.response_id)
    items = list(enumerate(summary.items, start=1))
    for first in range(0, len(items), REVIEW_PAGE):
        page = items[first : first + REVIEW_PAGE]
        lines = [escape(translate(language, "bot.review.title"))] if first == 0 else []
        rows = []
        for number, item in page:
            label = (
                item.label if len(item.label) <= REVIEW_LABEL else item.label[:REVIEW_LABEL] + "…"
            )
            lines.append(f"{number}. {escape(label)}\n    → <b>{escape(item.value)}</b>")
            change = translate(language, "bot.review.change", number=number)
            rows.append(
                InlineKeyboardButton(
                    change, callback_data=keyboards.data(Kind.CHANGE, short_hash(item.path))
                )
            )
        markup = InlineKeyboardMarkup([rows[i : i + 4] for i in range(0, len(rows), 4)])
        await sender.send_all(messages("\n".join(lines), markup if summary.can_change else None))
    await say(context, chat_id, language, N_("bot.review.after"))


@guarded
async def language(update: Update, context: Context) -> None:
    if (located := await _found(update, context)) is None:
        return
    chat_id, found = located
    vigie = vigie_of(context)
    rows = [
        [
            InlineKeyboardButton(
                LANGUAGE_NAMES.get(code, code),
                callback_data=vigie.signer.make(
                    chat_id, Kind.LANGUAGE, response_prefix(found.turn.response_id), code
                ),
            )
        ]
        for code in vigie.surveys[found.survey_id].languages
    ]
    text = escape(translate(found.turn.language, "bot.language.choose"))
    await Sender(context.bot, chat_id).send(Outgoing(text, InlineKeyboardMarkup(rows)))


@guarded
async def erase(update: Update, context: Context) -> None:
    """Ask before erasing every answer this chat gave (finished questionnaires too)."""
    chat_id = private_chat_id(update)
    if chat_id is None:
        return
    vigie = vigie_of(context)
    found = await vigie.find(chat_id)
    language = chat_language(update, found)
    prefix = "-" if found is None else response_prefix(found.turn.response_id)
    rows = [
        [
            InlineKeyboardButton(
                translate(language, "bot.erase.yes"),
                callback_data=vigie.signer.make(chat_id, Kind.ERASE, prefix),
            ),
            InlineKeyboardButton(
                translate(language, "bot.erase.no"),
                callback_data=vigie.signer.make(chat_id, Kind.KEEP, prefix),
            ),
        ]
    ]
    text = escape(translate(language, "bot.erase.confirm"))
    await Sender(context.bot, chat_id).send(Outgoing(text, InlineKeyboardMarkup(rows)))


async def erase_pressed(update: Update, context: Context, chat_id: int, press: Callback) -> None:
    """The answer to "erase everything?"."""
    vigie = vigie_of(context)
    found = await vigie.find(chat_id)
    language = chat_language(update, found)
    query = update.callback_query
    sender = Sender(context.bot, chat_id)
    if query is not None and query.message is not None:
        await sender.edit_markup(query.message.message_id, None)
    if press.kind is Kind.KEEP:
        await say(context, chat_id, language, N_("bot.erase.kept"))
        if found is not None:
            await show(context, chat_id, found.turn)
        return
    erased = 0
    for survey_id in vigie.surveys:
        try:
            await vigie.call(vigie.intake.erase_by_chat, chat_id, survey_id)
            erased += 1
        except IntakeError as error:
            if error.code != "response_not_found":
                raise
    await say(
        context, chat_id, language, N_("bot.erase.done") if erased else N_("bot.erase.nothing")
    )


@guarded
async def quick_exit(update: Update, context: Context) -> None:
    """Delete what Telegram lets a bot delete, say how to delete the rest, stop."""
    chat_id = private_chat_id(update)
    message = update.message
    if chat_id is None or message is None:
        return
    vigie = vigie_of(context)
    found = await vigie.find(chat_id)
    language = chat_language(update, found)
    await Sender(context.bot, chat_id).delete_up_to(message.message_id)
    await say(context, chat_id, language, N_("bot.exit.done"))


@guarded
async def help_command(update: Update, context: Context) -> None:
    chat_id = private_chat_id(update)
    if chat_id is None:
        return
    language = chat_language(update, await vigie_of(context).find(chat_id))
    lines = [translate(language, "bot.help.intro")]
    lines += [f"/{name} — {translate(language, msgid)}" for name, msgid in COMMANDS]
    await Sender(context.bot, chat_id).send(Outgoing(escape("\n".join(lines))))


@guarded
async def unknown_command(update: Update, context: Context) -> None:
    chat_id = private_chat_id(update)
    if chat_id is None:
        return
    await say(context, chat_id, chat_language(update), N_("bot.command.unknown"))
