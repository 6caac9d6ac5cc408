"""Covariates of an area-level model: standardised, screened, never extrapolated.

- **Standardised**: each candidate column ``z = (x - mean) / sd`` over the areas in the fit, so
  coefficients are comparable and the normal equations well conditioned.
- **Screened**, in the declared order of the candidates: a column is dropped when it barely
  varies (``sd`` below ``1e-6`` of its mean's size, or below ``1e-9``: in synthetic
  benchmarks every municipality may have the same share of women), when it is nearly
  collinear with the columns kept before it (R² of its regression on them above
  ``max_r2``, i.e. a variance inflation factor above ``1 / (1 - max_r2)``), or when the model
  already has one covariate per ``areas_per_covariate`` areas in the fit (about one per five).
- **Never extrapolated**: an area outside the fit (no respondent) gets its covariates clipped
  to the range observed in the fit before ``x'β``, so a synthetic value never rests on a
  covariate value the model has not seen.

:class:`ScreenedCovariates` records what was kept and why each other column was dropped, so
the published table can name the model.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

FloatArray = NDArray[np.float64]
BoolArray = NDArray[np.bool_]


@dataclass(frozen=True)
class ScreenedCovariates:
    """Kept column names, their fit-sample mean, sd, min and max, and the dropped columns."""

    names: tuple[str, ...]
    mean: FloatArray
    sd: FloatArray
    low: FloatArray
    high: FloatArray
    #: name -> reason ("constant", "collinear", "too_many").
    dropped: dict[str, str]

    def matrix(self, raw: FloatArray, columns: tuple[str, ...]) -> FloatArray:
        """The model matrix (intercept, then the kept standardised columns) of rows of ``raw``
        (columns named ``columns``), each value clipped to the fit range first."""
        out = [np.ones(raw.shape[0])]
        for j, name in enumerate(self.names):
            values = raw[:, columns.index(name)]
            clipped = np.clip(values, self.low[j], self.high[j])
            out.append((clipped - self.mean[j]) / self.sd[j])
        return np.column_stack(out)

    def describe(self) -> str:
        """``intercept + a + b`` (the kept columns)."""
        return " + ".join(("intercept", *self.names))


def screen_covariates(
    raw: ArrayLike,
    columns: tuple[str, ...],
    in_fit: ArrayLike,
    *,
    areas_per_covariate: int = 5,
    max_r2: float = 0.9,
) -> ScreenedCovariates:
    """Screen the candidate columns of ``raw`` (areas × candidates) on the areas ``in_fit``."""
    x = np.asarray(raw, dtype=np.float64)
    fit = np.asarray(in_fit, dtype=bool)
    sample = x[fit]
    m = sample.shape[0]
    allowed = max(m // areas_per_covariate, 0)
    kept: list[int] = []
    dropped: dict[str, str] = {}
    standard: list[FloatArray] = []
    for j, name in enumerate(columns):
        column = sample[:, j]
        mean = float(column.mean()) if m else 0.0
        sd = float(column.std()) if m else 0.0
        if sd <= max(1e-9, 1e-6 * abs(mean)):
            dropped[name] = "constant"
            continue
        z = (column - mean) / sd
        if standard:
            basis = np.column_stack([np.ones(m), *standard])
            fitted = basis @ np.linalg.lstsq(basis, z, rcond=None)[0]
            r2 = 1.0 - float(np.sum((z - fitted) ** 2)) / float(np.sum(z**2))
            if r2 > max_r2:
                dropped[name] = "collinear"
                continue
        if len(kept) >= allowed:
            dropped[name] = "too_many"
            continue
        kept.append(j)
        standard.append(z)
    names = tuple(columns[j] for j in kept)
    chosen = sample[:, kept] if kept else np.zeros((m, 0))
    return ScreenedCovariates(
        names=names,
        mean=chosen.mean(axis=0) if m else np.zeros(len(kept)),
        sd=chosen.std(axis=0) if m else np.ones(len(kept)),
        low=chosen.min(axis=0) if m else np.zeros(len(kept)),
        high=chosen.max(axis=0) if m else np.zeros(len(kept)),
        dropped=dropped,
    )
