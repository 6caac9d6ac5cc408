"""Starting: ``/start <campaign code>`` (a deep link), or the open questionnaires offered.

The language is the user's Telegram language when the questionnaire offers
it; a message with the other languages as buttons comes first, then the first
question (age, consent: the questionnaire's own entry questions). Starting is
idempotent on the Telegram update id, and a chat that already has a response
in progress gets it back.
"""

from __future__ import annotations

import re
from html import escape
from typing import Final

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update

from bot.callbacks import Callback, Kind, response_prefix, short_hash
from bot.context import Context, Vigie, chat_language, guarded, private_chat_id, say, show, vigie_of
from bot.render import Outgoing
from bot.sending import Sender
from bot.words import N_
from i18n import translate
from intake.errors import IntakeError, render_intake_error
from intake.turns import Turn

#: What a deep-link payload may hold (Telegram allows A-Z, a-z, 0-9, _ and -, 64 at most).
PAYLOAD: Final = re.compile(r"[A-Za-z0-9_-]{1,64}")
#: Names of the languages, each in itself.
LANGUAGE_NAMES: Final = {"fr": "Français", "en": "English"}


@guarded
async def start(update: Update, context: Context) -> None:
    """``/start`` or ``/start <code>``."""
    chat_id = private_chat_id(update)
    if chat_id is None or update.message is None:
        return
    vigie = vigie_of(context)
    found = await vigie.find(chat_id)
    if found is not None:
        lead = (escape(translate(found.turn.language, "bot.start.welcome_back")),)
        await show(context, chat_id, found.turn, lead=lead)
        return
    language = chat_language(update)
    args = context.args or []
    if not args:
        await offer(context, chat_id, language)
        return
    code = args[0]
    if len(args) > 1 or PAYLOAD.fullmatch(code) is None:
        await say(context, chat_id, language, N_("bot.start.bad_code"))
        await offer(context, chat_id, language)
        return
    try:
        turn = await vigie.call(
            vigie.intake.start_from_campaign,
            code,
            "telegram",
            language,
            chat_id=chat_id,
            request_key=str(update.update_id),
        )
    except IntakeError as error:
        await Sender(context.bot, chat_id).send(
            Outgoing(escape(render_intake_error(error, language)))
        )
        await offer(context, chat_id, language)
        return
    await begin(context, chat_id, turn, None)


async def offer(context: Context, chat_id: int, language: str) -> None:
    """The open questionnaires, one button each."""
    vigie = vigie_of(context)
    offered = await vigie.call(vigie.intake.offer, language)
    rows = [
        [
            InlineKeyboardButton(
                translate(language, "bot.offer.button", title=o.title, minutes=o.estimated_minutes),
                callback_data=vigie.signer.make(chat_id, Kind.OFFER, short_hash(o.survey_id, 6)),
            )
        ]
        for o in offered
    ]
    text = escape(translate(language, "bot.offer.text"))
    await Sender(context.bot, chat_id).send(Outgoing(text, InlineKeyboardMarkup(rows)))


async def start_offered(update: Update, context: Context, chat_id: int, press: Callback) -> None:
    """A questionnaire picked from the offer."""
    vigie = vigie_of(context)
    survey_id = vigie.survey_for(press.field(0))
    if survey_id is None:
        await say(context, chat_id, chat_language(update), N_("bot.button.invalid"))
        return
    found = await vigie.find(chat_id)
    if found is not None:
        await show(context, chat_id, found.turn)
        return
    wanted = chat_language(update)
    languages = vigie.surveys[survey_id].languages
    language = wanted if wanted in languages else languages[0]
    turn = await vigie.call(
        vigie.intake.start,
        survey_id,
        "telegram",
        language,
        chat_id=chat_id,
        request_key=str(update.update_id),
    )
    await begin(context, chat_id, turn, survey_id)


async def begin(context: Context, chat_id: int, turn: Turn, survey_id: str | None) -> None:
    """The welcome (with the other languages as buttons), then the first question."""
    vigie = vigie_of(context)
    await vigie.call(vigie.intake.remember_chat, turn.response_id, chat_id)
    await Sender(context.bot, chat_id).send(language_message(vigie, chat_id, turn, survey_id))
    await show(context, chat_id, turn)


def language_message(vigie: Vigie, chat_id: int, turn: Turn, survey_id: str | None) -> Outgoing:
    """ "You are answering in English" and a button for each other language."""
    survey = vigie.surveys.get(survey_id) if survey_id is not None else None
    languages = survey.languages if survey is not None else tuple(LANGUAGE_NAMES)
    buttons = [
        InlineKeyboardButton(
            LANGUAGE_NAMES.get(code, code),
            callback_data=vigie.signer.make(
                chat_id, Kind.LANGUAGE, response_prefix(turn.response_id), code
            ),
        )
        for code in languages
        if code != turn.language
    ]
    text = escape(translate(turn.language, "bot.start.language"))
    return Outgoing(text, InlineKeyboardMarkup([buttons]) if buttons else None)
