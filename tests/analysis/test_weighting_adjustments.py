"""Trimming with re-raking, post-stratification and the collapsing of sparse categories."""

from __future__ import annotations

import numpy as np
import pytest

from analysis.errors import WeightingError
from analysis.weighting.collapse import CollapseRule, collapse_categories
from analysis.weighting.poststrat import poststratify
from analysis.weighting.raking import margin_errors
from analysis.weighting.trimming import trim_and_rake


def _skewed_sample(seed: int = 0):
    """Heavy-tailed design weights; margins close to the sample's own distribution."""
    rng = np.random.default_rng(seed)
    n = 400
    a = rng.choice(3, n, p=[0.5, 0.3, 0.2])
    b = rng.integers(0, 2, n)
    weights = rng.lognormal(0.0, 1.0, n)
    margins = [
        (a, np.bincount(a, minlength=3) * np.array([2.0, 2.5, 3.0])),
        (b, np.full(2, 0.0)),
    ]
    total = margins[0][1].sum()
    margins[1] = (b, np.array([0.45, 0.55]) * total)
    return weights, margins


def test_trim_and_rake_meets_cap_and_margins():
    weights, margins = _skewed_sample()
    result = trim_and_rake(weights, margins, max_ratio=4.0)
    assert result.converged and result.rounds >= 1
    median = np.median(result.weights)
    assert result.weights.max() <= 4.0 * median * (1 + 1e-9)
    assert margin_errors(result.weights, margins) < 1e-9


def test_trim_and_rake_reports_when_the_cap_cannot_hold():
    weights, margins = _skewed_sample()
    tight = (2.4, 2.6)  # category 0 needs mean weight 2, category 2 needs 3
    result = trim_and_rake(weights, margins, bounds=tight, max_rounds=3)
    assert not result.converged and result.rounds == 3
    assert result.weights.min() < tight[0] or result.weights.max() > tight[1]
    assert result.margin_error < 1e-9


def test_trim_and_rake_rejects_a_ratio_below_one():
    weights, margins = _skewed_sample()
    with pytest.raises(WeightingError):
        trim_and_rake(weights, margins, max_ratio=0.5)


def test_poststratify_scales_each_cell():
    w = poststratify([1.0, 1.0, 2.0, 4.0], np.array([0, 0, 1, 1]), [10.0, 12.0])
    assert np.allclose(w, [5.0, 5.0, 4.0, 8.0])


def test_poststratify_names_the_empty_cell():
    with pytest.raises(WeightingError) as info:
        poststratify([1.0, 1.0], np.array([0, 0]), [10.0, 5.0])
    assert info.value.code == "empty_category" and info.value.params["category"] == 1


def test_collapse_merges_into_the_smaller_adjacent_category():
    codes = np.repeat([0, 1, 2, 3], [30, 3, 8, 40])
    result = collapse_categories(codes, [10.0, 1.0, 2.0, 20.0], CollapseRule(min_respondents=10))
    assert result.groups == ((0,), (1, 2), (3,))
    assert np.allclose(result.targets, [10.0, 3.0, 20.0])
    assert list(np.bincount(result.codes)) == [30, 11, 40]
    assert result.merges[0].categories == (1,) and result.merges[0].into == (2,)


def test_collapse_follows_the_declared_neighbour():
    codes = np.repeat([0, 1, 2, 3], [30, 3, 25, 40])
    rule = CollapseRule(min_respondents=10, neighbours={1: 3})
    result = collapse_categories(codes, [1.0, 1.0, 1.0, 1.0], rule)
    assert result.groups == ((0,), (1, 3), (2,))
    assert np.allclose(result.targets, [1.0, 2.0, 1.0])
    assert list(result.codes[30:33]) == [1, 1, 1]


def test_collapse_of_empty_categories_and_down_to_one_group():
    codes = np.array([0, 0, 2])
    result = collapse_categories(codes, [1.0, 2.0, 3.0], CollapseRule(min_respondents=5))
    assert result.groups == ((0, 1, 2),)
    assert np.allclose(result.targets, [6.0]) and list(result.codes) == [0, 0, 0]


def test_collapse_rejects_a_bad_neighbour():
    with pytest.raises(WeightingError) as info:
        collapse_categories(np.array([0, 1]), [1.0, 1.0], CollapseRule(neighbours={1: 5}))
    assert info.value.code == "bad_value"
