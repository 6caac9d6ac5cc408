"""A short readable table of a few indicators from a ``vigie estimate`` results file.

For each indicator: every municipality's estimate (and the pooled row first), its 95 %
interval, CV, release flag and method, and the number of respondents behind it; estimates the
release rules withhold (flags F and x by default) show their flag instead of a value. Then a
legend of the flags and methods, and where the full file is. Numbers use a decimal comma in
French.
"""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd

from analysis.pipeline.messages import render as pipeline_text
from analysis.quality.release_rules import FLAG_MEANINGS, ReleaseRules
from i18n.formats import format_fixed
from questionnaire.definition.model import Survey
from vigie_cli.demo_messages import render

#: Indicators shown by default, by preference: the first :data:`DEFAULT_COUNT` a file holds.
DEFAULT_INDICATORS = (
    "victimised_any",
    "unsafe_after_dark",
    "crime_increase_5y",
    "dissatisfied_safety",
)
DEFAULT_COUNT = 3
NEEDED_COLUMNS = (
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
)
POOLED = "ALL"
_RULES = ReleaseRules()
#: Flags whose estimate is not published (the default release rules).
WITHHELD = frozenset({_RULES.unreliable_flag, _RULES.too_few_flag})


class SummaryError(Exception):
    """A results file that cannot be summarised, with a message code and parameters."""

    def __init__(self, code: str, **params: object) -> None:
        super().__init__(code)
        self.code = code
        self.params = params

    def message(self, language: str) -> str:
        """The message in ``language``."""
        return render(self.code, self.params, language)


def read_results(path: Path) -> pd.DataFrame:
    """The results table (CSV, or Parquet by extension), with an empty flag as ``""``.

    Raises :class:`SummaryError` ``bad_results`` when columns of the results table are missing.
    """
    if path.suffix.lower() == ".parquet":
        frame = pd.read_parquet(path)
    else:
        frame = pd.read_csv(path, dtype={"municipality": str, "flag": str}, keep_default_na=False,
                            na_values=[""])  # fmt: skip
    missing = [c for c in NEEDED_COLUMNS if c not in frame.columns]
    if missing:
        raise SummaryError("bad_results", path=path, columns=", ".join(missing))
    return frame.assign(flag=frame["flag"].fillna(""))


def format_number(value: object, digits: int, language: str) -> str:
    """``value`` with ``digits`` decimals, written in ``language`` (CLDR, :mod:`i18n.formats`);
    ``""`` for a missing one.

    >>> format_number(12.345, 1, "fr")
    '12,3'
    """
    if not isinstance(value, int | float) or math.isnan(value):
        return ""
    return format_fixed(value, digits, language)


def indicator_labels(surveys: list[Survey], language: str) -> dict[str, str]:
    """Indicator name -> its label in ``language``, from the questionnaires' definitions."""
    labels: dict[str, str] = {}
    for survey in surveys:
        for indicator in survey.indicators:
            texts = indicator.label
            labels.setdefault(indicator.name, texts.get(language) or next(iter(texts.values())))
    return labels


def _row_cells(row: pd.Series, language: str) -> list[str]:
    flag = str(row["flag"])
    if flag in WITHHELD:
        estimate, interval = flag, ""
    else:
        estimate = format_number(row["estimate"], 1, language)
        low, high = (format_number(row[c], 1, language) for c in ("ci_low", "ci_high"))
        interval = f"{low} – {high}" if low and high else ""
    method = str(row["method"])
    method_code = f"method_{method}"
    if row["municipality"] == POOLED:
        name = pipeline_text("all_municipalities", {}, language)
    else:
        name = str(row["municipality_name"]) or str(row["municipality"])
    return [
        name,
        estimate,
        interval,
        format_number(row["cv"], 1, language),
        flag,
        render(method_code, {}, language) if method_code in _METHOD_CODES else method,
        str(int(row["n"])) if not pd.isna(row["n"]) else "",
    ]


_METHOD_CODES = frozenset(
    f"method_{m}" for m in ("direct", "eblup", "synthetic", "none", "excluded")
)


def indicator_table(frame: pd.DataFrame, indicator: str, label: str, language: str) -> list[str]:
    """The lines of one indicator's table: title, header, the pooled row, then municipalities."""
    rows = frame[(frame["indicator"] == indicator) & (frame["channel"] == "all")]
    rows = rows[rows["method"] != "excluded"]
    pooled = rows[rows["municipality"] == POOLED]
    others = rows[rows["municipality"] != POOLED].sort_values("municipality_name")
    unit = str(rows["unit"].iloc[0]) if not rows.empty else ""
    table = [render("summary_columns", {}, language).split("|")]
    table += [_row_cells(row, language) for _, row in pd.concat([pooled, others]).iterrows()]
    widths = [max(len(line[i]) for line in table) for i in range(len(table[0]))]
    aligned = [
        "  " + "  ".join(
            cell.ljust(width) if i == 0 else cell.rjust(width)
            for i, (cell, width) in enumerate(zip(line, widths, strict=True))
        )
        for line in table
    ]  # fmt: skip
    return [f"{label} ({indicator}, {unit})", *aligned]


def summary_text(path: Path, indicators: list[str], surveys: list[Survey], language: str) -> str:
    """The summary of one results file: a table per indicator, the legends, the file's path.

    Without ``indicators``, the first :data:`DEFAULT_COUNT` of :data:`DEFAULT_INDICATORS` the
    file holds. Raises
    :class:`SummaryError` (``bad_results``, ``no_rows``).
    """
    frame = read_results(path)
    present = set(frame["indicator"])
    if indicators:
        wanted = [i for i in indicators if i in present]
    else:
        wanted = [i for i in DEFAULT_INDICATORS if i in present][:DEFAULT_COUNT]
    if not wanted:
        shown = ", ".join(indicators or DEFAULT_INDICATORS)
        raise SummaryError("no_rows", path=path, indicators=shown)
    labels = indicator_labels(surveys, language)
    lines: list[str] = []
    for indicator in wanted:
        lines += [
            *indicator_table(frame, indicator, labels.get(indicator, indicator), language),
            "",
        ]
    shown_rows = frame[frame["indicator"].isin(wanted) & (frame["channel"] == "all")]
    flags = sorted(set(shown_rows["flag"]) - {""})
    legend = [
        f"{flag} = {FLAG_MEANINGS.render(flag, language) if flag in FLAG_MEANINGS else flag}"
        for flag in flags
    ]
    if legend:
        lines.append(render("flags_legend", {}, language) + " " + "; ".join(legend) + ".")
    lines.append(render("methods_legend", {}, language))
    lines.append(render("full_results", {"rows": len(frame), "path": path}, language))
    return "\n".join(lines)
