"""Confidence intervals for survey estimates (R ``confint`` and ``svyciprop``).

- normal (Wald): ``θ ± q × SE`` with q the normal quantile, or Student's t with the design's
  degrees of freedom when ``df`` is given;
- logit, for proportions (``svyciprop(method="logit")``): on the logit scale,
  ``logit(p) ± q × SE / (p(1-p))``, back-transformed with expit; R uses t with
  ``df = degf(design)``. Reference (R 4.2.2, survey 4.1-1, apiclus1 unraked, sch.wide = Yes,
  p = 0.8743169399, df 14): 0.823798892379 to 0.911900077021;
- Korn–Graubard (``svyciprop(method="beta")``): Clopper–Pearson beta limits with the effective
  sample size ``n_eff = p(1-p)/V``, scaled by ``(t_{n-1, α/2} / t_{df, α/2})^2``:
  lower ``Beta^-1(α/2; n_eff p, n_eff(1-p) + 1)``,
  upper ``Beta^-1(1-α/2; n_eff p + 1, n_eff(1-p))``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import stats
from scipy.special import expit, logit

from analysis.errors import EstimationError


@dataclass(frozen=True)
class Interval:
    """Lower and upper limits and the confidence level."""

    lower: float
    upper: float
    level: float


def _quantile(level: float, df: float | None) -> float:
    if not 0.0 < level < 1.0:
        raise EstimationError(
            "bad_value", what="level", problem="must lie strictly between 0 and 1"
        )
    upper_tail = 1.0 - (1.0 - level) / 2.0
    if df is None or not np.isfinite(df):
        return float(stats.norm.ppf(upper_tail))
    if df <= 0:
        raise EstimationError("bad_value", what="df", problem="must be positive")
    return float(stats.t.ppf(upper_tail, df))


def normal_interval(
    estimate: float, se: float, *, level: float = 0.95, df: float | None = None
) -> Interval:
    """``estimate ± q × se``; q normal, or Student's t with ``df`` degrees of freedom."""
    q = _quantile(level, df)
    return Interval(estimate - q * se, estimate + q * se, level)


def logit_interval(
    p: float, se: float, *, level: float = 0.95, df: float | None = None
) -> Interval:
    """Logit interval of a proportion: ``expit(logit(p) ± q × se / (p(1-p)))``.

    For p = 0 or 1 the interval is the single point p (the logit is infinite there).
    """
    if not 0.0 <= p <= 1.0:
        raise EstimationError("bad_value", what="proportion", problem="must lie in [0, 1]")
    if p in (0.0, 1.0):
        return Interval(p, p, level)
    q = _quantile(level, df)
    half = q * se / (p * (1.0 - p))
    centre = float(logit(p))
    return Interval(float(expit(centre - half)), float(expit(centre + half)), level)


def korn_graubard_interval(
    p: float,
    variance: float,
    respondents: int,
    *,
    df: float | None = None,
    level: float = 0.95,
) -> Interval:
    """Korn–Graubard (beta) interval as R ``svyciprop(method="beta")``.

    ``respondents`` is n (rows of the design, R's ``nrow(design)``); ``df`` the design degrees
    of freedom (``n - 1`` when not given, which leaves n_eff unchanged). A zero variance uses
    n_eff = n.
    """
    if not 0.0 <= p <= 1.0:
        raise EstimationError("bad_value", what="proportion", problem="must lie in [0, 1]")
    if respondents < 2:
        raise EstimationError("bad_value", what="respondents", problem="at least 2")
    alpha = 1.0 - level
    _quantile(level, df)
    n_eff = p * (1.0 - p) / variance if variance > 0 else float(respondents)
    if n_eff <= 0:
        n_eff = float(respondents)
    design_df = respondents - 1.0 if df is None else df
    n_eff *= (stats.t.ppf(alpha / 2, respondents - 1) / stats.t.ppf(alpha / 2, design_df)) ** 2
    lower = 0.0 if p == 0.0 else float(stats.beta.ppf(alpha / 2, n_eff * p, n_eff * (1 - p) + 1))
    upper = (
        1.0 if p == 1.0 else float(stats.beta.ppf(1 - alpha / 2, n_eff * p + 1, n_eff * (1 - p)))
    )
    return Interval(lower, upper, level)
