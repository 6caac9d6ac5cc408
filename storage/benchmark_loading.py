"""Loading a benchmark CSV file of any size: all of it, or nothing.

The file is read once, as a stream: each row is checked
(:func:`storage.benchmark_csv.check_lines`) and the sound ones are written in
batches, within the caller's transaction. The first error stops the writing
(the rest of the file is still checked, so that every error is reported) and
the load ends with :class:`BenchmarkFileRejectedError`: the caller's
transaction rolls back every batch already written, so a file with any error
leaves the tables exactly as they were.

Before a batch is written: with ``replace``, the stored rows of each
``(source, year)`` seen for the first time are deleted; without, its rows
already stored are looked for (only when the database holds rows of that
edition at all), each one an error at its line.

Memory stays flat in the number of rows (``bench/benchmark_load.py`` measures
it: figures in ``docs/benchmarks.md``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Final

from sqlalchemy import delete, exists, insert, select, tuple_
from sqlalchemy.orm import Session

from storage.benchmark_csv import (
    MAX_REPORTED_ERRORS,
    BenchmarkLine,
    CsvError,
    check_lines,
    check_utf8,
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

    Raises :class:`BenchmarkFileRejectedError` when a row is wrong or, without
    ``replace``, already stored (``csv_already_loaded`` at its line); the
    caller's transaction must then be rolled back (``with
    sessions.begin():`` does it). With ``replace``, every stored row of each
    ``(source, year)`` the file holds is deleted first.
    """
    error = check_utf8(path)
    if error is not None:
        raise BenchmarkFileRejectedError([error])
    writer = _BatchWriter(session, replace=replace)
    errors: list[CsvError] = []
    with path.open(encoding="utf-8-sig", newline="") as handle:
        for item in check_lines(handle):
            if isinstance(item, CsvError):
                errors.append(item)
            elif not errors:
                writer.add(item)
    if not errors:
        writer.flush()
    errors = sorted(errors + writer.clashes, key=lambda e: (e.line < 1, e.line))
    if errors:
        raise BenchmarkFileRejectedError(errors[: MAX_REPORTED_ERRORS + 1])
    return BenchmarkLoadSummary(
        municipalities=len(writer.municipalities), rows=writer.rows, replaced=writer.replaced
    )


class _BatchWriter:
    """Writes checked lines in batches; finds rows already stored on the way."""

    def __init__(self, session: Session, *, replace: bool) -> None:
        self.session = session
        self.replace = replace
        self.batch: list[BenchmarkLine] = []
        self.municipalities: set[str] = set()
        self.editions: set[tuple[str, int]] = set()
        self.look_for_clashes = False
        self.clashes: list[CsvError] = []
        self.rows = 0
        self.replaced = 0

    def add(self, line: BenchmarkLine) -> None:
        self.batch.append(line)
        if len(self.batch) >= BATCH_ROWS:
            self.flush()

    def flush(self) -> None:
        batch, self.batch = self.batch, []
        if not batch:
            return
        self._new_editions({(line.row.source, line.row.year) for line in batch})
        if self.look_for_clashes and len(self.clashes) < MAX_REPORTED_ERRORS:
            self.clashes += _clashes(self.session, batch)
        if self.clashes:
            return  # the load will be refused: write nothing more
        new = {line.municipality.code: line.municipality for line in batch}
        upsert_municipalities(
            self.session, [m for code, m in new.items() if code not in self.municipalities]
        )
        self.municipalities |= new.keys()
        self.session.execute(insert(PopulationBenchmarkModel), [_values(line) for line in batch])
        self.rows += len(batch)

    def _new_editions(self, editions: set[tuple[str, int]]) -> None:
        new = sorted(editions - self.editions)
        if not new:
            return
        self.editions |= set(new)
        model = PopulationBenchmarkModel
        in_new = tuple_(model.source, model.year).in_(new)
        if self.replace:
            self.replaced += affected_rows(self.session.execute(delete(model).where(in_new)))
        elif self.session.scalar(select(exists().where(in_new))):
            self.look_for_clashes = True


def _values(line: BenchmarkLine) -> dict[str, object]:
    row = line.row
    return {
        "municipality_code": row.municipality_code,
        "variable": row.variable,
        "category": row.category,
        "count": row.count,
        "source": row.source,
        "year": row.year,
    }


def _clashes(session: Session, batch: list[BenchmarkLine]) -> list[CsvError]:
    """``csv_already_loaded`` at each line of ``batch`` whose key is stored."""
    model = PopulationBenchmarkModel
    columns = (model.municipality_code, model.variable, model.category, model.source, model.year)
    errors: list[CsvError] = []
    for start in range(0, len(batch), CLASH_BATCH):
        part = batch[start : start + CLASH_BATCH]
        keys: dict[tuple[object, ...], int] = {benchmark_key(line.row): line.line for line in part}
        stored = session.execute(select(*columns).where(tuple_(*columns).in_(list(keys))))
        errors += [CsvError(keys[tuple(key)], "csv_already_loaded") for key in stored]
    return errors
