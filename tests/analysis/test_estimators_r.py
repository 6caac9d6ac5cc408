"""Linearization estimates on apiclus1 against the values printed by R 4.2.2 / survey 4.1-1."""

from __future__ import annotations

import numpy as np

from analysis.estimators import linear as est
from analysis.variance.design import CalibrationModel, make_design
from analysis.variance.linearization import calibration_residuals

EST_RTOL = 1e-9
SE_RTOL = 1e-8


def test_raked_mean_of_api00(create_apiclus1):
    api = create_apiclus1()
    result = est.mean(api.raked, api.data["api00"])
    assert np.allclose(result.estimate, 641.230320927, rtol=EST_RTOL, atol=0)
    assert np.allclose(result.se, 23.7036168879, rtol=SE_RTOL, atol=0)
    assert result.respondents == 183


def test_raked_total_of_enroll(create_apiclus1):
    api = create_apiclus1()
    result = est.total(api.raked, api.data["enroll"])
    assert np.allclose(result.estimate, 3647280.14807, rtol=EST_RTOL, atol=0)
    assert np.allclose(result.se, 400603.256862, rtol=SE_RTOL, atol=0)


def test_raked_domain_means_by_stype(create_apiclus1):
    api = create_apiclus1()
    result = est.domain_means(api.raked, api.data["api00"], api.stype, 3)
    assert np.allclose(
        result.estimate, [647.446579228, 621.291861055, 629.021538267], rtol=EST_RTOL, atol=0
    )
    assert np.allclose(result.se, [22.8084121941, 36.7431448778, 29.9628809591], rtol=SE_RTOL)
    assert list(result.respondents) == [144, 14, 25]


def test_domain_means_equal_one_domain_at_a_time(create_apiclus1):
    api = create_apiclus1()
    together = est.domain_means(api.raked, api.data["api00"], api.stype, 3)
    for k in range(3):
        alone = est.mean(api.raked, api.data["api00"], domain=api.stype == k)
        assert np.isclose(alone.estimate, together.estimate[k], rtol=1e-13)
        assert np.isclose(alone.se, together.se[k], rtol=1e-10)


def test_domain_by_zero_weights_differs_from_subsetting(create_apiclus1):
    api = create_apiclus1()
    high = api.stype == 1
    in_domain = est.mean(api.design, api.data["api00"], domain=high)
    subset = make_design(
        api.data["pw"][high], clusters=api.data["dnum"][high], fpc=api.data["fpc"][high]
    )
    alone = est.mean(subset, api.data["api00"][high])
    assert np.isclose(in_domain.estimate, alone.estimate, rtol=1e-12)
    # districts without a high school still count as PSUs in the domain design
    assert not np.isclose(in_domain.se, alone.se, rtol=1e-3)


def test_raked_proportion_both_yes(create_apiclus1):
    api = create_apiclus1()
    result = est.proportion(api.raked, (api.data["both"] == "Yes").to_numpy(float))
    assert np.allclose(result.estimate, 0.6801575413, rtol=1e-9, atol=0)
    assert round(result.se, 5) == 0.01616


def test_unraked_mean_of_api00(create_apiclus1):
    api = create_apiclus1()
    result = est.mean(api.design, api.data["api00"])
    assert np.allclose(result.estimate, 644.16939891, rtol=EST_RTOL, atol=0)
    assert np.allclose(result.se, 23.54224069, rtol=SE_RTOL, atol=0)


def test_r_rake_backfitting_agrees_with_exact_projection(create_apiclus1):
    """R rake() runs ten sweeps of unweighted centring; the projection is its limit."""
    api = create_apiclus1()
    y = api.data["api00"].to_numpy(float)
    w = api.raked.weights
    scores = w * (y - np.dot(w, y) / w.sum()) / w.sum()
    backfit = scores.copy()
    for _ in range(10):
        for codes in (api.stype, api.sch_wide):
            z = backfit / w
            means = np.bincount(codes, weights=z) / np.bincount(codes)
            backfit = w * (z - means[codes])
    model = CalibrationModel(api.raked.calibration.x, w, np.ones_like(w))
    exact = calibration_residuals(scores, model)
    assert np.allclose(backfit, exact, rtol=0, atol=1e-12 * np.abs(scores).max())


def test_ratio_scale_per_thousand(create_apiclus1):
    api = create_apiclus1()
    y = api.data["api00"].to_numpy(float)
    x = api.data["enroll"].to_numpy(float)
    plain = est.ratio(api.raked, y, x)
    per_thousand = est.ratio(api.raked, y, x, scale=1000.0)
    assert np.isclose(per_thousand.estimate, 1000 * plain.estimate)
    assert np.isclose(per_thousand.se, 1000 * plain.se)
    direct = np.dot(api.raked.weights, y) / np.dot(api.raked.weights, x)
    assert np.isclose(plain.estimate, direct, rtol=1e-14)
