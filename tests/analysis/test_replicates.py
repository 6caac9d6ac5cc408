"""Replicate weights: JK1 with raking redone (R reference values) and the Rao–Wu bootstrap."""

from __future__ import annotations

import numpy as np
import pytest

from analysis.errors import EstimationError
from analysis.estimators import linear as est
from analysis.variance.design import make_design
from analysis.variance.replicates import (
    replicate_domain_ratios,
    replicate_domain_totals,
    replicate_variance,
    replicate_weights,
)
from analysis.weighting.raking import rake


def _jk1_raked(api):
    return replicate_weights(api.design, "jk1", reweight=lambda w: rake(w, api.margins).weights)


def test_jk1_raked_mean_of_api00(create_apiclus1):
    api = create_apiclus1()
    reps = _jk1_raked(api)
    y = api.data["api00"].to_numpy(float)
    thetas = replicate_domain_ratios(reps, y, np.ones_like(y))
    full = est.mean(api.raked, y).estimate
    assert np.allclose(full, 641.230320927, rtol=1e-9)
    assert np.allclose(np.sqrt(replicate_variance(thetas, full, reps)), 26.8739804355, rtol=1e-8)


def test_jk1_raked_total_of_enroll(create_apiclus1):
    api = create_apiclus1()
    reps = _jk1_raked(api)
    totals = replicate_domain_totals(reps.weights, api.data["enroll"])
    full = est.total(api.raked, api.data["enroll"]).estimate
    se = np.sqrt(replicate_variance(totals, full, reps))
    assert np.allclose(se, 463582.186211, rtol=1e-8)


def test_jk1_replicates_delete_one_psu_each(create_apiclus1):
    api = create_apiclus1()
    reps = replicate_weights(api.design, "jk1")
    assert reps.replicates == 15
    zero_psus = [np.unique(api.design.clusters[row == 0]) for row in reps.weights]
    assert [list(z) for z in zero_psus] == [[r] for r in range(15)]
    kept = reps.weights[0][reps.weights[0] > 0] / api.design.weights[reps.weights[0] > 0]
    assert np.allclose(kept, 15 / 14)
    assert np.isclose(reps.scale, (757 - 15) / 757 * 14 / 15)


def test_jk1_refuses_stratified_design():
    design = make_design(np.ones(4), strata=[0, 0, 1, 1], clusters=[0, 1, 2, 3])
    with pytest.raises(EstimationError) as info:
        replicate_weights(design, "jk1")
    assert info.value.code == "bad_value"


def test_bootstrap_is_seeded_and_rescaled():
    strata = np.repeat([0, 1], [30, 40])
    clusters = np.repeat(np.arange(14), 5)  # 6 PSUs in stratum 0, 8 in stratum 1
    design = make_design(np.full(70, 2.0), strata=strata, clusters=clusters)
    first = replicate_weights(design, "bootstrap", replicates=200, seed=7)
    again = replicate_weights(design, "bootstrap", replicates=200, seed=7)
    other = replicate_weights(design, "bootstrap", replicates=200, seed=8)
    assert np.array_equal(first.weights, again.weights)
    assert not np.array_equal(first.weights, other.weights)
    psu_weight = first.weights[:, ::5]  # one row per PSU
    multiplicity_0 = psu_weight[:, :6] / (2.0 * 6 / 5)
    multiplicity_1 = psu_weight[:, 6:] / (2.0 * 8 / 7)
    assert np.allclose(multiplicity_0.sum(axis=1), 5)
    assert np.allclose(multiplicity_1.sum(axis=1), 7)
    assert first.scale == 1 / 200 and first.center == "full_sample"


def test_bootstrap_variance_close_to_linearization():
    rng = np.random.default_rng(3)
    clusters = np.repeat(np.arange(40), 25)
    strata = clusters // 10
    y = rng.normal(size=1000) + rng.normal(size=40)[clusters]
    design = make_design(rng.uniform(1, 3, 1000), strata=strata, clusters=clusters)
    reps = replicate_weights(design, "bootstrap", replicates=2000, seed=1)
    full = est.mean(design, y)
    thetas = replicate_domain_ratios(reps, y, np.ones_like(y))[:, 0]
    boot_se = np.sqrt(replicate_variance(thetas, full.estimate, reps))
    assert abs(boot_se / full.se - 1) < 0.1


def test_replicate_domain_totals_match_a_loop():
    rng = np.random.default_rng(0)
    weights = rng.uniform(0, 2, size=(6, 50))
    values = rng.normal(size=50)
    codes = rng.integers(0, 4, 50)
    fast = replicate_domain_totals(weights, values, codes, 4)
    slow = np.array([[np.sum(w * values * (codes == d)) for d in range(4)] for w in weights])
    assert np.allclose(fast, slow)


def test_replicate_variance_centres():
    reps = replicate_weights(make_design(np.ones(4), clusters=[0, 1, 2, 3]), "jk1")
    thetas = np.array([1.0, 2.0, 3.0, 6.0])
    around_mean = replicate_variance(thetas, 2.0, reps)
    around_full = replicate_variance(thetas, 2.0, reps, center="full_sample")
    assert np.isclose(around_mean, 0.75 * 14.0)
    assert np.isclose(around_full, 0.75 * 18.0)


def test_reweight_must_keep_the_shape():
    design = make_design(np.ones(6), clusters=[0, 0, 1, 1, 2, 2])
    with pytest.raises(EstimationError) as info:
        replicate_weights(design, "jk1", reweight=lambda w: w[:, :3])
    assert info.value.code == "bad_shape"


def test_unknown_method():
    with pytest.raises(EstimationError) as info:
        replicate_weights(make_design(np.ones(3)), "brr")
    assert info.value.code == "unknown_option"
