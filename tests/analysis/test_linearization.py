"""The stratified cluster variance formula and the design object."""

from __future__ import annotations

import numpy as np
import pytest

from analysis.errors import EstimationError
from analysis.variance.design import make_design
from analysis.variance.linearization import stratified_cluster_variance


def test_stratified_cluster_variance_by_hand():
    # stratum 0: PSUs a (1, 2) and b (4); stratum 1: PSUs c (3), d (5), e (10)
    scores = np.array([1.0, 2.0, 4.0, 3.0, 5.0, 10.0])
    strata = np.array([0, 0, 0, 1, 1, 1])
    clusters = np.array(["a", "a", "b", "c", "d", "e"])
    fpc = np.array([4, 4, 4, 6, 6, 6])
    design = make_design(np.ones(6), strata=strata, clusters=clusters, fpc=fpc)
    # stratum 0: PSU totals 3, 4 -> mean 3.5, SS 0.5; (1 - 2/4) × 2/1 × 0.5 = 0.5
    # stratum 1: totals 3, 5, 10 -> mean 6, SS 9 + 1 + 16 = 26; (1 - 3/6) × 3/2 × 26 = 19.5
    assert np.isclose(stratified_cluster_variance(scores, design), 20.0)
    no_fpc = make_design(np.ones(6), strata=strata, clusters=clusters)
    assert np.isclose(stratified_cluster_variance(scores, no_fpc), 2 * 0.5 + 1.5 * 26)


def test_score_columns_are_independent():
    rng = np.random.default_rng(0)
    design = make_design(np.ones(30), clusters=np.repeat(np.arange(10), 3))
    scores = rng.normal(size=(30, 3))
    together = stratified_cluster_variance(scores, design)
    for j in range(3):
        assert np.isclose(together[j], stratified_cluster_variance(scores[:, j], design))


def test_lonely_psu_fails_unless_removed():
    design = make_design(np.ones(3), strata=[0, 1, 1], clusters=[0, 1, 2])
    with pytest.raises(EstimationError) as info:
        stratified_cluster_variance(np.array([1.0, 2.0, 4.0]), design)
    assert info.value.code == "lonely_psu" and info.value.params["stratum"] == 0
    removed = stratified_cluster_variance(np.array([1.0, 2.0, 4.0]), design, lonely_psu="remove")
    assert np.isclose(removed, 2.0 * 2.0)


def test_same_psu_id_in_two_strata_is_two_psus():
    design = make_design(np.ones(4), strata=[0, 0, 1, 1], clusters=[1, 2, 1, 2])
    assert design.n_psu == 4 and design.degrees_of_freedom == 2


def test_fpc_must_be_constant_and_large_enough():
    with pytest.raises(EstimationError):
        make_design(np.ones(3), clusters=[0, 1, 2], fpc=[2, 2, 2])
    with pytest.raises(EstimationError):
        make_design(np.ones(3), clusters=[0, 1, 2], fpc=[5, 6, 5])


def test_restrict_zeroes_weights_and_keeps_rows():
    design = make_design([1.0, 2.0, 3.0])
    domain = design.restrict(np.array([True, False, True]))
    assert domain.n == 3 and list(domain.weights) == [1.0, 0.0, 3.0]
