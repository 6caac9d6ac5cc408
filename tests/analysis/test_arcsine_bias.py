"""Anscombe's transform at small expected counts: its bias, and the model fitted without it."""

from __future__ import annotations

import numpy as np
from scipy.stats import binom

from analysis.sae.anscombe import anscombe, transform_bias
from analysis.sae.arcsine import fit_proportions


def _exact(n: int, p: float) -> float:
    counts = np.arange(n + 1)
    return float(binom.pmf(counts, n, p) @ anscombe(counts / n, n) - np.arcsin(np.sqrt(p)))


def test_the_transform_bias_is_the_binomial_expectation() -> None:
    cases = [(30, 0.01), (100, 0.01), (100, 0.3), (1000, 0.05), (5000, 0.3), (7, 0.5)]
    n = np.array([c[0] for c in cases], dtype=float)
    p = np.array([c[1] for c in cases])
    assert np.allclose(transform_bias(n, p), [_exact(*c) for c in cases], rtol=1e-9, atol=1e-15)
    # +19 % of a 1 % rate at n = 100 once back on the rate scale
    theta = np.arcsin(0.1) + transform_bias(100.0, 0.01)
    assert 0.18 < np.sin(theta) ** 2 / 0.01 - 1 < 0.20
    # a fractional size lies between its neighbours; a sample zero at p = 0 is all mass at 0
    assert _exact(100, 0.01) < transform_bias(99.5, 0.01) < _exact(99, 0.01)
    assert np.isclose(transform_bias(100.0, 0.0), anscombe(0.0, 100.0))


def test_the_model_recovers_a_rare_rate_from_small_areas() -> None:
    rng = np.random.default_rng(11)
    m, n, rate = 3000, 80, 0.01
    p = rng.binomial(n, rate, m) / n
    found = fit_proportions(p, np.full(m, float(n)), np.zeros((m, 0)), ())
    # 2,400 expected events: the pooled rate is known to about ±2 %; without the correction
    # the model's rate is about 15 % too high
    assert abs(found.estimate.mean() / rate - 1) < 0.06
