"""Every respondent-facing word of the questionnaire engine, looked up in gettext.

Both channels (web and Telegram) show these same words: answer errors, the
labels of special answers, yes/no and consent labels, navigation words, the
soft-warning prefix, default titles of repeat instances and the default end
messages. Texts written by questionnaire authors live in the YAML instead.

The texts are in the Vigie catalogs (``i18n/locale/*/LC_MESSAGES/vigie.po``)
under ``answer.<code>`` (``answer.error.required``), with ``{name}``
placeholders; :data:`PARAMS` declares, for every code, the names a caller
passes (a test checks that every template uses only those).
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Final

from i18n import DEFAULT_LANGUAGE, LANGUAGES, N_, MessageTable, negotiate

__all__ = [
    "CATALOGUE",
    "DEFAULT_LANGUAGE",
    "LANGUAGES",
    "PARAMS",
    "labels",
    "language_of",
    "message",
]

#: Every message, read-only: ``CATALOGUE[code][language]`` (``code`` without ``answer.``).
CATALOGUE: Final = MessageTable(
    "answer.",
    (
        N_("answer.error.required"),
        N_("answer.error.required_soft"),
        N_("answer.error.not_a_number"),
        N_("answer.error.not_an_integer"),
        N_("answer.error.number_too_large"),
        N_("answer.error.below_min"),
        N_("answer.error.above_max"),
        N_("answer.error.too_long"),
        N_("answer.error.pattern_mismatch"),
        N_("answer.error.unknown_choice"),
        N_("answer.error.ambiguous_choice"),
        N_("answer.error.exclusive_choice"),
        N_("answer.error.too_many_choices"),
        N_("answer.error.invalid_date"),
        N_("answer.error.date_too_early"),
        N_("answer.error.date_too_late"),
        N_("answer.error.invalid_year_month"),
        N_("answer.error.not_yes_no"),
        N_("answer.error.not_consent"),
        N_("answer.error.constraint"),
        N_("answer.error.special_not_offered"),
        N_("answer.error.no_answer_expected"),
        N_("answer.special.dont_know"),
        N_("answer.special.prefer_not"),
        N_("answer.yes_no.yes"),
        N_("answer.yes_no.no"),
        N_("answer.consent.yes"),
        N_("answer.consent.no"),
        N_("answer.value.skipped"),
        N_("answer.nav.next"),
        N_("answer.nav.back"),
        N_("answer.nav.skip"),
        N_("answer.nav.pause"),
        N_("answer.nav.finish"),
        N_("answer.warning.prefix"),
        N_("answer.quoted"),
        N_("answer.hint.date"),
        N_("answer.hint.year_month"),
        N_("answer.hint.multiple_choice"),
        N_("answer.repeat.title"),
        N_("answer.repeat.title_open"),
        N_("answer.survey.end"),
        N_("answer.survey.screened_out"),
    ),
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
        "quoted": frozenset({"text"}),
        "repeat.title": frozenset({"title", "index", "count"}),
        "repeat.title_open": frozenset({"title", "index"}),
    }
)


def language_of(language: str) -> str:
    """The catalogue language for a requested one: ``"fr-CA"`` -> ``"fr"``.

    Unknown languages fall back to :data:`DEFAULT_LANGUAGE` (:func:`i18n.negotiate`).
    """
    return negotiate(language)


def message(code: str, language: str, **params: object) -> str:
    """The message ``code`` in ``language``, with ``params`` filled in.

    Raises ``KeyError`` for a code that is not in the catalogue (a programming
    error, never a respondent's).

    >>> message("special.dont_know", "en")
    "Don't know"
    >>> message("error.below_min", "fr", min=0)
    'Entrez un nombre supérieur ou égal à 0.'
    """
    return CATALOGUE.render(code, language, **params)


def labels(code: str) -> dict[str, str]:
    """A catalogue entry as a ``LocalText`` (every language), e.g. for choice lists."""
    return dict(CATALOGUE[code])
