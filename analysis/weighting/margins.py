"""Raking margins: codes and targets, their checks, and the adjustment factors of one sweep.

A margin is a vector of integer codes (one per respondent, 0..K-1) and K population totals
(:class:`Margin`). :func:`cross_codes` crosses factors into one code (a margin within domains);
:func:`prepare` checks margins and lays their codes out for flat, possibly replicated, weights;
:func:`factors` gives ``target / current total`` per category and the margin's largest
relative error; :func:`margin_errors` measures raked weights against their margins.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from analysis.errors import WeightingError

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.intp]

#: Largest relative disagreement allowed between the grand totals of two margins.
TOTALS_RTOL = 1e-6


@dataclass(frozen=True)
class Margin:
    """One raking margin: codes per respondent (0..K-1) and the K population totals."""

    codes: ArrayLike
    targets: ArrayLike
    name: str = ""


def cross_codes(*codes: ArrayLike) -> tuple[IntArray, tuple[int, ...]]:
    """Combine factors into one code: ``c = ((c1 * K2) + c2) * K3 + c3 ...`` (row-major order).

    Returns the combined codes and the sizes ``(K1, K2, ...)`` (each the largest code + 1), so a
    margin crossed with a domain is ``cross_codes(domain, category)`` with targets laid out as
    ``targets[domain * K + category]``, i.e. ``np.ravel`` of a (domains, K) table.
    """
    if not codes:
        raise WeightingError("bad_value", what="cross_codes", problem="no factor given")
    arrays = [np.asarray(c) for c in codes]
    sizes = []
    combined = np.zeros(arrays[0].shape, dtype=np.intp)
    for position, array in enumerate(arrays):
        if array.shape != arrays[0].shape:
            raise WeightingError(
                "bad_shape", what=f"factor {position}", expected=arrays[0].shape, got=array.shape
            )
        if array.size and array.min() < 0:
            raise WeightingError(
                "bad_value", what=f"factor {position}", problem="codes must be non-negative"
            )
        size = int(array.max()) + 1 if array.size else 0
        sizes.append(size)
        combined *= size
        combined += array.astype(np.intp)
    return combined, tuple(sizes)


def as_margin(margin: Margin | tuple[ArrayLike, ArrayLike], index: int) -> Margin:
    if isinstance(margin, Margin):
        return margin if margin.name else Margin(margin.codes, margin.targets, str(index))
    codes, targets = margin
    return Margin(codes, targets, str(index))


@dataclass(frozen=True)
class Prepared:
    name: str
    codes: IntArray  # flat codes, offset by replicate for 2-D weights
    targets: FloatArray  # flat targets, tiled by replicate
    size: int  # categories per replicate


def prepare(
    margins: Sequence[Margin | tuple[ArrayLike, ArrayLike]], n: int, replicates: int
) -> list[Prepared]:
    """Check the margins and lay their codes out for flat (possibly replicated) weights."""
    if not margins:
        raise WeightingError("bad_value", what="margins", problem="at least one margin is needed")
    prepared: list[Prepared] = []
    first_total = 0.0
    first_name = ""
    for index, raw in enumerate(margins):
        margin = as_margin(raw, index)
        codes = np.asarray(margin.codes)
        targets = np.asarray(margin.targets, dtype=np.float64)
        if codes.shape != (n,):
            raise WeightingError(
                "bad_shape", what=f"margin {margin.name} codes", expected=(n,), got=codes.shape
            )
        if targets.ndim != 1 or targets.size == 0:
            raise WeightingError(
                "bad_shape",
                what=f"margin {margin.name} targets",
                expected="a non-empty vector",
                got=targets.shape,
            )
        if not np.issubdtype(codes.dtype, np.integer):
            raise WeightingError(
                "bad_value", what=f"margin {margin.name} codes", problem="codes must be integers"
            )
        if not np.all(np.isfinite(targets)) or np.any(targets < 0):
            raise WeightingError(
                "bad_value",
                what=f"margin {margin.name} targets",
                problem="targets must be finite and non-negative",
            )
        size = targets.size
        if n and (codes.min() < 0 or codes.max() >= size):
            found = int(codes.min()) if codes.min() < 0 else int(codes.max())
            raise WeightingError(
                "code_out_of_range", margin=margin.name, last=size - 1, found=found
            )
        total = float(targets.sum())
        if index == 0:
            first_total, first_name = total, margin.name
        elif abs(total - first_total) > TOTALS_RTOL * max(abs(first_total), 1e-300):
            raise WeightingError(
                "totals_disagree",
                margin=margin.name,
                total=total,
                first=first_name,
                first_total=first_total,
            )
        flat_codes = codes.astype(np.intp)
        if replicates > 1:
            offsets = np.arange(replicates, dtype=np.intp)[:, None] * size
            flat_codes = (flat_codes[None, :] + offsets).ravel()
        prepared.append(Prepared(margin.name, flat_codes, np.tile(targets, replicates), size))
    return prepared


def check_support(margin: Prepared, totals: NDArray[Any]) -> None:
    """Fail when a category with a positive target has no positive weight."""
    empty = np.flatnonzero((margin.targets > 0) & ~(totals > 0))
    if empty.size:
        replicate, category = divmod(int(empty[0]), margin.size)
        where = f" (replicate {replicate})" if margin.targets.size > margin.size else ""
        raise WeightingError(
            "empty_category",
            margin=margin.name,
            category=category,
            target=float(margin.targets[empty[0]]),
            where=where,
        )


def factors(margin: Prepared, weights: FloatArray) -> tuple[FloatArray, float]:
    """Adjustment factors target/total per category and the margin's largest relative error."""
    totals = np.bincount(margin.codes, weights=weights, minlength=margin.targets.size)
    return factors_from(margin, totals)


def factors_from(margin: Prepared, totals: NDArray[Any]) -> tuple[FloatArray, float]:
    """Factors and largest relative error of a margin whose category totals are known."""
    check_support(margin, totals)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        factors = np.where(totals > 0, margin.targets / totals, 0.0)
        errors = np.abs(np.where(margin.targets > 0, totals / margin.targets - 1.0, 0.0))
    if not np.all(np.isfinite(factors)):
        raise WeightingError(
            "bad_value",
            what=f"margin {margin.name}",
            problem="the adjustment factors overflow (weights far too small for the targets)",
        )
    return factors, float(errors.max()) if errors.size else 0.0


def margin_errors(
    weights: ArrayLike, margins: Sequence[Margin | tuple[ArrayLike, ArrayLike]]
) -> float:
    """Largest relative margin error ``max_k |sum_{i in k} w_i / T_k - 1|`` over all margins."""
    w = np.asarray(weights, dtype=np.float64)
    n = w.shape[-1]
    replicates = 1 if w.ndim == 1 else w.shape[0]
    flat = w.ravel()
    worst = 0.0
    for margin in prepare(margins, n, replicates):
        totals = np.bincount(margin.codes, weights=flat, minlength=margin.targets.size)
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            errors = np.where(margin.targets > 0, np.abs(totals / margin.targets - 1.0), 0.0)
        worst = max(worst, float(errors.max()))
    return worst
