"""Weights within every municipality at once: collapse, rake, trim and rake again.

The same function weights the full sample and any block of bootstrap replicates: it receives
the (B, n) starting weights (design weights 1 times the replicate factors; B = 1 for the full
sample) of the respondents inside the weighting and

1. collapses, in every replicate and municipality, the cells of each margin whose (factor-
   weighted) respondent count is below ``min_cell_respondents`` (:mod:`analysis.weighting.collapse`;
   cells with a zero target count as empty, so they merge too); post-stratified municipalities
   keep one cell per margin;
2. rakes all replicates and municipalities in one :func:`analysis.weighting.problems.
   rake_problems` call (each problem set aside once converged),
   each margin crossed with the municipality (and the replicate) by
   :func:`analysis.weighting.raking.cross_codes`;
3. trims: each weight per draw (weight / factor) is kept within ``[mean / r, mean × r]`` where
   ``mean`` is the municipality's population over its (factor-weighted) respondents and ``r``
   is ``max_weight_ratio``; clipped weights are raked again, up to ``trim_rounds`` times.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from analysis.pipeline.draws import Drawn, drawn_cells, member_groups, spread
from analysis.pipeline.plan import MarginPlan, WeightingPlan
from analysis.weighting.collapse import collapse_rows, group_targets
from analysis.weighting.margins import Margin, cross_codes
from analysis.weighting.problems import rake_problems

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.intp]
BoolArray = NDArray[np.bool_]

#: Relative slack when testing a weight against the trimming cap.
CAP_SLACK = 1e-9
#: Largest relative margin error a raked municipality may keep after ``max_iter`` sweeps;
#: above it, it is post-stratified to its total instead (raking does not converge there).
CONVERGENCE_LIMIT = 1e-6


@dataclass(frozen=True)
class WeightingSettings:
    """The declared weighting rules (see docs/statistics.md, "Pipeline")."""

    min_cell_respondents: float = 10.0
    max_weight_ratio: float | None = 5.0
    trim_rounds: int = 2
    tol: float = 1e-8
    max_iter: int = 25


@dataclass(frozen=True)
class WeightedBlock:
    """Weights (B, n) of the respondents inside the weighting, and what weighting did.

    ``groups``: cells left per margin, (len(margins), B, D); ``trimmed``: (B, D) whether a
    weight of the municipality was clipped; ``cap_met``: (B, D) whether the final weights
    respect the cap; ``errors``: (B, D) largest relative margin error of each municipality;
    ``demoted``: (B, D) post-stratified because raking did not converge there.
    """

    weights: FloatArray
    groups: IntArray
    trimmed: BoolArray
    cap_met: BoolArray
    rounds: int
    errors: FloatArray
    demoted: BoolArray


@dataclass(frozen=True)
class _Crossed:
    margins: list[Margin]
    groups: IntArray
    sizes: list[tuple[int, ...]]


def _crossed_margins(
    plan: WeightingPlan,
    drawn: Drawn,
    members: IntArray,
    b: int,
    single: BoolArray,
    min_cell: float,
) -> _Crossed:
    """Collapse the cells of every (replicate, municipality) and cross the margins with both.

    ``single`` (B × D,): the (replicate, municipality) problems kept to one cell per margin.
    """
    d = plan.population.size
    municipality = plan.municipality[members][drawn.unit]
    margins: list[Margin] = []
    groups_left = []
    layouts = []
    populated = plan.respondents > 0
    for margin in plan.margins:
        k = len(margin.cells)
        # counted over the drawn pairs, in their order: the same sums, to the last bit, as
        # weighting every pair apart (ties between cells are broken alike)
        pairs = drawn.pair_problem * k + margin.codes[members][drawn.pair_unit]
        counts = np.bincount(pairs, weights=drawn.pair_factors, minlength=b * d * k)
        cell = margin.codes[members][drawn.unit]
        targets = np.tile(margin.targets * populated[:, None], (b, 1))
        counts = counts.reshape(b * d, k) * (targets > 0)
        collapsed = collapse_rows(counts, min_cell, single=single, block=_block(margin))
        group = collapsed.groups[drawn.problem, cell]
        codes, sizes = cross_codes(drawn.replicate, municipality, group)
        table = group_targets(targets, collapsed.groups).reshape(b, d, k)
        kept = table[: sizes[0], : sizes[1], : sizes[2]]
        assert np.isclose(kept.sum(), table.sum()), "a target group has no respondent"
        margins.append(Margin(codes, kept.ravel(), margin.name))
        groups_left.append(collapsed.sizes.reshape(b, d))
        layouts.append(sizes)
    return _Crossed(margins, np.stack(groups_left), layouts)


def _block(margin: MarginPlan) -> int | None:
    """Cells per block of a crossed margin (the first variable's categories), else None."""
    if len(margin.variables) < 2:
        return None
    return len({cell.split("*")[0] for cell in margin.cells})


def _problems(crossed: _Crossed) -> int:
    """(replicate, municipality) problems laid out in the crossed margins' codes."""
    return int(crossed.sizes[0][0] * crossed.sizes[0][1])


def _municipal_errors(weights: FloatArray, crossed: _Crossed, b: int, d: int) -> FloatArray:
    """Largest relative margin error of every (replicate, municipality): a (B, D) array."""
    worst = np.zeros((b, d))
    for margin, sizes in zip(crossed.margins, crossed.sizes, strict=True):
        targets = np.asarray(margin.targets)
        totals = np.bincount(np.asarray(margin.codes), weights=weights, minlength=targets.size)
        with np.errstate(divide="ignore", invalid="ignore"):
            errors = np.where(targets > 0, np.abs(totals / targets - 1.0), 0.0)
        per_municipality = errors.reshape(sizes).max(axis=2)
        worst[: sizes[0], : sizes[1]] = np.maximum(worst[: sizes[0], : sizes[1]], per_municipality)
    return worst


def _rake_problems(
    weights: FloatArray,
    crossed: _Crossed,
    drawn: Drawn,
    chosen: BoolArray,
    settings: WeightingSettings,
) -> FloatArray:
    """Rake only the (replicate, municipality) problems ``chosen`` (B × D,), in one call.

    The other problems keep ``weights``: their entries are left out, and the chosen problems
    are renumbered 0..P'-1 so that the raking works on their cells alone (after trimming,
    a few hundred of the 55,000 problems of a block of 50 replicates).
    """
    inside = chosen[drawn.problem]
    by_replicate = chosen.reshape(crossed.groups.shape[1], -1)
    margins = []
    count = 0
    for margin, sizes in zip(crossed.margins, crossed.sizes, strict=True):
        keep = by_replicate[: sizes[0], : sizes[1]].ravel()
        renumber = np.cumsum(keep) - 1
        count = int(keep.sum())
        k = sizes[2]
        codes = np.asarray(margin.codes)[inside]
        problem, category = np.divmod(codes, k)
        targets = np.asarray(margin.targets).reshape(-1, k)[keep].ravel()
        margins.append(Margin(renumber[problem] * k + category, targets, margin.name))
    raked = rake_problems(
        weights[inside],
        margins,
        count,
        tol=settings.tol,
        max_iter=settings.max_iter,
    ).weights
    out = weights.copy()
    out[inside] = raked
    return out


def _trim(
    raked: FloatArray,
    crossed: _Crossed,
    drawn: Drawn,
    mean: FloatArray,
    eligible: BoolArray,
    settings: WeightingSettings,
) -> tuple[FloatArray, BoolArray, BoolArray, int]:
    """Clip each weight per draw into [mean / r, mean × r] and rake the clipped problems again,
    up to ``trim_rounds`` times; only ``eligible`` problems (raked ones) are trimmed."""
    ratio = settings.max_weight_ratio
    n_problems = mean.size
    trimmed = np.zeros(n_problems, dtype=bool)
    cap_met = np.ones(n_problems, dtype=bool)
    if ratio is None:
        return raked, trimmed, cap_met, 0
    unit_mean = mean[drawn.problem]
    low, high = unit_mean / ratio, unit_mean * ratio
    weights = raked
    rounds = 0
    while True:
        per_draw = weights / drawn.factors
        outside = (per_draw > high * (1 + CAP_SLACK)) | (per_draw < low * (1 - CAP_SLACK))
        clipped_here = np.bincount(drawn.problem, weights=outside, minlength=n_problems) > 0
        clipped_here &= eligible
        cap_met = ~clipped_here
        if not clipped_here.any() or rounds >= settings.trim_rounds:
            return weights, trimmed, cap_met, rounds
        rounds += 1
        trimmed |= clipped_here
        clipped = np.where(
            clipped_here[drawn.problem], np.clip(per_draw, low, high) * drawn.factors, weights
        )
        weights = _rake_problems(clipped, crossed, drawn, clipped_here, settings)


def weigh_block(
    plan: WeightingPlan,
    factors: FloatArray,
    members: IntArray,
    settings: WeightingSettings,
    *,
    single: BoolArray | None = None,
    start: FloatArray | None = None,
) -> WeightedBlock:
    """Weights of one block of replicates (or of the full sample with ``factors`` of ones).

    ``factors`` (B, n_members): replicate factors of the respondents ``members`` (indices into
    the respondent table, all inside the weighting). ``single`` (D,) overrides the plan's
    post-stratified municipalities. A (replicate, municipality) whose raking leaves a relative
    margin error above :data:`CONVERGENCE_LIMIT` after ``max_iter`` sweeps is post-stratified to
    its total instead; one whose trimmed weights no longer meet the margins keeps its raked
    weights untrimmed. ``start`` (n_members,) multiplies the starting weights (the structure
    small municipalities borrow, :mod:`analysis.pipeline.borrowing`).
    """
    b, n = factors.shape
    d = plan.population.size
    chosen = np.tile(plan.single if single is None else single, b)
    drawn = drawn_cells(plan, factors, members, member_groups(plan, members, start))
    crossed = _crossed_margins(plan, drawn, members, b, chosen, settings.min_cell_respondents)
    begin = drawn.factors if start is None else drawn.factors * start[drawn.unit]
    result = rake_problems(
        begin,
        crossed.margins,
        _problems(crossed),
        tol=settings.tol,
        max_iter=settings.max_iter,
    )
    raked = result.weights
    # the raking's own errors: those _municipal_errors gives on its weights
    layout = np.zeros((b, d))
    rows, columns = crossed.sizes[0][:2]
    layout[:rows, :columns] = result.errors.reshape(rows, columns)
    raked_errors: FloatArray = layout.ravel()
    failed = raked_errors > CONVERGENCE_LIMIT
    draws = np.bincount(drawn.problem, weights=drawn.factors, minlength=b * d)
    with np.errstate(divide="ignore", invalid="ignore"):
        mean = np.where(draws > 0, np.tile(plan.population, b) / draws, 0.0)
    if failed.any():  # post-stratify: every draw gets the municipality's mean weight
        poststratified = drawn.factors * mean[drawn.problem]
        raked = np.where(failed[drawn.problem], poststratified, raked)
    eligible = ~(chosen | failed)
    weights, trimmed, cap_met, rounds = _trim(raked, crossed, drawn, mean, eligible, settings)
    trimmed_errors = raked_errors
    if rounds:
        trimmed_errors = _municipal_errors(weights, crossed, b, d).ravel()
    off = (trimmed_errors > CONVERGENCE_LIMIT) & eligible
    if off.any():  # back to the raked weights, and their errors
        weights = np.where(off[drawn.problem], raked, weights)
        cap_met = cap_met & ~off
    errors = np.where(failed, 0.0, np.where(off, raked_errors, trimmed_errors))
    full = spread(drawn, weights, b * n)
    groups = np.where(failed.reshape(b, d)[None, :, :], 1, crossed.groups)
    return WeightedBlock(
        weights=full.reshape(b, n),
        groups=groups,
        trimmed=(trimmed & ~off).reshape(b, d),
        cap_met=cap_met.reshape(b, d),
        rounds=rounds,
        errors=errors.reshape(b, d),
        demoted=failed.reshape(b, d),
    )


@dataclass(frozen=True)
class FullSampleWeights:
    """The full-sample weights (n,) of the respondent table (0 outside the weighting), what was
    done, and the municipalities post-stratified (too few respondents or no convergence)."""

    weights: FloatArray
    members: IntArray
    block: WeightedBlock
    single: BoolArray
    not_converged: BoolArray
    #: (n,) starting factors of the respondents (borrowed structure), or None.
    start: FloatArray | None = None


def weigh_full_sample(
    plan: WeightingPlan, settings: WeightingSettings, start: FloatArray | None = None
) -> FullSampleWeights:
    """Weight the full sample (:func:`weigh_block` with factors 1).

    ``members`` (the respondents inside the weighting) are ordered by municipality, so that
    the entries of one municipality sit together in every flat array (faster raking).
    """
    inside = np.flatnonzero(plan.municipality >= 0)
    members = inside[np.argsort(plan.municipality[inside], kind="stable")].astype(np.intp)
    block = weigh_block(
        plan,
        np.ones((1, members.size)),
        members,
        settings,
        start=None if start is None else start[members],
    )
    weights = np.zeros(plan.municipality.size)
    weights[members] = block.weights[0]
    not_converged = block.demoted[0]
    return FullSampleWeights(
        weights, members, block, plan.single | not_converged, not_converged, start
    )
