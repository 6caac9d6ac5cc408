"""Answers: typed text and the buttons of a question, each one intake call.

A typed answer goes to ``IntakeService.chat_answer`` exactly as received
(the chat's response found and its open question answered in one call): reading
"trois", "3" or "mars 2025" is the shared answer rules' business, not the
bot's. Its update id is the request key: an update delivered twice (a
webhook retried) answers once. A button is checked first (signature and chat in :mod:`bot.buttons`,
then response and question here): one pressed on an old message answers only
the question still open; otherwise the bot says so and shows the current
question.
"""

from __future__ import annotations

from html import escape
from typing import Final

from telegram import CallbackQuery, Message, Update

from bot.callbacks import Callback, Kind, short_hash
from bot.context import (
    Context,
    Found,
    Vigie,
    chat_language,
    guarded,
    private_chat_id,
    say,
    show,
    vigie_of,
)
from bot.keyboards import codes_of, toggled
from bot.render import choice_answer_label
from bot.sending import Sender, answer_query
from bot.words import N_
from i18n import translate
from intake.turns import Turn
from questionnaire.navigation.prompts import Prompt

#: Kinds whose second field is the short hash of the question's answer path.
PATH_KINDS: Final = frozenset(
    {Kind.ANSWER, Kind.TOGGLE, Kind.DONE, Kind.VALUE, Kind.SKIP, Kind.BACK}
)
#: Kinds that answer the question (the pressed message then shows the answer).
_ANSWERING: Final = frozenset({Kind.ANSWER, Kind.DONE, Kind.VALUE})


@guarded
async def typed_answer(update: Update, context: Context) -> None:
    """A text message: the answer to the current question, passed on as typed."""
    chat_id = private_chat_id(update)
    message = update.message
    if chat_id is None or message is None or message.text is None:
        return
    found = await vigie_of(context).answer(chat_id, message.text, str(update.update_id))
    if found is None:
        await say(context, chat_id, chat_language(update), N_("bot.not_started"))
        return
    await show(context, chat_id, found.turn)


async def stale(context: Context, query: CallbackQuery, chat_id: int, found: Found) -> None:
    """An old button: say so, and show the question that is open now."""
    notice = translate(found.turn.language, "bot.button.stale")
    await answer_query(context.bot, query.id, notice)
    await show(context, chat_id, found.turn, lead=(escape(notice),))


async def act(
    context: Context, query: CallbackQuery, chat_id: int, press: Callback, found: Found
) -> None:
    """Do what a verified button of the chat's response says, if it still applies."""
    vigie = vigie_of(context)
    turn, prompt = found.turn, found.turn.prompt
    if press.kind in PATH_KINDS and (prompt is None or press.field(1) != short_hash(prompt.path)):
        await stale(context, query, chat_id, found)
        return
    message = query.message if isinstance(query.message, Message) else None
    sender = Sender(context.bot, chat_id)
    if press.kind is Kind.TOGGLE and prompt is not None and message is not None:
        mask = toggled(prompt, _mask(press.field(3)), _number(press.field(2)))
        await answer_query(context.bot, query.id)
        keyboards = vigie.keyboards(chat_id, turn.response_id)
        markup = keyboards.markup(keyboards.toggles(prompt, mask, turn.language))
        await sender.edit_markup(message.message_id, markup)
        return
    await answer_query(context.bot, query.id)
    new = await _call(vigie, press, found, prompt)
    answered = new.error is None and new.warning is None
    if prompt is not None and message is not None and press.kind in _ANSWERING and answered:
        label = _answer_label(message, query.data, prompt, press, turn.language)
        await sender.edit_text(message.message_id, f"{message.text_html}\n\n→ {escape(label)}")
    await show(context, chat_id, new)


async def _call(vigie: Vigie, press: Callback, found: Found, prompt: Prompt | None) -> Turn:
    """The one intake call a button stands for."""
    rid, service = found.turn.response_id, vigie.intake
    if press.kind is Kind.BACK:
        return await vigie.call(service.back, rid)
    if press.kind is Kind.FINISH:
        return await vigie.call(service.finish, rid)
    if press.kind is Kind.LANGUAGE:
        language = press.field(1)
        if language not in vigie.surveys[found.survey_id].languages:
            return found.turn
        return await vigie.call(service.change_language, rid, language)
    if press.kind is Kind.CHANGE:
        review = await vigie.call(service.review, rid)
        path = next((i.path for i in review.items if short_hash(i.path) == press.field(1)), None)
        return found.turn if path is None else await vigie.call(service.change_answer, rid, path)
    if prompt is None:
        return found.turn
    if press.kind is Kind.SKIP:
        return await vigie.call(service.skip, rid, prompt.path)
    if press.kind is Kind.ANSWER:
        number = _number(press.field(2))
        code = next((c.code for c in prompt.choices if c.number == number), None)
        if code is None:
            return found.turn
        return await vigie.call(service.submit, rid, prompt.path, code)
    if press.kind is Kind.DONE:
        codes = codes_of(prompt, _mask(press.field(2)))
        return await vigie.call(service.submit, rid, prompt.path, codes)
    if press.kind is Kind.VALUE:
        return await vigie.call(service.submit, rid, prompt.path, press.field(2))
    return found.turn


def _answer_label(
    message: Message, data: str | None, prompt: Prompt, press: Callback, language: str
) -> str:
    """What the respondent chose, as the buttons said it."""
    if press.kind is Kind.DONE:
        mask = _mask(press.field(2))
        chosen = [c.label for c in prompt.choices if mask >> (c.number - 1) & 1]
        return ", ".join(chosen) or translate(language, "bot.multiple.none_ticked")
    if press.kind is Kind.ANSWER:
        return choice_answer_label(prompt, _number(press.field(2)))
    markup = message.reply_markup
    for row in markup.inline_keyboard if markup is not None else ():
        for button in row:
            if button.callback_data == data:
                return button.text
    return press.field(2)


def _number(text: str) -> int:
    return int(text) if text.isdigit() and len(text) <= 3 else 0


def _mask(text: str) -> int:
    if not text or len(text) > 8 or any(c not in "0123456789abcdef" for c in text):
        return 0
    return int(text, 16)
