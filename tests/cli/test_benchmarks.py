# ruff: noqa: F811 - test arguments named after the fixtures imported from db_fixtures
"""``vigie benchmarks load``: all-or-nothing loading with every error by line."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from db_fixtures import database_url  # noqa: F401
from sqlalchemy import func, select

from storage import migrate
from storage.benchmarks import get_benchmarks, list_municipalities
from storage.engine import make_engine, make_session_factory
from storage.tables import PopulationBenchmarkModel
from vigie_cli.main import cli


@pytest.fixture
def migrated_url(database_url: str) -> str:
    engine = make_engine(database_url)
    try:
        migrate.upgrade(engine)
    finally:
        engine.dispose()
    return database_url


def _load(url: str, *args: str, language: str = "en") -> tuple[int, str]:
    result = CliRunner().invoke(
        cli,
        ["benchmarks", "load", *args],
        env={"DATABASE_URL": url, "VIGIE_LANGUAGE": language},
    )
    return result.exit_code, result.output


def _stored(url: str) -> tuple[int, int]:
    engine = make_engine(url)
    try:
        with make_session_factory(engine)() as session:
            rows = session.scalar(select(func.count()).select_from(PopulationBenchmarkModel))
            return rows or 0, len(list_municipalities(session))
    finally:
        engine.dispose()


def test_a_good_file_is_loaded(migrated_url: str, data_dir: Path) -> None:
    code, output = _load(migrated_url, str(data_dir / "benchmarks" / "demo_benchmarks.csv"))
    assert code == 0, output
    assert "Loaded 30 counts for 2 municipalities (0 replaced)." in output
    assert _stored(migrated_url) == (30, 2)


def test_a_broken_file_reports_every_bad_line_and_loads_nothing(
    migrated_url: str, data_dir: Path
) -> None:
    code, output = _load(migrated_url, str(data_dir / "benchmarks" / "broken_benchmarks.csv"))
    assert code == 1
    reported = [line.split(":")[0] for line in output.splitlines() if line.startswith("line ")]
    assert reported == [f"line {n}" for n in range(3, 13)]
    assert "10 error(s), nothing was loaded" in output
    assert _stored(migrated_url) == (0, 0)


def test_errors_are_reported_in_french(migrated_url: str, data_dir: Path) -> None:
    broken = str(data_dir / "benchmarks" / "broken_benchmarks.csv")
    code, output = _load(migrated_url, broken, language="fr")
    assert code == 1
    assert "ligne 4 : Effectif -5 négatif." in output
    assert "rien n'a été chargé" in output


def test_loading_twice_needs_replace(migrated_url: str, data_dir: Path) -> None:
    good = str(data_dir / "benchmarks" / "demo_benchmarks.csv")
    assert _load(migrated_url, good)[0] == 0
    code, output = _load(migrated_url, good)
    assert code == 1
    assert "line 2: Already loaded" in output and "line 31: Already loaded" in output
    assert _stored(migrated_url) == (30, 2)
    code, output = _load(migrated_url, good, "--replace")
    assert code == 0, output
    assert "(30 replaced)" in output
    assert _stored(migrated_url) == (30, 2)


def test_demo_benchmarks_load(migrated_url: str) -> None:
    code, output = _load(migrated_url, "--demo")
    assert code == 0, output
    assert _stored(migrated_url) == (240, 16)
    engine = make_engine(migrated_url)
    try:
        with make_session_factory(engine)() as session:
            invented = get_benchmarks(session, ["household_size"], source="demo-invented")
    finally:
        engine.dispose()
    assert {row.municipality_code for row in invented} == {f"249990{n}" for n in range(1, 7)}


def test_a_file_or_demo_but_not_both_nor_neither(migrated_url: str, data_dir: Path) -> None:
    assert _load(migrated_url)[0] == 2
    good = str(data_dir / "benchmarks" / "demo_benchmarks.csv")
    code, output = _load(migrated_url, good, "--demo")
    assert code == 2 and "--demo" in output


def test_a_database_behind_is_refused_with_the_upgrade_hint(
    database_url: str,
    data_dir: Path,
) -> None:
    code, output = _load(database_url, str(data_dir / "benchmarks" / "demo_benchmarks.csv"))
    assert code == 1
    assert "vigie db upgrade" in output
