"""Definition errors about the limits of what a definition may hold.

The reader refuses what would hang, crash or overflow later: alias expansion
beyond a budget, nesting too deep, numbers too large or not finite, control
characters, files too large, ids and names longer than their database
columns, patterns prone to catastrophic backtracking, includes outside the
questionnaire's folder. Their messages and fixes are in the Vigie gettext
catalogs, under ``definition.<code>.message`` and ``definition.<code>.hint``;
:data:`LIMIT_DESCRIPTIONS` joins the catalogue of
:mod:`questionnaire.definition.error_catalogue`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final

from i18n import N_

#: Code -> what it means (English, for ``docs/definition-errors.md``).
LIMIT_DESCRIPTIONS: Final[Mapping[str, str]] = {
    "file_too_large": "a definition file larger than 1 MB",
    "control_character": "a control character (NUL, escape, ...) in the file or in a value",
    "alias_budget": (
        "YAML aliases that expand the definition beyond 100,000 values (a 'billion laughs')"
    ),
    "too_deep": "lists or mappings nested more than 50 levels deep",
    "number_too_large": "an integer beyond ±(2⁶³ − 1), such as one with thousands of digits",
    "not_finite": "`.inf`, `.nan` or a decimal too large to be finite (`1.5e+400`)",
    "too_long": "a survey id, version, name or choice code longer than its database column",
    "pattern_backtracking": (
        "a `pattern` repeating a group that itself repeats or alternates "
        "(catastrophic backtracking)"
    ),
    "include_outside": "an `include:` path that leaves the questionnaire's folder",
}

#: The message and fix of every code, declared for ``make catalogs-update``.
MESSAGE_IDS: Final = (
    N_("definition.file_too_large.message"),
    N_("definition.file_too_large.hint"),
    N_("definition.control_character.message"),
    N_("definition.control_character.hint"),
    N_("definition.alias_budget.message"),
    N_("definition.alias_budget.hint"),
    N_("definition.too_deep.message"),
    N_("definition.too_deep.hint"),
    N_("definition.number_too_large.message"),
    N_("definition.number_too_large.hint"),
    N_("definition.not_finite.message"),
    N_("definition.not_finite.hint"),
    N_("definition.too_long.message"),
    N_("definition.too_long.hint"),
    N_("definition.pattern_backtracking.message"),
    N_("definition.pattern_backtracking.hint"),
    N_("definition.include_outside.message"),
    N_("definition.include_outside.hint"),
)
