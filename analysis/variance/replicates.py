"""Replicate weights (JK1 jackknife, Rao–Wu rescaled bootstrap) and replicate variances.

Every replicate redoes the whole weighting: the replicate base weights (design weights times
the replicate factors) go through ``reweight`` (e.g. re-raking) before any estimate. Replicate
weights are an (R, n) float array, so the estimates of all replicates are one matrix product.

- JK1 (unstratified, R ``as.svrepdesign(type="JK1")``): replicate r deletes PSU r and
  multiplies the others by ``n/(n-1)``; ``V = f × (n-1)/n × sum_r (θ_r - θ̄)^2`` with
  ``f = (N - n)/N`` when the population count of PSUs N is known (else 1) and θ̄ the mean of
  the replicates (R's default, ``survey.replicates.mse = FALSE``; ``center="full_sample"`` uses θ).
  Reference (R 4.2.2, survey 4.1-1, apiclus1 raked again in every replicate): SE of the mean of
  api00 26.8739804355, SE of the total of enroll 463582.186211.
- Rao–Wu rescaled bootstrap (Statistics Canada): in each stratum draw ``n_h - 1`` of its ``n_h``
  PSUs with replacement; replicate weight ``w × n_h/(n_h - 1) × multiplicity``;
  ``V = (1/R) sum_r (θ_r - θ)^2``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

import numpy as np
import scipy.sparse as sp
from numpy.typing import ArrayLike, NDArray

from analysis.errors import EstimationError
from analysis.variance.design import Design

FloatArray = NDArray[np.float64]
Center = Literal["replicate_mean", "full_sample"]
Reweight = Callable[[FloatArray], FloatArray]
METHODS = ("jk1", "bootstrap")


@dataclass(frozen=True)
class ReplicateWeights:
    """Final replicate weights (R, n), the variance multiplier and the centre of the deviations.

    ``V = scale × sum_r (θ_r - c)^2`` with c the replicates' mean or the full-sample estimate.
    """

    weights: FloatArray
    scale: float
    center: Center
    method: str

    @property
    def replicates(self) -> int:
        """Number of replicates R."""
        return int(self.weights.shape[0])


def jk1_factors(design: Design) -> tuple[FloatArray, float]:
    """JK1 factors (n_psu, n): 0 in the deleted PSU, n/(n-1) elsewhere; and the scale."""
    if int(design.strata.max(initial=0)) > 0:
        raise EstimationError(
            "bad_value", what="JK1", problem="the design is stratified; use the bootstrap"
        )
    n = design.n_psu
    if n < 2:
        raise EstimationError("lonely_psu", stratum=0)
    factors = np.full((n, design.n), n / (n - 1.0))
    factors[design.clusters, np.arange(design.n)] = 0.0
    fraction = 1.0
    if design.fpc is not None:
        population = float(design.fpc[0])
        fraction = (population - n) / population
    return factors, fraction * (n - 1.0) / n


def bootstrap_factors(
    design: Design, replicates: int, rng: np.random.Generator, *, block: int = 50
) -> FloatArray:
    """Rao–Wu rescaled bootstrap factors (R, n): ``n_h/(n_h - 1) × multiplicity`` of the PSU.

    Vectorised over strata: every replicate makes ``sum_h (n_h - 1)`` uniform draws, each
    mapped to a PSU of its stratum (``first PSU of h + floor(u × n_h)``), and the multiplicities
    are one ``bincount`` per block of ``block`` replicates.
    """
    n_psu = design.n_psu
    psu_stratum = np.zeros(n_psu, dtype=np.intp)
    psu_stratum[design.clusters] = design.strata
    order = np.argsort(psu_stratum, kind="stable")
    sizes = np.bincount(psu_stratum)
    if np.any(sizes < 2):
        raise EstimationError("lonely_psu", stratum=int(np.flatnonzero(sizes < 2)[0]))
    first = np.concatenate([[0], np.cumsum(sizes)[:-1]])
    slot_stratum = np.repeat(np.arange(sizes.size), sizes - 1)
    slots = slot_stratum.size
    psu_factors = np.empty((replicates, n_psu))
    scale = (sizes / (sizes - 1.0))[psu_stratum]
    slot_first, slot_size = first[slot_stratum], sizes[slot_stratum]
    # PSUs already in stratum order (respondents sorted by municipality): no reordering
    ordered = bool(np.array_equal(order, np.arange(n_psu)))
    for start in range(0, replicates, block):
        stop = min(start + block, replicates)
        count = stop - start
        u = rng.random((count, slots))
        picked = slot_first + (u * slot_size).astype(np.intp)
        psu = picked if ordered else order[picked]
        keys = (np.arange(count)[:, None] * n_psu + psu).ravel()
        multiplicity = np.bincount(keys, minlength=count * n_psu).reshape(count, n_psu)
        np.multiply(multiplicity, scale, out=psu_factors[start:stop])
    if np.array_equal(design.clusters, np.arange(design.n)):
        return psu_factors  # every respondent its own PSU, in order
    return psu_factors[:, design.clusters]


def replicate_weights(
    design: Design,
    method: str = "bootstrap",
    replicates: int = 500,
    seed: int | np.random.Generator | None = None,
    reweight: Reweight | None = None,
    *,
    block: int = 50,
) -> ReplicateWeights:
    """Replicate weights with the weighting redone in each replicate.

    ``method`` "jk1" (one replicate per PSU; ``replicates`` ignored) or "bootstrap" (``replicates``
    Rao–Wu draws from ``numpy.random.default_rng(seed)``). ``reweight`` receives a (r, n) block
    of replicate base weights (at most ``block`` rows) and returns the final weights of the same
    shape, e.g. ``lambda w: rake(w, margins).weights`` (``rake`` accepts 2-D weights).
    """
    if method == "jk1":
        factors, scale = jk1_factors(design)
        center: Center = "replicate_mean"
    elif method == "bootstrap":
        if replicates < 2:
            raise EstimationError("bad_value", what="replicates", problem="at least 2")
        factors = bootstrap_factors(design, replicates, np.random.default_rng(seed))
        scale, center = 1.0 / replicates, "full_sample"
    else:
        raise EstimationError(
            "unknown_option", what="replicate method", value=method, choices=METHODS
        )
    weights = factors * design.weights[None, :]
    if reweight is not None:
        for start in range(0, weights.shape[0], block):
            chunk = weights[start : start + block]
            result = np.asarray(reweight(chunk), dtype=np.float64)
            if result.shape != chunk.shape:
                raise EstimationError(
                    "bad_shape", what="reweight result", expected=chunk.shape, got=result.shape
                )
            weights[start : start + block] = result
    return ReplicateWeights(weights, scale, center, method)


def replicate_variance(
    replicate_estimates: ArrayLike,
    estimate: ArrayLike,
    replicates: ReplicateWeights,
    *,
    center: Center | None = None,
) -> FloatArray:
    """``scale × sum_r (θ_r - c)^2`` per column of the (R, ...) replicate estimates.

    NaN replicate estimates (a replicate that failed for that estimate: a domain left without
    weight) are left out of the sum, of θ̄ and of the divisor: with ``R_ok`` replicates left,
    ``V = scale × R / R_ok × sum_ok (θ_r - c)^2`` (for the bootstrap, ``1/R_ok × sum_ok``).
    :func:`replicates_used` counts them for the output.
    """
    thetas = np.asarray(replicate_estimates, dtype=np.float64)
    full = np.asarray(estimate, dtype=np.float64)
    chosen = center or replicates.center
    if chosen == "replicate_mean":
        with np.errstate(divide="ignore", invalid="ignore"):
            reference = np.nansum(thetas, axis=0) / replicates_used(thetas)
    elif chosen == "full_sample":
        reference = full
    else:
        raise EstimationError(
            "unknown_option", what="center", value=chosen, choices=("replicate_mean", "full_sample")
        )
    used = replicates_used(thetas)
    total = thetas.shape[0]
    with np.errstate(divide="ignore", invalid="ignore"):
        rescale = np.where(used > 0, total / np.maximum(used, 1), np.nan)
        squares = np.nansum((thetas - reference) ** 2, axis=0)
    return np.asarray(replicates.scale * rescale * squares)


def replicates_used(replicate_estimates: ArrayLike) -> NDArray[np.intp]:
    """Number of finite replicate estimates per column of an (R, ...) array."""
    thetas = np.asarray(replicate_estimates, dtype=np.float64)
    return np.asarray(np.isfinite(thetas).sum(axis=0), dtype=np.intp)


def replicate_domain_totals(
    weights: FloatArray, values: ArrayLike, codes: ArrayLike | None = None, n_domains: int = 1
) -> FloatArray:
    """Totals ``sum_{i in d} w_ri v_i`` for every replicate r and domain d: an (R, D) array.

    One sparse-dense product: the n×D matrix holding ``v_i`` in column ``codes_i``.
    """
    v = np.asarray(values, dtype=np.float64)
    n = weights.shape[-1]
    c = np.zeros(n, dtype=np.intp) if codes is None else np.asarray(codes, dtype=np.intp)
    spread = sp.csr_array((v, (np.arange(n), c)), shape=(n, n_domains))
    return np.asarray((spread.T @ weights.T).T)


def replicate_domain_ratios(
    replicates: ReplicateWeights,
    y: ArrayLike,
    x: ArrayLike,
    codes: ArrayLike | None = None,
    n_domains: int = 1,
    *,
    scale: float = 1.0,
) -> FloatArray:
    """Replicate estimates (R, D) of ``scale × Y_d / X_d``; NaN where ``X_d = 0``."""
    num = replicate_domain_totals(replicates.weights, y, codes, n_domains)
    den = replicate_domain_totals(replicates.weights, x, codes, n_domains)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(den != 0, scale * num / den, np.nan)
