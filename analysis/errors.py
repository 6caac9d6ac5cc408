"""Errors of the statistics engine: a code, parameters, a message in French and English.

Every failure of a function in ``analysis`` is an :class:`AnalysisError` (a subclass of
``ValueError``) carrying a stable ``code`` and the ``params`` that the message names (the
margin, the category, the replicate...). ``str(error)`` is the English message;
``error.message("fr")`` gives the French one. Callers test the code, never the wording.
The texts are in the Vigie catalogs under ``analysis.error.<code>``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

from i18n import N_, MessageTable

#: code -> {language -> template}, read-only; templates use the error's params by name.
MESSAGES: Final = MessageTable(
    "analysis.error.",
    (
        N_("analysis.error.bad_shape"),
        N_("analysis.error.bad_value"),
        N_("analysis.error.code_out_of_range"),
        N_("analysis.error.empty_category"),
        N_("analysis.error.totals_disagree"),
        N_("analysis.error.not_converged"),
        N_("analysis.error.bad_bounds"),
        N_("analysis.error.singular_model"),
        N_("analysis.error.no_weight"),
        N_("analysis.error.lonely_psu"),
        N_("analysis.error.unknown_option"),
        N_("analysis.error.trimming_failed"),
    ),
)


class AnalysisError(ValueError):
    """A failure of the statistics engine: ``code`` (stable), ``params`` (what it names)."""

    def __init__(self, code: str, **params: Any) -> None:
        MESSAGES.msgid(code)  # KeyError for a code without a message
        self.code = code
        self.params: Mapping[str, Any] = params
        super().__init__(self.message("en"))

    def message(self, language: str = "en") -> str:
        """The message in ``language`` ("en" or "fr"; anything else: the default language)."""
        return MESSAGES.render(self.code, language, **self.params)


class WeightingError(AnalysisError):
    """Raking, calibration, trimming, post-stratification or collapsing failed."""


class EstimationError(AnalysisError):
    """A design, an estimator or a variance could not be computed."""


class ModelError(AnalysisError):
    """A small-area model could not be fitted."""
