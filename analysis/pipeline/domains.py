"""Direct estimates of one indicator in every municipality, the whole population and each channel.

A domain is a column of the n × Q membership matrix (scipy.sparse csr): one column per
municipality with benchmarks, then ``ALL`` (every weighted respondent), then one per channel
(``ALL`` restricted to web or to Telegram respondents). Domains are estimated by zeroing the
weights outside them, never by dropping respondents: the domain totals of every replicate are
one sparse product ``W (R × n) @ [Y | X] (n × 2Q)`` per indicator, where ``Y`` and ``X`` hold
each respondent's numerator and denominator in the columns of their domains.

- ratio ``θ_d = scale × sum_d w y / sum_d w x`` (scale 100 for a percent, 1,000 per 1,000);
  a respondent whose denominator is null is outside the indicator (y = x = 0);
- ``n``: respondents in the domain with a non-null denominator; ``weighted_n`` their weights'
  sum; Kish's design effect of weighting ``n × sum w² / (sum w)²`` and ``effective_n``
  ``(sum w)² / sum w²`` (:mod:`analysis.estimators.design_effects`) over the same respondents;
- variance ``(1/R_ok) sum_r (θ_r - θ)^2`` over the ``R_ok`` replicates whose estimate exists
  (a replicate that leaves a domain without weight is left out of the sum and of the divisor,
  and counted: ``replicates_used``);
- ``df``: design degrees of freedom, respondents (the PSUs) minus the municipalities (the
  strata) that hold them: ``n - 1`` in a municipality.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from numpy.typing import NDArray

from analysis.variance.replicates import ReplicateWeights, replicate_variance, replicates_used

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.intp]

#: Code of the pooled domain (every municipality).
ALL = "ALL"
#: Channels compared in the pooled rows.
CHANNELS = ("web", "telegram")


@dataclass(frozen=True)
class Domains:
    """Membership matrix (n, Q) and, per column, the municipality code and the channel."""

    matrix: sp.csr_array
    municipality: tuple[str, ...]
    channel: tuple[str, ...]

    @property
    def size(self) -> int:
        """Number of domains Q."""
        return len(self.municipality)


@dataclass(frozen=True)
class DomainFigures:
    """One indicator in every domain: (Q,) arrays."""

    estimate: FloatArray
    variance: FloatArray
    n: IntArray
    weighted_n: FloatArray
    deff: FloatArray
    effective_n: FloatArray
    replicates_used: IntArray
    df: FloatArray


def build_domains(
    municipality: IntArray, codes: tuple[str, ...], channel: NDArray[np.object_]
) -> Domains:
    """Domains of the respondents with ``municipality`` >= 0 (indices into ``codes``)."""
    n = municipality.size
    d = len(codes)
    inside = np.flatnonzero(municipality >= 0)
    rows = [inside, inside]
    cols = [municipality[inside], np.full(inside.size, d)]
    for offset, name in enumerate(CHANNELS, start=1):
        chosen = inside[channel[inside] == name]
        rows.append(chosen)
        cols.append(np.full(chosen.size, d + offset))
    q = d + 1 + len(CHANNELS)
    matrix = sp.csr_array(
        (np.ones(sum(r.size for r in rows)), (np.concatenate(rows), np.concatenate(cols))),
        shape=(n, q),
    )
    labels = (*codes, ALL, *(ALL for _ in CHANNELS))
    channels = (*("all" for _ in range(d + 1)), *CHANNELS)
    return Domains(matrix, labels, channels)


def indicator_columns(
    domains: Domains, numerator: FloatArray, denominator: FloatArray
) -> sp.csr_array:
    """``[Y | X]`` (n × 2Q): each respondent's numerator and denominator in the columns of
    their domains (0 outside the indicator's population, where the denominator is null)."""
    inside = ~np.isnan(denominator)
    y = np.where(inside, numerator, 0.0)
    x = np.where(inside, denominator, 0.0)
    m = domains.matrix
    return sp.hstack([m.multiply(y[:, None]), m.multiply(x[:, None])], format="csr")


def domain_figures(
    domains: Domains,
    municipality: IntArray,
    weights: FloatArray,
    replicates: ReplicateWeights,
    numerator: FloatArray,
    denominator: FloatArray,
    scale: float,
    *,
    replicate_sums: FloatArray | None = None,
) -> DomainFigures:
    """Ratios, replicate variances, n, weighted n and Kish figures of one indicator.

    ``replicate_sums`` (R × 2Q), when given, are ``W @ indicator_columns(...)`` already
    computed block by block (:func:`analysis.pipeline.replicates.replicate_sums`); otherwise
    they are computed from ``replicates.weights``.
    """
    inside = ~np.isnan(denominator)
    m = domains.matrix
    q = domains.size
    stacked = indicator_columns(domains, numerator, denominator)
    full = stacked.T @ weights
    if replicate_sums is None:
        thetas_sums = np.asarray((stacked.T @ replicates.weights.T).T)
    else:
        thetas_sums = replicate_sums
    with np.errstate(divide="ignore", invalid="ignore"):
        estimate = np.where(full[q:] != 0, scale * full[:q] / full[q:], np.nan)
        thetas = np.where(
            thetas_sums[:, q:] != 0, scale * thetas_sums[:, :q] / thetas_sums[:, q:], np.nan
        )
    variance = replicate_variance(thetas, estimate, replicates)
    variance = np.where(np.isfinite(estimate), variance, np.nan)
    used = replicates_used(thetas)
    counted = inside & (weights > 0)
    w = np.where(counted, weights, 0.0)
    sums = m.T @ np.column_stack([counted.astype(np.float64), w, w * w])
    n, total, squares = sums[:, 0], sums[:, 1], sums[:, 2]
    with np.errstate(divide="ignore", invalid="ignore"):
        deff = np.where(total > 0, n * squares / total**2, np.nan)
        effective = np.where(squares > 0, total**2 / squares, 0.0)
    holding = np.flatnonzero(counted & (municipality >= 0))
    strata = sp.csr_array(
        (np.ones(holding.size), (holding, municipality[holding])),
        shape=(m.shape[0], int(municipality.max(initial=-1)) + 1),
    )
    strata_per_domain = np.asarray(((m.T @ strata) > 0).sum(axis=1)).ravel()
    return DomainFigures(
        estimate=estimate,
        variance=variance,
        n=np.rint(n).astype(np.intp),
        weighted_n=total,
        deff=deff,
        effective_n=effective,
        replicates_used=used,
        df=np.maximum(n - strata_per_domain, 1.0),
    )


def cap_series(numerator: FloatArray, denominator: FloatArray, percentile: float) -> FloatArray:
    """Numerators capped at the ``percentile`` of the positive numerators in the population.

    The cap is an observed count (``inverted_cdf``); each respondent's numerator becomes
    ``min(numerator, cap)``. NaN numerators stay NaN.
    """
    inside = ~np.isnan(denominator) & ~np.isnan(numerator)
    positive = numerator[inside & (numerator > 0)]
    if positive.size == 0:
        return numerator
    cap = float(np.percentile(positive, percentile, method="inverted_cdf"))
    return np.where(np.isnan(numerator), numerator, np.minimum(numerator, cap))
