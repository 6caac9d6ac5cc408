"""Raking (iterative proportional fitting) of survey weights to known margins.

Each margin is a vector of integer codes (one per respondent, 0..K-1) and a vector of K
population totals. A sweep multiplies every weight by ``target[k] / current_total[k]`` of its
category, margin after margin; sweeps repeat until the largest relative margin error
``max |current/target - 1|`` is below ``tol``. Totals come from ``numpy.bincount`` on the codes,
so the joint table of the margins is never built. This is the algorithm of R ``survey::rake``
(iterated ``postStratify``) and of Deming and Stephan (1940).

Small margins (say 2, 4 and 6 categories) are raked together on the table of their own
combinations (48 cells here; at most ``min(n / 16, 65,536)``), never on the joint table of every
margin: every respondent of a cell gets the same factors, so one pass over the respondents
gives the cell totals, the small margins are adjusted on the cells one after another exactly as
on the respondents, and one more pass applies their combined factor. The arithmetic is that of
raking the margins one by one; only the passes over the respondents are fewer.

Reference (R 4.2.2, survey 4.1-1, apiclus1 raked on stype and sch.wide): raked weights
min 29.87067549, median 29.87067549, mean 33.84699454, max 67.12552924.

Raking within domains (e.g. each margin within each municipality): cross the codes,
``code = domain * K + category``, which :func:`cross_codes` does for any number of factors;
the targets are then the domain-by-category totals in the same order.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from analysis.errors import WeightingError
from analysis.weighting.margins import (
    Margin,
    Prepared,
    as_margin,
    cross_codes,
    factors,
    factors_from,
    margin_errors,
    prepare,
)

__all__ = ["Margin", "RakeResult", "cross_codes", "margin_errors", "rake"]

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.intp]


@dataclass(frozen=True)
class RakeResult:
    """Raked weights (same shape as the input), sweeps done, final error, convergence."""

    weights: FloatArray
    iterations: int
    max_rel_error: float
    converged: bool


#: Largest table of combinations of small margins raked together (cells per replicate).
SMALL_TABLE_LIMIT = 65_536


@dataclass(frozen=True)
class _SmallGroup:
    """Small margins raked together on the cells of their combinations."""

    margins: tuple[Prepared, ...]
    cells: IntArray  # flat cell of each respondent (offset by replicate)
    n_cells: int  # cells over all replicates
    cell_category: tuple[IntArray, ...]  # per margin: the flat category of each cell


def _small_group(
    prepared: list[Prepared], raw_codes: list[IntArray], n: int, replicates: int
) -> tuple[_SmallGroup | None, list[Prepared]]:
    """Split off the small margins worth raking on their table of combinations.

    Margins are taken smallest first while the table stays within ``min(n // 16,
    SMALL_TABLE_LIMIT)`` cells (far fewer cells than respondents, or nothing is saved); at
    least two are needed, else there is no group.
    """
    limit = min(n // 16, SMALL_TABLE_LIMIT)
    chosen: list[int] = []
    cells = 1
    for index in sorted(range(len(prepared)), key=lambda i: prepared[i].size):
        size = prepared[index].size
        if cells * size > limit:
            break
        chosen.append(index)
        cells *= size
    if len(chosen) < 2:
        return None, prepared
    chosen.sort()
    code = np.zeros(n, dtype=np.intp)
    for index in chosen:
        code *= prepared[index].size
        code += raw_codes[index]
    # the category of each cell in each margin: the cell's digit in mixed radix
    cell_ids = np.arange(cells, dtype=np.intp)
    categories = []
    stride = cells
    for index in chosen:
        size = prepared[index].size
        stride //= size
        category = (cell_ids // stride) % size
        if replicates > 1:
            reps = np.arange(replicates, dtype=np.intp)[:, None]
            category = (category[None, :] + reps * size).ravel()
        categories.append(category)
    if replicates > 1:
        code = (code[None, :] + np.arange(replicates, dtype=np.intp)[:, None] * cells).ravel()
    group = _SmallGroup(
        tuple(prepared[i] for i in chosen), code, cells * replicates, tuple(categories)
    )
    rest = [m for i, m in enumerate(prepared) if i not in set(chosen)]
    return group, rest


def _rake_small_group(group: _SmallGroup, weights: FloatArray, gathered: FloatArray) -> float:
    """One sweep over the group's margins, on cell totals; returns their largest error."""
    cell_totals = np.asarray(
        np.bincount(group.cells, weights=weights, minlength=group.n_cells), dtype=np.float64
    )
    combined = np.ones(group.n_cells)
    worst = 0.0
    for margin, category in zip(group.margins, group.cell_category, strict=True):
        adjust, error = factors_from(
            margin,
            np.bincount(category, weights=cell_totals, minlength=margin.targets.size),
        )
        worst = max(worst, error)
        per_cell = adjust[category]
        cell_totals *= per_cell
        combined *= per_cell
    np.take(combined, group.cells, out=gathered)
    np.multiply(weights, gathered, out=weights)
    return worst


def rake(
    weights: ArrayLike,
    margins: Sequence[Margin | tuple[ArrayLike, ArrayLike]],
    *,
    tol: float = 1e-10,
    max_iter: int = 100,
    allow_nonconvergence: bool = False,
) -> RakeResult:
    """Rake ``weights`` to ``margins`` by iterative proportional fitting.

    Formula: for each margin m with codes c_i and totals T_k, ``w_i <- w_i * T_{c_i} / S_{c_i}``
    where ``S_k = sum_{i: c_i = k} w_i``; repeat over margins until
    ``max_{m,k} |S_k / T_k - 1| < tol``. Categories with a zero target get zero weight.

    ``weights`` are the starting (design) weights, shape (n,), or (R, n) to rake R sets of
    weights at once (e.g. replicate weights), each to the same margins. ``margins`` are
    :class:`Margin` objects or ``(codes, targets)`` pairs. Raises :class:`WeightingError` when
    a category with a positive target has no positive weight, when the margins' grand totals
    differ by more than 1e-6 (relative), or when raking has not converged after ``max_iter``
    sweeps (unless ``allow_nonconvergence``).
    """
    start = np.asarray(weights, dtype=np.float64)
    if start.ndim not in (1, 2):
        raise WeightingError(
            "bad_shape", what="weights", expected="(n,) or (R, n)", got=start.shape
        )
    if not np.all(np.isfinite(start)) or np.any(start < 0):
        raise WeightingError(
            "bad_value", what="weights", problem="weights must be finite and non-negative"
        )
    n = start.shape[-1]
    replicates = 1 if start.ndim == 1 else start.shape[0]
    prepared = prepare(margins, n, replicates)
    raw_codes = [np.asarray(as_margin(m, i).codes).astype(np.intp) for i, m in enumerate(margins)]
    group, large = _small_group(prepared, raw_codes, n, replicates)
    w = start.ravel().copy()  # flat working copy, raked in place
    gathered = np.empty_like(w)
    iterations = 0
    error = np.inf
    while iterations < max_iter:
        iterations += 1
        sweep_error = 0.0 if group is None else _rake_small_group(group, w, gathered)
        for margin in large:
            adjust, margin_error = factors(margin, w)
            sweep_error = max(sweep_error, margin_error)
            np.take(adjust, margin.codes, out=gathered)
            np.multiply(w, gathered, out=w)
        if sweep_error < tol:
            # every factor of this sweep was within tol: measure the margins exactly once
            error = max(factors(margin, w)[1] for margin in prepared)
            if error < tol:
                break
    else:
        error = max(factors(margin, w)[1] for margin in prepared)
    if not np.all(np.isfinite(w)):
        raise WeightingError("bad_value", what="raked weights", problem="overflow")
    converged = bool(error < tol)
    if not converged and not allow_nonconvergence:
        raise WeightingError(
            "not_converged", method="Raking", iterations=iterations, error=error, tol=tol
        )
    return RakeResult(w.reshape(start.shape), iterations, float(error), converged)
