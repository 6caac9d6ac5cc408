"""Estimate runs: release-rule presets, the results writers, errors with codes.

A whole run from stored responses is in tests/cli/test_estimate.py (the
command calls :meth:`observatory.Observatory.estimate`).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from analysis.pipeline import DEFAULT_SEED as PIPELINE_SEED
from analysis.quality import ISQ, STATISTICS_CANADA
from observatory import (
    DEFAULT_SEED,
    EstimateRequest,
    EstimateRun,
    ObservatoryError,
    StepCounter,
    check_output,
    check_request,
    write_results,
)
from observatory.estimates import release_rules
from services import Services


def test_the_presets_and_their_cut_offs() -> None:
    assert release_rules("statcan") == STATISTICS_CANADA
    assert release_rules("isq") == ISQ
    stricter = release_rules("statcan", min_respondents=31)
    assert stricter.min_respondents == 31
    assert stricter.caution_tiers == STATISTICS_CANADA.caution_tiers
    custom = release_rules("isq", publish_cv=10.0, caution_cv=20.0)
    assert (custom.publish_cv, custom.caution_cv) == (10.0, 20.0)
    # Custom cut-offs: one caution tier, with the preset's last caution flag.
    assert custom.caution_tiers == ((20.0, "**"),)


def test_rules_that_do_not_fit_are_refused_before_any_work() -> None:
    with pytest.raises(ObservatoryError) as raised:
        check_request(EstimateRequest("victimisation", publish_cv=40.0, caution_cv=20.0))
    assert raised.value.code == "bad_value"
    assert "publish_cv" in raised.value.render("en")
    with pytest.raises(ObservatoryError) as unknown:
        release_rules("oecd")
    assert unknown.value.code == "unknown_rules"
    assert unknown.value.render("fr") == (
        "Règles de diffusion « oecd » inconnues ; connues : isq, statcan."
    )


def test_the_default_seed_is_the_pipeline_s() -> None:
    assert DEFAULT_SEED == PIPELINE_SEED


def test_only_csv_and_parquet_are_written(tmp_path: Path) -> None:
    for name in ("r.csv", "R.PARQUET"):
        check_output(tmp_path / name)
    with pytest.raises(ObservatoryError) as raised:
        check_output(tmp_path / "r.xlsx")
    assert raised.value.code == "bad_output"
    assert ".csv ou .parquet" in raised.value.render("fr")


def test_the_writers_keep_the_table(tmp_path: Path) -> None:
    table = pd.DataFrame(
        {
            "municipality": ["2466023", "ALL"],
            "indicator": ["unsafe_after_dark"] * 2,
            "channel": ["all", "all"],
            "estimate": [12.5, np.nan],
        }
    )
    write_results(table, tmp_path / "r.parquet")
    write_results(table, tmp_path / "r.csv")
    pd.testing.assert_frame_equal(pd.read_parquet(tmp_path / "r.parquet"), table)
    read = pd.read_csv(tmp_path / "r.csv", dtype={"municipality": str})
    pd.testing.assert_frame_equal(read, table)
    run = EstimateRun(table)
    assert (run.rows, run.municipalities, run.indicators) == (2, 1, 1)


def test_the_step_counter_fills_one_bar() -> None:
    steps: list[int] = []
    counter = StepCounter(steps.append)
    counter("load", 0, 1)
    counter("load", 1, 1)
    counter("weights", 1, 1)
    for done in (2, 5):
        counter("replicates", done, 5)
    counter("estimates", 3, 3)
    counter("small_areas", 1, 1)
    assert sum(steps) == StepCounter.total(5) == 9


def test_pipeline_errors_keep_their_code_and_words(services: Services) -> None:
    with pytest.raises(ObservatoryError) as unknown:
        services.observatory.estimate(EstimateRequest("nothing_here", replicates=2))
    assert unknown.value.code == "unknown_survey"
    assert "Aucun questionnaire « nothing_here »" in unknown.value.render("fr")
    _ = services.registry  # town_safety is registered, with no benchmarks loaded
    with pytest.raises(ObservatoryError) as missing:
        services.observatory.estimate(EstimateRequest("town_safety", replicates=2))
    assert missing.value.code == "no_benchmarks"
    assert "vigie benchmarks load --demo" in missing.value.render("en")
