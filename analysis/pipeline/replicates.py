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
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor

import numpy as np
import scipy.sparse as sp
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
    blocks = [f for _, _, f in factor_blocks(municipality, replicates, rng, replicates)]
    return np.vstack(blocks)


def factor_blocks(
    municipality: IntArray, replicates: int, rng: np.random.Generator, block: int
) -> Iterator[tuple[int, int, FloatArray]]:
    """The factors of :func:`municipal_bootstrap_factors`, ``block`` replicates at a time
    (``(first, stop, factors)``), drawn in order from ``rng``: only one block is in memory."""
    counts = np.bincount(municipality)
    drawn = np.flatnonzero(counts[municipality] >= 2)
    design = make_design(np.ones(drawn.size), strata=municipality[drawn]) if drawn.size else None
    for first in range(0, replicates, block):
        stop = min(first + block, replicates)
        factors = np.ones((stop - first, municipality.size))
        if design is not None:
            factors[:, drawn] = bootstrap_factors(design, stop - first, rng, block=block)
        yield first, stop, factors


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

    The factors are drawn block by block in the parent, in order, so the result does not
    depend on ``workers``; blocks are weighted by ``workers`` processes (forked, so the plan
    is shared, not copied), at most ``workers + 1`` blocks of factors alive at a time.
    """
    members = full.members
    weights = np.zeros((replicates, plan.municipality.size))

    def store(first: int, stop: int, done: FloatArray) -> None:
        weights[first:stop, members] = done

    _run_blocks(plan, full, settings, replicates, rng, None, block, workers, store, progress)
    return ReplicateWeights(weights, 1.0 / replicates, "full_sample", "bootstrap")


def replicate_sums(
    plan: WeightingPlan,
    full: FullSampleWeights,
    settings: WeightingSettings,
    replicates: int,
    rng: np.random.Generator,
    spread: sp.csr_array,
    *,
    block: int = 50,
    workers: int = 1,
    progress: BlockProgress | None = None,
) -> FloatArray:
    """``W @ spread`` (R, C) for the replicate weights W (R, n) of
    :func:`replicate_weight_matrix` and an n × C sparse matrix, without ever holding W: each
    block of replicates is weighted and multiplied where it was weighted (in the worker), and
    only its (B, C) sums travel back. The same factors, so the same figures, as
    ``replicate_weight_matrix(...).weights @ spread``.
    """
    rows = sp.csr_array(spread)[full.members]

    def product(weights: FloatArray) -> FloatArray:
        return np.asarray((rows.T @ weights.T).T)

    return replicate_reductions(
        plan,
        full,
        settings,
        replicates,
        rng,
        product,
        rows.shape[1],
        block=block,
        workers=workers,
        progress=progress,
    )


def replicate_reductions(
    plan: WeightingPlan,
    full: FullSampleWeights,
    settings: WeightingSettings,
    replicates: int,
    rng: np.random.Generator,
    reduce: Reduce,
    width: int,
    *,
    block: int = 50,
    workers: int = 1,
    progress: BlockProgress | None = None,
) -> FloatArray:
    """``reduce(weights)`` (B, width) of every block of replicate weights (B, members), stacked
    into an (R, width) array; ``reduce`` runs where the block was weighted (it is shared with
    the forked workers, never pickled)."""
    sums = np.zeros((replicates, width))

    def store(first: int, stop: int, done: FloatArray) -> None:
        sums[first:stop] = done

    _run_blocks(plan, full, settings, replicates, rng, reduce, block, workers, store, progress)
    return sums


def _run_blocks(
    plan: WeightingPlan,
    full: FullSampleWeights,
    settings: WeightingSettings,
    replicates: int,
    rng: np.random.Generator,
    reduce: Reduce | None,
    block: int,
    workers: int,
    store: Callable[[int, int, FloatArray], None],
    progress: BlockProgress | None,
) -> None:
    """Weight every block of replicates (then ``reduce`` it when given) and ``store`` it."""
    members = full.members
    start = None if full.start is None else full.start[members]
    blocks = factor_blocks(plan.municipality[members], replicates, rng, block)
    shared = (plan, members, settings, full.single, start, reduce)

    def keep(first: int, stop: int, done: FloatArray) -> None:
        store(first, stop, done)
        if progress is not None:
            progress(stop, replicates)

    if workers > 1 and replicates > block and "fork" in mp.get_all_start_methods():
        global _SHARED
        _SHARED = shared
        try:
            context = mp.get_context("fork")
            with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
                pending: deque[tuple[int, int, Future[FloatArray]]] = deque()
                for first, stop, factors in blocks:
                    pending.append((first, stop, pool.submit(_weigh_job, factors)))
                    if len(pending) > workers:
                        done_first, done_stop, future = pending.popleft()
                        keep(done_first, done_stop, future.result())
                while pending:
                    done_first, done_stop, future = pending.popleft()
                    keep(done_first, done_stop, future.result())
        finally:
            _SHARED = None
    else:
        for first, stop, factors in blocks:
            keep(first, stop, _weigh(shared, factors))


#: Maps a block of replicate weights (B, members) to what is kept of it (B, width).
Reduce = Callable[[FloatArray], FloatArray]
#: What the forked workers read: (plan, members, settings, single, start, reduce).
_Shared = tuple[
    WeightingPlan, IntArray, WeightingSettings, BoolArray, FloatArray | None, Reduce | None
]
_SHARED: _Shared | None = None


def _weigh(shared: _Shared, factors: FloatArray) -> FloatArray:
    """Weights of one block of replicates, or what ``reduce`` keeps of them."""
    plan, members, settings, single, start, reduce = shared
    weights = weigh_block(plan, factors, members, settings, single=single, start=start).weights
    return weights if reduce is None else reduce(weights)


def _weigh_job(factors: FloatArray) -> FloatArray:
    """:func:`_weigh` in a forked worker."""
    assert _SHARED is not None
    return _weigh(_SHARED, factors)
