"""The tidy results table: one row per domain and indicator, with everything needed to publish.

Columns (:data:`RESULT_COLUMNS`):

- ``municipality`` (code; ``ALL`` for the pooled rows), ``municipality_name``, ``channel``
  (``all``, or ``web``/``telegram`` for the pooled rows by channel), ``indicator``, ``unit``;
- ``estimate``, ``se``, ``ci_low``, ``ci_high``, ``ci_method``, ``cv`` (percent), ``flag``
  (release rules), ``method`` (``direct``, ``eblup``, ``synthetic``; ``none`` when nothing
  can be estimated; ``excluded`` for respondents left out of the weighting);
- ``n`` (respondents with a non-null denominator), ``weighted_n``, ``effective_n``,
  ``deff_weighting`` (Kish), ``direct_estimate``, ``direct_se``, ``weighting``;
- ``zero``: ``0`` for a sample zero (no respondent reported it: the weighted estimate is
  exactly 0), ``0s`` for a positive value that rounds to 0.0; empty otherwise;
- ``model``: ``direct``, or the small-area model with its covariates and any fallback;
- ``variance_source``: ``bootstrap``, ``gvf`` (smoothed: sample zeros and other zero
  bootstrap variances) or ``model_mse``; ``replicates_used``: replicates whose estimate exists
  (the others are left out of the variance's sum and divisor).

Intervals of direct percents: Korn–Graubard by default (effective sample size, t with the
design's degrees of freedom; ``logit`` as an option); in a municipality the effective size is
at most the variance function's, fitted without it (``direct_interval_cap``: ci_method
``korn_graubard_capped`` where that bound); a sample zero gets the Korn–Graubard
interval at the smoothed effective size, ``[0, 1 - (α/2)^(1/n_eff)]``, never a zero width, and
its SE and CV come from the smoothed variance at the pooled rate
(:mod:`analysis.estimators.gvf`). Rates per 1,000: ``θ ± t·SE`` (lower limit >= 0); a rate
with a zero SE is never published. Model-based percents: the interval built on the arcsine
scale (:mod:`analysis.sae.arcsine`). Flags: :func:`analysis.quality.release_rules.grade` on
the row's CV; the respondent rule applies to direct estimates only.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from analysis.estimators.gvf import VarianceFunction
from analysis.estimators.intervals import beta_interval, normal_interval, proportion_interval
from analysis.pipeline.domains import ALL, DomainFigures, Domains
from analysis.pipeline.precision import capped_variance, graded_cv
from analysis.pipeline.small_areas import DIRECT, AreaChoice
from analysis.quality.release_rules import Quality, ReleaseRules, grade

RESULT_COLUMNS = (
    "municipality",
    "municipality_name",
    "channel",
    "indicator",
    "unit",
    "estimate",
    "se",
    "ci_low",
    "ci_high",
    "ci_method",
    "cv",
    "flag",
    "method",
    "n",
    "weighted_n",
    "effective_n",
    "deff_weighting",
    "direct_estimate",
    "direct_se",
    "weighting",
    "zero",
    "model",
    "variance_source",
    "replicates_used",
)
INTERVALS = ("korn_graubard", "logit")
#: Effective size of a direct municipal percent's Korn–Graubard interval
#: (``PipelineOptions.direct_interval_cap``, :func:`~analysis.pipeline.precision.capped_variance`).
INTERVAL_CAPS = ("gvf", "gvf_size", "respondents", "none")
#: The rate a direct percent's CV is graded at (``PipelineOptions.direct_cv_at``).
CV_RATES = ("synthetic", "model", "estimate")
#: Model of direct rows when no small-area model could be fitted for a percent indicator.
NO_MODEL = "direct (fallback: no small-area model could be fitted)"
#: Decimals of the published figures (a positive value below half a unit there is ``0s``).
DECIMALS = 1


@dataclass(frozen=True)
class IndicatorResult:
    """Everything estimated for one indicator."""

    name: str
    unit: str
    scale: float
    figures: DomainFigures
    areas: AreaChoice | None
    #: The smoothed variance of a percent indicator, and its pooled rate (0..1).
    variance_function: VarianceFunction | None = None
    reference_rate: float = float("nan")


@dataclass(frozen=True)
class Figure:
    """What one row publishes."""

    estimate: float
    se: float
    low: float
    high: float
    ci_method: str
    cv: float
    variance_source: str


def _direct_percent(
    result: IndicatorResult,
    i: int,
    method: str,
    level: float,
    cv_at: str = "estimate",
    cap: str = "none",
) -> Figure:
    """A direct percent: bootstrap variance, or the smoothed one for a zero variance; its CV
    graded at a declared rate when there is one (:mod:`analysis.pipeline.precision`); its
    Korn–Graubard effective size capped by ``cap`` (``"none"``: R's, the bootstrap's)."""
    f = result.figures
    p, variance, n = f.estimate[i] / 100.0, f.variance[i] / 1e4, int(f.n[i])
    graded = graded_cv(result, i, cv_at)
    if variance > 0 and 0.0 < p < 1.0 and n >= 2:
        se = float(np.sqrt(variance))
        name, sized = method, variance
        if method == "korn_graubard":
            sized, bound = capped_variance(result, i, p, variance, cap)
            name = (
                ("korn_graubard_smoothed" if cap == "gvf_size" else "korn_graubard_capped")
                if bound
                else method
            )
        found = proportion_interval(
            p, float(np.sqrt(sized)), n, method=method, df=float(f.df[i]), level=level
        )
        return Figure(
            100 * p,
            100 * se,
            100 * found.lower,
            100 * found.upper,
            name,
            graded if np.isfinite(graded) else 100 * se / p,
            "bootstrap",
        )
    gvf = result.variance_function or VarianceFunction(1.0, 0)
    reference = result.reference_rate
    at = reference if (p == 0.0 and 0.0 < reference < 1.0) else p
    smoothed = float(gvf.variance(at, n, f.deff[i]))
    se = float(np.sqrt(smoothed)) if np.isfinite(smoothed) else float("nan")
    n_eff = float(gvf.effective_n(n, f.deff[i]))
    low, high = float("nan"), float("nan")
    if n_eff > 0:
        limits = beta_interval(p, n_eff, level=level)
        low, high = 100 * limits.lower, 100 * limits.upper
    cv = 100 * se / at if at > 0 else float("nan")
    cv = graded if np.isfinite(graded) else cv
    return Figure(100 * p, 100 * se, low, high, "korn_graubard_gvf", cv, "gvf")


def _direct_rate(result: IndicatorResult, i: int, level: float) -> Figure:
    """A direct rate per 1,000: ``θ ± t·SE`` (lower limit >= 0)."""
    f = result.figures
    estimate = float(f.estimate[i])
    se = float(np.sqrt(f.variance[i]))
    found = normal_interval(estimate, se, level=level, df=float(f.df[i]))
    cv = 100 * se / estimate if estimate > 0 and se > 0 else float("nan")
    return Figure(estimate, se, max(found.lower, 0.0), found.upper, "t", cv, "bootstrap")


def _zero(estimate: float, method: str) -> str:
    if method == DIRECT and estimate == 0.0:
        return "0"
    if np.isfinite(estimate) and 0.0 < abs(estimate) < 0.5 * 10.0**-DECIMALS:
        return "0s"
    return ""


def indicator_rows(
    result: IndicatorResult,
    domains: Domains,
    names: Sequence[str],
    weighting: Sequence[str],
    rules: ReleaseRules,
    interval: str,
    level: float,
    cv_at: str = "estimate",
    cap: str = "none",
) -> list[dict[str, object]]:
    """The rows of one indicator, one per domain (names and weighting texts per domain); the
    interval cap ``cap`` applies to direct municipal percents only."""
    f = result.figures
    rows: list[dict[str, object]] = []
    areas = result.areas
    d = len(areas.source) if areas is not None else 0
    percent = result.scale == 100.0
    for i in range(domains.size):
        direct = float(f.estimate[i])
        direct_se = float(np.sqrt(f.variance[i])) if np.isfinite(f.variance[i]) else float("nan")
        n = int(f.n[i])
        method = DIRECT if np.isfinite(direct) else "none"
        model = (
            NO_MODEL if (percent and areas is None and domains.municipality[i] != ALL) else DIRECT
        )
        respondents_for_flag = n
        if areas is not None and i < d and areas.source[i] != DIRECT:
            method, model = areas.source[i], areas.model[i]
            se = float(areas.se[i])
            value = float(areas.value[i])
            cv = 100 * se / value if value > 0 else float("nan")
            figure = Figure(
                value,
                se,
                float(areas.low[i]),
                float(areas.high[i]),
                "fay_herriot_arcsine",
                cv,
                "model_mse",
            )
            respondents_for_flag = max(n, rules.min_respondents)
        elif method == "none":
            nan = float("nan")
            figure = Figure(nan, nan, nan, nan, "", nan, "")
        elif percent:
            municipal = domains.municipality[i] != ALL
            figure = _direct_percent(
                result,
                i,
                interval,
                level,
                cv_at if municipal else "estimate",
                cap if municipal else "none",
            )
        else:
            figure = _direct_rate(result, i, level)
        quality = grade(figure.cv, respondents_for_flag, rules)
        if respondents_for_flag >= rules.min_respondents and not figure.se > 0:
            quality = Quality(figure.cv, rules.unreliable_flag, False)  # never an SE of 0
        rows.append(
            {
                "municipality": domains.municipality[i],
                "municipality_name": names[i],
                "channel": domains.channel[i],
                "indicator": result.name,
                "unit": result.unit,
                "estimate": figure.estimate,
                "se": figure.se,
                "ci_low": figure.low,
                "ci_high": figure.high,
                "ci_method": figure.ci_method,
                "cv": figure.cv,
                "flag": quality.flag,
                "method": method,
                "n": n,
                "weighted_n": float(f.weighted_n[i]),
                "effective_n": float(f.effective_n[i]),
                "deff_weighting": float(f.deff[i]),
                "direct_estimate": direct,
                "direct_se": direct_se,
                "weighting": weighting[i],
                "zero": _zero(figure.estimate, method),
                "model": model if method != "none" else "",
                "variance_source": figure.variance_source,
                "replicates_used": int(f.replicates_used[i]),
            }
        )
    return rows


def excluded_rows(
    indicator: str,
    unit: str,
    municipality: str,
    respondents_by_indicator: int,
    text: str,
    rules: ReleaseRules,
) -> dict[str, object]:
    """The row reporting respondents left out of the weighting (no benchmarks)."""
    nan = float("nan")
    return {
        "municipality": municipality,
        "municipality_name": "",
        "channel": "all",
        "indicator": indicator,
        "unit": unit,
        "estimate": nan,
        "se": nan,
        "ci_low": nan,
        "ci_high": nan,
        "ci_method": "",
        "cv": nan,
        "flag": rules.too_few_flag,
        "method": "excluded",
        "n": respondents_by_indicator,
        "weighted_n": 0.0,
        "effective_n": 0.0,
        "deff_weighting": nan,
        "direct_estimate": nan,
        "direct_se": nan,
        "weighting": text,
        "zero": "",
        "model": "",
        "variance_source": "",
        "replicates_used": 0,
    }


def results_table(rows: list[dict[str, object]]) -> pd.DataFrame:
    """The tidy table, columns in :data:`RESULT_COLUMNS` order."""
    frame = pd.DataFrame(rows, columns=list(RESULT_COLUMNS))
    frame["n"] = frame["n"].astype(np.int64)
    frame["replicates_used"] = frame["replicates_used"].astype(np.int64)
    return frame
