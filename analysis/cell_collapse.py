"""The collapsing rule of :func:`analysis.collapse.collapse_categories`, for many margins at once.

Weighting collapses the sparse cells of every margin in every municipality, and does it again in
every bootstrap replicate: 500 replicates × 1,100 municipalities × 3 margins is more than a
million small problems, too many for one Python call each. Here every problem is a row of a
(P, K) array of respondent counts and the rule runs on all rows together, one merge per row and
per step (at most K - 1 steps):

- a group is *sparse* when it has fewer than ``min_respondents`` respondents;
- the smallest sparse group (the first on a tie) merges into the smaller of its two adjacent
  groups (the following one on a tie), so groups stay runs of consecutive categories;
- a row stops when no group is sparse or a single group is left.

This is exactly :func:`analysis.collapse.collapse_categories` without declared neighbours (a
test checks both on random counts). The counts may be fractional (replicates count their
respondents with the bootstrap factors).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from analysis.errors import WeightingError

IntArray = NDArray[np.intp]
FloatArray = NDArray[np.float64]


@dataclass(frozen=True)
class CollapsedCells:
    """Per row: the group (0..G-1) of each of the K categories, and the number of groups."""

    groups: IntArray  # (P, K)
    sizes: IntArray  # (P,)


def collapse_rows(
    counts: ArrayLike, min_respondents: float, *, single: ArrayLike | None = None
) -> CollapsedCells:
    """Collapse every row of ``counts`` (P, K) by the rule of the module docstring.

    ``single`` (P,) booleans: rows forced into a single group (post-stratification to the
    total). Returns the group of each category, in declared order.
    """
    c = np.asarray(counts, dtype=np.float64)
    if c.ndim != 2 or c.shape[1] == 0:
        raise WeightingError("bad_shape", what="counts", expected="(P, K)", got=c.shape)
    p, k = c.shape
    starts = np.zeros((p, k), dtype=bool)
    starts[:, 0] = True
    if single is None:
        starts[:, 1:] = True
    else:
        starts[:, 1:] = ~np.asarray(single, dtype=bool)[:, None]
    rows = np.arange(p)
    positions = np.arange(k)
    for _ in range(k - 1):
        labels = np.cumsum(starts, axis=1) - 1
        n_groups = labels[:, -1] + 1
        sizes = _group_sums(c, labels)
        valid = positions[None, :] < n_groups[:, None]
        sparse = valid & (sizes < min_respondents)
        active = sparse.any(axis=1) & (n_groups > 1)
        if not active.any():
            break
        keyed = np.where(sparse, sizes, np.inf)
        index = np.argmin(keyed, axis=1)
        before = index - 1
        after = index + 1
        has_before = before >= 0
        has_after = after < n_groups
        size_before = sizes[rows, np.clip(before, 0, k - 1)]
        size_after = sizes[rows, np.clip(after, 0, k - 1)]
        take_before = has_before & (~has_after | (size_before < size_after))
        into = np.where(take_before, before, after)
        later = np.maximum(index, into)
        # the first category of group `later` stops starting a group
        first_of_later = np.argmax(labels == later[:, None], axis=1)
        chosen = rows[active]
        starts[chosen, first_of_later[active]] = False
    labels = np.cumsum(starts, axis=1) - 1
    return CollapsedCells(labels.astype(np.intp), (labels[:, -1] + 1).astype(np.intp))


def group_targets(targets: ArrayLike, groups: IntArray) -> FloatArray:
    """Targets (P, K) summed into their groups: a (P, K) array, zero past each row's groups."""
    return _group_sums(np.asarray(targets, dtype=np.float64), groups)


def _group_sums(values: FloatArray, labels: IntArray) -> FloatArray:
    """Row-wise sums of ``values`` by ``labels`` (both (P, K)), one flat bincount."""
    p, k = values.shape
    flat = (np.arange(p)[:, None] * k + labels).ravel()
    sums = np.bincount(flat, weights=values.ravel(), minlength=p * k)
    return np.asarray(sums, dtype=np.float64).reshape(p, k)
