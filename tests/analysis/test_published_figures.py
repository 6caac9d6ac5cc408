"""What the table publishes where samples are thin: sample zeros, models named, no extrapolation.

A rare indicator (2 %) leaves many municipalities with no respondent reporting it: their
direct estimate is a *sample zero*, whose bootstrap variance is exactly 0.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from pipeline_population import Population, make_population

from analysis.loader import numerator_column
from analysis.pipeline.results import RESULT_COLUMNS

PUBLISHED = ("", "E")
SIZES = (400, 300, 150, 120, 60, 40, 25, 12, 6)


def rare(rate: float = 0.02, seed: int = 5) -> Population:
    """The synthetic population with ``victimised`` replaced by a rare event."""
    population = make_population(SIZES, empty=2, seed=seed)
    frame = population.respondents.copy()
    rng = np.random.default_rng(seed)
    frame[numerator_column("victimised")] = (rng.random(len(frame)) < rate).astype(float)
    return Population(frame, population.benchmarks, population.survey, population.truth)


def test_no_published_row_has_a_zero_se_or_a_zero_width_interval(run) -> None:
    _, results = run(rare(), replicates=30)
    published = results[results["flag"].fillna("").isin(PUBLISHED)]
    published = published[published["method"] != "excluded"]
    assert not published.empty
    assert np.all(published["se"] > 0)
    assert np.all(published["ci_high"] > published["ci_low"])


def test_a_sample_zero_has_a_smoothed_variance_an_interval_and_a_flag(run) -> None:
    _, results = run(rare(), replicates=30, direct_min_effective_n=0)
    percent = results[(results["indicator"] == "victimised") & (results["method"] == "direct")]
    zeros = percent[percent["direct_estimate"] == 0]
    assert not zeros.empty, "the rare indicator should leave a sample zero"
    assert set(zeros["zero"]) == {"0"}
    assert set(zeros["variance_source"]) == {"gvf"}
    assert set(zeros["ci_method"]) == {"korn_graubard_gvf"}
    assert np.all(zeros["se"] > 0) and np.all(zeros["cv"] > 0)
    assert np.all((zeros["ci_low"] == 0) & (zeros["ci_high"] > 0))
    # a smaller municipality has a wider interval for the same zero
    ordered = zeros.sort_values("n")
    assert ordered["ci_high"].is_monotonic_decreasing
    others = percent[percent["direct_estimate"] > 0]
    assert set(others["zero"]) <= {"", "0s"}
    assert set(others["variance_source"]) == {"bootstrap"}


def test_a_rounded_zero_is_told_apart_from_a_sample_zero() -> None:
    from analysis.pipeline.results import _zero

    assert _zero(0.0, "direct") == "0"
    assert _zero(0.04, "direct") == "0s"
    assert _zero(0.04, "eblup") == "0s"
    assert _zero(0.2, "direct") == ""


def test_every_municipality_with_a_respondent_enters_the_model(run) -> None:
    _, results = run(rare(), replicates=30)
    rows = results[(results["indicator"] == "victimised") & (results["municipality"] != "ALL")]
    with_respondents = rows[rows["n"] > 0]
    assert set(with_respondents["method"]) <= {"direct", "eblup"}
    assert set(rows.loc[rows["n"] == 0, "method"]) == {"synthetic"}
    assert np.all(rows["model"].str.len() > 0)
    model = rows[rows["method"] != "direct"]
    assert np.all((model["estimate"] > 0) & (model["estimate"] < 100))


def test_synthetic_values_stay_within_the_covariates_range() -> None:
    from analysis.sae.arcsine import fit_proportions

    rng = np.random.default_rng(1)
    m = 40
    share = rng.uniform(0.1, 0.3, m)
    share[-1] = 0.9  # an area without respondents far outside the fitted range
    n = rng.integers(20, 200, m).astype(float)
    p = np.clip(0.05 + 0.5 * (share - 0.2) + rng.normal(0, 0.02, m), 0.001, 0.999)
    p = rng.binomial(n.astype(int), p) / n
    p[-1], n[-1] = np.nan, 0.0
    result = fit_proportions(p, n, share[:, None], ("share",))
    assert result.source[-1] == "synthetic"
    inside = ~np.isnan(p)
    theta = result.synthetic_theta
    assert theta[inside].min() - 1e-12 <= theta[-1] <= theta[inside].max() + 1e-12
    assert result.model == "fay_herriot_arcsine: intercept + share"


def test_collinear_and_constant_covariates_are_screened_out() -> None:
    from analysis.sae.covariates import screen_covariates

    rng = np.random.default_rng(2)
    m = 12
    a = rng.normal(size=m)
    raw = np.column_stack(
        [a, 2 * a + 1e-6 * rng.normal(size=m), np.full(m, 0.5), rng.normal(size=m)]
    )
    screened = screen_covariates(raw, ("a", "twice_a", "same", "other"), np.ones(m, bool))
    assert screened.names == ("a", "other")[: m // 5]
    assert screened.dropped == {"twice_a": "collinear", "same": "constant"} | (
        {"other": "too_many"} if m // 5 < 2 else {}
    )


def test_failed_replicates_are_left_out_of_sum_and_divisor() -> None:
    from analysis.variance.replicates import ReplicateWeights, replicate_variance, replicates_used

    thetas = np.array([[1.0, 2.0], [3.0, np.nan], [np.nan, np.nan], [1.0, 4.0]])
    reps = ReplicateWeights(np.ones((4, 1)), 1 / 4, "full_sample", "bootstrap")
    variance = replicate_variance(thetas, np.array([2.0, 3.0]), reps)
    assert np.allclose(variance, [(1 + 1 + 1) / 3, (1 + 1) / 2])
    assert list(replicates_used(thetas)) == [3, 2]


def test_the_table_counts_the_replicates_used(run) -> None:
    _, results = run(rare(), replicates=30)
    direct = results[results["method"] == "direct"]
    assert np.all(direct["replicates_used"] <= 30)
    assert np.all(direct["replicates_used"] > 0)
    assert tuple(results.columns) == RESULT_COLUMNS
    assert isinstance(results, pd.DataFrame)


def test_small_municipalities_borrow_the_structure_of_their_region(run) -> None:
    population = make_population((300, 200, 15, 12, 10, 8, 14), empty=0, seed=4)
    _, borrowed = run(population, replicates=10)
    _, alone = run(population, replicates=10, borrow_structure=False)
    rows = borrowed[(borrowed["indicator"] == "victimised") & (borrowed["channel"] == "all")]
    small = rows[(rows["n"] > 0) & (rows["n"] < 20)].set_index("municipality")
    assert not small.empty
    assert all("borrowed from 5 small municipalities" in text for text in small["weighting"])
    assert all("post-stratified" in text for text in small["weighting"])
    # municipality totals are kept either way
    before = alone[(alone["indicator"] == "victimised") & (alone["channel"] == "all")]
    before = before.set_index("municipality").loc[small.index]
    assert np.allclose(small["weighted_n"], before["weighted_n"])
    # the borrowed factors vary, so the weights are no longer all equal
    assert np.all(small["deff_weighting"] > 1.0) and np.allclose(before["deff_weighting"], 1.0)


def test_the_figures_do_not_depend_on_the_number_of_workers(run) -> None:
    population = make_population((120, 80, 40), empty=0, seed=6)
    _, one = run(population, replicates=12, workers=1, replicate_block=5)
    _, two = run(population, replicates=12, workers=2, replicate_block=5)
    pd.testing.assert_frame_equal(one, two)
