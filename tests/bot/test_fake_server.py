"""The fake Bot API server answers python-telegram-bot's real HTTP calls as Telegram does."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from fake_telegram import TOKEN, FakeTelegram
from telegram import Bot, BotCommand, InlineKeyboardButton, InlineKeyboardMarkup
from telegram.error import BadRequest, Forbidden, RetryAfter

from bot.render import Outgoing
from bot.sending import ChatGoneError, Sender


def run(coroutine: Any) -> Any:
    return asyncio.run(coroutine)


async def _with_bot(fake: FakeTelegram, work: Any) -> Any:
    async with Bot(TOKEN, base_url=fake.base_url) as bot:
        return await work(bot)


def test_every_method_the_bot_uses_over_real_http(fake: FakeTelegram) -> None:
    fake.chat(7)
    markup = InlineKeyboardMarkup([[InlineKeyboardButton("Oui", callback_data="1a:x")]])

    async def work(bot: Bot) -> None:
        me = await bot.get_me()
        assert me.username == "vigie_test_bot"
        await bot.delete_webhook()
        assert await bot.set_webhook("https://vigie.example/hook", secret_token="abcdefghijklmnop")
        assert (await bot.get_webhook_info()).url == "https://vigie.example/hook"
        await bot.delete_webhook()
        sent = await bot.send_message(
            7, "<b>Bonjour</b> à vous", parse_mode="HTML", reply_markup=markup
        )
        assert sent.text == "Bonjour à vous"
        assert sent.text_html == "<b>Bonjour</b> à vous"
        edited = await bot.edit_message_text("Au revoir", 7, sent.message_id)
        assert isinstance(edited, object)
        with pytest.raises(BadRequest, match="not modified"):
            await bot.edit_message_text("Au revoir", 7, sent.message_id)
        await bot.edit_message_reply_markup(7, sent.message_id, reply_markup=markup)
        assert await bot.answer_callback_query("1", text="ok")
        assert await bot.set_my_commands([BotCommand("help", "Aide")], language_code="fr")
        assert [c.command for c in await bot.get_my_commands(language_code="fr")] == ["help"]
        assert await bot.delete_message(7, sent.message_id)
        with pytest.raises(BadRequest, match="can't be deleted"):
            await bot.delete_message(7, sent.message_id)
        with pytest.raises(BadRequest, match="too long"):
            await bot.send_message(7, "x" * 4097)
        with pytest.raises(BadRequest, match=r"(?i)button_data_invalid"):
            big = InlineKeyboardMarkup([[InlineKeyboardButton("x", callback_data="y" * 65)]])
            await bot.send_message(7, "x", reply_markup=big)
        fake.user_message(7, "salut", queue=True)
        updates = await bot.get_updates(timeout=1)
        assert updates[0].message is not None and updates[0].message.text == "salut"
        assert await bot.get_updates(offset=updates[-1].update_id + 1, timeout=0) == ()

    run(_with_bot(fake, work))
    assert fake.visible(7)[-1]["from"]["is_bot"] is False


def test_blocked_users_and_flood_control(fake: FakeTelegram) -> None:
    fake.chat(8).blocked = True
    fake.chat(9)
    fake.retry_after = 1

    async def work(bot: Bot) -> None:
        with pytest.raises(Forbidden):
            await bot.send_message(8, "x")
        with pytest.raises(ChatGoneError):
            await Sender(bot, 8).send(Outgoing("x"))
        fake.flood["sendMessage"] = 1
        with pytest.raises(RetryAfter):
            await bot.send_message(9, "x")
        fake.flood["sendMessage"] = 2
        sent = await Sender(bot, 9).send(Outgoing("après l'attente"))
        assert sent is not None and sent.text == "après l'attente"

    run(_with_bot(fake, work))
    assert fake.flood["sendMessage"] == 0
    assert [m["text"] for m in fake.bot_messages(9)] == ["après l'attente"]


def test_an_unknown_token_is_unauthorized(fake: FakeTelegram) -> None:
    status, payload = fake.handle("/bot1:wrong/getMe", "", b"")
    assert status == 401 and payload["ok"] is False
