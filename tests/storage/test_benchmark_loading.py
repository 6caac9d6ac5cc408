"""Municipalities and benchmarks in the database: load, refuse clashes, replace, query."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from storage.benchmark_csv import read_benchmark_csv
from storage.benchmarks import (
    BenchmarksAlreadyLoadedError,
    get_benchmarks,
    get_municipality,
    list_municipalities,
    load_benchmarks,
    upsert_municipalities,
)
from storage.records import BenchmarkRow, Municipality
from storage.tables import PopulationBenchmarkModel


@pytest.fixture
def demo_file(data_dir: Path) -> Path:
    return data_dir / "benchmarks" / "demo_benchmarks.csv"


def _count(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(PopulationBenchmarkModel)) or 0


def test_a_file_loads_and_reads_back_by_variable(
    session_factory: sessionmaker[Session], demo_file: Path
) -> None:
    parsed = read_benchmark_csv(demo_file)
    with session_factory.begin() as session:
        summary = load_benchmarks(session, parsed.municipalities, parsed.rows)
    with session_factory() as session:
        genders = get_benchmarks(session, ["age_group*gender"])
        households = get_benchmarks(session, ["household_size"], source="test-invented", year=2021)
        both = get_benchmarks(session, ["household_size", "language_spoken"])
        none = get_benchmarks(session, ["household_size"], year=2016)
        one_place = get_benchmarks(
            session, ["gender", "household_size"], municipality_codes=["2443027"]
        )
        places = list_municipalities(session)
    assert (summary.rows, summary.municipalities, summary.replaced) == (30, 2, 0)
    assert len(genders) == 16 and {r.variable for r in genders} == {"age_group*gender"}
    assert households == [
        BenchmarkRow("2499901", "household_size", "p1", 60, "test-invented", 2021),
        BenchmarkRow("2499901", "household_size", "p2", 145, "test-invented", 2021),
        BenchmarkRow("2499901", "household_size", "p3_plus", 148, "test-invented", 2021),
    ]
    assert len(both) == 14 and none == []
    assert {r.municipality_code for r in one_place} == {"2443027"} and len(one_place) == 3
    assert [m.code for m in places] == ["2443027", "2499901"]


def test_loading_the_same_rows_twice_is_refused_and_writes_nothing(
    session_factory: sessionmaker[Session], demo_file: Path
) -> None:
    parsed = read_benchmark_csv(demo_file)
    with session_factory.begin() as session:
        load_benchmarks(session, parsed.municipalities, parsed.rows)
    extra = BenchmarkRow("2443027", "gender", "woman", 1, "test-census", 2021)
    with session_factory() as session:
        with pytest.raises(BenchmarksAlreadyLoadedError) as raised:
            load_benchmarks(session, [], [extra, *parsed.rows[:2]])
        assert _count(session) == 30
    assert raised.value.keys == [
        ("2443027", "age_group*gender", "a15_24*woman", "test-census", 2021),
        ("2443027", "age_group*gender", "a15_24*man", "test-census", 2021),
    ]
    assert "--replace" in raised.value.render("fr")


def test_replace_swaps_every_row_of_the_sources_and_years_in_the_file(
    session_factory: sessionmaker[Session], demo_file: Path
) -> None:
    parsed = read_benchmark_csv(demo_file)
    other_year = BenchmarkRow("2443027", "household_size", "p1", 5, "test-census", 2016)
    with session_factory.begin() as session:
        load_benchmarks(session, parsed.municipalities, [*parsed.rows, other_year])
    corrected = [BenchmarkRow("2443027", "household_size", "p1", 29500, "test-census", 2021)]
    with session_factory.begin() as session:
        summary = load_benchmarks(session, [], corrected, replace=True)
    with session_factory() as session:
        census = get_benchmarks(
            session, ["household_size", "age_group*gender", "language_spoken"], "test-census"
        )
        invented = get_benchmarks(session, ["household_size"], "test-invented")
    assert summary.replaced == 15
    assert census == [other_year, *corrected]
    assert len(invented) == 3


def test_municipalities_are_updated_in_place(session_factory: sessionmaker[Session]) -> None:
    with session_factory.begin() as session:
        upsert_municipalities(session, [Municipality("2499901", "Old name", None)])
        upsert_municipalities(session, [Municipality("2499901", "New name", "Estrie")])
        assert upsert_municipalities(session, []) == 0
    with session_factory() as session:
        assert get_municipality(session, "2499901") == Municipality("2499901", "New name", "Estrie")
        assert get_municipality(session, "0000000") is None


def test_a_benchmark_needs_a_known_municipality(session_factory: sessionmaker[Session]) -> None:
    row = BenchmarkRow("7777777", "gender", "woman", 1, "test", 2021)
    with session_factory() as session, pytest.raises(IntegrityError):
        load_benchmarks(session, [], [row])
