"""Storage messages exist in French and English and render with their parameters."""

from __future__ import annotations

import re

import pytest

from i18n import DEFAULT_LANGUAGE
from storage.messages import LANGUAGES, MESSAGES, StorageError, preferred_language, render


@pytest.mark.parametrize("code", sorted(MESSAGES))
def test_every_message_has_both_languages_with_the_same_placeholders(code: str) -> None:
    texts = MESSAGES[code]
    assert set(texts) == set(LANGUAGES)
    placeholders = {lang: set(re.findall(r"{(\w+)}", texts[lang])) for lang in LANGUAGES}
    assert placeholders["fr"] == placeholders["en"]
    assert texts["fr"] != texts["en"]


def test_render_falls_back_to_the_default_language_for_an_unknown_language() -> None:
    # One fallback for every catalogue: i18n.DEFAULT_LANGUAGE (French).
    assert DEFAULT_LANGUAGE == "fr"
    assert render("csv_empty", {}, "de") == "Le fichier est vide."
    assert render("csv_empty", {}, "fr") == "Le fichier est vide."
    assert render("csv_empty", {}, "en") == "The file is empty."


def test_storage_errors_carry_code_and_params() -> None:
    error = StorageError("campaign_code_taken", code="parc")
    assert error.code == "campaign_code_taken"
    assert error.params == {"code": "parc"}
    assert str(error) == "The campaign code 'parc' is already taken."
    assert error.render("fr") == "Le code de campagne « parc » est déjà pris."


@pytest.mark.parametrize(
    ("environ", "language"),
    [
        ({"VIGIE_LANGUAGE": "fr", "LANG": "en_CA.UTF-8"}, "fr"),
        ({"LC_ALL": "C", "LANG": "fr_CA.UTF-8"}, "fr"),
        ({"LANG": "de_DE.UTF-8"}, "en"),
        ({}, "en"),
    ],
)
def test_preferred_language(environ: dict[str, str], language: str) -> None:
    assert preferred_language(environ) == language
