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

import multiprocessing as mp
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor

import numpy as np
from numpy.typing import NDArray

from analysis.pipeline.plan import WeightingPlan
from analysis.pipeline.weighting import FullSampleWeights, WeightingSettings, weigh_block
from analysis.variance.design import make_design
from analysis.variance.replicates import ReplicateWeights, bootstrap_factors

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.intp]
BoolArray = NDArray[np.bool_]
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
    workers: int = 1,
    progress: BlockProgress | None = None,
) -> ReplicateWeights:
    """Final replicate weights (R, n) of the respondent table (0 outside the weighting).

    Blocks of ``block`` replicates are weighted by ``workers`` processes (forked, so the plan
    is shared, not copied) when there is more than one block; the factors are drawn first, in
    the parent, so the result does not depend on ``workers``.
    """
    members = full.members
    start = None if full.start is None else full.start[members]
    factors = municipal_bootstrap_factors(plan.municipality[members], replicates, rng)
    weights = np.zeros((replicates, plan.municipality.size))
    jobs = [(first, min(first + block, replicates)) for first in range(0, replicates, block)]
    if workers > 1 and len(jobs) > 1 and "fork" in mp.get_all_start_methods():
        global _SHARED
        _SHARED = (plan, factors, members, settings, full.single, start)
        try:
            context = mp.get_context("fork")
            with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
                for (first, stop), done in zip(jobs, pool.map(_weigh_job, jobs), strict=True):
                    weights[first:stop, members] = done
                    if progress is not None:
                        progress(stop, replicates)
        finally:
            _SHARED = None
    else:
        for first, stop in jobs:
            weighted = weigh_block(
                plan, factors[first:stop], members, settings, single=full.single, start=start
            )
            weights[first:stop, members] = weighted.weights
            if progress is not None:
                progress(stop, replicates)
    return ReplicateWeights(weights, 1.0 / replicates, "full_sample", "bootstrap")


#: What the forked workers read: (plan, factors, members, settings, single).
_SHARED: (
    tuple[WeightingPlan, FloatArray, IntArray, WeightingSettings, BoolArray, FloatArray | None]
    | None
) = None


def _weigh_job(job: tuple[int, int]) -> FloatArray:
    """Weights of replicates ``start:stop`` (run in a forked worker)."""
    assert _SHARED is not None
    plan, factors, members, settings, single, start = _SHARED
    first, stop = job
    return weigh_block(
        plan, factors[first:stop], members, settings, single=single, start=start
    ).weights
