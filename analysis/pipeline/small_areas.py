"""Small-area estimates of a percent indicator across municipalities, chosen by a declared rule.

Covariates (a small fixed set, from the benchmarks, never from the survey): the municipality's
15+ population shares of :data:`DEFAULT_COVARIATES` (aged 15-24, women, living alone, English
speakers), each the sum of the benchmark cells holding that category over the total; a
covariate whose variable no margin holds is left out. They are standardised and screened
(:mod:`analysis.sae.covariates`) before the model sees them.

The model (:func:`analysis.sae.arcsine.fit_proportions`) is fitted on every municipality with
at least one respondent, on the arcsine scale, with sampling variances from the indicator's
generalised variance function (:mod:`analysis.estimators.gvf`).

**Which figure a municipality publishes** is declared in advance, from the design alone, never
from the observed CV (choosing on the CV would favour estimates that happen to look precise):
the direct estimate when its Kish effective sample size ``n / deff_w`` is at least
``direct_min_effective_n`` (:class:`DirectRule`, 100 by default), the model estimate
otherwise (EBLUP with respondents, synthetic without). When even the intercept-only model
cannot be fitted, direct estimates are published and every row says so.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from analysis.errors import ModelError
from analysis.estimators.gvf import VarianceFunction
from analysis.pipeline.plan import WeightingPlan
from analysis.sae.arcsine import fit_proportions
from analysis.sae.choice import DirectRule

FloatArray = NDArray[np.float64]

#: (variable, category) whose population share is a covariate.
DEFAULT_COVARIATES: tuple[tuple[str, str], ...] = (
    ("age_group", "a15_24"),
    ("gender", "woman"),
    ("household_size", "p1"),
    ("language_spoken", "english"),
)
#: The ``model`` of rows published from the direct estimate.
DIRECT = "direct"


@dataclass(frozen=True)
class AreaChoice:
    """Per municipality (percent scale): the published value, SE, interval, source and model.

    ``source`` is "direct", "eblup" or "synthetic"; ``model`` names the model of each row
    ("direct", or the Fay–Herriot model with its covariates and any fallback).
    """

    value: FloatArray
    se: FloatArray
    low: FloatArray
    high: FloatArray
    source: tuple[str, ...]
    model: tuple[str, ...]
    #: The model's estimate of every municipality (percent), also where the direct estimate
    #: is published (``direct_cv_at="model"`` grades a direct percent's CV there).
    model_rate: FloatArray | None = None
    #: The synthetic rate of every municipality fitted without it, ``sin²(x_d'β̂_(-d))``
    #: (percent): what the other municipalities and its covariates expect of it, which its
    #: own sample does not move; the rate at which a direct percent's CV is graded by default
    #: (``direct_cv_at="synthetic"``). NaN where the others cannot predict it.
    synthetic_rate: FloatArray | None = None


@dataclass(frozen=True)
class Covariates:
    """Candidate covariates (areas × candidates) and their names."""

    values: FloatArray
    names: tuple[str, ...]


def covariate_matrix(
    plan: WeightingPlan, covariates: tuple[tuple[str, str], ...] = DEFAULT_COVARIATES
) -> Covariates:
    """The population share of each available covariate, per municipality (no intercept)."""
    columns: list[FloatArray] = []
    names: list[str] = []
    for variable, category in covariates:
        for margin in plan.margins:
            if variable not in margin.variables:
                continue
            j = margin.variables.index(variable)
            chosen = np.array([cell.split("*")[j] == category for cell in margin.cells])
            with np.errstate(divide="ignore", invalid="ignore"):
                share = margin.targets[:, chosen].sum(axis=1) / margin.targets.sum(axis=1)
            columns.append(np.nan_to_num(share))
            names.append(f"share_{category}")
            break
    values = np.column_stack(columns) if columns else np.zeros((plan.population.size, 0))
    return Covariates(values, tuple(names))


def choose_area_estimates(
    percent: FloatArray,
    respondents: FloatArray,
    deff_weighting: FloatArray,
    variance_function: VarianceFunction,
    covariates: Covariates,
    rule: DirectRule,
    *,
    level: float = 0.95,
    reference_rate: float | None = None,
) -> AreaChoice | None:
    """Direct or model estimate per municipality (see the module docstring).

    ``percent`` the direct estimates (0..100, NaN without respondents). Returns None when no
    model can be fitted (the caller publishes direct estimates and says why).
    """
    n_eff = variance_function.effective_n(respondents, deff_weighting)
    try:
        model = fit_proportions(
            percent / 100.0,
            n_eff,
            covariates.values,
            covariates.names,
            level=level,
            reference_rate=reference_rate,
        )
    except ModelError:
        return None
    direct = rule.direct(respondents, deff_weighting)
    held_out = model.synthetic_theta if model.held_out_theta is None else model.held_out_theta
    nan = np.full(percent.size, np.nan)
    return AreaChoice(
        value=np.where(direct, percent, 100.0 * model.estimate),
        se=np.where(direct, nan, 100.0 * model.se),
        low=np.where(direct, nan, 100.0 * model.low),
        high=np.where(direct, nan, 100.0 * model.high),
        source=tuple(
            DIRECT if chosen else source
            for chosen, source in zip(direct, model.source, strict=True)
        ),
        model=tuple(DIRECT if chosen else model.model for chosen in direct),
        model_rate=100.0 * model.estimate,
        synthetic_rate=100.0 * np.sin(np.clip(held_out, 0.0, np.pi / 2)) ** 2,
    )
