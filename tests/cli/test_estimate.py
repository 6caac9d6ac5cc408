# ruff: noqa: F811 - test arguments named after the fixtures imported from db_fixtures
"""``vigie estimate``: the results table as CSV or Parquet, and clear errors."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner
from db_fixtures import database_url  # noqa: F401

from analysis.pipeline.results import RESULT_COLUMNS
from questionnaire.loader import load_survey
from storage import migrate
from storage.answers import record_answer
from storage.engine import make_engine, make_session_factory
from storage.responses import create_response, update_response_state
from storage.surveys import register_survey_version
from vigie_cli.main import cli

MUNICIPALITIES = ("2466023", "2423027", "2499901")


@pytest.fixture
def migrated_url(database_url: str) -> str:
    engine = make_engine(database_url)
    try:
        migrate.upgrade(engine)
    finally:
        engine.dispose()
    return database_url


@pytest.fixture
def add_responses(survey_defs: Path) -> Callable[[str, int], None]:
    """Factory: ``add_responses(url, n)`` stores n completed victimisation responses."""

    def add(url: str, n: int) -> None:
        rng = np.random.default_rng(0)
        survey = load_survey(survey_defs / "victimisation.yaml")
        engine = make_engine(url)
        try:
            with make_session_factory(engine).begin() as session:
                version = register_survey_version(session, survey)
                for i in range(n):
                    channel = "telegram" if i % 3 == 0 else "web"
                    response = create_response(
                        session, version_id=version.id, channel=channel, language="fr"
                    )
                    answers = {
                        "age": int(rng.integers(15, 90)),
                        "gender": ("woman", "man")[i % 2],
                        "municipality": MUNICIPALITIES[i % 3],
                        "household_size": ("p1", "p2", "p3_plus")[int(rng.integers(3))],
                        "language_spoken": ("french", "english")[int(rng.integers(2))],
                        "walk_alone_dark": ("very_safe", "somewhat_unsafe")[int(rng.integers(2))],
                    }
                    for path, value in answers.items():
                        record_answer(session, response.id, path, value)
                    update_response_state(
                        session, response.id, expected_row_version=1, status="completed"
                    )
        finally:
            engine.dispose()

    return add


def _invoke(url: str, *args: str, language: str = "en") -> tuple[int, str]:
    result = CliRunner().invoke(
        cli, list(args), env={"DATABASE_URL": url, "VIGIE_LANGUAGE": language}
    )
    return result.exit_code, result.output


def test_estimate_writes_csv_and_parquet(
    migrated_url: str, add_responses: Callable[[str, int], None], tmp_path: Path
) -> None:
    assert _invoke(migrated_url, "benchmarks", "load", "--demo")[0] == 0
    add_responses(migrated_url, 90)
    tables = []
    for name in ("results.csv", "results.parquet"):
        out = tmp_path / name
        code, output = _invoke(
            migrated_url,
            "estimate",
            "--survey",
            "victimisation",
            "--replicates",
            "5",
            "--seed",
            "4",
            "--out",
            str(out),
        )
        assert code == 0, output
        assert f"to {out}." in output
        tables.append(
            pd.read_csv(out, dtype={"municipality": str})
            if name.endswith("csv")
            else pd.read_parquet(out)
        )
    csv, parquet = tables
    assert list(csv.columns) == list(RESULT_COLUMNS) == list(parquet.columns)
    assert len(csv) == len(parquet)
    unsafe = parquet[(parquet["indicator"] == "unsafe_after_dark") & (parquet["channel"] == "all")]
    unsafe = unsafe.set_index("municipality")
    assert unsafe.loc["2466023", "n"] == 30
    assert unsafe.loc["ALL", "n"] == 90
    assert unsafe.index.nunique() == 17  # 16 demonstration municipalities and ALL
    assert np.allclose(csv["estimate"], parquet["estimate"], equal_nan=True)


def test_a_bad_extension_is_refused_before_any_work(migrated_url: str, tmp_path: Path) -> None:
    code, output = _invoke(
        migrated_url, "estimate", "--survey", "victimisation", "--out", str(tmp_path / "r.txt")
    )
    assert code == 1
    assert ".csv or .parquet" in output


def test_an_unknown_questionnaire_is_named(migrated_url: str, tmp_path: Path) -> None:
    code, output = _invoke(
        migrated_url,
        "estimate",
        "--survey",
        "nothing_here",
        "--out",
        str(tmp_path / "r.csv"),
        language="fr",
    )
    assert code == 1
    assert "Aucun questionnaire « nothing_here »" in output


def test_missing_benchmarks_say_how_to_load_them(
    migrated_url: str, add_responses: Callable[[str, int], None], tmp_path: Path
) -> None:
    add_responses(migrated_url, 6)
    code, output = _invoke(
        migrated_url, "estimate", "--survey", "victimisation", "--out", str(tmp_path / "r.csv")
    )
    assert code == 1
    assert "vigie benchmarks load --demo" in output
    assert not (tmp_path / "r.csv").exists()


def test_a_questionnaire_without_responses_is_reported(
    migrated_url: str, add_responses: Callable[[str, int], None], tmp_path: Path
) -> None:
    assert _invoke(migrated_url, "benchmarks", "load", "--demo")[0] == 0
    add_responses(migrated_url, 0)
    code, output = _invoke(
        migrated_url, "estimate", "--survey", "victimisation", "--out", str(tmp_path / "r.csv")
    )
    assert code == 1
    assert "no completed response" in output


def test_release_rules_come_from_the_command_line(
    migrated_url: str, add_responses: Callable[[str, int], None], tmp_path: Path
) -> None:
    assert _invoke(migrated_url, "benchmarks", "load", "--demo")[0] == 0
    add_responses(migrated_url, 90)
    flags: dict[str, pd.DataFrame] = {}
    cvs: dict[str, pd.DataFrame] = {}
    for name, options in {
        "default": [],
        "strict": ["--min-respondents", "91"],
        "isq": ["--rules", "isq"],
    }.items():
        out = tmp_path / f"{name}.csv"
        code, output = _invoke(
            migrated_url,
            "estimate",
            "--survey",
            "victimisation",
            "--replicates",
            "5",
            "--out",
            str(out),
            *options,
        )
        assert code == 0, output
        table = pd.read_csv(out, dtype={"municipality": str})
        table["flag"] = table["flag"].fillna("")  # no flag: publishable
        rows = table[table["channel"] == "all"].set_index(["municipality", "indicator"])
        flags[name] = rows[["flag", "method", "n"]]
        cvs[name] = rows[["cv", "se"]]
    # 90 respondents in all: a direct estimate by default, suppressed (x) when 91 are
    # required. (Municipalities of 30 publish the small-area model's figure, which the
    # respondent rule does not suppress.)
    walk = ("ALL", "does_not_walk_alone_dark")
    assert flags["default"].loc[walk, "n"] == 90
    assert flags["default"].loc[walk, "method"] == "direct"
    assert flags["default"].loc[walk, "flag"] != "x"
    assert flags["strict"].loc[walk, "flag"] == "x"
    # Each preset flags direct estimates by their CV with its own cut-offs and letters.
    cut_offs = {
        "default": [(16.5, ""), (33.3, "E")],
        "isq": [(15.0, ""), (25.0, "*"), (33.3, "**")],
    }
    for name, tiers in cut_offs.items():
        rows = flags[name].join(cvs[name])
        judged = rows[(rows["method"] == "direct") & (rows["n"] >= 30) & (rows["se"] > 0)]
        assert not judged.empty
        for _, row in judged.iterrows():
            expected = next((flag for upper, flag in tiers if row["cv"] <= upper), "F")
            assert row["flag"] == expected, (name, row)


def test_release_cut_offs_that_do_not_fit_are_refused(migrated_url: str, tmp_path: Path) -> None:
    code, output = _invoke(
        migrated_url,
        "estimate",
        "--survey",
        "victimisation",
        "--publish-cv",
        "40",
        "--caution-cv",
        "20",
        "--out",
        str(tmp_path / "r.csv"),
    )
    assert code == 1
    assert "publish_cv" in output
