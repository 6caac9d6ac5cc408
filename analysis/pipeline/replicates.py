"""Rao–Wu rescaled bootstrap replicate weights with the whole weighting redone in each replicate.

Respondents are the PSUs, stratified by municipality: each replicate draws ``n_h - 1`` of the
``n_h`` respondents of every municipality with replacement (:func:`analysis.variance.replicates.
bootstrap_factors`). A municipality with a single respondent has no variance to estimate; its
respondent keeps factor 1 in every replicate. The replicate base weights (design weights 1
times the factors) then go through the same collapsing, raking and trimming as the full sample
(:func:`analysis.pipeline.weighting.weigh_block`), ``block`` replicates at a time, with the
imputed cells and the choice of post-stratified municipalities kept from the full sample.
``V = (1/R) sum_r (θ_r - θ)^2`` (:func:`analysis.variance.replicates.replicate_variance`).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from numpy.typing import NDArray

from analysis.pipeline.plan import WeightingPlan
from analysis.pipeline.weighting import FullSampleWeights, WeightingSettings, weigh_block
from analysis.variance.design import make_design
from analysis.variance.replicates import ReplicateWeights, bootstrap_factors

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.intp]
#: Called after each block of replicates with (replicates done, replicates in all).
BlockProgress = Callable[[int, int], None]


def municipal_bootstrap_factors(
    municipality: IntArray, replicates: int, rng: np.random.Generator
) -> FloatArray:
    """Rao–Wu factors (R, n) with respondents as PSUs and municipalities as strata.

    Respondents alone in their municipality keep factor 1.
    """
    counts = np.bincount(municipality)
    lonely = counts[municipality] < 2
    factors = np.ones((replicates, municipality.size))
    drawn = np.flatnonzero(~lonely)
    if drawn.size:
        design = make_design(np.ones(drawn.size), strata=municipality[drawn])
        factors[:, drawn] = bootstrap_factors(design, replicates, rng)
    return factors


def replicate_weight_matrix(
    plan: WeightingPlan,
    full: FullSampleWeights,
    settings: WeightingSettings,
    replicates: int,
    rng: np.random.Generator,
    *,
    block: int = 50,
    progress: BlockProgress | None = None,
) -> ReplicateWeights:
    """Final replicate weights (R, n) of the respondent table (0 outside the weighting)."""
    members = full.members
    factors = municipal_bootstrap_factors(plan.municipality[members], replicates, rng)
    weights = np.zeros((replicates, plan.municipality.size))
    for start in range(0, replicates, block):
        stop = min(start + block, replicates)
        weighted = weigh_block(plan, factors[start:stop], members, settings, single=full.single)
        weights[start:stop, members] = weighted.weights
        if progress is not None:
            progress(stop, replicates)
    return ReplicateWeights(weights, 1.0 / replicates, "full_sample", "bootstrap")
