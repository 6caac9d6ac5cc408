"""The words of ``vigie demo`` (``cli.demo.<code>`` in the Vigie catalogs), French and English."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

from i18n import N_, MessageTable

#: Every text of ``vigie demo``, read-only: ``MESSAGES[code][language]``.
MESSAGES: Final = MessageTable(
    "cli.demo.",
    (
        N_("cli.demo.migrated"),
        N_("cli.demo.schema_current"),
        N_("cli.demo.benchmarks_loaded"),
        N_("cli.demo.benchmarks_kept"),
        N_("cli.demo.foreign_responses"),
        N_("cli.demo.unknown_survey"),
        N_("cli.demo.already_there"),
        N_("cli.demo.erased"),
        N_("cli.demo.generating"),
        N_("cli.demo.generated"),
        N_("cli.demo.campaign_columns"),
        N_("cli.demo.next_step"),
        N_("cli.demo.no_rows"),
        N_("cli.demo.bad_results"),
        N_("cli.demo.summary_columns"),
        N_("cli.demo.full_results"),
        N_("cli.demo.flags_legend"),
        N_("cli.demo.methods_legend"),
        N_("cli.demo.method_direct"),
        N_("cli.demo.method_eblup"),
        N_("cli.demo.method_synthetic"),
        N_("cli.demo.method_none"),
        N_("cli.demo.method_excluded"),
        N_("cli.demo.flag_none"),
    ),
)


def render(code: str, params: Mapping[str, Any], language: str) -> str:
    """The text of ``code`` in ``language`` (:data:`i18n.DEFAULT_LANGUAGE` if unknown)."""
    return MESSAGES.render(code, language, **params)
