"""Export files: CSV with its codebook, Parquet, SPSS ``.sav`` and Stata ``.dta``, in one zip.

Every format holds the same values (the codebook's codes). What differs is how labels and
missing values travel:

- CSV: ``codebook.csv`` (one row per variable, then one per value, in French and English);
- Parquet: the same codebook, as JSON under the ``vigie.codebook`` key of each file's
  metadata (``pyarrow.parquet.read_schema(path).metadata``);
- SPSS: variable and value labels in the export's language, the missing block declared
  user-missing (a range of four codes);
- Stata: variable and value labels, the missing codes as extended missing values
  (``.s``, ``.d``, ``.r``, ``.n``) labelled too.

SPSS keeps 255 bytes of a variable label and 120 of a value label, Stata 80 characters of a
variable label: longer labels are shortened there, never in the codebook.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from observatory.exports.codebook import STATA_LETTERS, Variable
from safe_csv import write_frame, write_rows

if TYPE_CHECKING:
    import pandas as pd

FORMATS = ("csv", "parquet", "sav", "dta")
EXTENSIONS = {"csv": ".csv", "parquet": ".parquet", "sav": ".sav", "dta": ".dta"}
CODEBOOK_COLUMNS = (
    "file",
    "variable",
    "question",
    "type",
    "label_fr",
    "label_en",
    "value",
    "value_label_fr",
    "value_label_en",
    "missing",
)


def _shorten(text: str, limit: int, *, in_bytes: bool = False) -> str:
    size = len(text.encode()) if in_bytes else len(text)
    if size <= limit:
        return text
    while (len((text + "…").encode()) if in_bytes else len(text) + 1) > limit:
        text = text[:-1]
    return text + "…"


def _code(value: float) -> int | float:
    return int(value) if float(value).is_integer() else value


def codebook_rows(variables: list[Variable]) -> list[list[object]]:
    """The rows of ``codebook.csv`` (columns :data:`CODEBOOK_COLUMNS`)."""
    rows: list[list[object]] = []
    for v in variables:
        rows.append(
            [v.file, v.name, v.question, v.kind, v.label["fr"], v.label["en"], "", "", "", ""]
        )
        for value, label in v.values.items():
            rows.append(
                [v.file, v.name, "", "", "", "", _code(value), label["fr"], label["en"], ""]
            )
        for reason, code in v.missing.items():
            label = v.missing_labels()[code]
            letter = f"{reason} (Stata .{STATA_LETTERS[reason]})"
            rows.append(
                [v.file, v.name, "", "", "", "", _code(code), label["fr"], label["en"], letter]
            )
    return rows


def write_codebook(variables: list[Variable], withheld: list[Variable], path: Path) -> None:
    """``codebook.csv``: every variable, then the free-text questions left out (type
    ``withheld``)."""
    rows = codebook_rows(variables)
    for v in withheld:
        rows.append(
            [v.file, "", v.question, "withheld", v.label["fr"], v.label["en"], "", "", "", ""]
        )
    with path.open("w", newline="", encoding="utf-8") as out:
        write_rows(out, list(CODEBOOK_COLUMNS), rows)


def codebook_json(variables: list[Variable]) -> str:
    """The codebook of one file as JSON (Parquet metadata)."""
    document: dict[str, Any] = {}
    for v in variables:
        document[v.name] = {
            "label": v.label,
            "values": {str(_code(k)): label for k, label in v.values.items()},
            "missing": {str(_code(code)): reason for reason, code in v.missing.items()},
        }
    return json.dumps(document, ensure_ascii=False)


def write_file(
    frame: pd.DataFrame, variables: list[Variable], fmt: str, path: Path, language: str
) -> None:
    """Write one export file in ``fmt`` (one of :data:`FORMATS`)."""
    if fmt == "csv":
        write_frame(frame, path)
    elif fmt == "parquet":
        _write_parquet(frame, variables, path)
    elif fmt == "sav":
        _write_sav(frame, variables, path, language)
    elif fmt == "dta":
        _write_dta(frame, variables, path, language)
    else:
        raise ValueError(fmt)


def _write_parquet(frame: pd.DataFrame, variables: list[Variable], path: Path) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pa.Table.from_pandas(frame, preserve_index=False)
    metadata = dict(table.schema.metadata or {})
    metadata[b"vigie.codebook"] = codebook_json(variables).encode()
    pq.write_table(table.replace_schema_metadata(metadata), path)


def _write_sav(frame: pd.DataFrame, variables: list[Variable], path: Path, language: str) -> None:
    import pyreadstat

    labels: dict[str, str | None] = {
        v.name: _shorten(v.label[language], 255, in_bytes=True) for v in variables
    }
    value_labels: dict[str, dict[int | float, str]] = {}
    missing: dict[str, list[Any]] = {}
    for v in variables:
        every = {**v.values, **v.missing_labels()}
        if every:
            value_labels[v.name] = {
                _code(k): _shorten(label[language], 120, in_bytes=True)
                for k, label in every.items()
            }
        if v.missing:
            codes = sorted(v.missing.values())
            missing[v.name] = [{"lo": codes[0], "hi": codes[-1]}]
    pyreadstat.write_sav(
        frame,
        str(path),
        column_labels=labels,
        variable_value_labels=value_labels,
        missing_ranges=missing,
    )


def _write_dta(frame: pd.DataFrame, variables: list[Variable], path: Path, language: str) -> None:
    import pyreadstat

    frame = frame.copy()
    labels: dict[str, str | None] = {v.name: _shorten(v.label[language], 80) for v in variables}
    value_labels: dict[str, dict[Any, str]] = {}
    missing: dict[str, list[str]] = {}
    for v in variables:
        if v.missing:
            letters = {code: STATA_LETTERS[reason] for reason, code in v.missing.items()}
            column = frame[v.name].astype(object)
            frame[v.name] = column.map(lambda x, table=letters: table.get(x, x))
            missing[v.name] = sorted(letters.values())
        every: dict[Any, str] = {_code(k): label[language] for k, label in v.values.items()}
        for reason, code in v.missing.items():
            every[STATA_LETTERS[reason]] = v.missing_labels()[code][language]
        if every:
            value_labels[v.name] = every
    pyreadstat.write_dta(
        frame,
        str(path),
        column_labels=labels,
        variable_value_labels=value_labels,
        missing_user_values=missing,
    )
