"""Errors of the statistics engine: a code, parameters, a message in French and English.

Every failure of a function in ``analysis`` is an :class:`AnalysisError` (a subclass of
``ValueError``) carrying a stable ``code`` and the ``params`` that the message names (the
margin, the category, the replicate...). ``str(error)`` is the English message;
``error.message("fr")`` gives the French one. Callers test the code, never the wording.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

#: code -> {language -> template}; templates use the error's params by name.
MESSAGES: dict[str, dict[str, str]] = {
    "bad_shape": {
        "en": "{what}: expected {expected}, got {got}.",
        "fr": "{what} : attendu {expected}, reçu {got}.",
    },
    "bad_value": {
        "en": "{what}: {problem}.",
        "fr": "{what} : {problem}.",
    },
    "code_out_of_range": {
        "en": "Margin {margin}: codes must lie in 0..{last}, found {found}.",
        "fr": "Marge {margin} : les codes doivent être entre 0 et {last}, trouvé {found}.",
    },
    "empty_category": {
        "en": "Margin {margin}, category {category}: the target is {target} but no respondent "
        "has a positive weight there{where}. Collapse the category or remove its target.",
        "fr": "Marge {margin}, catégorie {category} : la cible vaut {target} mais aucun "
        "répondant n'y a de poids positif{where}. Regroupez la catégorie ou retirez sa cible.",
    },
    "totals_disagree": {
        "en": "Margin {margin} sums to {total} but margin {first} sums to {first_total}: "
        "the margins must describe the same population.",
        "fr": "La marge {margin} totalise {total} mais la marge {first} totalise "
        "{first_total} : les marges doivent décrire la même population.",
    },
    "not_converged": {
        "en": "{method} did not converge in {iterations} iterations (largest relative error "
        "{error:.3g}, tolerance {tol:.3g}).",
        "fr": "{method} n'a pas convergé en {iterations} itérations (plus grande erreur "
        "relative {error:.3g}, tolérance {tol:.3g}).",
    },
    "bad_bounds": {
        "en": "Calibration bounds must satisfy {rule}; got L={lower}, U={upper}.",
        "fr": "Les bornes de calage doivent vérifier {rule} ; reçu L={lower}, U={upper}.",
    },
    "singular_model": {
        "en": "{what}: the model matrix is singular (collinear columns or an empty category).",
        "fr": "{what} : la matrice du modèle est singulière (colonnes colinéaires ou "
        "catégorie vide).",
    },
    "no_weight": {
        "en": "{what}: the weights sum to zero{where}.",
        "fr": "{what} : la somme des poids est nulle{where}.",
    },
    "lonely_psu": {
        "en": "Stratum {stratum} has a single PSU: its variance cannot be estimated.",
        "fr": "La strate {stratum} n'a qu'une UPE : sa variance ne peut pas être estimée.",
    },
    "unknown_option": {
        "en": "{what}: unknown option {value!r}; expected one of {choices}.",
        "fr": "{what} : option inconnue {value!r} ; attendu l'une de {choices}.",
    },
    "trimming_failed": {
        "en": "Trimming and raking did not meet both the cap and the margins in {rounds} "
        "rounds (largest weight ratio {ratio:.4g}, cap {cap:.4g}).",
        "fr": "L'écrêtage suivi du calage n'a pas respecté à la fois le plafond et les marges "
        "en {rounds} tours (plus grand rapport de poids {ratio:.4g}, plafond {cap:.4g}).",
    },
}


class AnalysisError(ValueError):
    """A failure of the statistics engine: ``code`` (stable), ``params`` (what it names)."""

    def __init__(self, code: str, **params: Any) -> None:
        if code not in MESSAGES:
            raise KeyError(f"unknown analysis error code {code!r}")
        self.code = code
        self.params: Mapping[str, Any] = params
        super().__init__(self.message("en"))

    def message(self, language: str = "en") -> str:
        """The message in ``language`` ("en" or "fr"; anything else falls back to English)."""
        templates = MESSAGES[self.code]
        return templates.get(language, templates["en"]).format(**self.params)


class WeightingError(AnalysisError):
    """Raking, calibration, trimming, post-stratification or collapsing failed."""


class EstimationError(AnalysisError):
    """A design, an estimator or a variance could not be computed."""


class ModelError(AnalysisError):
    """A small-area model could not be fitted."""
