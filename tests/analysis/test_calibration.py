"""Calibration: raking calibration equals IPF, GREG, bounded logit, the margin design matrix."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.errors import WeightingError
from analysis.weighting.calibration import calibrate, margin_design_matrix
from analysis.weighting.poststrat import poststratify
from analysis.weighting.raking import rake


def test_raking_calibration_equals_rake_on_apiclus1(create_apiclus1):
    api = create_apiclus1()
    design = margin_design_matrix([api.stype, api.sch_wide])
    totals = design.totals([t for _, t in api.margins])
    result = calibrate(design.matrix, api.design.weights, totals, method="raking")
    assert result.converged
    assert np.allclose(result.weights, api.raked.weights, rtol=1e-10, atol=0)
    assert np.allclose(result.g, result.weights / api.design.weights)


def test_margin_design_matrix_drops_one_column_per_extra_margin():
    a = np.array([0, 1, 2, 0, 1])
    b = np.array([1, 0, 1, 0, 1])
    design = margin_design_matrix([a, b])
    assert design.dropped == ((1, 0),)
    assert design.columns == ((0, 0), (0, 1), (0, 2), (1, 1))
    dense = design.matrix.toarray()
    assert np.array_equal(
        dense, [[1, 0, 0, 1], [0, 1, 0, 0], [0, 0, 1, 1], [1, 0, 0, 0], [0, 1, 0, 1]]
    )
    assert np.linalg.matrix_rank(dense) == 4
    assert list(design.totals([[5, 6, 7], [8, 10]])) == [5, 6, 7, 10]


def test_collinear_model_matrix_is_singular():
    x = np.column_stack([np.ones(5), np.ones(5)])
    with pytest.raises(WeightingError) as info:
        calibrate(x, np.ones(5), [6.0, 6.0])
    assert info.value.code == "singular_model"


def test_margin_design_matrix_stays_sparse_for_large_samples():
    rng = np.random.default_rng(0)
    n = 100_000
    codes = [rng.integers(0, k, n) for k in (2, 4, 6, 1100)]
    design = margin_design_matrix(codes, sizes=[2, 4, 6, 1100])
    assert design.matrix.shape == (n, 2 + 3 + 5 + 1099)
    assert design.matrix.nnz <= 4 * n


def test_linear_calibration_on_one_margin_is_poststratification():
    rng = np.random.default_rng(2)
    codes = rng.integers(0, 3, 50)
    d = rng.uniform(1, 4, 50)
    totals = np.array([100.0, 200.0, 300.0])
    x = margin_design_matrix([codes]).matrix
    result = calibrate(x, d, totals, method="linear")
    assert np.allclose(result.weights, poststratify(d, codes, totals), rtol=1e-10)


def test_linear_calibration_matches_the_closed_form_greg():
    rng = np.random.default_rng(4)
    x = np.column_stack([np.ones(40), rng.normal(size=40)])
    d = rng.uniform(1, 2, 40)
    totals = np.array([70.0, 5.0])
    result = calibrate(x, d, totals)
    lam = np.linalg.solve(x.T @ (d[:, None] * x), totals - x.T @ d)
    assert np.allclose(result.g, 1 + x @ lam)
    assert result.iterations == 1


def test_bounded_linear_calibration_truncates():
    rng = np.random.default_rng(5)
    codes = np.concatenate([np.zeros(30, int), np.ones(10, int)])
    x = np.column_stack([np.ones(40), codes]).astype(float)
    d = np.ones(40) + rng.uniform(0, 0.5, 40)
    totals = np.array([60.0, 20.0])
    result = calibrate(x, d, totals, bounds=(0.5, 1.8))
    assert np.all(result.g <= 1.8 + 1e-12) and np.all(result.g >= 0.5 - 1e-12)
    assert np.allclose(x.T @ result.weights, totals, rtol=1e-9)


def test_bad_bounds_and_unknown_method():
    x = np.ones((3, 1))
    with pytest.raises(WeightingError) as info:
        calibrate(x, np.ones(3), [3.0], method="logit", bounds=(1.0, 2.0))
    assert info.value.code == "bad_bounds"
    with pytest.raises(WeightingError) as info:
        calibrate(x, np.ones(3), [3.0], method="logit")
    assert info.value.code == "bad_bounds"
    with pytest.raises(WeightingError) as info:
        calibrate(x, np.ones(3), [3.0], method="cubic")  # type: ignore[arg-type]
    assert info.value.code == "unknown_option"


def test_infeasible_logit_bounds_do_not_converge():
    x = np.ones((4, 1))
    with pytest.raises(WeightingError) as info:
        calibrate(x, np.ones(4), [40.0], method="logit", bounds=(0.5, 2.0))
    assert info.value.code == "not_converged"


@st.composite
def calibration_problem(draw):
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    n = draw(st.integers(30, 150))
    sizes = draw(st.lists(st.integers(2, 4), min_size=1, max_size=3))
    codes = [np.concatenate([np.arange(k), rng.integers(0, k, n - k)]) for k in sizes]
    d = rng.uniform(1.0, 3.0, n)
    total = d.sum() * draw(st.floats(0.8, 1.25))
    targets = []
    for c, k in zip(codes, sizes, strict=True):
        # targets near the sample's own distribution, so bounded solutions exist
        shares = np.bincount(c, weights=d, minlength=k) / d.sum()
        shares = shares * rng.uniform(0.85, 1.15, k)
        targets.append(total * shares / shares.sum())
    return d, codes, targets


@settings(max_examples=40, deadline=None)
@given(calibration_problem())
def test_property_rake_and_raking_calibration_agree(problem):
    d, codes, targets = problem
    raked = rake(d, list(zip(codes, targets, strict=True)), tol=1e-13, max_iter=5000)
    design = margin_design_matrix(codes)
    calibrated = calibrate(design.matrix, d, design.totals(targets), method="raking", tol=1e-13)
    assert np.allclose(calibrated.weights, raked.weights, rtol=1e-8, atol=0)


@settings(max_examples=40, deadline=None)
@given(calibration_problem())
def test_property_logit_weights_stay_inside_the_bounds(problem):
    d, codes, targets = problem
    design = margin_design_matrix(codes)
    bounds = (0.4, 2.5)
    result = calibrate(
        design.matrix,
        d,
        design.totals(targets),
        method="logit",
        bounds=bounds,
        allow_nonconvergence=True,
    )
    assert np.all(result.g > bounds[0]) and np.all(result.g < bounds[1])
    if result.converged:
        assert np.allclose(design.matrix.T @ result.weights, design.totals(targets), rtol=1e-8)
