"""Checking benchmark CSV files: every bad row reported by line, in both languages."""

from __future__ import annotations

from pathlib import Path

import pytest

from storage.benchmark_csv import COLUMNS, parse_benchmark_csv, read_benchmark_csv
from storage.records import BenchmarkRow, Municipality

HEADER = ",".join(COLUMNS)


def test_a_good_file_gives_rows_and_municipalities(data_dir: Path) -> None:
    parsed = read_benchmark_csv(data_dir / "benchmarks" / "demo_benchmarks.csv")
    assert parsed.errors == []
    assert len(parsed.rows) == 30
    assert parsed.municipalities == [
        Municipality("2443027", "Sherbrooke", "Estrie"),
        Municipality("2499901", "Saint-Exemple (fictive)", "Estrie"),
    ]
    assert parsed.rows[0] == BenchmarkRow(
        "2443027", "age_group*gender", "a15_24*woman", 9000, "test-census", 2021
    )
    assert parsed.lines[0].line == 2


def test_every_bad_row_of_the_broken_catalogue_is_reported_by_line(data_dir: Path) -> None:
    parsed = read_benchmark_csv(data_dir / "benchmarks" / "broken_benchmarks.csv")
    assert [(e.line, e.code) for e in parsed.errors] == [
        (3, "csv_bad_count"),
        (4, "csv_negative_count"),
        (5, "csv_empty_value"),
        (6, "csv_duplicate_key"),
        (7, "csv_inconsistent_name"),
        (8, "csv_bad_variable"),
        (9, "csv_bad_category"),
        (10, "csv_bad_year"),
        (11, "csv_row_length"),
        (12, "csv_bad_code"),
    ]
    assert parsed.lines == []
    by_line = {e.line: e for e in parsed.errors}
    assert by_line[6].params == {"first": 2}
    assert by_line[7].render("en") == (
        "line 7: Code 2443027 is named 'Sherbroke' here, 'Sherbrooke' on line 2."
    )
    assert by_line[3].render("fr").startswith("ligne 3 : Effectif « abc »")


def test_header_problems_stop_at_line_one() -> None:
    parsed = parse_benchmark_csv("municipality_code,name,variable,category,count,source,year,x\n")
    assert [(e.line, e.code) for e in parsed.errors] == [
        (1, "csv_missing_columns"),
        (1, "csv_unknown_columns"),
    ]
    assert "municipality_name, region" in parsed.errors[0].render("en")
    assert [(e.line, e.code) for e in parse_benchmark_csv("").errors] == [(1, "csv_empty")]


def test_columns_may_come_in_any_order_and_a_bom_and_blank_lines_are_ignored() -> None:
    text = (
        "\ufeffyear,source,count,category,variable,region,municipality_name,municipality_code\n"
        "\n"
        "2021,test,12,woman,gender,,Village,9999\n"
    )
    parsed = parse_benchmark_csv(text)
    assert parsed.errors == []
    assert parsed.rows == [BenchmarkRow("9999", "gender", "woman", 12, "test", 2021)]
    assert parsed.municipalities == [Municipality("9999", "Village", None)]


def test_quoted_fields_with_commas_keep_their_line_numbers() -> None:
    text = (
        f"{HEADER}\n"
        '1,"Ville, la belle",Région,gender,woman,10,test,2021\n'
        '1,"Ville, la belle",Région,gender,man,x,test,2021\n'
    )
    parsed = parse_benchmark_csv(text)
    assert [(e.line, e.code) for e in parsed.errors] == [(3, "csv_bad_count")]


@pytest.mark.parametrize(
    ("fields", "code"),
    [
        ("1,A,R,gender,woman,1.5,test,2021", "csv_bad_count"),
        ("1,A,R,gender,woman,1 000,test,2021", "csv_bad_count"),
        ("1,A,R,gender*age,woman,1,test,2021", "csv_bad_category"),
        ("1,A,R,gender,Woman,1,test,2021", "csv_bad_category"),
        ("1,A,R,gender,woman,1,,2021", "csv_empty_value"),
        ("1,A,R,gender,woman,1,test,", "csv_empty_value"),
        (f"1,A,R,gender,woman,1,{'s' * 101},2021", "csv_too_long"),
    ],
)
def test_single_row_errors(fields: str, code: str) -> None:
    parsed = parse_benchmark_csv(f"{HEADER}\n{fields}\n")
    assert [(e.line, e.code) for e in parsed.errors] == [(2, code)]


def test_a_region_that_changes_for_one_code_is_reported() -> None:
    text = f"{HEADER}\n1,A,North,gender,woman,1,test,2021\n1,A,South,gender,man,1,test,2021\n"
    errors = parse_benchmark_csv(text).errors
    assert [(e.line, e.code) for e in errors] == [(3, "csv_inconsistent_region")]
    assert errors[0].params["first"] == 2


def test_a_file_that_is_not_utf8_is_one_error_at_its_line(tmp_path: Path) -> None:
    path = tmp_path / "latin1.csv"
    header = ",".join(COLUMNS) + "\n"
    row = "2466023,Montréal,Montréal,gender,woman,100,census,2021\n"
    path.write_bytes(header.encode() + row.encode("latin-1"))
    parsed = read_benchmark_csv(path)
    assert parsed.lines == []
    assert [(e.line, e.code) for e in parsed.errors] == [(2, "csv_not_utf8")]
    assert "UTF-8" in parsed.errors[0].render("en")
    assert "UTF-8" in parsed.errors[0].render("fr")
