"""Municipalities and population benchmarks (the census margins of weighting).

A benchmark row is one cell of one margin in one municipality, identified by
``(municipality, variable, category, source, year)``. Loading is all or
nothing within the caller's transaction: :func:`load_benchmarks` refuses rows
already stored unless asked to replace their source and year.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import delete, insert, select, tuple_
from sqlalchemy.orm import Session

from storage.messages import StorageError
from storage.records import BenchmarkRow, Municipality
from storage.tables import MunicipalityModel, PopulationBenchmarkModel
from storage.upsert import affected_rows, insert_for

#: What identifies a benchmark row: (municipality, variable, category, source, year).
BenchmarkKey = tuple[str, str, str, str, int]


def benchmark_key(row: BenchmarkRow) -> BenchmarkKey:
    """The unique key of a benchmark row."""
    return (row.municipality_code, row.variable, row.category, row.source, row.year)


class BenchmarksAlreadyLoadedError(StorageError):
    """Some rows are already stored; ``keys`` lists them."""

    def __init__(self, keys: Sequence[BenchmarkKey]) -> None:
        super().__init__("csv_already_loaded")
        self.keys = list(keys)


@dataclass(frozen=True, slots=True)
class BenchmarkLoadSummary:
    """What :func:`load_benchmarks` did."""

    municipalities: int
    rows: int
    replaced: int


def upsert_municipalities(session: Session, municipalities: Iterable[Municipality]) -> int:
    """Insert municipalities, or update the name and region of known codes."""
    values = [{"code": m.code, "name": m.name, "region": m.region} for m in municipalities]
    if not values:
        return 0
    statement = insert_for(session, MunicipalityModel)
    statement = statement.on_conflict_do_update(
        index_elements=[MunicipalityModel.code],
        set_={"name": statement.excluded.name, "region": statement.excluded.region},
    )
    session.execute(statement, values)
    return len(values)


def get_municipality(session: Session, code: str) -> Municipality | None:
    """The municipality with this official code, or ``None``."""
    row = session.get(MunicipalityModel, code, populate_existing=True)
    return None if row is None else Municipality(row.code, row.name, row.region)


def list_municipalities(session: Session) -> list[Municipality]:
    """Every known municipality, by code."""
    rows = session.execute(
        select(MunicipalityModel.code, MunicipalityModel.name, MunicipalityModel.region).order_by(
            MunicipalityModel.code
        )
    )
    return [Municipality(code, name, region) for code, name, region in rows]


def load_benchmarks(
    session: Session,
    municipalities: Iterable[Municipality],
    rows: Sequence[BenchmarkRow],
    *,
    replace: bool = False,
) -> BenchmarkLoadSummary:
    """Store municipalities and benchmark rows.

    Without ``replace``, raises :class:`BenchmarksAlreadyLoadedError` (and writes
    nothing) if any row's key is already stored. With ``replace``, every stored
    row of each ``(source, year)`` present in ``rows`` is deleted first, so a
    corrected census table replaces the old one entirely. Every municipality a
    row names must be among ``municipalities`` or already stored.
    """
    editions = sorted({(row.source, row.year) for row in rows})
    replaced = 0
    if replace and editions:
        result = session.execute(
            delete(PopulationBenchmarkModel).where(
                tuple_(PopulationBenchmarkModel.source, PopulationBenchmarkModel.year).in_(editions)
            )
        )
        replaced = affected_rows(result)
    elif editions:
        stored = _stored_keys(session, editions)
        clashes = [benchmark_key(row) for row in rows if benchmark_key(row) in stored]
        if clashes:
            raise BenchmarksAlreadyLoadedError(clashes)
    count = upsert_municipalities(session, municipalities)
    if rows:
        session.execute(
            insert(PopulationBenchmarkModel),
            [
                {
                    "municipality_code": row.municipality_code,
                    "variable": row.variable,
                    "category": row.category,
                    "count": row.count,
                    "source": row.source,
                    "year": row.year,
                }
                for row in rows
            ],
        )
    return BenchmarkLoadSummary(municipalities=count, rows=len(rows), replaced=replaced)


def get_benchmarks(
    session: Session,
    variables: Iterable[str],
    source: str | None = None,
    year: int | None = None,
    municipality_codes: Iterable[str] | None = None,
) -> list[BenchmarkRow]:
    """Benchmark rows of the given variables (``age_group*gender``), optionally filtered.

    Ordered by municipality, variable and category.
    """
    model = PopulationBenchmarkModel
    statement = select(
        model.municipality_code,
        model.variable,
        model.category,
        model.count,
        model.source,
        model.year,
    ).where(model.variable.in_(sorted(set(variables))))
    if source is not None:
        statement = statement.where(model.source == source)
    if year is not None:
        statement = statement.where(model.year == year)
    if municipality_codes is not None:
        statement = statement.where(model.municipality_code.in_(sorted(set(municipality_codes))))
    statement = statement.order_by(
        model.municipality_code, model.variable, model.category, model.source, model.year
    )
    return [BenchmarkRow(*values) for values in session.execute(statement)]


def _stored_keys(session: Session, editions: list[tuple[str, int]]) -> set[BenchmarkKey]:
    model = PopulationBenchmarkModel
    rows = session.execute(
        select(
            model.municipality_code, model.variable, model.category, model.source, model.year
        ).where(tuple_(model.source, model.year).in_(editions))
    )
    return {
        (code, variable, category, source, year) for code, variable, category, source, year in rows
    }
