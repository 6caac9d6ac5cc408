"""Texts of the estimation pipeline in French and English: its errors and what weighting did.

Errors are :class:`PipelineError` values with a stable ``code`` and ``params``; ``str(error)``
is English and ``error.message("fr")`` French. The ``weighting`` column of the results table
is written in the language the caller asks for, from the ``weighting_*`` texts. The texts are
in the Vigie catalogs under ``analysis.pipeline.<code>``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

from i18n import LANGUAGES, N_, MessageTable

__all__ = ["LANGUAGES", "MESSAGES", "PipelineError", "render"]

#: Every pipeline text, read-only: ``MESSAGES[code][language]``.
MESSAGES: Final = MessageTable(
    "analysis.pipeline.",
    (
        N_("analysis.pipeline.unknown_survey"),
        N_("analysis.pipeline.no_weighting_block"),
        N_("analysis.pipeline.unknown_variable"),
        N_("analysis.pipeline.no_benchmarks"),
        N_("analysis.pipeline.no_responses"),
        N_("analysis.pipeline.missing_columns"),
        N_("analysis.pipeline.bad_option"),
        N_("analysis.pipeline.nothing_to_weight"),
        N_("analysis.pipeline.replicates_failed"),
        N_("analysis.pipeline.bad_output"),
        N_("analysis.pipeline.weighting_raked"),
        N_("analysis.pipeline.weighting_poststratified"),
        N_("analysis.pipeline.weighting_borrowed"),
        N_("analysis.pipeline.weighting_not_converged"),
        N_("analysis.pipeline.weighting_collapsed"),
        N_("analysis.pipeline.weighting_imputed"),
        N_("analysis.pipeline.weighting_trimmed"),
        N_("analysis.pipeline.weighting_trim_unmet"),
        N_("analysis.pipeline.weighting_pooled"),
        N_("analysis.pipeline.weighting_no_respondents"),
        N_("analysis.pipeline.weighting_no_benchmarks"),
        N_("analysis.pipeline.weighting_unknown_municipality"),
        N_("analysis.pipeline.all_municipalities"),
    ),
)


def render(code: str, params: Mapping[str, Any], language: str = "en") -> str:
    """The text of ``code`` in ``language`` (:data:`i18n.DEFAULT_LANGUAGE` if unknown)."""
    return MESSAGES.render(code, language, **params)


class PipelineError(ValueError):
    """A failure of the estimation pipeline: ``code`` (stable) and ``params``."""

    def __init__(self, code: str, **params: Any) -> None:
        MESSAGES.msgid(code)  # KeyError for a code without a message
        self.code = code
        self.params: Mapping[str, Any] = params
        super().__init__(render(code, params, "en"))

    def message(self, language: str = "en") -> str:
        """The message in ``language`` ("fr" or "en")."""
        return render(self.code, self.params, language)
