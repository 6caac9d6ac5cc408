"""Post-stratification: scale the weights within each cell to the cell's population total.

``w_i <- w_i × T_k / sum_{j in k} w_j`` for the cell k of respondent i (R ``survey::postStratify``
for the point estimates; the variance uses the cell means as calibration residuals, see
:mod:`analysis.variance.linearization`). A cell with a positive total and no weighted respondent
is an error that names the cell: collapse it first (:mod:`analysis.weighting.collapse`).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from analysis.errors import WeightingError

FloatArray = NDArray[np.float64]


def poststratify(weights: ArrayLike, codes: ArrayLike, totals: ArrayLike) -> FloatArray:
    """Post-stratified weights: each cell's weights scaled to sum to its total.

    ``codes`` are the cells (0..K-1) of the respondents, ``totals`` the K population counts.
    Cells with a zero total get zero weight.
    """
    w = np.asarray(weights, dtype=np.float64)
    c = np.asarray(codes)
    t = np.asarray(totals, dtype=np.float64)
    if c.shape != w.shape or w.ndim != 1:
        raise WeightingError("bad_shape", what="codes", expected=w.shape, got=c.shape)
    if not np.issubdtype(c.dtype, np.integer):
        raise WeightingError("bad_value", what="codes", problem="codes must be integers")
    if not np.all(np.isfinite(w)) or np.any(w < 0):
        raise WeightingError("bad_value", what="weights", problem="finite and non-negative")
    if not np.all(np.isfinite(t)) or np.any(t < 0):
        raise WeightingError("bad_value", what="totals", problem="finite and non-negative")
    if c.size and (c.min() < 0 or c.max() >= t.size):
        raise WeightingError(
            "code_out_of_range", margin="post-strata", last=t.size - 1, found=int(c.max())
        )
    sums = np.bincount(c, weights=w, minlength=t.size)
    empty = np.flatnonzero((t > 0) & ~(sums > 0))
    if empty.size:
        raise WeightingError(
            "empty_category",
            margin="post-strata",
            category=int(empty[0]),
            target=float(t[empty[0]]),
            where="",
        )
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        factors = np.where(sums > 0, t / sums, 0.0)
    return w * factors[c]
