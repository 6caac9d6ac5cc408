"""Collapsing sparse weighting categories by a declared rule.

Raking fails on a category with a target and no respondent, and a category with very few
respondents gets extreme weights. Before weighting, categories with fewer than
``rule.min_respondents`` respondents are merged, one at a time (smallest first), into:
- their declared neighbour (``rule.neighbours[category]``), when the questionnaire declares one;
- otherwise the adjacent group in declared order (the order of the codes), choosing the smaller
  of the two adjacent groups (the following one on a tie).
Merging sums the targets. The result says which original categories form each new category.

**Many margins at once** (:func:`collapse_rows`).
Weighting collapses the sparse cells of every margin in every municipality, and does it again in
every bootstrap replicate: 500 replicates × 1,100 municipalities × 3 margins is more than a
million small problems, too many for one Python call each. Here every problem is a row of a
(P, K) array of respondent counts and the rule runs on all rows together, one merge per row and
per step (at most K - 1 steps):

- a group is *sparse* when it has fewer than ``min_respondents`` respondents;
- the smallest sparse group (the first on a tie) merges into the smaller of its two adjacent
  groups (the following one on a tie), so groups stay runs of consecutive categories;
- a row stops when no group is sparse or a single group is left;
- with ``block``, the categories are the cells of a crossed margin, in blocks (the age groups
  of women, then of men): a group's neighbour across the boundary of two blocks counts only
  when it has none within its own block (the oldest women and the youngest men are not
  neighbours).

Without ``block`` this is exactly :func:`collapse_categories` without declared neighbours (a
test checks both on random counts). The counts may be fractional (replicates count their
respondents with the bootstrap factors).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import ArrayLike, NDArray

from analysis.errors import WeightingError

IntArray = NDArray[np.intp]
FloatArray = NDArray[np.float64]


@dataclass(frozen=True)
class CollapseRule:
    """Merge categories with fewer than ``min_respondents``; ``neighbours`` maps a category to
    the category it merges into (by original code); others merge with an adjacent category."""

    min_respondents: int = 20
    neighbours: Mapping[int, int] = field(default_factory=dict)


@dataclass(frozen=True)
class Merge:
    """One step: the group holding ``categories`` (``respondents`` of them) joined ``into``."""

    categories: tuple[int, ...]
    into: tuple[int, ...]
    respondents: int


@dataclass(frozen=True)
class CollapsedMargin:
    """New codes (0..G-1), new targets (G), the original categories of each group, the merges."""

    codes: IntArray
    targets: FloatArray
    groups: tuple[tuple[int, ...], ...]
    merges: tuple[Merge, ...]


def collapse_categories(
    codes: ArrayLike, targets: ArrayLike, rule: CollapseRule
) -> CollapsedMargin:
    """Merge sparse categories of one margin (see the module docstring) and recode.

    ``codes`` are the respondents' categories (0..K-1), ``targets`` the K population totals.
    Groups keep the declared order (a group sits where its first category was). Stops when every
    group has at least ``rule.min_respondents`` respondents or a single group is left.
    """
    c = np.asarray(codes)
    t = np.asarray(targets, dtype=np.float64)
    if t.ndim != 1 or t.size == 0:
        raise WeightingError(
            "bad_shape", what="targets", expected="a non-empty vector", got=t.shape
        )
    if not np.issubdtype(c.dtype, np.integer):
        raise WeightingError("bad_value", what="codes", problem="codes must be integers")
    if c.size and (c.min() < 0 or c.max() >= t.size):
        raise WeightingError(
            "code_out_of_range", margin="collapse", last=t.size - 1, found=int(c.max())
        )
    for source, target in rule.neighbours.items():
        if not (0 <= source < t.size and 0 <= target < t.size) or source == target:
            raise WeightingError(
                "bad_value",
                what=f"neighbour {source} -> {target}",
                problem=f"both must be distinct categories in 0..{t.size - 1}",
            )
    counts = np.bincount(c.astype(np.intp), minlength=t.size)
    groups: list[list[int]] = [[k] for k in range(t.size)]
    merges: list[Merge] = []

    def size(group: list[int]) -> int:
        return int(counts[group].sum())

    def group_of(category: int) -> int:
        return next(i for i, g in enumerate(groups) if category in g)

    while len(groups) > 1:
        sparse = [i for i, g in enumerate(groups) if size(g) < rule.min_respondents]
        if not sparse:
            break
        index = min(sparse, key=lambda i: (size(groups[i]), i))
        group = groups[index]
        declared = [rule.neighbours[k] for k in group if k in rule.neighbours]
        declared_groups = [group_of(k) for k in declared if group_of(k) != index]
        if declared_groups:
            into = declared_groups[0]
        else:
            adjacent = [i for i in (index - 1, index + 1) if 0 <= i < len(groups)]
            into = min(adjacent, key=lambda i: (size(groups[i]), -i))
        merges.append(Merge(tuple(group), tuple(groups[into]), size(group)))
        merged = sorted(groups[into] + group)
        groups[into] = merged
        del groups[index]
        groups.sort(key=min)
    lookup = np.empty(t.size, dtype=np.intp)
    for new, group in enumerate(groups):
        lookup[group] = new
    new_targets = np.array([t[g].sum() for g in groups], dtype=np.float64)
    return CollapsedMargin(
        codes=lookup[c.astype(np.intp)],
        targets=new_targets,
        groups=tuple(tuple(g) for g in groups),
        merges=tuple(merges),
    )


@dataclass(frozen=True)
class CollapsedCells:
    """Per row: the group (0..G-1) of each of the K categories, and the number of groups."""

    groups: IntArray  # (P, K)
    sizes: IntArray  # (P,)


def collapse_rows(
    counts: ArrayLike,
    min_respondents: float,
    *,
    single: ArrayLike | None = None,
    block: int | None = None,
) -> CollapsedCells:
    """Collapse every row of ``counts`` (P, K) by the rule of the module docstring.

    ``single`` (P,) booleans: rows forced into a single group (post-stratification to the
    total). ``block``: the categories run in blocks of this many (a crossed margin's cells,
    e.g. the 4 age groups of women, then of men); a group and its neighbour across the
    boundary of two blocks are adjacent only when the group has no neighbour in its own block.
    Returns the group of each category, in declared order.
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
    positions = np.arange(k)
    live = np.arange(p)  # rows that may still merge (a row left alone stays as it is)
    for _ in range(k - 1):
        rows = np.arange(live.size)
        labels = np.cumsum(starts[live], axis=1) - 1
        n_groups = labels[:, -1] + 1
        sizes = _group_sums(c[live], labels)
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
        if block is not None and 0 < block < k:
            # a neighbour across a block boundary only when none is left within the block
            first = np.argmax(labels == index[:, None], axis=1)
            next_first = np.argmax(labels == np.clip(after, 0, k - 1)[:, None], axis=1)
            within_before = has_before & (first % block != 0)
            within_after = has_after & (next_first % block != 0)
            has_before = np.where(within_before | within_after, within_before, has_before)
            has_after = np.where(within_before | within_after, within_after, has_after)
        take_before = has_before & (~has_after | (size_before < size_after))
        into = np.where(take_before, before, after)
        later = np.maximum(index, into)
        # the first category of group `later` stops starting a group
        first_of_later = np.argmax(labels == later[:, None], axis=1)
        live = live[active]
        starts[live, first_of_later[active]] = False
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
