"""The checks of one benchmark CSV row, and the header's (see :mod:`storage.benchmark_csv`)."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from typing import Any, Final

from safe_csv import FORMULA_STARTS, is_formula
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

#: The largest count a BIGINT column holds.
MAX_COUNT: Final = 2**63 - 1
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
#: First characters that call for a closer look (formula starts, and a space before one).
_RISKY_FIRST: Final = FORMULA_STARTS | {" "}
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
        if self.line < 1:  # about the whole file (``csv_more_errors``)
            return message
        return render("csv_line", {"line": self.line, "message": message}, language)


@dataclass(frozen=True, slots=True)
class BenchmarkLine:
    """A valid row and the line it came from."""

    line: int
    municipality: Municipality
    row: BenchmarkRow


def check_header(names: list[str]) -> list[CsvError]:
    """The header's problems: a column named twice, missing or unknown (all on line 1)."""
    errors = []
    repeated = sorted({n for n in names if names.count(n) > 1})
    if repeated:
        errors.append(CsvError(1, "csv_duplicate_columns", {"columns": ", ".join(repeated)}))
    missing = [c for c in COLUMNS if c not in names]
    if missing:
        errors.append(CsvError(1, "csv_missing_columns", {"columns": ", ".join(missing)}))
    unknown = [n for n in names if n not in COLUMNS]
    if unknown:
        listed = ", ".join(shown(n) for n in unknown)
        errors.append(CsvError(1, "csv_unknown_columns", {"columns": listed}))
    return errors


class RowChecker:
    """Checks rows one by one, remembering what earlier rows said."""

    def __init__(self) -> None:
        self.errors: list[CsvError] = []
        #: 8-byte digest of each key seen -> its line (a digest, not the key: memory).
        self._keys: dict[int, int] = {}
        self._names: dict[str, tuple[str, int]] = {}
        self._regions: dict[str, tuple[str, int]] = {}

    def take(self) -> list[CsvError]:
        """The errors found since the last call."""
        errors, self.errors = self.errors, []
        return errors

    def check(self, line: int, values: dict[str, str]) -> BenchmarkLine | None:
        before = len(self.errors)
        for column in REQUIRED:
            if not values[column]:
                self.add(line, "csv_empty_value", column=column)
        for column, limit in MAX_LENGTHS.items():
            if len(values[column]) > limit:
                self.add(line, "csv_too_long", column=column, limit=limit)
        if self._unsafe(line, values):
            return None
        code, variable, category = (
            values["municipality_code"],
            values["variable"],
            values["category"],
        )
        if code and not _CODE.match(code):
            self.add(line, "csv_bad_code", value=shown(code))
        if variable and not _VARIABLE.match(variable):
            self.add(line, "csv_bad_variable", value=shown(variable))
        elif variable and category:
            parts = category.split("*")
            expected = variable.count("*") + 1
            if len(parts) != expected or not all(_CHOICE.match(p) for p in parts):
                self.add(
                    line,
                    "csv_bad_category",
                    value=shown(category),
                    variable=variable,
                    expected=expected,
                )
        count = self._integer(line, values["count"])
        year = self._year(line, values["year"])
        if code:
            self._consistent(line, code, values["municipality_name"], self._names, "name")
            self._consistent(line, code, values["region"], self._regions, "region")
        if len(self.errors) > before or count is None or year is None:
            return None
        key = _digest(code, variable, category, values["source"], str(year))
        first = self._keys.setdefault(key, line)
        if first != line:
            self.add(line, "csv_duplicate_key", first=first)
            return None
        municipality = Municipality(code, values["municipality_name"], values["region"] or None)
        row = BenchmarkRow(code, variable, category, count, values["source"], year)
        return BenchmarkLine(line, municipality, row)

    def _unsafe(self, line: int, values: dict[str, str]) -> bool:
        """Report control characters and formula-like cells; whether there were any."""
        if not (
            CONTROL.search(",".join(values.values()))
            or any(v[:1] in _RISKY_FIRST for v in values.values())
        ):
            return False  # the usual case, decided without looking at each cell
        before = len(self.errors)
        for column, value in values.items():
            if CONTROL.search(value):
                self.add(line, "csv_control_character", column=column)
            elif is_formula(value) and column not in ("count", "year"):
                self.add(line, "csv_formula", column=column, value=shown(value))
        return len(self.errors) > before

    def _integer(self, line: int, text: str) -> int | None:
        if not text:
            return None
        if not _INTEGER.match(text):
            self.add(line, "csv_bad_count", value=shown(text))
            return None
        if len(text.lstrip("-").lstrip("0")) > len(str(MAX_COUNT)) or int(text) > MAX_COUNT:
            self.add(line, "csv_count_too_large", value=shown(text), limit=MAX_COUNT)
            return None
        number = int(text)
        if number < 0:
            self.add(line, "csv_negative_count", value=number)
            return None
        return number

    def _year(self, line: int, text: str) -> int | None:
        if not text:
            return None
        if not _YEAR.match(text):
            self.add(line, "csv_bad_year", value=shown(text))
            return None
        return int(text)

    def _consistent(
        self, line: int, code: str, value: str, seen: dict[str, tuple[str, int]], what: str
    ) -> None:
        first_value, first_line = seen.setdefault(code, (value, line))
        if value != first_value:
            self.add(
                line,
                f"csv_inconsistent_{what}",
                code=code,
                value=shown(value),
                first_value=shown(first_value),
                first=first_line,
            )

    def add(self, line: int, code: str, /, **params: Any) -> None:
        self.errors.append(CsvError(line, code, params))


def _digest(*parts: str) -> int:
    """An 8-byte digest of a key: two different keys share one about once in 10^19."""
    data = "\x1f".join(parts).encode("utf-8")
    return int.from_bytes(hashlib.blake2b(data, digest_size=8).digest(), "big")


def shown(value: str, limit: int = 40) -> str:
    """A value as an error message quotes it: control characters escaped, cut short."""
    text = CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", value)
    return text if len(text) <= limit else text[: limit - 1] + "…"
