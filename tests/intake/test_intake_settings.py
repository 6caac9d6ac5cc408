"""Settings, resume codes, chat keys and the intake message catalogue (no database)."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import re
import string

import pytest
from sqlalchemy.orm import Session, sessionmaker

from intake.errors import IntakeError, render_intake_error
from intake.messages import INTAKE_MESSAGES, LANGUAGES, intake_message
from intake.registry import SurveyRegistry
from intake.service import IntakeService
from intake.settings import DEVELOPMENT_SECRET_KEY, IntakeSettings, load_settings
from intake.tokens import (
    RESUME_ALPHABET,
    RESUME_CODE_LENGTH,
    chat_key,
    format_resume_code,
    legacy_chat_key,
    legacy_resume_digest,
    new_resume_code,
    normalize_resume_code,
    resume_digest,
    upgrade_chat_key,
    upgrade_resume_digest,
)

SECRET = "a-long-enough-secret-for-tests"


def test_settings_from_the_environment() -> None:
    settings = load_settings({"VIGIE_SECRET_KEY": SECRET, "VIGIE_ABANDON_AFTER_DAYS": "45"})
    assert settings == IntakeSettings(secret_key=SECRET, abandon_after_days=45, testing=False)
    assert settings.abandon_after == dt.timedelta(days=45)
    assert load_settings({"VIGIE_SECRET_KEY": SECRET}).abandon_after_days == 30


def test_the_development_secret_is_refused_outside_testing() -> None:
    with pytest.raises(IntakeError) as caught:
        load_settings({})
    assert caught.value.code == "default_secret"
    assert "VIGIE_SECRET_KEY" in render_intake_error(caught.value, "fr")
    assert load_settings({}, testing=True).secret_key == DEVELOPMENT_SECRET_KEY
    assert load_settings({"VIGIE_TESTING": "1"}).testing


def test_the_service_refuses_the_development_secret() -> None:
    sessions: sessionmaker[Session] = sessionmaker()
    with pytest.raises(IntakeError) as caught:
        IntakeService(sessions, SurveyRegistry(sessions), IntakeSettings())
    assert caught.value.code == "default_secret"


@pytest.mark.parametrize(
    ("environ", "code"),
    [
        ({"VIGIE_SECRET_KEY": "short"}, "short_secret"),
        (
            {"VIGIE_SECRET_KEY": SECRET, "VIGIE_ABANDON_AFTER_DAYS": "soon"},
            "invalid_abandon_after_days",
        ),
        (
            {"VIGIE_SECRET_KEY": SECRET, "VIGIE_ABANDON_AFTER_DAYS": "0"},
            "invalid_abandon_after_days",
        ),
    ],
)
def test_bad_settings_are_refused_with_a_code(environ: dict[str, str], code: str) -> None:
    with pytest.raises(IntakeError) as caught:
        load_settings(environ)
    assert caught.value.code == code


def test_resume_codes_are_random_typable_and_normalised() -> None:
    codes = {new_resume_code() for _ in range(200)}
    assert len(codes) == 200
    for code in codes:
        assert len(code) == RESUME_CODE_LENGTH
        assert set(code) <= set(RESUME_ALPHABET)
    assert not set("01OIL5S8B2ZUV") & set(RESUME_ALPHABET)
    code = sorted(codes)[0]
    shown = format_resume_code(code)
    assert re.fullmatch(r"[A-Z0-9]{5}-[A-Z0-9]{5}", shown)
    assert normalize_resume_code(f"  {shown.lower()} ") == code
    assert normalize_resume_code(shown.replace("-", " ")) == code
    assert normalize_resume_code(code[:-1]) is None
    assert normalize_resume_code("O" * RESUME_CODE_LENGTH) is None
    legacy = hashlib.sha256(code.encode()).hexdigest()
    assert legacy_resume_digest(code) == legacy


def test_resume_digests_are_keyed_and_derive_from_the_earlier_form() -> None:
    code = new_resume_code()
    legacy = hashlib.sha256(code.encode()).hexdigest()
    expected = hmac.new(SECRET.encode(), b"resume\x00" + legacy.encode(), "sha256").hexdigest()
    assert resume_digest(code, SECRET) == expected == upgrade_resume_digest(legacy, SECRET)
    assert resume_digest(code, SECRET + "x") != expected
    assert len(expected) == 64 and all(c in string.hexdigits for c in expected)


def test_chat_key_is_keyed_and_differs_between_questionnaires() -> None:
    legacy = hmac.new(SECRET.encode(), b"123456", hashlib.sha256).hexdigest()
    assert legacy_chat_key(123456, SECRET) == legacy == legacy_chat_key("123456", SECRET)
    key = chat_key(123456, SECRET, "victimisation")
    assert key == chat_key("123456", SECRET, "victimisation")
    assert key == upgrade_chat_key(legacy, "victimisation", SECRET)
    assert key != chat_key(123456, SECRET, "perceived_safety")
    assert key != chat_key(123456, SECRET + "x", "victimisation")
    assert key != legacy and len(key) == 64 and all(c in string.hexdigits for c in key)


def test_every_intake_message_exists_in_every_language() -> None:
    for code, texts in INTAKE_MESSAGES.items():
        assert set(texts) == set(LANGUAGES), code
        french = re.findall(r"{(\w+)}", texts["fr"])
        english = re.findall(r"{(\w+)}", texts["en"])
        assert sorted(french) == sorted(english), code
        params = {name: "x" for name in french}
        assert intake_message(code, "fr", **params) != intake_message(code, "en", **params)
