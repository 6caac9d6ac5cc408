"""Start-up settings and the signed callback data of buttons."""

from __future__ import annotations

import pytest
from fake_telegram import TOKEN

from bot.callbacks import MAX_BYTES, CallbackSigner, Kind, short_hash
from bot.settings import BotConfigError, load_bot_settings


@pytest.mark.parametrize("token", [None, "", "   "])
def test_a_missing_token_names_the_variable(token: str | None) -> None:
    env = {} if token is None else {"TELEGRAM_BOT_TOKEN": token}
    with pytest.raises(BotConfigError) as caught:
        load_bot_settings(env)
    assert caught.value.variable == "TELEGRAM_BOT_TOKEN"
    assert "TELEGRAM_BOT_TOKEN" in str(caught.value)
    assert "not set" in str(caught.value)


@pytest.mark.parametrize(
    "token", ["abc", "123:short", "12345:" + "x" * 40 + "!", "notdigits:" + "A" * 35]
)
def test_a_malformed_token_names_the_variable(token: str) -> None:
    with pytest.raises(BotConfigError, match="TELEGRAM_BOT_TOKEN: malformed"):
        load_bot_settings({"TELEGRAM_BOT_TOKEN": token})


def test_settings_read_the_base_url_and_require_a_webhook_secret() -> None:
    env = {"TELEGRAM_BOT_TOKEN": TOKEN, "TELEGRAM_BASE_URL": "http://127.0.0.1:8081/bot"}
    settings = load_bot_settings(env)
    assert settings.token == TOKEN
    assert settings.base_url == "http://127.0.0.1:8081/bot"
    assert settings.base_file_url == "http://127.0.0.1:8081/file/bot"
    with pytest.raises(BotConfigError, match="TELEGRAM_WEBHOOK_SECRET"):
        load_bot_settings(env, webhook=True)
    secret = load_bot_settings(
        {**env, "TELEGRAM_WEBHOOK_SECRET": "s3cret-s3cret-s3cret"}, webhook=True
    )
    assert secret.webhook_secret == "s3cret-s3cret-s3cret"
    with pytest.raises(BotConfigError, match="TELEGRAM_BASE_URL"):
        load_bot_settings({**env, "TELEGRAM_BASE_URL": "ftp://x"})


@pytest.mark.parametrize(("value", "threads"), [(None, 2), ("", 2), ("1", 1), (" 8 ", 8)])
def test_the_number_of_intake_threads_is_read_from_the_environment(
    value: str | None, threads: int
) -> None:
    env = {"TELEGRAM_BOT_TOKEN": TOKEN}
    if value is not None:
        env["VIGIE_BOT_DB_THREADS"] = value
    assert load_bot_settings(env).database_threads == threads


@pytest.mark.parametrize("value", ["0", "65", "-1", "two", "2.5", "\u0663"])
def test_a_bad_number_of_intake_threads_names_the_variable(value: str) -> None:
    with pytest.raises(BotConfigError) as caught:
        load_bot_settings({"TELEGRAM_BOT_TOKEN": TOKEN, "VIGIE_BOT_DB_THREADS": value})
    assert caught.value.variable == "VIGIE_BOT_DB_THREADS"
    assert "1 to 64" in str(caught.value)


def test_callback_data_round_trips_within_64_bytes() -> None:
    signer = CallbackSigner(TOKEN)
    path = short_hash("incident[5].reason_not_reported_main")
    data = signer.make(42, Kind.TOGGLE, "0123abcd", path, "12", "fff")
    assert len(data.encode()) <= MAX_BYTES
    press = signer.read(42, data)
    assert press is not None
    assert press.kind is Kind.TOGGLE
    assert press.fields == ("0123abcd", path, "12", "fff")


def test_callback_data_is_bound_to_its_chat_and_cannot_be_forged() -> None:
    signer = CallbackSigner(TOKEN)
    data = signer.make(42, Kind.ANSWER, "0123abcd", "pathhash", "1")
    assert signer.read(43, data) is None  # copied into another chat
    assert signer.read(42, data.replace(":1:", ":2:")) is None  # edited
    assert signer.read(42, "2" + data[1:]) is None  # another version
    assert CallbackSigner(TOKEN.replace("0", "1")).read(42, data) is None  # another bot
    for garbage in ["", "x", ":", "1a:::", "é" * 70, None, 42]:
        assert signer.read(42, garbage) is None


def test_callback_fields_refuse_the_separator_and_overflows() -> None:
    signer = CallbackSigner(TOKEN)
    with pytest.raises(ValueError, match="contains"):
        signer.make(1, Kind.VALUE, "a:b")
    with pytest.raises(ValueError, match="64 bytes"):
        signer.make(1, Kind.VALUE, "x" * 60)
