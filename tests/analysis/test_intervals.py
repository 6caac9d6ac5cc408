"""Confidence intervals: R's logit interval, Korn–Graubard, normal/t, design effects."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

from analysis.errors import EstimationError
from analysis.estimators import linear as est
from analysis.estimators.design_effects import design_effect, effective_n, kish_deff
from analysis.estimators.intervals import korn_graubard_interval, logit_interval, normal_interval


def test_logit_interval_of_sch_wide_matches_r(create_apiclus1):
    api = create_apiclus1()
    yes = (api.data["sch.wide"] == "Yes").to_numpy(float)
    p = est.proportion(api.design, yes)
    assert np.isclose(p.estimate, 0.8743169399, rtol=1e-9)
    interval = logit_interval(p.estimate, p.se, df=api.design.degrees_of_freedom)
    assert api.design.degrees_of_freedom == 14
    assert np.allclose(
        [interval.lower, interval.upper], [0.823798892379, 0.911900077021], rtol=1e-9
    )


def test_design_effect_of_unraked_mean_matches_r(create_apiclus1):
    api = create_apiclus1()
    y = api.data["api00"].to_numpy(float)
    result = est.mean(api.design, y)
    assert np.isclose(design_effect(result.variance, api.design, y), 9.34587, rtol=1e-6)
    with_replacement = design_effect(result.variance, api.design, y, replace=True)
    assert with_replacement < 9.34587


def test_korn_graubard_reduces_to_clopper_pearson_under_srs():
    n, successes = 60, 9
    p = successes / n
    variance = p * (1 - p) / n
    interval = korn_graubard_interval(p, variance, n)
    exact = stats.binomtest(successes, n).proportion_ci(method="exact")
    assert np.allclose([interval.lower, interval.upper], [exact.low, exact.high], rtol=1e-10)


def test_korn_graubard_widens_with_fewer_degrees_of_freedom():
    narrow = korn_graubard_interval(0.3, 0.002, 200, df=199)
    wide = korn_graubard_interval(0.3, 0.002, 200, df=10)
    assert wide.lower < narrow.lower and wide.upper > narrow.upper


def test_korn_graubard_at_zero_and_one():
    zero = korn_graubard_interval(0.0, 0.0, 50)
    one = korn_graubard_interval(1.0, 0.0, 50)
    assert zero.lower == 0.0 and 0 < zero.upper < 0.1
    assert one.upper == 1.0 and 0.9 < one.lower < 1


def test_normal_interval_uses_t_with_degrees_of_freedom():
    z = normal_interval(10.0, 2.0)
    t = normal_interval(10.0, 2.0, df=5)
    assert np.isclose(z.upper - 10.0, 2.0 * 1.959963984540054)
    assert np.isclose(t.upper - 10.0, 2.0 * stats.t.ppf(0.975, 5))


def test_bad_level_and_proportion():
    with pytest.raises(EstimationError):
        normal_interval(1.0, 1.0, level=1.5)
    with pytest.raises(EstimationError):
        logit_interval(1.2, 0.1)


def test_kish_deff_and_effective_n():
    w = np.array([1.0, 1.0, 2.0, 4.0, 0.0])
    assert np.isclose(kish_deff(w), 4 * 22 / 64)
    assert np.isclose(effective_n(w), 64 / 22)
    assert np.isclose(kish_deff(np.full(5, 3.0)), 1.0)
    with pytest.raises(EstimationError):
        kish_deff(np.zeros(3))
