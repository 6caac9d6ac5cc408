"""Direct estimates of every indicator with bootstrap variances, replicates never held whole.

Each indicator's numerators and denominators are laid out in the columns of their domains
(:func:`analysis.pipeline.domains.indicator_columns`, n × 2Q) and the columns of all the
indicators are stacked side by side, one sparse n × 2QK matrix ``S``. Each block of replicate
weights is multiplied by ``S`` where it is weighted (:func:`analysis.pipeline.replicates.
replicate_sums`), so the (R, n) replicate weights are never stored: only the (R, 2QK) domain
sums are, from which every indicator's replicate ratios and variance follow
(:func:`analysis.pipeline.domains.domain_figures`). Rates per 1,000 use series counts capped
at a percentile of the positive counts (:func:`analysis.pipeline.domains.cap_series`).

An indicator that some partial responses did not reach is estimated with its own adjusted
weights (:mod:`analysis.pipeline.partial`), in the full sample and in every replicate block.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

import numpy as np
import pandas as pd
import scipy.sparse as sp
from numpy.typing import NDArray

from analysis.loader import denominator_column, numerator_column
from analysis.pipeline.domains import Domains, cap_series, domain_figures, indicator_columns
from analysis.pipeline.messages import PipelineError
from analysis.pipeline.partial import item_nonresponse
from analysis.pipeline.plan import WeightingPlan
from analysis.pipeline.replicates import BlockProgress, replicate_reductions
from analysis.pipeline.results import IndicatorResult
from analysis.pipeline.weighting import FullSampleWeights, WeightingSettings
from analysis.variance.replicates import ReplicateWeights
from questionnaire.definition.model import Indicator, IndicatorUnit

FloatArray = NDArray[np.float64]
SCALES = {IndicatorUnit.PERCENT: 100.0, IndicatorUnit.PER_1000: 1000.0}


def indicator_values(
    respondents: pd.DataFrame, indicator: Indicator, cap_percentile: float
) -> tuple[FloatArray, FloatArray]:
    """Numerators (series counts capped for rates per 1,000) and denominators."""
    numerator = respondents[numerator_column(indicator.name)].to_numpy(np.float64)
    denominator = respondents[denominator_column(indicator.name)].to_numpy(np.float64)
    if indicator.unit is IndicatorUnit.PER_1000:
        numerator = cap_series(numerator, denominator, cap_percentile)
    return numerator, denominator


def direct_estimates(
    respondents: pd.DataFrame,
    indicators: Sequence[Indicator],
    domains: Domains,
    plan: WeightingPlan,
    full: FullSampleWeights,
    settings: WeightingSettings,
    replicates: int,
    rng: np.random.Generator,
    *,
    cap_percentile: float,
    block: int,
    workers: int,
    progress: BlockProgress | None = None,
) -> list[IndicatorResult]:
    """Every indicator's direct estimates in every domain (see the module docstring);
    ``progress(done, total)`` after each block of replicates."""
    values = [indicator_values(respondents, i, cap_percentile) for i in indicators]
    if not values:
        return []
    adjustments = [item_nonresponse(respondents, i.name, plan) for i in indicators]
    members = full.members
    weighted = replace(domains, matrix=domains.matrix[members])  # the rows replicates weigh

    def member_columns(k: int) -> sp.csr_array:
        numerator, denominator = values[k]
        return indicator_columns(weighted, numerator[members], denominator[members])

    width = 2 * domains.size
    plain = [k for k, a in enumerate(adjustments) if a is None]
    spread = sp.hstack([member_columns(k) for k in plain], format="csr") if plain else None
    adjusted = [
        (k, a.subset(members), member_columns(k))
        for k, a in enumerate(adjustments)
        if a is not None
    ]

    def reduce(weights: FloatArray) -> FloatArray:
        """Domain sums (B, 2QK) of a block of replicate weights (B, members)."""
        out = np.empty((weights.shape[0], width * len(values)))
        if spread is not None:
            sums = np.asarray((spread.T @ weights.T).T)
            for j, k in enumerate(plain):
                out[:, k * width : (k + 1) * width] = sums[:, j * width : (j + 1) * width]
        for k, adjustment, rows in adjusted:
            moved = adjustment.adjust(weights)
            out[:, k * width : (k + 1) * width] = np.asarray((rows.T @ moved.T).T)
        return out

    sums = replicate_reductions(
        plan,
        full,
        settings,
        replicates,
        rng,
        reduce,
        width * len(values),
        block=block,
        workers=workers,
        progress=progress,
    )
    meta = ReplicateWeights(np.empty((replicates, 0)), 1.0 / replicates, "full_sample", "bootstrap")
    results = []
    for k, (indicator, (numerator, denominator)) in enumerate(zip(indicators, values, strict=True)):
        scale = SCALES[indicator.unit]
        adjustment = adjustments[k]
        weights = full.weights if adjustment is None else adjustment.adjust(full.weights)[0]
        figures = domain_figures(
            domains,
            plan.municipality,
            weights,
            meta,
            numerator,
            denominator,
            scale,
            replicate_sums=sums[:, k * width : (k + 1) * width],
        )
        results.append(IndicatorResult(indicator.name, str(indicator.unit), scale, figures, None))
    return results


def check_replicates(results: Sequence[IndicatorResult], domains: Domains, replicates: int) -> None:
    """Raise ``replicates_failed`` for the first indicator and domain with an estimate whose
    replicates did not all give one (``replicate_failures="fail"``)."""
    for result in results:
        f = result.figures
        failed = np.isfinite(f.estimate) & (f.replicates_used < replicates)
        if failed.any():
            i = int(np.flatnonzero(failed)[0])
            raise PipelineError(
                "replicates_failed",
                indicator=result.name,
                municipality=domains.municipality[i],
                channel=domains.channel[i],
                failed=replicates - int(f.replicates_used[i]),
                replicates=replicates,
            )
