"""What may leave the observatory: suppressed cells lose their values everywhere.

A cell flagged ``x`` (too few respondents) or ``F`` (too unreliable) keeps its
flag, its indicator and its unweighted counts, and loses every figure that
would let a reader recover the value: the estimate, its standard error, its
interval and CV, and the direct estimate behind a model-based one. Every
output (pages, CSV, JSON, charts, the public page) reads tables through
:func:`released`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd

#: Flags whose figures are never shown.
SUPPRESSED_FLAGS = ("x", "F")
#: Columns blanked in a suppressed cell.
VALUE_COLUMNS = ("estimate", "se", "ci_low", "ci_high", "cv", "direct_estimate", "direct_se")
#: Columns of the published table (the public page and the API).
PUBLIC_COLUMNS = (
    "municipality",
    "municipality_name",
    "channel",
    "indicator",
    "unit",
    "estimate",
    "ci_low",
    "ci_high",
    "cv",
    "flag",
    "method",
    "n",
    "weighted_n",
    "effective_n",
)

#: Columns of the published table by age group and gender (the public page and the API).
GROUP_COLUMNS = (
    "age_group",
    "gender",
    *(c for c in PUBLIC_COLUMNS if c not in ("municipality", "municipality_name", "channel")),
)


def released(table: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``table`` in which suppressed cells hold no figure."""
    import numpy as np

    shown = table.copy()
    mask = shown["flag"].fillna("").isin(SUPPRESSED_FLAGS)
    for column in VALUE_COLUMNS:
        if column in shown.columns:
            shown[column] = shown[column].astype(float)
            shown.loc[mask, column] = np.nan
    return shown


def records(table: pd.DataFrame, columns: tuple[str, ...] = PUBLIC_COLUMNS) -> list[dict[str, Any]]:
    """The released rows as JSON-ready dicts (missing figures as ``None``)."""
    import json

    shown = released(table)[list(columns)]
    loaded: list[dict[str, Any]] = json.loads(shown.to_json(orient="records"))
    return loaded
