"""Reading and checking a benchmark CSV (census counts for weighting).

The format (documented in ``docs/storage.md``) is one count per row::

    municipality_code,municipality_name,region,variable,category,count,source,year
    2466023,Montréal,Montréal,age_group*gender,a25_44*woman,226712,census-2021,2021

Every row is checked and every problem reported with its line number (the
header is line 1), so an analyst fixes the whole file in one pass; a file with
any error is loaded not at all.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from storage.messages import render
from storage.records import BenchmarkRow, Municipality

COLUMNS = (
    "municipality_code",
    "municipality_name",
    "region",
    "variable",
    "category",
    "count",
    "source",
    "year",
)
#: Columns that may not be empty (``region`` may).
REQUIRED = tuple(c for c in COLUMNS if c != "region")
#: Longest value each text column holds in the database.
MAX_LENGTHS = {
    "municipality_code": 16,
    "municipality_name": 200,
    "region": 200,
    "variable": 200,
    "category": 200,
    "source": 100,
}

_CODE = re.compile(r"^[A-Za-z0-9_-]+$")
_NAME = r"[a-z][a-z0-9_]*"
_VARIABLE = re.compile(rf"^{_NAME}(?:\*{_NAME})*$")
_CHOICE = re.compile(r"^[a-z0-9][a-z0-9_]*$")
_INTEGER = re.compile(r"^-?[0-9]+$")
_YEAR = re.compile(r"^[0-9]{4}$")


@dataclass(frozen=True, slots=True)
class CsvError:
    """One problem in a benchmark file, at a line (1 is the header)."""

    line: int
    code: str
    params: dict[str, Any] = field(default_factory=dict)

    def render(self, language: str) -> str:
        """``line 4: Count 'abc': a whole number is expected.`` in one language."""
        message = render(self.code, self.params, language)
        return render("csv_line", {"line": self.line, "message": message}, language)


@dataclass(frozen=True, slots=True)
class BenchmarkLine:
    """A valid row and the line it came from."""

    line: int
    municipality: Municipality
    row: BenchmarkRow


@dataclass(frozen=True, slots=True)
class BenchmarkFile:
    """What a benchmark file holds: valid lines, or the errors that stop it."""

    lines: list[BenchmarkLine]
    errors: list[CsvError]

    @property
    def municipalities(self) -> list[Municipality]:
        """Each municipality once, in order of first appearance."""
        seen: dict[str, Municipality] = {}
        for line in self.lines:
            seen.setdefault(line.municipality.code, line.municipality)
        return list(seen.values())

    @property
    def rows(self) -> list[BenchmarkRow]:
        return [line.row for line in self.lines]


def read_benchmark_csv(path: Path) -> BenchmarkFile:
    """Read and check a benchmark file (UTF-8, with or without a byte-order mark).

    A file that is not UTF-8 text is one error at the line of its first bad byte.
    """
    data = path.read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        return BenchmarkFile([], [CsvError(line, "csv_not_utf8", {"byte": error.start + 1})])
    return parse_benchmark_csv(text)


def parse_benchmark_csv(text: str) -> BenchmarkFile:
    """Check every row of a benchmark CSV; report all errors by line number."""
    reader = csv.reader(io.StringIO(text, newline=""))
    header = next(reader, None)
    if header is None or not any(h.strip() for h in header):
        return BenchmarkFile([], [CsvError(1, "csv_empty")])
    names = [h.strip().lstrip("\ufeff") for h in header]
    header_errors = _check_header(names)
    if header_errors:
        return BenchmarkFile([], header_errors)
    checker = _RowChecker()
    lines: list[BenchmarkLine] = []
    for fields in reader:
        line = reader.line_num
        if not any(f.strip() for f in fields):
            continue
        if len(fields) != len(names):
            checker.errors.append(
                CsvError(line, "csv_row_length", {"found": len(fields), "expected": len(names)})
            )
            continue
        checked = checker.check(line, dict(zip(names, (f.strip() for f in fields), strict=True)))
        if checked is not None:
            lines.append(checked)
    errors = sorted(checker.errors, key=lambda e: e.line)
    return BenchmarkFile([] if errors else lines, errors)


def _check_header(names: list[str]) -> list[CsvError]:
    errors = []
    missing = [c for c in COLUMNS if c not in names]
    if missing:
        errors.append(CsvError(1, "csv_missing_columns", {"columns": ", ".join(missing)}))
    unknown = [n for n in names if n not in COLUMNS]
    if unknown:
        errors.append(CsvError(1, "csv_unknown_columns", {"columns": ", ".join(unknown)}))
    return errors


class _RowChecker:
    """Checks rows one by one, remembering what earlier rows said."""

    def __init__(self) -> None:
        self.errors: list[CsvError] = []
        self._keys: dict[tuple[str, str, str, str, int], int] = {}
        self._names: dict[str, tuple[str, int]] = {}
        self._regions: dict[str, tuple[str, int]] = {}

    def check(self, line: int, values: dict[str, str]) -> BenchmarkLine | None:
        before = len(self.errors)
        for column in REQUIRED:
            if not values[column]:
                self._add(line, "csv_empty_value", column=column)
        for column, limit in MAX_LENGTHS.items():
            if len(values[column]) > limit:
                self._add(line, "csv_too_long", column=column, limit=limit)
        code, variable, category = (
            values["municipality_code"],
            values["variable"],
            values["category"],
        )
        if code and not _CODE.match(code):
            self._add(line, "csv_bad_code", value=code)
        if variable and not _VARIABLE.match(variable):
            self._add(line, "csv_bad_variable", value=variable)
        elif variable and category:
            parts = category.split("*")
            expected = variable.count("*") + 1
            if len(parts) != expected or not all(_CHOICE.match(p) for p in parts):
                self._add(
                    line, "csv_bad_category", value=category, variable=variable, expected=expected
                )
        count = self._integer(line, values["count"])
        year = self._year(line, values["year"])
        if code:
            self._consistent(line, code, values["municipality_name"], self._names, "name")
            self._consistent(line, code, values["region"], self._regions, "region")
        if len(self.errors) > before or count is None or year is None:
            return None
        key = (code, variable, category, values["source"], year)
        if key in self._keys:
            self._add(line, "csv_duplicate_key", first=self._keys[key])
            return None
        self._keys[key] = line
        municipality = Municipality(code, values["municipality_name"], values["region"] or None)
        row = BenchmarkRow(code, variable, category, count, values["source"], year)
        return BenchmarkLine(line, municipality, row)

    def _integer(self, line: int, text: str) -> int | None:
        if not text:
            return None
        if not _INTEGER.match(text):
            self._add(line, "csv_bad_count", value=text)
            return None
        number = int(text)
        if number < 0:
            self._add(line, "csv_negative_count", value=number)
            return None
        return number

    def _year(self, line: int, text: str) -> int | None:
        if not text:
            return None
        if not _YEAR.match(text):
            self._add(line, "csv_bad_year", value=text)
            return None
        return int(text)

    def _consistent(
        self, line: int, code: str, value: str, seen: dict[str, tuple[str, int]], what: str
    ) -> None:
        first_value, first_line = seen.setdefault(code, (value, line))
        if value != first_value:
            self._add(
                line,
                f"csv_inconsistent_{what}",
                code=code,
                value=value,
                first_value=first_value,
                first=first_line,
            )

    def _add(self, line: int, code: str, /, **params: Any) -> None:
        self.errors.append(CsvError(line, code, params))
