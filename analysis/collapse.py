"""Collapsing sparse weighting categories by a declared rule.

Raking fails on a category with a target and no respondent, and a category with very few
respondents gets extreme weights. Before weighting, categories with fewer than
``rule.min_respondents`` respondents are merged, one at a time (smallest first), into:
- their declared neighbour (``rule.neighbours[category]``), when the questionnaire declares one;
- otherwise the adjacent group in declared order (the order of the codes), choosing the smaller
  of the two adjacent groups (the following one on a tie).
Merging sums the targets. The result says which original categories form each new category.
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
