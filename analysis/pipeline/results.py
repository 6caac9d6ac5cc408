"""The tidy results table: one row per domain and indicator, with everything needed to publish.

Columns (:data:`RESULT_COLUMNS`):

- ``municipality`` (code; ``ALL`` for the pooled rows), ``municipality_name``, ``channel``
  (``all``, or ``web``/``telegram`` for the pooled rows by channel), ``indicator``, ``unit``;
- ``estimate``, ``se``, ``ci_low``, ``ci_high``, ``ci_method``, ``cv`` (percent), ``flag``
  (release rules), ``method`` (``direct``, ``eblup``, ``synthetic``; ``none`` when nothing
  can be estimated; ``excluded`` for respondents left out of the weighting);
- ``n`` (respondents with a non-null denominator), ``weighted_n``, ``effective_n``,
  ``deff_weighting`` (Kish), ``direct_estimate``, ``direct_se``, ``weighting``.

Intervals: percents use the logit interval (or Korn–Graubard) of the direct estimate; rates
per 1,000 the normal interval; EBLUP and synthetic estimates the normal interval with their
root MSE. Model-based values and limits are kept within [0, 100]; rates are kept >= 0.
Flags: :func:`analysis.quality.release_rules.assess`; the respondent rule applies to direct
estimates, model-based ones are flagged by their CV (root MSE over the estimate).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from analysis.estimators.intervals import korn_graubard_interval, logit_interval, normal_interval
from analysis.pipeline.domains import DomainFigures, Domains
from analysis.pipeline.small_areas import AreaChoice
from analysis.quality.release_rules import ReleaseRules, assess

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
)
INTERVALS = ("logit", "korn_graubard")


@dataclass(frozen=True)
class IndicatorResult:
    """Everything estimated for one indicator."""

    name: str
    unit: str
    scale: float
    figures: DomainFigures
    areas: AreaChoice | None


def normal_quantile(level: float) -> float:
    """The normal quantile of a two-sided interval at ``level`` (1.96 at 0.95)."""
    return normal_interval(0.0, 1.0, level=level).upper


def _interval(
    estimate: float, se: float, n: int, scale: float, method: str, level: float, q: float
) -> tuple[float, float, str]:
    """Interval of a direct estimate (see the module docstring); ``q`` the normal quantile."""
    if not (np.isfinite(estimate) and np.isfinite(se)):
        return float("nan"), float("nan"), ""
    if scale == 100.0 and 0.0 <= estimate <= 100.0:
        p, variance = estimate / scale, (se / scale) ** 2
        if method == "korn_graubard" and n >= 2:
            found = korn_graubard_interval(p, variance, n, level=level)
        else:
            found = logit_interval(p, se / scale, level=level)
            method = "logit"
        return found.lower * scale, found.upper * scale, method
    return max(estimate - q * se, 0.0), estimate + q * se, "normal"


def indicator_rows(
    result: IndicatorResult,
    domains: Domains,
    names: Sequence[str],
    weighting: Sequence[str],
    rules: ReleaseRules,
    interval: str,
    level: float,
) -> list[dict[str, object]]:
    """The rows of one indicator, one per domain (names and weighting texts per domain)."""
    f = result.figures
    rows: list[dict[str, object]] = []
    d = len(result.areas.source) if result.areas is not None else 0
    upper = 100.0 if result.scale == 100.0 else np.inf
    z = normal_quantile(level)
    for i in range(domains.size):
        direct = float(f.estimate[i])
        direct_se = float(np.sqrt(f.variance[i])) if np.isfinite(f.variance[i]) else float("nan")
        n = int(f.n[i])
        method = "direct" if np.isfinite(direct) else "none"
        estimate, se = direct, direct_se
        respondents_for_flag = n
        if result.areas is not None and i < d and result.areas.model:
            source = result.areas.source[i]
            if source != "direct":
                method = source
                estimate = float(np.clip(result.areas.value[i], 0.0, upper))
                se = float(np.sqrt(result.areas.mse[i]))
                respondents_for_flag = max(n, rules.min_respondents)
        if method in ("eblup", "synthetic"):
            low, high = max(estimate - z * se, 0.0), min(estimate + z * se, upper)
            ci_method = "normal"
        else:
            low, high, ci_method = _interval(estimate, se, n, result.scale, interval, level, z)
        quality = assess(estimate, se, respondents_for_flag, rules)
        rows.append(
            {
                "municipality": domains.municipality[i],
                "municipality_name": names[i],
                "channel": domains.channel[i],
                "indicator": result.name,
                "unit": result.unit,
                "estimate": estimate,
                "se": se,
                "ci_low": low,
                "ci_high": high,
                "ci_method": ci_method,
                "cv": quality.cv,
                "flag": quality.flag,
                "method": method,
                "n": n,
                "weighted_n": float(f.weighted_n[i]),
                "effective_n": float(f.effective_n[i]),
                "deff_weighting": float(f.deff[i]),
                "direct_estimate": direct,
                "direct_se": direct_se,
                "weighting": weighting[i],
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
    }


def results_table(rows: list[dict[str, object]]) -> pd.DataFrame:
    """The tidy table, columns in :data:`RESULT_COLUMNS` order."""
    frame = pd.DataFrame(rows, columns=list(RESULT_COLUMNS))
    frame["n"] = frame["n"].astype(np.int64)
    return frame
