"""Raking many independent problems at once, each stopped as soon as it has converged.

The pipeline rakes every (replicate, municipality) pair — 500 × 1,100 small problems — in one
pass over flat arrays. :func:`analysis.weighting.raking.rake` would sweep all of them until
the worst has converged; most converge in a handful of sweeps and a few need 25. Here the
margins' codes are laid out problem by problem (``code = problem × K + category``, as
:func:`analysis.weighting.margins.cross_codes` gives when the problem is crossed first). The
sweeps keep only the cells with an entry or a target (a problem whose categories were
collapsed has fewer than K), still numbered problem by problem, so each problem's largest
relative error is one ``np.maximum.reduceat`` over its cells; after every sweep the problems
within ``tol`` are set aside, and the entries and cells of the active ones are compacted when
the entries fall below ``COMPACT_BELOW`` of the array swept. The arithmetic of every problem
is that of raking it alone (the same sums in the same order, the same factors, sweep after
sweep, until its own error is below ``tol``; tested to the last bit).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from analysis.errors import WeightingError
from analysis.weighting.margins import Margin

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.intp]
#: Compact the working arrays when the active entries fall below this share of them.
COMPACT_BELOW = 0.7


@dataclass(frozen=True)
class ProblemsResult:
    """Raked weights, the largest relative margin error of every problem, sweeps per problem."""

    weights: FloatArray
    errors: FloatArray
    sweeps: IntArray


def rake_problems(
    weights: FloatArray,
    margins: Sequence[Margin],
    problems: int,
    *,
    tol: float = 1e-8,
    max_iter: int = 25,
) -> ProblemsResult:
    """Rake ``problems`` independent problems laid out in the margins' codes.

    Each margin's targets have ``problems × K`` entries (K categories per problem) and its
    codes ``problem × K + category``. Returns the weights (a problem still above ``tol``
    after ``max_iter`` sweeps keeps its last weights: the caller decides what to do with it,
    see :func:`analysis.pipeline.weighting.weigh_block`).
    """
    w = np.array(weights, dtype=np.float64)
    codes = [np.asarray(m.codes, dtype=np.intp) for m in margins]
    targets = [np.asarray(m.targets, dtype=np.float64) for m in margins]
    sizes = [t.size // problems for t in targets]
    for margin, t, k in zip(margins, targets, sizes, strict=True):
        if t.size != problems * k:
            raise WeightingError(
                "bad_shape", what=f"margin {margin.name} targets", expected=problems, got=t.size
            )
    for position, (c, tg, k) in enumerate(zip(codes, targets, sizes, strict=True)):
        found = np.asarray(np.bincount(c, weights=w, minlength=tg.size), dtype=np.float64)
        _check_support(margins[position].name, found, tg, k)
    sweeps = np.zeros(problems, dtype=np.intp)
    # the working set: entries (positions into w) and problems (original ids) still active;
    # each margin's cells are only those with an entry or a target (a collapsed problem has
    # fewer than K), numbered problem by problem, ``cell_problem`` the problem of each
    entries = np.arange(w.size)
    ids = np.arange(problems)
    work_w = w.copy()
    work_codes, work_targets, cell_problem = [], [], []
    for c, tg, k in zip(codes, targets, sizes, strict=True):
        present = (np.bincount(c, minlength=tg.size) > 0) | (tg > 0)
        present[::k] = True  # every problem keeps a cell (error 0 when it has no entry)
        work_codes.append((np.cumsum(present) - 1)[c])
        work_targets.append(tg[present])
        cell_problem.append(np.flatnonzero(present) // k)
    owner = codes[0] // sizes[0]  # the (working) problem of every entry
    active = np.ones(problems, dtype=bool)  # over the working problems
    positive = [tg > 0 for tg in work_targets]
    firsts = [_first_cells(cp, problems) for cp in cell_problem]
    gathered = np.empty_like(work_w)  # factor of every entry, reused sweep after sweep
    for _ in range(max_iter):
        count = ids.size
        worst = np.zeros(count)
        for position in range(len(sizes)):
            c, tg = work_codes[position], work_targets[position]
            totals = np.asarray(np.bincount(c, weights=work_w, minlength=tg.size), np.float64)
            factor = np.zeros_like(totals)
            np.divide(tg, totals, out=factor, where=totals > 0)
            error = np.ones_like(totals)  # |1 - 1| = 0 where the target is 0
            np.divide(totals, tg, out=error, where=positive[position])
            error -= 1.0
            np.abs(error, out=error)
            if not active.all():  # problems set aside keep their weights: factor 1
                factor[~active[cell_problem[position]]] = 1.0
            np.maximum(worst, np.maximum.reduceat(error, firsts[position]), out=worst)
            np.take(factor, c, out=gathered[: c.size], mode="clip")
            work_w *= gathered[: c.size]
        sweeps[ids[active]] += 1
        done = active & (worst < tol)
        if not done.any():
            continue
        active &= ~done
        if not active.any():
            break
        still = active[owner]
        if still.mean() < COMPACT_BELOW:
            w[entries] = work_w
            renumber = np.cumsum(active) - 1
            entries, work_w, owner = entries[still], work_w[still], renumber[owner[still]]
            for position in range(len(sizes)):
                kept = active[cell_problem[position]]
                work_codes[position] = (np.cumsum(kept) - 1)[work_codes[position][still]]
                work_targets[position] = work_targets[position][kept]
                cell_problem[position] = renumber[cell_problem[position][kept]]
            positive = [tg > 0 for tg in work_targets]
            ids = ids[active]
            firsts = [_first_cells(cp, ids.size) for cp in cell_problem]
            active = np.ones(ids.size, dtype=bool)
    w[entries] = work_w
    return ProblemsResult(w, _errors(w, codes, targets, sizes, problems), sweeps)


def _first_cells(cell_problem: IntArray, problems: int) -> IntArray:
    """Index of the first cell of every problem (cells numbered problem by problem, every
    problem with one at least): the segments of ``np.maximum.reduceat``."""
    return np.searchsorted(cell_problem, np.arange(problems)).astype(np.intp)


def _check_support(name: str, totals: FloatArray, targets: FloatArray, k: int) -> None:
    """Fail when a category with a positive target has no positive weight."""
    missing = (targets > 0) & (totals <= 0)
    if missing.any():
        empty = int(np.flatnonzero(missing)[0])
        raise WeightingError(
            "empty_category",
            margin=name,
            category=empty % k,
            target=float(targets[empty]),
            where=f" (problem {empty // k})",
        )


def _errors(
    w: FloatArray,
    codes: list[IntArray],
    targets: list[FloatArray],
    sizes: list[int],
    problems: int,
) -> FloatArray:
    """Largest relative margin error of every problem, measured on the final weights."""
    worst = np.zeros(problems)
    for c, t, k in zip(codes, targets, sizes, strict=True):
        totals = np.bincount(c, weights=w, minlength=t.size)
        with np.errstate(divide="ignore", invalid="ignore"):
            error = np.where(t > 0, np.abs(totals / t - 1.0), 0.0)
        worst = np.maximum(worst, error.reshape(problems, k).max(axis=1))
    return worst
