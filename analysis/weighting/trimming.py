"""Weight trimming alternated with raking, and one-margin post-stratification.

Trimming caps extreme weights (which inflate the variance, see
:func:`analysis.estimators.design_effects.kish_deff`) at ``max_ratio × median(w)`` or at given
absolute bounds; re-raking then restores the
margins, which may push weights past the cap again, so the two alternate until both hold.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from analysis.errors import WeightingError
from analysis.weighting.raking import Margin, margin_errors, rake

FloatArray = NDArray[np.float64]

#: Relative slack when testing a weight against the cap (weights exactly at the cap pass).
CAP_SLACK = 1e-9


@dataclass(frozen=True)
class TrimResult:
    """Trimmed and raked weights, rounds done, whether cap and margins both hold, final figures."""

    weights: FloatArray
    rounds: int
    converged: bool
    max_ratio: float
    lower: float
    upper: float
    margin_error: float


def _caps(
    weights: FloatArray, max_ratio: float | None, bounds: tuple[float, float] | None
) -> tuple[float, float]:
    if bounds is not None:
        return float(bounds[0]), float(bounds[1])
    assert max_ratio is not None
    median = float(np.median(weights[weights > 0]))
    return median / max_ratio, median * max_ratio


def trim_and_rake(
    weights: ArrayLike,
    margins: Sequence[Margin | tuple[ArrayLike, ArrayLike]],
    *,
    max_ratio: float | None = 5.0,
    bounds: tuple[float, float] | None = None,
    max_rounds: int = 20,
    tol: float = 1e-10,
    max_iter: int = 100,
) -> TrimResult:
    """Rake, cap the weights, re-rake, until the weights respect the cap and the margins.

    Cap: ``[median/max_ratio, median × max_ratio]`` of the current raked weights (recomputed each
    round), or the absolute ``bounds=(lower, upper)`` when given. Each round clips the weights
    into the cap (``w <- min(max(w, lower), upper)``) and rakes again. Stops when, after a rake,
    every positive weight lies within the cap (relative slack 1e-9); after ``max_rounds`` rounds
    it returns the last raked weights with ``converged=False`` so the caller can report it (the
    margins always hold; the cap may not). Respondents with zero weight stay at zero.
    """
    if bounds is None and (max_ratio is None or max_ratio <= 1.0):
        raise WeightingError("bad_value", what="max_ratio", problem="must be greater than 1")
    if bounds is not None and not 0.0 <= bounds[0] < bounds[1]:
        raise WeightingError(
            "bad_bounds", rule="0 <= lower < upper", lower=bounds[0], upper=bounds[1]
        )
    w = rake(weights, margins, tol=tol, max_iter=max_iter).weights
    lower, upper = _caps(w, max_ratio, bounds)
    rounds = 0
    while True:
        positive = w > 0
        inside = np.all(w[positive] <= upper * (1 + CAP_SLACK)) and np.all(
            w[positive] >= lower * (1 - CAP_SLACK)
        )
        if inside or rounds >= max_rounds:
            break
        rounds += 1
        w = np.where(positive, np.clip(w, lower, upper), 0.0)
        w = rake(w, margins, tol=tol, max_iter=max_iter).weights
        lower, upper = _caps(w, max_ratio, bounds)
    median = float(np.median(w[w > 0]))
    return TrimResult(
        weights=w,
        rounds=rounds,
        converged=bool(inside),
        max_ratio=float(w.max() / median),
        lower=lower,
        upper=upper,
        margin_error=margin_errors(w, margins),
    )
