"""The server secret: refused when blank or weak, never shown by repr() or str()."""

from __future__ import annotations

import pytest
from intake_support import TEST_SECRET

from intake.errors import IntakeError, render_intake_error
from intake.service import IntakeService
from intake.settings import IntakeSettings, load_settings, secret_strength


@pytest.mark.parametrize(
    ("secret", "code"),
    [
        (" " * 16, "short_secret"),
        ("\t \n" * 8, "short_secret"),
        ("  short-secret  " + " " * 10, "short_secret"),
        ("a" * 40, "weak_secret"),
        ("ab" * 20, "weak_secret"),
        ("abcabcabcabcabcabcab", "weak_secret"),
        ("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa1", "weak_secret"),
    ],
)
def test_a_blank_or_predictable_secret_is_refused(secret: str, code: str) -> None:
    with pytest.raises(IntakeError) as caught:
        IntakeSettings(secret_key=secret).check()
    assert caught.value.code == code
    with pytest.raises(IntakeError) as from_environment:
        load_settings({"VIGIE_SECRET_KEY": secret})
    assert from_environment.value.code in {code, "default_secret"}
    for language in ("fr", "en"):
        text = render_intake_error(caught.value, language)
        assert "VIGIE_SECRET_KEY" in text and "{" not in text


def test_a_generated_secret_is_accepted() -> None:
    for secret in ("Yv3q-T9xM2pLk8Rw_Zb4nH7c", TEST_SECRET, "d228b13733cc8d1c55bdc81ec0d3fb90"):
        assert IntakeSettings(secret_key=secret).check().secret_key == secret
    assert secret_strength(" " * 16) == (1, 0.0)


def test_repr_of_settings_and_service_never_shows_the_secret(
    service: IntakeService,
) -> None:
    settings = IntakeSettings(secret_key=TEST_SECRET, testing=True)
    for shown in (repr(settings), str(settings), repr(service), str(service)):
        assert TEST_SECRET not in shown
        assert TEST_SECRET[:8] not in shown
    assert "abandon_after_days=30" in repr(settings)
    assert "short_safety" in repr(service)
