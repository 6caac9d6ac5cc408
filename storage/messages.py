"""Storage errors and the words of the storage commands, looked up in gettext.

Errors are values with a code and parameters; :func:`render` turns one into a
sentence in one language from the Vigie catalogs (``storage.<code>``). Every
code has both languages (a test checks it).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

from i18n import LANGUAGES, N_, MessageTable, environment_language

__all__ = ["LANGUAGES", "MESSAGES", "StorageError", "preferred_language", "render"]

#: Every storage message, read-only: ``MESSAGES[code][language]``.
MESSAGES: Final = MessageTable(
    "storage.",
    (
        N_("storage.schema_behind"),
        N_("storage.schema_unknown"),
        N_("storage.no_revision"),
        N_("storage.response_not_found"),
        N_("storage.response_not_in_progress"),
        N_("storage.campaign_code_taken"),
        N_("storage.campaign_code_invalid"),
        N_("storage.csv_empty"),
        N_("storage.csv_not_utf8"),
        N_("storage.csv_missing_columns"),
        N_("storage.csv_unknown_columns"),
        N_("storage.csv_row_length"),
        N_("storage.csv_empty_value"),
        N_("storage.csv_too_long"),
        N_("storage.csv_bad_code"),
        N_("storage.csv_bad_variable"),
        N_("storage.csv_bad_category"),
        N_("storage.csv_bad_count"),
        N_("storage.csv_negative_count"),
        N_("storage.csv_bad_year"),
        N_("storage.csv_duplicate_key"),
        N_("storage.csv_inconsistent_name"),
        N_("storage.csv_inconsistent_region"),
        N_("storage.csv_already_loaded"),
        N_("storage.csv_line"),
        N_("storage.cli_upgraded"),
        N_("storage.cli_downgraded"),
        N_("storage.cli_current"),
        N_("storage.cli_state_current"),
        N_("storage.cli_state_behind"),
        N_("storage.cli_state_unknown"),
        N_("storage.cli_csv_rejected"),
        N_("storage.cli_loaded"),
        N_("storage.cli_file_or_demo"),
    ),
)


def render(code: str, params: Mapping[str, Any], language: str) -> str:
    """The message of ``code`` in ``language`` (:data:`i18n.DEFAULT_LANGUAGE` if unknown)."""
    return MESSAGES.render(code, language, **params)


def preferred_language(environ: Mapping[str, str]) -> str:
    """The language of command output: ``VIGIE_LANGUAGE``, else ``LC_ALL``, ``LANG``, else English.

    >>> preferred_language({"LANG": "fr_CA.UTF-8"})
    'fr'
    """
    return environment_language(environ, "en")


class StorageError(Exception):
    """An error of the repository, with a code and parameters.

    ``str(error)`` is the English message; :meth:`render` gives either language.
    """

    code = "storage_error"

    def __init__(self, code: str, /, **params: Any) -> None:
        self.code = code
        self.params = params
        super().__init__(code)

    def __str__(self) -> str:
        return self.render("en")

    def render(self, language: str) -> str:
        """The message in ``language``."""
        return render(self.code, self.params, language)
