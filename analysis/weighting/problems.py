"""Raking many independent problems at once, each stopped as soon as it has converged.

The pipeline rakes every (replicate, municipality) pair — 500 × 1,100 small problems — in one
pass over flat arrays. :func:`analysis.weighting.raking.rake` would sweep all of them until
the worst has converged; most converge in a handful of sweeps and a few need 25. Here the
margins' codes are laid out problem by problem (``code = problem × K + category``, as
:func:`analysis.weighting.margins.cross_codes` gives when the problem is crossed first), so
each problem's largest relative error is a row maximum of a (P, K) table; after every sweep
the problems within ``tol`` are set aside, and the entries of the active ones are compacted
when they fall below ``COMPACT_BELOW`` of the array swept. The arithmetic of every problem is
that of raking it alone (the same factors, sweep after sweep, until its own error is below
``tol``). Categories with no entry and a zero target are never touched (only the categories
present are counted).
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
    owner = codes[0] // sizes[0]  # the problem of every entry
    errors = np.zeros(problems)
    sweeps = np.zeros(problems, dtype=np.intp)
    entries = np.arange(w.size)  # positions (into w) of the working arrays
    work_w = w.copy()
    work_codes = list(codes)
    work_owner = owner
    active = np.ones(problems, dtype=bool)
    for _ in range(max_iter):
        worst = np.zeros(problems)
        for position, (t, k) in enumerate(zip(targets, sizes, strict=True)):
            c = work_codes[position]
            totals = np.bincount(c, weights=work_w, minlength=t.size)
            live = np.repeat(active, k)
            missing = live & (t > 0) & (totals <= 0)
            if missing.any():
                empty = int(np.flatnonzero(missing)[0])
                raise WeightingError(
                    "empty_category",
                    margin=margins[position].name,
                    category=empty % k,
                    target=float(t[empty]),
                    where=f" (problem {empty // k})",
                )
            with np.errstate(divide="ignore", invalid="ignore"):
                # problems set aside keep their weights: factor 1
                factor = np.where(live, np.where(totals > 0, t / totals, 0.0), 1.0)
                error = np.where(t > 0, np.abs(totals / t - 1.0), 0.0)
            worst = np.maximum(worst, error.reshape(problems, k).max(axis=1))
            work_w *= factor[c]
        sweeps += active
        errors = np.where(active, worst, errors)
        done = active & (worst < tol)
        if not done.any():
            continue
        active &= ~done
        still = active[work_owner]
        w[entries] = work_w
        if not active.any():
            break
        if still.mean() < COMPACT_BELOW:
            entries = entries[still]
            work_w = work_w[still]
            work_codes = [c[still] for c in work_codes]
            work_owner = work_owner[still]
    w[entries] = work_w
    return ProblemsResult(w, _errors(w, codes, targets, sizes, problems), sweeps)


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
