"""Hostile benchmark files: a clear error by line, and the tables exactly as they were.

Each case is loaded with ``load_benchmark_file`` (with and without
``--replace``) over a database already holding the test census, on SQLite and,
with ``VIGIE_TEST_DATABASE_URL``, on PostgreSQL (which refuses NUL bytes and
integers beyond BIGINT, where SQLite would store them).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from storage.benchmark_csv import (
    COLUMNS,
    MAX_COUNT,
    MAX_REPORTED_ERRORS,
    read_benchmark_csv,
    scan_benchmark_csv,
)
from storage.benchmark_loading import (
    BATCH_ROWS,
    BenchmarkFileRejectedError,
    load_benchmark_file,
)
from storage.tables import MunicipalityModel, PopulationBenchmarkModel

HEADER = ",".join(COLUMNS)
GOOD = "2499902,Lévis,Chaudière-Appalaches,gender,woman,{count},test-census,2021"


def _file(tmp_path: Path, *rows: str, header: str = HEADER) -> Path:
    path = tmp_path / "hostile.csv"
    path.write_bytes("\n".join([header, *rows, ""]).encode("utf-8"))
    return path


def _tables(session_factory: sessionmaker[Session]) -> list[tuple[object, ...]]:
    with session_factory() as session:
        rows = [
            *session.execute(select(MunicipalityModel.__table__).order_by("code")).all(),
            *session.execute(select(PopulationBenchmarkModel.__table__).order_by("id")).all(),
        ]
    return [tuple(row) for row in rows]


@pytest.fixture
def loaded(session_factory: sessionmaker[Session], data_dir: Path) -> sessionmaker[Session]:
    """The test census, already stored."""
    with session_factory.begin() as session:
        load_benchmark_file(session, data_dir / "benchmarks" / "demo_benchmarks.csv")
    return session_factory


def _refused(session_factory: sessionmaker[Session], path: Path) -> list[tuple[int, str]]:
    """Load ``path`` with and without replace; both refused, nothing changed; the errors."""
    before = _tables(session_factory)
    found: list[list[tuple[int, str]]] = []
    for replace in (False, True):
        with (
            pytest.raises(BenchmarkFileRejectedError) as caught,
            session_factory.begin() as session,
        ):
            load_benchmark_file(session, path, replace=replace)
        assert caught.value.code == "csv_rejected"
        found.append([(error.line, error.code) for error in caught.value.errors])
        for error in caught.value.errors:
            for language in ("fr", "en"):
                text = error.render(language)
                assert "{" not in text and len(text) < 400
        assert _tables(session_factory) == before
    assert found[0] == found[1]
    return found[0]


HOSTILE_ROWS = [
    pytest.param(GOOD.format(count=2**63), "csv_count_too_large", id="count-2^63"),
    pytest.param(GOOD.format(count=MAX_COUNT + 1), "csv_count_too_large", id="count-max+1"),
    pytest.param(GOOD.format(count="9" * 5000), "csv_count_too_large", id="count-5000-digits"),
    pytest.param(GOOD.format(count="-" + "9" * 5000), "csv_count_too_large", id="count-minus"),
    pytest.param(
        GOOD.replace("Lévis", "L" * 200_000).format(count=1), "csv_cell_too_large", id="cell-200KB"
    ),
    pytest.param(GOOD.replace("Lévis", "L" * 5_000).format(count=1), "csv_too_long", id="cell-5KB"),
    pytest.param(
        GOOD.replace("Lévis", "Lé\x00vis").format(count=1), "csv_control_character", id="nul-name"
    ),
    pytest.param(
        GOOD.replace("test-census", "te\x00st").format(count=1),
        "csv_control_character",
        id="nul-source",
    ),
    pytest.param(
        GOOD.replace("Lévis", "L\x1b[31mévis").format(count=1), "csv_control_character", id="esc"
    ),
    pytest.param(
        GOOD.replace("Lévis", "=cmd|' /C calc'!A0").format(count=1), "csv_formula", id="formula-eq"
    ),
    pytest.param(
        GOOD.replace("Lévis", '"+SUM(1,2)"').format(count=1), "csv_formula", id="formula-plus"
    ),
    pytest.param(
        GOOD.replace("Lévis", "@HYPERLINK(x)").format(count=1), "csv_formula", id="formula-at"
    ),
    pytest.param(
        GOOD.replace("Lévis", '"\t=1+1"').format(count=1), "csv_formula", id="formula-tab"
    ),
    pytest.param(
        GOOD.replace("Chaudière-Appalaches", "-2+3").format(count=1),
        "csv_formula",
        id="formula-region",
    ),
    pytest.param(
        GOOD.replace("test-census", "=1").format(count=1), "csv_formula", id="formula-source"
    ),
]


@pytest.mark.parametrize(("row", "code"), HOSTILE_ROWS)
def test_a_hostile_cell_is_refused_at_its_line_and_nothing_changes(
    loaded: sessionmaker[Session], tmp_path: Path, row: str, code: str
) -> None:
    path = _file(tmp_path, GOOD.format(count=10), row, GOOD.replace("woman", "man").format(count=9))
    assert (3, code) in _refused(loaded, path)


def test_a_column_named_twice_is_refused(loaded: sessionmaker[Session], tmp_path: Path) -> None:
    path = _file(tmp_path, GOOD.format(count=1) + ",12", header=HEADER + ",count")
    assert _refused(loaded, path) == [(1, "csv_duplicate_columns")]
    text = read_benchmark_csv(path).errors[0].render("en")
    assert text == "line 1: Columns named twice: count. Each column must appear once in the header."


def test_rows_already_stored_are_refused_by_line(
    loaded: sessionmaker[Session], data_dir: Path, tmp_path: Path
) -> None:
    demo = (data_dir / "benchmarks" / "demo_benchmarks.csv").read_text(encoding="utf-8")
    lines = demo.splitlines()
    path = _file(tmp_path, GOOD.format(count=5), lines[3], lines[7], header=lines[0])
    before = _tables(loaded)
    with pytest.raises(BenchmarkFileRejectedError) as caught, loaded.begin() as session:
        load_benchmark_file(session, path)
    assert [(e.line, e.code) for e in caught.value.errors] == [
        (3, "csv_already_loaded"),
        (4, "csv_already_loaded"),
    ]
    assert _tables(loaded) == before
    with loaded.begin() as session:
        summary = load_benchmark_file(session, path, replace=True)
    assert (summary.rows, summary.replaced) == (3, 15)  # the test-census edition


def test_errors_are_capped_with_a_count_of_the_rest(tmp_path: Path) -> None:
    rows = [GOOD.format(count="x") for _ in range(MAX_REPORTED_ERRORS + 250)]
    scan = scan_benchmark_csv(_file(tmp_path, *rows))
    assert len(scan.errors) == MAX_REPORTED_ERRORS + 1
    assert scan.errors[-1].code == "csv_more_errors"
    assert scan.errors[-1].render("en") == "… and 250 more error(s) not shown."
    assert scan.errors[-2].line == MAX_REPORTED_ERRORS + 1


def test_a_long_hostile_value_is_quoted_short_and_escaped(tmp_path: Path) -> None:
    row = GOOD.replace("Chaudière-Appalaches", "=" + "y" * 150).format(count=1)
    bad_count = GOOD.format(count="1\x00" + "2" * 300)
    errors = read_benchmark_csv(_file(tmp_path, row, bad_count)).errors
    assert [(e.line, e.code) for e in errors] == [(2, "csv_formula"), (3, "csv_control_character")]
    shown = errors[0].render("fr")
    assert "=yyyy" in shown and "…" in shown and len(shown) < 200


def test_a_file_that_is_not_utf8_deep_inside_is_one_error_at_its_line(tmp_path: Path) -> None:
    rows = [GOOD.replace("woman", f"c{i}").format(count=i) for i in range(30_000)]
    path = _file(tmp_path, *rows)
    path.write_bytes(path.read_bytes() + b"2499902,L\xe9vis,x,gender,w,1,s,2021\n")
    errors = scan_benchmark_csv(path).errors
    assert [(e.line, e.code) for e in errors] == [(30_002, "csv_not_utf8")]


def test_an_error_after_batches_were_written_rolls_them_all_back(
    loaded: sessionmaker[Session], tmp_path: Path
) -> None:
    rows = [GOOD.replace("woman", f"c{i}").format(count=i) for i in range(BATCH_ROWS * 2 + 10)]
    rows.append(GOOD.replace("woman", "last").format(count="-1"))
    assert _refused(loaded, _file(tmp_path, *rows)) == [(len(rows) + 1, "csv_negative_count")]


def test_a_row_already_stored_in_a_later_batch_is_found_and_nothing_written(
    loaded: sessionmaker[Session], data_dir: Path, tmp_path: Path
) -> None:
    demo = (data_dir / "benchmarks" / "demo_benchmarks.csv").read_text(encoding="utf-8")
    stored_row = demo.splitlines()[2]
    rows = [
        f"2499903,Ailleurs,Estrie,age_group*gender,a15_24*c{i},5,test-census,2021"
        for i in range(BATCH_ROWS + 5)
    ]
    path = _file(tmp_path, *rows, stored_row)
    before = _tables(loaded)
    with pytest.raises(BenchmarkFileRejectedError) as caught, loaded.begin() as session:
        load_benchmark_file(session, path)
    assert [(e.line, e.code) for e in caught.value.errors] == [
        (len(rows) + 2, "csv_already_loaded")
    ]
    assert _tables(loaded) == before
