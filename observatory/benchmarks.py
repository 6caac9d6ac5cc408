"""Census benchmarks for weighting: check a whole file, then load it or load nothing.

The file format is documented in ``docs/storage.md``. Every row is checked
first; if any is wrong, the error lists each problem with its line number and
nothing is stored. Counts already stored for the same source and year are
refused unless ``replace`` is asked for (a corrected census table replaces the
old one entirely). The demonstration margins (``demo.DEMO_BENCHMARKS_CSV``)
load the same way.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.orm import Session, sessionmaker

from observatory.errors import ObservatoryError
from storage.benchmark_csv import BenchmarkFile, CsvError, read_benchmark_csv
from storage.benchmarks import BenchmarksAlreadyLoadedError, benchmark_key, load_benchmarks


@dataclass(frozen=True, slots=True)
class BenchmarkLoad:
    """What a load stored."""

    #: The file read.
    path: Path
    rows: int
    municipalities: int
    #: Stored counts deleted first (``replace``).
    replaced: int


def load_benchmark_file(
    sessions: sessionmaker[Session], path: Path, *, replace: bool = False
) -> BenchmarkLoad:
    """Check every row of ``path`` and store them all, or none.

    Raises ``benchmarks_rejected`` (``path``, ``count``) whose ``problems`` are
    the line errors: rows that do not parse, or, without ``replace``, rows
    already stored.
    """
    parsed = read_benchmark_csv(path)
    if parsed.errors:
        raise _rejected(path, parsed.errors)
    try:
        with sessions.begin() as session:
            summary = load_benchmarks(session, parsed.municipalities, parsed.rows, replace=replace)
    except BenchmarksAlreadyLoadedError as error:
        raise _rejected(path, _clash_errors(parsed, error)) from error
    return BenchmarkLoad(
        path=path,
        rows=summary.rows,
        municipalities=summary.municipalities,
        replaced=summary.replaced,
    )


def _clash_errors(parsed: BenchmarkFile, error: BenchmarksAlreadyLoadedError) -> list[CsvError]:
    clashing = set(error.keys)
    return [
        CsvError(line.line, "csv_already_loaded")
        for line in parsed.lines
        if benchmark_key(line.row) in clashing
    ]


def _rejected(path: Path, errors: list[CsvError]) -> ObservatoryError:
    return ObservatoryError(
        "benchmarks_rejected", {"path": path, "count": len(errors)}, problems=errors
    )
