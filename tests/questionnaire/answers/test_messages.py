"""The catalogue of respondent-facing messages: complete, bilingual, placeholders declared."""

from __future__ import annotations

import string

import pytest

from questionnaire.answers.errors import ERROR_PARAMS
from questionnaire.answers.messages import (
    CATALOGUE,
    DEFAULT_LANGUAGE,
    LANGUAGES,
    PARAMS,
    labels,
    language_of,
    message,
)
from questionnaire.definition.model import SpecialCode


def placeholders(template: str) -> set[str]:
    """The ``{name}`` fields of a ``str.format`` template."""
    return {field for _, field, _, _ in string.Formatter().parse(template) if field is not None}


def sample_params(code: str) -> dict[str, object]:
    """A value for every declared placeholder, distinct per name."""
    return {name: f"<{name}>" for name in PARAMS.get(code, frozenset())}


@pytest.mark.parametrize("code", sorted(CATALOGUE))
def test_every_message_exists_in_every_language(code: str) -> None:
    assert set(CATALOGUE[code]) == set(LANGUAGES)
    for language in LANGUAGES:
        assert CATALOGUE[code][language].strip()


@pytest.mark.parametrize("code", sorted(CATALOGUE))
def test_placeholders_are_exactly_the_declared_params(code: str) -> None:
    for language in LANGUAGES:
        assert placeholders(CATALOGUE[code][language]) == set(PARAMS.get(code, frozenset()))


@pytest.mark.parametrize("code", sorted(CATALOGUE))
def test_each_message_formats_with_its_params(code: str) -> None:
    params = sample_params(code)
    for language in LANGUAGES:
        text = message(code, language, **params)
        for value in params.values():
            assert str(value) in text
        assert "{" not in text.replace("{{", "")


def test_french_and_english_differ_where_words_differ() -> None:
    same = {c for c in CATALOGUE if CATALOGUE[c]["fr"] == CATALOGUE[c]["en"]}
    # Only templates made of placeholders and punctuation read the same.
    assert same == {"error.constraint", "repeat.title_open"}


def test_every_answer_error_code_has_a_message_with_its_params() -> None:
    for code, params in ERROR_PARAMS.items():
        assert f"error.{code}" in CATALOGUE
        assert set(PARAMS.get(f"error.{code}", frozenset())) == params
    assert "error.required_soft" in CATALOGUE


def test_params_declare_only_codes_of_the_catalogue() -> None:
    assert set(PARAMS) <= set(CATALOGUE)


def test_special_answers_yes_no_and_consent_have_labels() -> None:
    for special in SpecialCode:
        assert labels(f"special.{special}") == dict(CATALOGUE[f"special.{special}"])
    assert message("special.dont_know", "fr") == "Je ne sais pas"
    assert message("special.dont_know", "en") == "Don't know"
    assert message("special.prefer_not", "fr") == "Je préfère ne pas répondre"
    assert message("yes_no.yes", "fr") == "Oui"
    assert message("consent.yes", "fr") == "J'accepte"
    assert message("consent.no", "fr") == "Je refuse"


def test_message_fills_params() -> None:
    assert message("error.below_min", "fr", min="0") == "Entrez un nombre supérieur ou égal à 0."
    assert message("repeat.title", "en", title="Incident", index=2, count=3) == "Incident (2 of 3)"


def test_regional_and_unknown_languages() -> None:
    assert language_of("fr-CA") == "fr"
    assert language_of("en_GB") == "en"
    assert language_of("es") == DEFAULT_LANGUAGE
    assert message("nav.next", "en-CA") == "Next"
    assert message("nav.next", "de") == CATALOGUE["nav.next"][DEFAULT_LANGUAGE]


def test_unknown_code_is_a_programming_error() -> None:
    with pytest.raises(KeyError):
        message("error.no_such_code", "fr")


def test_the_catalogue_is_read_only() -> None:
    with pytest.raises(TypeError):
        CATALOGUE["nav.next"]["fr"] = "Suite"  # type: ignore[index]
