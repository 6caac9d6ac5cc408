"""Reading and checking a benchmark CSV (census counts for weighting).

The format (documented in ``docs/storage.md``) is one count per row::

    municipality_code,municipality_name,region,variable,category,count,source,year
    2466023,Montréal,Montréal,age_group*gender,a25_44*woman,226712,census-2021,2021

Every row is checked and every problem reported with its line number (the
header is line 1), so an analyst fixes the whole file in one pass; a file with
any error is loaded not at all. Besides the format, the checks refuse what
would harm later: a count beyond what the database holds, a cell too long for
its column (or for the CSV reader), a control character such as NUL (which
PostgreSQL refuses), a cell a spreadsheet would run as a formula
(:func:`safe_csv.is_formula`) and a column named twice.

The file is read as a stream (:func:`check_lines`, :func:`scan_benchmark_csv`;
:mod:`storage.benchmark_loading` writes it): memory does not grow with the
number of rows, except for one 8-byte digest per row to find repeated keys.
"""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

from storage.benchmark_rows import (
    COLUMNS,
    MAX_COUNT,
    MAX_LENGTHS,
    REQUIRED,
    BenchmarkLine,
    CsvError,
    RowChecker,
    check_header,
)
from storage.records import BenchmarkRow, Municipality

__all__ = [
    "COLUMNS",
    "MAX_COUNT",
    "MAX_LENGTHS",
    "MAX_REPORTED_ERRORS",
    "REQUIRED",
    "BenchmarkFile",
    "BenchmarkLine",
    "BenchmarkScan",
    "CsvError",
    "check_lines",
    "check_utf8",
    "parse_benchmark_csv",
    "read_benchmark_csv",
    "scan_benchmark_csv",
]

#: Errors reported at most; beyond, one more error says how many were left out.
MAX_REPORTED_ERRORS: Final = 1000
#: Bytes decoded at a time when checking that a file is UTF-8.
_CHUNK: Final = 1 << 20


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


@dataclass(slots=True)
class BenchmarkScan:
    """What a streaming check of a benchmark file found (no rows are kept)."""

    errors: list[CsvError] = field(default_factory=list)
    #: Each municipality once, in order of first appearance.
    municipalities: dict[str, Municipality] = field(default_factory=dict)
    #: The ``(source, year)`` editions the file holds.
    editions: set[tuple[str, int]] = field(default_factory=set)
    #: Valid data rows.
    rows: int = 0


def read_benchmark_csv(path: Path) -> BenchmarkFile:
    """Read and check a benchmark file (UTF-8, with or without a byte-order mark).

    A file that is not UTF-8 text is one error at the line of its first bad
    byte. Keeps every row in memory: large files go through
    :func:`scan_benchmark_csv` or :mod:`storage.benchmark_loading`.
    """
    error = check_utf8(path)
    if error is not None:
        return BenchmarkFile([], [error])
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return _collect(handle)


def parse_benchmark_csv(text: str) -> BenchmarkFile:
    """Check every row of a benchmark CSV; report all errors by line number."""
    return _collect(io.StringIO(text, newline=""))


def scan_benchmark_csv(path: Path) -> BenchmarkScan:
    """Check a benchmark file as a stream; report all errors by line (up to a limit)."""
    scan = BenchmarkScan()
    error = check_utf8(path)
    if error is not None:
        scan.errors.append(error)
        return scan
    with path.open(encoding="utf-8-sig", newline="") as handle:
        for item in check_lines(handle):
            if isinstance(item, CsvError):
                scan.errors.append(item)
            elif not scan.errors:
                scan.rows += 1
                scan.municipalities.setdefault(item.municipality.code, item.municipality)
                scan.editions.add((item.row.source, item.row.year))
    return scan


def check_utf8(path: Path) -> CsvError | None:
    """``csv_not_utf8`` at the line of the first byte that is not UTF-8, else ``None``."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    offset = lines = 0
    with path.open("rb") as handle:
        while True:
            chunk = handle.read(_CHUNK)
            try:
                decoder.decode(chunk, final=not chunk)
            except UnicodeDecodeError as error:
                bad = max(0, error.start - len(error.object) + len(chunk))
                line = lines + chunk[:bad].count(b"\n") + 1
                return CsvError(line, "csv_not_utf8", {"byte": offset + bad + 1})
            if not chunk:
                return None
            offset += len(chunk)
            lines += chunk.count(b"\n")


def _collect(handle: Iterable[str]) -> BenchmarkFile:
    lines: list[BenchmarkLine] = []
    errors: list[CsvError] = []
    for item in check_lines(handle):
        if isinstance(item, CsvError):
            errors.append(item)
        elif not errors:
            lines.append(item)
    return BenchmarkFile([] if errors else lines, errors)


def check_lines(handle: Iterable[str]) -> Iterator[BenchmarkLine | CsvError]:
    """Each valid line, or each error, in the order of the file (errors capped)."""
    reader = csv.reader(handle)
    try:
        header = next(reader, None)
    except csv.Error:
        header = None
    if header is None or not any(h.strip() for h in header):
        yield CsvError(1, "csv_empty")
        return
    names = [h.strip().lstrip("\ufeff") for h in header]
    header_errors = check_header(names)
    if header_errors:
        yield from header_errors
        return
    checker = RowChecker()
    reported = 0
    for line, fields, problem in _rows(reader):
        if problem is not None:
            checker.errors.append(problem)
        elif len(fields) != len(names):
            checker.add(line, "csv_row_length", found=len(fields), expected=len(names))
        else:
            values = dict(zip(names, (f.strip() for f in fields), strict=True))
            checked = checker.check(line, values)
            if checked is not None:
                yield checked
        for error in checker.take():
            reported += 1
            if reported <= MAX_REPORTED_ERRORS:
                yield error
    if reported > MAX_REPORTED_ERRORS:
        yield CsvError(0, "csv_more_errors", {"count": reported - MAX_REPORTED_ERRORS})


def _rows(reader: Any) -> Iterator[tuple[int, list[str], CsvError | None]]:
    """``(line, fields, None)`` per non-blank row; ``(line, [], error)`` for an unreadable one."""
    while True:
        try:
            fields = next(reader)
        except StopIteration:
            return
        except csv.Error:  # a cell over the reader's limit: far beyond any column
            limit = csv.field_size_limit()
            yield (
                reader.line_num,
                [],
                CsvError(reader.line_num, "csv_cell_too_large", {"limit": limit}),
            )
            continue
        if any(f.strip() for f in fields):
            yield reader.line_num, fields, None
