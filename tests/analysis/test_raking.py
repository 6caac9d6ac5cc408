"""Raking: R's raked weights on apiclus1, margins met, errors named, 2-D raking, properties."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.errors import WeightingError
from analysis.weighting.raking import Margin, cross_codes, margin_errors, rake


def test_raked_weight_summary_matches_r(create_apiclus1):
    api = create_apiclus1()
    result = rake(api.design.weights, api.margins)
    w = result.weights
    assert result.converged and result.max_rel_error < 1e-10
    summary = [w.min(), np.median(w), w.mean(), w.max()]
    expected = [29.87067549, 29.87067549, 33.84699454, 67.12552924]
    assert np.allclose(summary, expected, rtol=1e-9, atol=0)


def test_raked_weights_meet_the_margins(create_apiclus1):
    api = create_apiclus1()
    w = rake(api.design.weights, api.margins).weights
    assert np.allclose(np.bincount(api.stype, weights=w), [4421, 755, 1018], rtol=1e-10)
    assert np.allclose(np.bincount(api.sch_wide, weights=w), [1072, 5122], rtol=1e-10)


def test_empty_category_names_margin_and_category():
    codes = np.array([0, 0, 2, 2])
    with pytest.raises(WeightingError) as info:
        rake(np.ones(4), [Margin(codes, [2.0, 3.0, 5.0], "age_group")])
    assert info.value.code == "empty_category"
    assert info.value.params["margin"] == "age_group"
    assert info.value.params["category"] == 1
    assert "age_group" in str(info.value) and "catégorie 1" in info.value.message("fr")


def test_zero_weight_category_is_empty():
    with pytest.raises(WeightingError) as info:
        rake(np.array([1.0, 0.0, 1.0]), [(np.array([0, 1, 0]), [5.0, 5.0])])
    assert info.value.code == "empty_category"


def test_disagreeing_totals():
    codes = np.array([0, 1, 0, 1])
    with pytest.raises(WeightingError) as info:
        rake(np.ones(4), [(codes, [5.0, 5.0]), (codes[::-1].copy(), [5.0, 6.0])])
    assert info.value.code == "totals_disagree"
    assert info.value.params["margin"] == "1"


def test_codes_out_of_range():
    with pytest.raises(WeightingError) as info:
        rake(np.ones(3), [(np.array([0, 1, 3]), [1.0, 2.0])])
    assert info.value.code == "code_out_of_range"


def test_nonconvergence_is_an_error_unless_allowed():
    rng = np.random.default_rng(0)
    a, b = rng.integers(0, 3, 200), rng.integers(0, 4, 200)
    margins = [(a, [50.0, 100.0, 150.0]), (b, [75.0, 75.0, 75.0, 75.0])]
    with pytest.raises(WeightingError) as info:
        rake(rng.uniform(1, 2, 200), margins, max_iter=1)
    assert info.value.code == "not_converged"
    result = rake(rng.uniform(1, 2, 200), margins, max_iter=1, allow_nonconvergence=True)
    assert not result.converged and result.iterations == 1


def test_zero_target_zeroes_its_respondents():
    codes = np.array([0, 1, 1, 2])
    w = rake(np.ones(4), [(codes, [3.0, 0.0, 1.0])]).weights
    assert np.allclose(w, [3.0, 0.0, 0.0, 1.0])


def test_two_dimensional_weights_rake_each_row():
    rng = np.random.default_rng(1)
    a, b = rng.integers(0, 2, 100), rng.integers(0, 5, 100)
    margins = [(a, [40.0, 60.0]), (b, [20.0] * 5)]
    start = rng.uniform(0.5, 2, size=(3, 100))
    together = rake(start, margins).weights
    for row in range(3):
        assert np.allclose(together[row], rake(start[row], margins).weights, rtol=1e-9)


def test_cross_codes_lays_domains_out_row_major():
    domain = np.array([0, 1, 2, 1])
    category = np.array([1, 0, 1, 1])
    codes, sizes = cross_codes(domain, category)
    assert sizes == (3, 2)
    assert list(codes) == [1, 2, 5, 3]
    domain, category = np.repeat([0, 1, 2], 2), np.tile([0, 1], 3)
    codes, _ = cross_codes(domain, category)
    targets = np.array([[4.0, 6.0], [3.0, 7.0], [1.0, 9.0]])
    everyone = np.zeros(6, dtype=np.intp)
    w = rake(np.ones(6), [(codes, targets.ravel()), (everyone, [30.0])]).weights
    assert np.allclose(w.reshape(3, 2), targets)


@st.composite
def raking_problem(draw):
    n = draw(st.integers(20, 120))
    sizes = draw(st.lists(st.integers(2, 5), min_size=1, max_size=3))
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    margins = []
    total = float(draw(st.floats(100, 1e5)))
    for k in sizes:
        codes = np.concatenate([np.arange(k), rng.integers(0, k, n - k)])  # no empty category
        shares = rng.uniform(0.2, 1.0, k)
        margins.append((codes, total * shares / shares.sum()))
    return rng.uniform(0.5, 3.0, n), margins


@settings(max_examples=60, deadline=None)
@given(raking_problem())
def test_property_raked_weights_meet_every_margin(problem):
    weights, margins = problem
    result = rake(weights, margins, max_iter=2000, allow_nonconvergence=True)
    if result.converged:
        for codes, targets in margins:
            assert np.allclose(np.bincount(codes, weights=result.weights), targets, rtol=1e-8)
        assert margin_errors(result.weights, margins) < 1e-8


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.floats(0, 10, allow_nan=False), min_size=1, max_size=12),
    st.lists(st.integers(0, 3), min_size=1, max_size=12),
    st.lists(st.floats(0, 100, allow_nan=False), min_size=1, max_size=4),
)
def test_property_degenerate_inputs_raise_only_weighting_errors(weights, codes, targets):
    n = min(len(weights), len(codes))
    try:
        result = rake(np.array(weights[:n]), [(np.array(codes[:n]), np.array(targets))], max_iter=5)
    except WeightingError as error:
        assert error.code in {"empty_category", "code_out_of_range", "not_converged", "bad_value"}
    else:
        assert np.all(np.isfinite(result.weights))


def _rake_one_margin_at_a_time(weights, margins, sweeps):
    """Textbook IPF, margin after margin over the respondents (the reference)."""
    w = np.array(weights, dtype=float)
    for _ in range(sweeps):
        for codes, targets in margins:
            totals = np.bincount(codes, weights=w, minlength=len(targets))
            w = w * (targets / totals)[codes]
    return w


@pytest.mark.parametrize("replicates", [1, 3])
def test_small_margins_raked_on_their_cells_equal_raking_them_one_by_one(replicates):
    # 2 000 respondents, margins of 2, 3 and 4 categories (24 cells, within n / 16) and one of
    # 300: the small ones are raked together on their 24 cells, which must change nothing.
    rng = np.random.default_rng(11)
    n = 2_000
    margins = []
    for size in (2, 300, 3, 4):
        codes = np.concatenate([np.arange(size), rng.integers(0, size, n - size)])
        targets = np.bincount(codes, minlength=size) * rng.uniform(0.8, 1.2, size)
        margins.append((codes, targets / targets.sum() * 50_000.0))
    start = rng.uniform(0.5, 2.0, (replicates, n))
    raked = rake(start if replicates > 1 else start[0], margins, tol=1e-13, max_iter=500)
    assert raked.converged
    # the reference order puts the small margins first, as the grouped sweep does
    ordered = [margins[0], margins[2], margins[3], margins[1]]
    for row in range(replicates):
        reference = _rake_one_margin_at_a_time(start[row], ordered, raked.iterations)
        got = raked.weights if replicates == 1 else raked.weights[row]
        assert np.allclose(got, reference, rtol=1e-11, atol=0)
        assert margin_errors(got, margins) < 1e-12


def _rake_alone(w, codes, targets, tol, max_iter):
    """One problem raked by itself, sweep by sweep as rake_problems describes (reference)."""
    w = w.copy()
    for _ in range(max_iter):
        worst = 0.0
        for c, t in zip(codes, targets, strict=True):
            totals = np.bincount(c, weights=w, minlength=t.size)
            factor = np.divide(t, totals, out=np.zeros_like(totals), where=totals > 0)
            error = np.divide(totals, t, out=np.ones_like(totals), where=t > 0)
            worst = max(worst, float(np.abs(error - 1.0).max()))
            w *= factor[c]
        if worst < tol:
            break
    return w


@pytest.mark.parametrize("max_iter", [3, 25])
def test_many_problems_are_each_raked_as_if_alone(max_iter):
    """Problems with missing categories, and empty ones (no entry, zero targets) in the middle
    and at the end, give each the weights of raking it alone, to the last bit."""
    from analysis.weighting.problems import rake_problems

    rng = np.random.default_rng(8)
    sizes = (4, 3)
    entries = [40, 25, 0, 60, 9, 0]  # problems 2 and 5 are empty
    weights, codes, targets = [], [[], []], [[], []]
    alone = []
    for p, n in enumerate(entries):
        w = rng.gamma(2.0, size=n)
        population = w * rng.uniform(5, 30, size=n)  # margins of one population: they agree
        own_codes, own_targets = [], []
        for m, k in enumerate(sizes):
            c = rng.integers(0, k - (p % 2), size=n)  # odd problems never use the last category
            t = np.bincount(c, weights=population, minlength=k)
            own_codes.append(c)
            own_targets.append(t)
            codes[m].append(p * k + c)
            targets[m].append(t)
        weights.append(w)
        alone.append(_rake_alone(w, own_codes, own_targets, 1e-8, max_iter) if n else w)
    margins = [
        Margin(np.concatenate(codes[m]), np.concatenate(targets[m]), f"m{m}")
        for m in range(len(sizes))
    ]
    found = rake_problems(np.concatenate(weights), margins, len(entries), max_iter=max_iter)
    assert np.array_equal(found.weights, np.concatenate(alone))
    assert found.errors[2] == found.errors[5] == 0 and list(found.sweeps[[2, 5]]) == [1, 1]
    stopped = found.sweeps < max_iter
    assert stopped.sum() >= (4 if max_iter == 25 else 2)
    assert (found.errors[stopped] < 1e-8).all()
