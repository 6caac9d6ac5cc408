"""The arcsine model's back-transform: E[sin²θ | y] with θ | y ~ N(θ̂, g1), or σ²_u if synthetic."""

from __future__ import annotations

import numpy as np
from scipy.integrate import quad
from scipy.stats import norm

from analysis.sae.arcsine import back_transform, fit_proportions


def _moment(power: int, centre: float, variance: float, shift: float = 0.0) -> float:
    """``E[(sin²θ − shift)^power]`` for ``θ ~ N(centre, variance)``, by quadrature."""
    sd = np.sqrt(variance)
    value, _ = quad(
        lambda t: (np.sin(t) ** 2 - shift) ** power * norm.pdf(t, centre, sd),
        centre - 12 * sd,
        centre + 12 * sd,
        epsabs=1e-13,
        epsrel=1e-11,
        limit=200,
    )
    return value


def test_the_estimate_integrates_sin_squared_against_the_conditional_distribution() -> None:
    theta = np.array([0.02, 0.1, 0.45, 0.8, 1.5])
    g1 = np.array([4e-4, 2e-3, 1e-3, 5e-3, 3e-4])
    mse = 3.0 * g1  # the MSE adds the cost of estimating β and σ²_u
    p, se, low, high = back_transform(theta, mse, g1)
    for i in range(theta.size):
        assert np.isclose(p[i], _moment(1, theta[i], g1[i]), rtol=1e-9, atol=1e-14)
        # the SE is the root of the MSE of p̂ with the prediction error θ − θ̂ ~ N(0, m)
        assert np.isclose(se[i] ** 2, _moment(2, theta[i], mse[i], p[i]), rtol=1e-7, atol=1e-16)
        # corrected with the MSE instead, the rate would be higher where sin² is convex
        if theta[i] < np.pi / 4:
            assert _moment(1, theta[i], mse[i]) > p[i] * (1 + 1e-6)
    half = 1.959963984540054 * np.sqrt(mse)
    assert np.allclose(low, np.sin(np.clip(theta - half, 0, np.pi / 2)) ** 2, atol=1e-15)
    assert np.allclose(high, np.sin(np.clip(theta + half, 0, np.pi / 2)) ** 2, atol=1e-15)
    assert np.all(low <= p) and np.all(p <= high)


def test_areas_in_the_fit_use_g1_and_synthetic_areas_sigma2_u() -> None:
    rng = np.random.default_rng(5)
    m = 30
    share = rng.uniform(0.1, 0.3, m)
    n = rng.integers(40, 400, m).astype(float)
    truth = np.clip(0.03 + 0.2 * (share - 0.2) + rng.normal(0, 0.01, m), 0.002, 0.5)
    p = rng.binomial(n.astype(int), truth) / n
    p[:3], n[:3] = np.nan, 0.0  # three areas without respondents
    areas = fit_proportions(p, n, share[:, None], ("share",))
    fit = areas.fit
    assert areas.source[:3] == ("synthetic",) * 3 and set(areas.source[3:]) == {"eblup"}
    assert fit.sigma2_u > 0
    theta = np.clip(fit.eblup, 0, np.pi / 2)
    g1 = fit.gamma * (1 / (4 * n[3:] + 2))
    assert np.allclose(fit.g1, g1, rtol=1e-12)
    for d in range(3, m):
        expected = _moment(1, theta[d - 3], g1[d - 3])
        assert np.isclose(areas.estimate[d], expected, rtol=1e-9, atol=1e-14)
    x = areas.covariates.matrix(share[:, None], ("share",))
    _, synthetic_mse = fit.synthetic(x[:3])
    for d in range(3):
        centre = float(np.clip(areas.synthetic_theta[d], 0, np.pi / 2))
        assert np.isclose(areas.estimate[d], _moment(1, centre, fit.sigma2_u), rtol=1e-9)
        # the interval is built with the synthetic MSE x'Var(β)x + σ²_u, larger than σ²_u,
        # which the point estimate no longer uses
        half = 1.959963984540054 * np.sqrt(synthetic_mse[d])
        assert np.isclose(areas.high[d], np.sin(min(centre + half, np.pi / 2)) ** 2)
        assert synthetic_mse[d] > fit.sigma2_u * (1 + 1e-3)
        assert areas.estimate[d] < _moment(1, centre, synthetic_mse[d])
