"""The Korn–Graubard interval of a direct municipal percent never credits the figure with more
effective sample size than the indicator's variance function gives the municipality, with the
factor fitted without it: ``n_eff = min(p̂(1-p̂)/V̂, n_d / (c_(-d) deff_w))``.

At a rare rate the bootstrap variance rests on a handful of events and comes out too small
exactly when few were drawn, so the uncapped interval is too short where the estimate is low.
"""

from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse as sp

from analysis.estimators.gvf import VarianceFunction
from analysis.estimators.intervals import beta_interval, korn_graubard_interval
from analysis.pipeline.domains import ALL, DomainFigures, Domains
from analysis.pipeline.messages import PipelineError
from analysis.pipeline.results import INTERVAL_CAPS, IndicatorResult, indicator_rows
from analysis.pipeline.run import PipelineOptions
from analysis.quality.release_rules import ReleaseRules

N = 400
DEFF = 1.5
POOLED_N = 5000


def _rows(
    percent: float,
    ratio: float,
    cap: str,
    *,
    held_out: float = 1.0,
    factor: float = 1.0,
    pooled_ratio: float = 0.5,
    interval: str = "korn_graubard",
) -> list[dict[str, object]]:
    """A municipality of N respondents whose bootstrap variance is ``ratio`` times the
    binomial one with its Kish design effect, next to the pooled row (``pooled_ratio``); the
    variance function's factor is ``factor``, ``held_out`` without the municipality."""
    p = percent / 100
    binomial = DEFF * p * (1 - p) / N
    pooled = 0.01 * 0.99 / POOLED_N
    figures = DomainFigures(
        estimate=np.array([percent, 1.0]),
        variance=1e4 * np.array([ratio * binomial, pooled_ratio * pooled]),
        n=np.array([N, POOLED_N]),
        weighted_n=np.array([float(N), float(POOLED_N)]),
        deff=np.array([DEFF, 1.0]),
        effective_n=np.array([N / DEFF, float(POOLED_N)]),
        replicates_used=np.array([100, 100]),
        df=np.array([N - 1.0, POOLED_N - 1.0]),
    )
    gvf = VarianceFunction(factor, 5, np.array([held_out, factor]))
    result = IndicatorResult("rare", "percent", 100.0, figures, None, gvf, reference_rate=0.01)
    domains = Domains(sp.csr_array((1, 2)), ("9900001", ALL), ("all", "all"))
    return indicator_rows(
        result,
        domains,
        ["one", "all"],
        ["", ""],
        ReleaseRules(),
        interval,
        0.95,
        "estimate",
        cap,
    )


def _limits(row: dict[str, object]) -> tuple[float, float]:
    return float(row["ci_low"]), float(row["ci_high"])  # type: ignore[arg-type]


def test_the_cap_binds_when_the_bootstrap_variance_is_below_the_smoothed_one() -> None:
    row = _rows(0.8, 0.4, "gvf")[0]
    uncapped = _rows(0.8, 0.4, "none")[0]
    p = 0.008
    smoothed = DEFF * p * (1 - p) / N  # factor 1 without the municipality
    expected = korn_graubard_interval(p, smoothed, N, df=N - 1.0)
    assert row["ci_method"] == "korn_graubard_capped"
    assert _limits(row) == pytest.approx((100 * expected.lower, 100 * expected.upper))
    assert _limits(row) == pytest.approx(_limits(_rows(0.8, 0.4, "gvf_size")[0]))
    assert row["ci_high"] > uncapped["ci_high"]  # type: ignore[operator]
    assert row["ci_low"] < uncapped["ci_low"]  # type: ignore[operator]
    # the figure, its SE and its CV stay its own
    assert row["se"] == uncapped["se"] == pytest.approx(100 * np.sqrt(0.4 * smoothed))
    assert row["estimate"] == uncapped["estimate"] == 0.8
    assert row["cv"] == uncapped["cv"]
    assert uncapped["ci_method"] == "korn_graubard"


def test_the_cap_does_not_bind_when_the_bootstrap_variance_is_above() -> None:
    row = _rows(0.8, 1.6, "gvf")[0]
    p = 0.008
    own = korn_graubard_interval(p, 1.6 * DEFF * p * (1 - p) / N, N, df=N - 1.0)
    assert row["ci_method"] == "korn_graubard"
    assert _limits(row) == pytest.approx((100 * own.lower, 100 * own.upper))
    assert _limits(row) == _limits(_rows(0.8, 1.6, "none")[0])
    # the smoothed size alone is narrower here: not the default rule
    smoothed = _rows(0.8, 1.6, "gvf_size")[0]
    assert smoothed["ci_method"] == "korn_graubard_smoothed"
    assert smoothed["ci_high"] < row["ci_high"]  # type: ignore[operator]


def test_the_cap_uses_the_factor_fitted_without_the_municipality() -> None:
    # the full factor (1) would not bind on a ratio of 1.2; the others' factor (2) does
    assert _rows(3.0, 1.2, "gvf", factor=1.0, held_out=1.0)[0]["ci_method"] == "korn_graubard"
    row = _rows(3.0, 1.2, "gvf", factor=1.0, held_out=2.0)[0]
    p = 0.03
    expected = korn_graubard_interval(p, 2.0 * DEFF * p * (1 - p) / N, N, df=N - 1.0)
    assert row["ci_method"] == "korn_graubard_capped"
    assert _limits(row) == pytest.approx((100 * expected.lower, 100 * expected.upper))


def test_the_nchs_cap_bounds_the_effective_size_at_the_respondents() -> None:
    p = 0.008
    # ratio 0.5 with deff 1.5: p(1-p)/V = 1.33 n > n
    row = _rows(0.8, 0.5, "respondents")[0]
    expected = korn_graubard_interval(p, p * (1 - p) / N, N, df=N - 1.0)
    assert row["ci_method"] == "korn_graubard_capped"
    assert _limits(row) == pytest.approx((100 * expected.lower, 100 * expected.upper))
    assert _rows(0.8, 0.8, "respondents")[0]["ci_method"] == "korn_graubard"


def test_pooled_rows_keep_the_design_based_interval() -> None:
    pooled = _rows(0.8, 0.4, "gvf", pooled_ratio=0.1)[1]
    variance = 0.1 * 0.01 * 0.99 / POOLED_N
    own = korn_graubard_interval(0.01, variance, POOLED_N, df=POOLED_N - 1.0)
    assert pooled["ci_method"] == "korn_graubard"
    assert _limits(pooled) == pytest.approx((100 * own.lower, 100 * own.upper))


def test_the_logit_option_is_not_capped() -> None:
    row = _rows(0.8, 0.4, "gvf", interval="logit")[0]
    assert row["ci_method"] == "logit"
    assert _limits(row) == _limits(_rows(0.8, 0.4, "none", interval="logit")[0])


@pytest.mark.parametrize("cap", INTERVAL_CAPS)
def test_a_sample_zero_is_handled_as_before(cap: str) -> None:
    row = _rows(0.0, 0.0, cap, held_out=3.0)[0]
    n_eff = N / DEFF  # the full factor (1), as before the cap
    assert row["ci_method"] == "korn_graubard_gvf"
    assert row["variance_source"] == "gvf"
    assert row["ci_low"] == 0.0
    assert row["ci_high"] == pytest.approx(100 * beta_interval(0.0, n_eff).upper)


@pytest.mark.parametrize("cap", INTERVAL_CAPS)
@pytest.mark.parametrize("percent", [0.05, 0.8, 3.0, 30.0, 99.9])
@pytest.mark.parametrize("ratio", [0.01, 0.5, 1.0, 4.0])
def test_no_interval_has_a_zero_width(cap: str, percent: float, ratio: float) -> None:
    row = _rows(percent, ratio, cap, held_out=2.0)[0]
    low, high = _limits(row)
    assert 0.0 <= low < percent < high <= 100.0


def test_the_default_caps_and_an_unknown_cap_is_refused() -> None:
    assert PipelineOptions().direct_interval_cap == "gvf"
    with pytest.raises(PipelineError):
        PipelineOptions(direct_interval_cap="tight").check()
