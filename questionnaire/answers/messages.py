"""The catalogue of every respondent-facing message of the questionnaire engine.

Both channels (web and Telegram) show these same words: answer errors, the
labels of special answers, yes/no and consent labels, navigation words, the
soft-warning prefix, default titles of repeat instances and the default end
messages. Texts written by questionnaire authors live in the YAML instead.

Each entry is ``{code: {"fr": ..., "en": ...}}`` with ``str.format``-style
placeholders; :data:`PARAMS` declares, for every code, the names a caller
passes (a test checks that every template uses only those).
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Final

#: Languages every message exists in; the first is the fallback.
LANGUAGES: Final = ("fr", "en")
DEFAULT_LANGUAGE: Final = "fr"

_CATALOGUE: dict[str, dict[str, str]] = {
    # -- answer errors (rendered by questionnaire.answers.render_error) --------
    "error.required": {
        "fr": "Une réponse est nécessaire pour continuer.",
        "en": "An answer is needed to continue.",
    },
    "error.required_soft": {
        "fr": "Cette question est importante pour l'étude. Répondez si vous le pouvez,"
        " ou passez-la encore une fois pour continuer sans répondre.",
        "en": "This question matters for the study. Please answer if you can,"
        " or skip it once more to go on without answering.",
    },
    "error.not_a_number": {
        "fr": "Entrez un nombre, par exemple 3.",
        "en": "Enter a number, for example 3.",
    },
    "error.not_an_integer": {
        "fr": "Entrez un nombre entier, sans décimales.",
        "en": "Enter a whole number, without decimals.",
    },
    "error.number_too_large": {
        "fr": "Ce nombre est trop grand.",
        "en": "This number is too large.",
    },
    "error.below_min": {
        "fr": "Entrez un nombre supérieur ou égal à {min}.",
        "en": "Enter a number greater than or equal to {min}.",
    },
    "error.above_max": {
        "fr": "Entrez un nombre inférieur ou égal à {max}.",
        "en": "Enter a number less than or equal to {max}.",
    },
    "error.too_long": {
        "fr": "Votre réponse compte {length} caractères ; la limite est de {max_length}.",
        "en": "Your answer has {length} characters; the limit is {max_length}.",
    },
    "error.pattern_mismatch": {
        "fr": "Cette réponse n'a pas la forme attendue. Relisez l'indication sous la question.",
        "en": "This answer does not have the expected form. See the hint under the question.",
    },
    "error.unknown_choice": {
        "fr": "Je n'ai pas reconnu cette réponse. Choisissez parmi : {choices}.",
        "en": "I did not recognise this answer. Choose from: {choices}.",
    },
    "error.ambiguous_choice": {
        "fr": "Cette réponse correspond à plusieurs choix ({matches}). Précisez, ou donnez"
        " le numéro du choix.",
        "en": "This answer matches several choices ({matches}). Please be more precise,"
        " or give the choice's number.",
    },
    "error.exclusive_choice": {
        "fr": "La réponse « {choice} » ne peut pas être combinée avec d'autres réponses.",
        "en": 'The answer "{choice}" cannot be combined with other answers.',
    },
    "error.too_many_choices": {
        "fr": "Choisissez une seule réponse.",
        "en": "Choose only one answer.",
    },
    "error.invalid_date": {
        "fr": "Entrez une date valide, par exemple 12/03/2025 (jour/mois/année),"
        " 12 mars 2025 ou 2025-03-12.",
        "en": "Enter a valid date, for example 12/03/2025 (day/month/year),"
        " March 12, 2025 or 2025-03-12.",
    },
    "error.date_too_early": {
        "fr": "Cette date est trop ancienne : au plus tôt {min}.",
        "en": "This date is too early: {min} at the earliest.",
    },
    "error.date_too_late": {
        "fr": "Cette date est trop récente : au plus tard {max}.",
        "en": "This date is too late: {max} at the latest.",
    },
    "error.invalid_year_month": {
        "fr": "Entrez un mois et une année, par exemple mars 2025 ou 03/2025.",
        "en": "Enter a month and a year, for example March 2025 or 03/2025.",
    },
    "error.not_yes_no": {
        "fr": "Répondez par oui ou par non (1 = oui, 2 = non).",
        "en": "Please answer yes or no (1 = yes, 2 = no).",
    },
    "error.not_consent": {
        "fr": "Répondez « J'accepte » (1) ou « Je refuse » (2).",
        "en": 'Please answer "I agree" (1) or "I do not agree" (2).',
    },
    "error.constraint": {"fr": "{message}", "en": "{message}"},
    "error.special_not_offered": {
        "fr": "La réponse « {special} » n'est pas proposée pour cette question.",
        "en": 'The answer "{special}" is not offered for this question.',
    },
    "error.no_answer_expected": {
        "fr": "Aucune réponse n'est attendue ici.",
        "en": "No answer is expected here.",
    },
    # -- answers that the engine labels itself ---------------------------------
    "special.dont_know": {"fr": "Je ne sais pas", "en": "Don't know"},
    "special.prefer_not": {"fr": "Je préfère ne pas répondre", "en": "Prefer not to answer"},
    "yes_no.yes": {"fr": "Oui", "en": "Yes"},
    "yes_no.no": {"fr": "Non", "en": "No"},
    "consent.yes": {"fr": "J'accepte", "en": "I agree"},
    "consent.no": {"fr": "Je refuse", "en": "I do not agree"},
    "value.skipped": {"fr": "(sans réponse)", "en": "(no answer)"},
    # -- navigation words both channels share ----------------------------------
    "nav.next": {"fr": "Suivant", "en": "Next"},
    "nav.back": {"fr": "Retour", "en": "Back"},
    "nav.skip": {"fr": "Passer", "en": "Skip"},
    "nav.pause": {"fr": "Continuer plus tard", "en": "Continue later"},
    "nav.finish": {"fr": "Terminer", "en": "Finish"},
    "warning.prefix": {"fr": "Attention : {text}", "en": "Please note: {text}"},
    # -- hints the engine adds under a question ---------------------------------
    "hint.date": {
        "fr": "Format : jour/mois/année, par exemple 12/03/2025.",
        "en": "Format: day/month/year, for example 12/03/2025.",
    },
    "hint.year_month": {
        "fr": "Format : mois/année, par exemple 03/2025 ou mars 2025.",
        "en": "Format: month/year, for example 03/2025 or March 2025.",
    },
    "hint.multiple_choice": {
        "fr": "Plusieurs réponses possibles : donnez les numéros séparés par des virgules,"
        " par exemple 1, 3.",
        "en": "You may give several answers: type the numbers separated by commas,"
        " for example 1, 3.",
    },
    # -- titles and endings ------------------------------------------------------
    "repeat.title": {
        "fr": "{title} ({index} sur {count})",
        "en": "{title} ({index} of {count})",
    },
    "repeat.title_open": {"fr": "{title} ({index})", "en": "{title} ({index})"},
    "survey.end": {
        "fr": "Merci ! Vos réponses ont été enregistrées.",
        "en": "Thank you! Your answers have been recorded.",
    },
    "survey.screened_out": {
        "fr": "Merci de votre intérêt. Ce questionnaire ne s'adresse pas à votre situation ;"
        " aucune autre question ne vous sera posée.",
        "en": "Thank you for your interest. This questionnaire does not apply to your"
        " situation; you will not be asked anything else.",
    },
}

#: Every message, read-only: ``CATALOGUE[code][language]``.
CATALOGUE: Final[Mapping[str, Mapping[str, str]]] = MappingProxyType(
    {code: MappingProxyType(texts) for code, texts in _CATALOGUE.items()}
)

#: The placeholders each message is given, by code (absent: none).
PARAMS: Final[Mapping[str, frozenset[str]]] = MappingProxyType(
    {
        "error.below_min": frozenset({"min"}),
        "error.above_max": frozenset({"max"}),
        "error.too_long": frozenset({"length", "max_length"}),
        "error.unknown_choice": frozenset({"choices"}),
        "error.ambiguous_choice": frozenset({"matches"}),
        "error.exclusive_choice": frozenset({"choice"}),
        "error.date_too_early": frozenset({"min"}),
        "error.date_too_late": frozenset({"max"}),
        "error.constraint": frozenset({"message"}),
        "error.special_not_offered": frozenset({"special"}),
        "warning.prefix": frozenset({"text"}),
        "repeat.title": frozenset({"title", "index", "count"}),
        "repeat.title_open": frozenset({"title", "index"}),
    }
)


def language_of(language: str) -> str:
    """The catalogue language for a requested one: ``"fr-CA"`` -> ``"fr"``.

    Unknown languages fall back to :data:`DEFAULT_LANGUAGE`.
    """
    base = language.split("-")[0].split("_")[0].lower()
    return base if base in LANGUAGES else DEFAULT_LANGUAGE


def message(code: str, language: str, **params: object) -> str:
    """The message ``code`` in ``language``, with ``params`` filled in.

    Raises ``KeyError`` for a code that is not in the catalogue (a programming
    error, never a respondent's).

    >>> message("special.dont_know", "en")
    "Don't know"
    >>> message("error.below_min", "fr", min=0)
    'Entrez un nombre supérieur ou égal à 0.'
    """
    template = CATALOGUE[code][language_of(language)]
    return template.format(**params)


def labels(code: str) -> dict[str, str]:
    """A catalogue entry as a ``LocalText`` (every language), e.g. for choice lists."""
    return dict(CATALOGUE[code])
