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

Every function takes the standard error except :func:`korn_graubard_interval`, which takes the
variance as R's ``svyciprop`` does internally; :func:`proportion_interval` takes the SE for
both methods. Quantiles come from ``scipy.special`` (``ndtri``, ``stdtrit``, ``betaincinv``),
so importing this module does not load ``scipy.stats``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.special import betaincinv, expit, logit, ndtri, stdtrit

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
        return float(ndtri(upper_tail))
    if df <= 0:
        raise EstimationError("bad_value", what="df", problem="must be positive")
    return float(stdtrit(df, upper_tail))


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
    n_eff *= (stdtrit(respondents - 1, alpha / 2) / stdtrit(design_df, alpha / 2)) ** 2
    return beta_interval(p, n_eff, level=level)


def beta_interval(p: float, n_eff: float, *, level: float = 0.95) -> Interval:
    """Clopper–Pearson limits at an effective sample size ``n_eff`` (the Korn–Graubard form):
    ``Beta^-1(α/2; n p, n(1-p) + 1)`` and ``Beta^-1(1-α/2; n p + 1, n(1-p))``; 0 and 1 at the
    ends. A sample zero (p = 0) gets ``[0, 1 - (α/2)^(1/n_eff)]``, never a zero width."""
    alpha = 1.0 - level
    lower = 0.0 if p <= 0.0 else float(betaincinv(n_eff * p, n_eff * (1 - p) + 1, alpha / 2))
    upper = 1.0 if p >= 1.0 else float(betaincinv(n_eff * p + 1, n_eff * (1 - p), 1 - alpha / 2))
    return Interval(lower, upper, level)


def proportion_interval(
    p: float,
    se: float,
    respondents: int,
    *,
    method: str = "korn_graubard",
    df: float | None = None,
    level: float = 0.95,
) -> Interval:
    """The interval of a proportion from its SE: ``korn_graubard`` (default) or ``logit``."""
    if method == "logit":
        return logit_interval(p, se, level=level, df=df)
    if method != "korn_graubard":
        raise EstimationError(
            "unknown_option", what="interval", value=method, choices=("korn_graubard", "logit")
        )
    return korn_graubard_interval(p, se * se, respondents, df=df, level=level)
