"""The shape of one entry of the definition-error catalogue.

Kept apart from :mod:`questionnaire.definition.error_catalogue`, which holds
the texts themselves (codes, messages and hints in French and English).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class CatalogueEntry:
    """One error code: what it means, its message and its fix in each language."""

    description: str
    message: Mapping[str, str]
    hint: Mapping[str, str]


def entry(description: str, en: str, fr: str, hint_en: str, hint_fr: str) -> CatalogueEntry:
    """An entry from its description and its English and French message and hint."""
    return CatalogueEntry(description, {"en": en, "fr": fr}, {"en": hint_en, "fr": hint_fr})
