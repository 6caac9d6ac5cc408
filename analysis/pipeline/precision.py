"""How precise a direct municipal percent is said to be: the CV it is graded on, and the
effective size of its Korn–Graubard interval (docs/statistics.md, "Release rules")."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from analysis.estimators.gvf import VarianceFunction

if TYPE_CHECKING:
    from analysis.pipeline.results import IndicatorResult


def graded_cv(result: IndicatorResult, i: int, cv_at: str) -> float:
    """The CV a direct percent is graded on (``cv_at``, one of :data:`CV_RATES`).

    ``"synthetic"`` and ``"model"``: the smoothed CV of the direct estimator,
    ``100 √V(r, d) / r``, at a rate ``r``: the municipality's synthetic rate fitted without
    it, ``sin²(x_d'β̂_(-d))`` (the indicator's pooled rate when there is none), with the
    variance function's factor also fitted without it, so that its own draw and its own
    bootstrap move neither; or the model's rate for it (which follows the estimate). NaN for
    ``"estimate"`` (the pooled rows' grading) or without such a rate: the caller then uses
    the estimate's own CV.
    """
    areas = result.areas
    if cv_at == "synthetic":
        rates = areas.synthetic_rate if areas is not None else None
    elif cv_at == "model":
        rates = areas.model_rate if areas is not None else None
    else:
        return float("nan")
    f = result.figures
    rate = float(rates[i]) / 100.0 if rates is not None and i < rates.size else float("nan")
    if cv_at == "synthetic" and not np.isfinite(rate):
        rate = result.reference_rate
    if not 0.0 < rate < 1.0:
        return float("nan")
    gvf = result.variance_function or VarianceFunction(1.0, 0)
    if cv_at == "synthetic":
        gvf = gvf.without(i)
    return float(100 * np.sqrt(gvf.variance(rate, f.n[i], f.deff[i])) / rate)


def capped_variance(
    result: IndicatorResult, i: int, p: float, variance: float, cap: str
) -> tuple[float, bool]:
    """The variance that sets a direct municipal percent's Korn–Graubard effective size
    ``p(1-p)/V``, and whether the cap bound.

    ``"gvf"``: never more effective size than the variance function gives the municipality
    with the factor fitted without it, ``n_eff = min(p(1-p)/V, n_d/(c_(-d) deff_w))``;
    ``"gvf_size"``: that smoothed size alone; ``"respondents"``: at most ``n_d`` (NCHS);
    ``"none"``: the bootstrap variance as it is.
    """
    f = result.figures
    if cap == "respondents":
        floor = p * (1.0 - p) / float(f.n[i])
    elif cap in ("gvf", "gvf_size"):
        gvf = (result.variance_function or VarianceFunction(1.0, 0)).without(i)
        floor = float(gvf.variance(p, f.n[i], f.deff[i]))
        if cap == "gvf_size" and np.isfinite(floor) and floor > 0:
            return floor, True
    else:
        return variance, False
    if np.isfinite(floor) and floor > variance:
        return floor, True
    return variance, False
