"""Loading a benchmark CSV file of any size: check it all, then write it all, or nothing.

1. :func:`storage.benchmark_csv.scan_benchmark_csv` checks every row as a
   stream and keeps only what the load needs (municipalities, editions, an
   8-byte digest per key): a file with any error writes nothing.
2. Without ``replace``, rows already stored are looked for batch by batch (only
   when the database holds rows of the file's editions at all).
3. The rows are read a second time and inserted in batches, in the caller's
   transaction: any error raised on the way rolls every batch back.

Memory stays flat in the number of rows (``bench/benchmark_load.py`` measures
it: figures in ``docs/benchmarks.md``).
"""

from __future__ import annotations

from collections.abc import Iterator
from itertools import islice
from pathlib import Path
from typing import Final

from sqlalchemy import delete, exists, insert, select, tuple_
from sqlalchemy.orm import Session

from storage.benchmark_csv import (
    MAX_REPORTED_ERRORS,
    BenchmarkLine,
    CsvError,
    iter_benchmark_rows,
    scan_benchmark_csv,
)
from storage.benchmarks import BenchmarkLoadSummary, benchmark_key, upsert_municipalities
from storage.messages import StorageError
from storage.tables import PopulationBenchmarkModel
from storage.upsert import affected_rows

#: Rows inserted per statement.
BATCH_ROWS: Final = 5000
#: Keys looked up per query when checking for rows already stored.
CLASH_BATCH: Final = 500


class BenchmarkFileRejectedError(StorageError):
    """The file has errors (or rows already stored): ``errors`` says where; nothing was written."""

    def __init__(self, errors: list[CsvError]) -> None:
        super().__init__("csv_rejected", count=len(errors))
        self.errors = errors


def load_benchmark_file(
    session: Session, path: Path, *, replace: bool = False
) -> BenchmarkLoadSummary:
    """Check and load the benchmark file at ``path`` within ``session``'s transaction.

    Raises :class:`BenchmarkFileRejectedError` (and writes nothing) when a row
    is wrong or, without ``replace``, already stored (``csv_already_loaded``
    at its line). With ``replace``, every stored row of each ``(source,
    year)`` the file holds is deleted first.
    """
    scan = scan_benchmark_csv(path)
    if scan.errors:
        raise BenchmarkFileRejectedError(scan.errors)
    editions = sorted(scan.editions)
    replaced = 0
    if replace and editions:
        result = session.execute(
            delete(PopulationBenchmarkModel).where(
                tuple_(PopulationBenchmarkModel.source, PopulationBenchmarkModel.year).in_(editions)
            )
        )
        replaced = affected_rows(result)
    elif editions and _any_stored(session, editions):
        clashes = _clashes(session, path)
        if clashes:
            raise BenchmarkFileRejectedError(clashes)
    count = upsert_municipalities(session, scan.municipalities.values())
    rows = 0
    for batch in _batches(iter_benchmark_rows(path), BATCH_ROWS):
        session.execute(
            insert(PopulationBenchmarkModel),
            [
                {
                    "municipality_code": line.row.municipality_code,
                    "variable": line.row.variable,
                    "category": line.row.category,
                    "count": line.row.count,
                    "source": line.row.source,
                    "year": line.row.year,
                }
                for line in batch
            ],
        )
        rows += len(batch)
    return BenchmarkLoadSummary(municipalities=count, rows=rows, replaced=replaced)


def _any_stored(session: Session, editions: list[tuple[str, int]]) -> bool:
    model = PopulationBenchmarkModel
    statement = select(exists().where(tuple_(model.source, model.year).in_(editions)))
    return bool(session.scalar(statement))


def _clashes(session: Session, path: Path) -> list[CsvError]:
    """``csv_already_loaded`` at each line whose key is stored (up to the error limit)."""
    model = PopulationBenchmarkModel
    columns = (model.municipality_code, model.variable, model.category, model.source, model.year)
    errors: list[CsvError] = []
    for batch in _batches(iter_benchmark_rows(path), CLASH_BATCH):
        keys: dict[tuple[object, ...], int] = {benchmark_key(line.row): line.line for line in batch}
        stored = session.execute(select(*columns).where(tuple_(*columns).in_(list(keys))))
        errors += [CsvError(keys[tuple(key)], "csv_already_loaded") for key in stored]
        if len(errors) >= MAX_REPORTED_ERRORS:
            break
    return sorted(errors, key=lambda error: error.line)[:MAX_REPORTED_ERRORS]


def _batches(lines: Iterator[BenchmarkLine], size: int) -> Iterator[list[BenchmarkLine]]:
    while batch := list(islice(lines, size)):
        yield batch
