"""Which estimate each area publishes: direct, Fay–Herriot EBLUP, or synthetic.

The choice is a rule declared before looking at the estimates (:class:`DirectRule`): the
direct survey estimate when the area's Kish effective sample size ``n / deff_w`` reaches
``direct_min_effective_n``, otherwise the EBLUP of the Fay–Herriot model fitted on the areas
with a usable direct estimate (positive sampling variance). Choosing on the observed CV would
be a pre-test: it favours the direct estimates that happen to look precise, and biases what
gets published. Areas with no respondent (or no usable direct estimate) get the synthetic
estimate ``x'β`` with MSE ``x'Var(β)x + σ²_u``. The pipeline's percents use the arcsine
model (:mod:`analysis.sae.arcsine`) with the same rule.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
from numpy.typing import ArrayLike, NDArray

from analysis.errors import ModelError
from analysis.quality.release_rules import coefficient_of_variation
from analysis.sae.fay_herriot import FayHerriotFit, fit_fay_herriot

FloatArray = NDArray[np.float64]
BoolArray = NDArray[np.bool_]
Source = Literal["direct", "eblup", "synthetic"]


@dataclass(frozen=True)
class DirectRule:
    """Publish the direct estimate when ``n / deff_w >= direct_min_effective_n``."""

    direct_min_effective_n: float = 100.0

    def direct(self, respondents: ArrayLike, deff_weighting: ArrayLike | None = None) -> BoolArray:
        """Which areas publish their direct estimate (``deff_w`` 1 when not given)."""
        n = np.asarray(respondents, dtype=np.float64)
        deff = np.ones(n.size) if deff_weighting is None else np.asarray(deff_weighting, float)
        deff = np.nan_to_num(deff, nan=np.inf)
        with np.errstate(divide="ignore", invalid="ignore"):
            effective = np.where(n > 0, n / np.maximum(deff, 1.0), 0.0)
        return np.asarray(effective >= self.direct_min_effective_n)


@dataclass(frozen=True)
class AreaEstimate:
    """The published value of one area, its MSE (variance for a direct estimate), its source."""

    area: int
    value: float
    mse: float
    source: Source
    direct_cv: float


@dataclass(frozen=True)
class SmallAreaResult:
    """One :class:`AreaEstimate` per area, and the model fitted on the usable areas."""

    areas: tuple[AreaEstimate, ...]
    model: FayHerriotFit


def small_area_estimates(
    direct: ArrayLike,
    direct_se: ArrayLike,
    respondents: ArrayLike,
    x: ArrayLike,
    *,
    rule: DirectRule | None = None,
    deff_weighting: ArrayLike | None = None,
) -> SmallAreaResult:
    """Choose, per area, the direct estimate, the EBLUP or the synthetic estimate.

    ``rule`` (default :class:`DirectRule`) decides from ``respondents`` and ``deff_weighting``
    alone; ``direct_cv`` is reported, never used to choose.

    ``direct`` and ``direct_se`` hold NaN for areas without respondents; ``x`` is the m×p
    covariate matrix of all areas (with the intercept). The model is fitted on the areas with a
    finite direct estimate and a positive SE.
    """
    y = np.asarray(direct, dtype=np.float64)
    se = np.asarray(direct_se, dtype=np.float64)
    n = np.asarray(respondents)
    xm = np.asarray(x, dtype=np.float64)
    m = y.size
    if se.shape != (m,) or n.shape != (m,) or xm.ndim != 2 or xm.shape[0] != m:
        raise ModelError("bad_shape", what="small-area inputs", expected=f"{m} areas", got=xm.shape)
    usable = np.isfinite(y) & np.isfinite(se) & (se > 0) & (n > 0)
    fit = fit_fay_herriot(y[usable], se[usable] ** 2, xm[usable])
    synthetic, synthetic_mse = fit.synthetic(xm)
    eblup = np.full(m, np.nan)
    eblup_mse = np.full(m, np.nan)
    eblup[usable] = fit.eblup
    eblup_mse[usable] = fit.mse
    chosen = (rule or DirectRule()).direct(n, deff_weighting) & np.isfinite(y) & np.isfinite(se)
    areas = []
    for d in range(m):
        cv = coefficient_of_variation(y[d], se[d]) if np.isfinite(y[d]) else float("nan")
        if chosen[d]:
            areas.append(AreaEstimate(d, float(y[d]), float(se[d] ** 2), "direct", cv))
        elif usable[d]:
            areas.append(AreaEstimate(d, float(eblup[d]), float(eblup_mse[d]), "eblup", cv))
        else:
            areas.append(
                AreaEstimate(d, float(synthetic[d]), float(synthetic_mse[d]), "synthetic", cv)
            )
    return SmallAreaResult(tuple(areas), fit)
