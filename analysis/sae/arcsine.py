"""Fay–Herriot for proportions on the arcsine scale, with a bias-corrected back-transform.

On the percent scale the sampling variance of a proportion depends on the proportion itself
and the linear model predicts outside 0–100. On ``θ = arcsin(√p)`` the sampling variance is
nearly ``1 / (4 n_eff,d)`` whatever p, with ``n_eff,d`` the domain's smoothed effective
sample size (:class:`analysis.estimators.gvf.VarianceFunction`): known, as the model wants,
and positive even for a sample zero. So:

1. every area with at least one respondent enters the fit, with Anscombe's form of the
   transform, ``y_d = arcsin √((n p̂_d + 3/8) / (n + 3/4))`` (``n = n_eff,d``; the plain
   ``arcsin √p̂`` is biased downwards at small rates, by about 5 % of a 5 % rate at
   ``n_eff = 100``), minus Anscombe's own bias when the expected count is small
   (:func:`analysis.sae.anscombe.transform_bias`, +19 % of a 1 % rate at ``n_eff = 100``)
   read at a reference rate: first the indicator's pooled rate (``reference_rate``, or the
   effective-size weighted mean of the areas), then, in a second fit, each area's synthetic
   rate ``sin²(x_d'β̂)`` from the first; ``ψ_d = 1/(4 n_eff,d + 2)``; a sample zero enters
   like any other area;
2. covariates are standardised and screened (:mod:`analysis.sae.covariates`); the model is
   :func:`analysis.sae.fay_herriot.fit_fay_herriot` with the adjusted REML of Li and Lahiri
   (σ²_u never 0 on a dozen areas) and the Prasad–Rao MSE on the θ scale;
   if it cannot be fitted, it is refitted with the intercept alone, and the fallback is named;
3. EBLUP ``θ̂_d`` (areas in the fit) or synthetic ``x_d'β̂`` with MSE ``x'Var(β)x + σ²_u``
   (areas without respondents, covariates clipped to the fit range), then ``θ̂`` is kept in
   ``[0, π/2]``;
4. back-transform: the predictor of ``p_d = sin²θ_d`` is ``E[sin²θ_d | y]``, with
   ``θ_d | y ~ N(θ̂_d, v_d)``, ``v_d = g1_d = γ_d ψ_d`` in the fit and ``v_d = σ²_u`` for a
   synthetic area (the bias-corrected back-transform of Slud and Maiti, 2006):
   ``p̂ = (1 - cos(2θ̂) e^(-2v)) / 2``. The MSE ``m`` (``g1 + g2 + 2 g3``, or
   ``x'Var(β)x + σ²_u``) is not the variance of that distribution: its ``g2 + 2 g3`` is the
   cost of estimating β and σ²_u, and correcting with it overstates rare rates. The MSE of
   ``p̂`` is taken with the prediction error ``θ − θ̂ ~ N(0, m)``:
   ``E[(sin²θ - p̂)²] = E[sin⁴θ] - 2 p̂ E[sin²θ] + p̂²`` with
   ``E[sin²θ] = (1 - cos(2θ̂) e^(-2m)) / 2``,
   ``E[sin⁴θ] = (3 - 4 cos(2θ̂) e^(-2m) + cos(4θ̂) e^(-8m)) / 8``; SE its root (exact under
   that normal approximation, positive at a rate near 0 where the delta method's
   ``|sin 2θ̂| √m`` vanishes); interval ``sin²(θ̂ ± q √m)`` (limits kept in ``[0, π/2]``
   before ``sin²``): built on the θ scale with the MSE, never symmetric around p̂, never
   below 0 or above 1.

References: Fay and Herriot (1979), Prasad and Rao (1990); the arcsine transform for rates in
small-area estimation: Raghunathan et al. (2007), Casas-Cordero, Encina and Lahiri (2016);
the back-transform: Slud and Maiti (2006), as R ``emdi::fh(transformation = "arcsin",
backtransformation = "bc")``, which integrates ``sin²`` against ``N(θ̂, σ²_u (1 - γ))``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy.special import ndtri

from analysis.errors import ModelError
from analysis.sae.anscombe import anscombe, transform_bias
from analysis.sae.covariates import ScreenedCovariates, screen_covariates
from analysis.sae.fay_herriot import FayHerriotFit, fit_fay_herriot

FloatArray = NDArray[np.float64]
HALF_PI = np.pi / 2


@dataclass(frozen=True)
class ProportionAreas:
    """Model estimates of every area (p scale, 0..1) and the model that made them."""

    estimate: FloatArray
    se: FloatArray
    low: FloatArray
    high: FloatArray
    #: "eblup" (area in the fit) or "synthetic" (no respondent).
    source: tuple[str, ...]
    #: e.g. "fay_herriot_arcsine: intercept + share_15_24" (with the fallback, if any).
    model: str
    fit: FayHerriotFit
    covariates: ScreenedCovariates
    #: θ-scale synthetic values of every area (x'β, covariates clipped to the fit range).
    synthetic_theta: FloatArray
    #: θ-scale synthetic value of every area with its own direct estimate left out of β̂
    #: (``x_d'β̂_(-d)``, σ²_u held at the full fit; :func:`held_out_synthetic`): what the
    #: other areas expect of it. Equal to ``synthetic_theta`` for areas outside the fit.
    held_out_theta: FloatArray | None = None


def back_transform(
    theta: ArrayLike, mse: ArrayLike, variance: ArrayLike, *, level: float = 0.95
) -> tuple[FloatArray, FloatArray, FloatArray, FloatArray]:
    """(p̂, SE, low, high) from θ̂, its MSE and the variance of ``θ | y`` (step 4 of the
    module docstring): ``variance`` is g1 for an area in the fit, σ²_u for a synthetic one."""
    t = np.clip(np.asarray(theta, dtype=np.float64), 0.0, HALF_PI)
    m = np.maximum(np.asarray(mse, dtype=np.float64), 0.0)
    v = np.maximum(np.asarray(variance, dtype=np.float64), 0.0)
    p = (1.0 - np.cos(2 * t) * np.exp(-2 * v)) / 2.0
    c2 = np.cos(2 * t) * np.exp(-2 * m)
    second = (1.0 - c2) / 2.0
    fourth = (3.0 - 4.0 * c2 + np.cos(4 * t) * np.exp(-8 * m)) / 8.0
    se = np.sqrt(np.maximum(fourth - 2.0 * p * second + p * p, 0.0))
    q = float(ndtri(1.0 - (1.0 - level) / 2.0))
    half = q * np.sqrt(m)
    low = np.sin(np.clip(t - half, 0.0, HALF_PI)) ** 2
    high = np.sin(np.clip(t + half, 0.0, HALF_PI)) ** 2
    return p, se, low, high


def fit_proportions(
    p: ArrayLike,
    effective_n: ArrayLike,
    raw_covariates: ArrayLike,
    columns: tuple[str, ...],
    *,
    level: float = 0.95,
    areas_per_covariate: int = 5,
    reference_rate: float | None = None,
) -> ProportionAreas:
    """Fit the arcsine Fay–Herriot model of the module docstring.

    ``p`` direct proportions (0..1, NaN without respondents), ``effective_n`` their smoothed
    effective sizes (0 without respondents), ``raw_covariates`` (areas × candidates) named by
    ``columns`` (no intercept: it is added). Raises :class:`ModelError` when even the
    intercept-only model cannot be fitted (fewer than two areas with respondents).
    """
    rate = np.asarray(p, dtype=np.float64)
    n_eff = np.asarray(effective_n, dtype=np.float64)
    raw = np.asarray(raw_covariates, dtype=np.float64).reshape(rate.size, len(columns))
    in_fit = np.isfinite(rate) & (n_eff > 0)
    size = np.where(in_fit, n_eff, 1.0)
    share = np.clip(np.where(in_fit, rate, 0.0), 0.0, 1.0)
    y = anscombe(share, size)
    if reference_rate is None or not 0.0 < reference_rate < 1.0:
        weight = np.where(in_fit, size, 0.0)
        reference_rate = float((weight * share).sum() / weight.sum()) if weight.sum() else 0.5
    psi = np.where(in_fit, 1.0 / (4.0 * size + 2.0), np.nan)
    screened = screen_covariates(raw, columns, in_fit, areas_per_covariate=areas_per_covariate)
    attempts = [(screened, "")]
    if screened.names:
        intercept_only = screen_covariates(raw[:, :0], (), in_fit)
        attempts.append((intercept_only, " (fallback: the model with covariates failed)"))
    problem: ModelError | None = None
    for chosen, note in attempts:
        x = chosen.matrix(raw, columns)
        try:
            fit, corrected = _fit_corrected(y, size, psi, x, in_fit, reference_rate)
        except ModelError as error:
            problem = error
            continue
        synthetic, synthetic_mse = fit.synthetic(x)
        theta = synthetic.copy()
        mse = synthetic_mse.copy()
        theta[in_fit] = fit.eblup
        mse[in_fit] = fit.mse
        variance = np.full(rate.size, fit.sigma2_u)
        variance[in_fit] = fit.g1
        estimate, se, low, high = back_transform(theta, mse, variance, level=level)
        source = tuple("eblup" if inside else "synthetic" for inside in in_fit)
        model = f"fay_herriot_arcsine: {chosen.describe()}{note}"
        held_out = synthetic.copy()
        held_out[in_fit] = held_out_synthetic(fit, corrected, psi[in_fit], x[in_fit])
        return ProportionAreas(
            estimate, se, low, high, source, model, fit, chosen, synthetic, held_out
        )
    assert problem is not None
    raise problem


def _fit_corrected(
    y: FloatArray,
    size: FloatArray,
    psi: FloatArray,
    x: FloatArray,
    in_fit: NDArray[np.bool_],
    reference_rate: float,
) -> tuple[FayHerriotFit, FloatArray]:
    """Fit on ``y`` less the transform's bias at the pooled rate, then refit with the bias at
    each area's synthetic rate (step 1 of the module docstring); the fit and the corrected
    ``y`` of the areas in it."""
    n, xs, ps = size[in_fit], x[in_fit], psi[in_fit]
    first = fit_fay_herriot(
        y[in_fit] - transform_bias(n, reference_rate), ps, xs, method="adjusted_reml"
    )
    rates = np.sin(np.clip(xs @ first.beta, 0.0, HALF_PI)) ** 2
    corrected = y[in_fit] - transform_bias(n, rates)
    return fit_fay_herriot(corrected, ps, xs, method="adjusted_reml"), corrected


def held_out_synthetic(
    fit: FayHerriotFit, y: FloatArray, psi: FloatArray, x: FloatArray
) -> FloatArray:
    """``x_d'β̂_(-d)`` for every area of the fit: the GLS coefficients without area d.

    With ``v_d = σ²_u + ψ_d`` held, ``A = X'V⁻¹X`` (``fit.beta_covariance`` is A⁻¹), the
    leverage ``h_d = x_d'A⁻¹x_d / v_d`` and the residual ``r_d = y_d − x_d'β̂``, deleting area
    d gives ``x_d'β̂_(-d) = x_d'β̂ − h_d r_d / (1 − h_d)`` (the deletion formula of weighted
    least squares). NaN where ``h_d`` is 1 (an area the others cannot predict).
    """
    v = fit.sigma2_u + psi
    fitted = x @ fit.beta
    leverage = np.einsum("ij,jk,ik->i", x, fit.beta_covariance, x) / v
    with np.errstate(divide="ignore", invalid="ignore"):
        held = fitted - leverage * (y - fitted) / (1.0 - leverage)
    return np.where(leverage < 1.0 - 1e-9, held, np.nan)
