"""A generalised variance function (GVF) for proportions: smoothed variances across domains.

A domain where no respondent reported the event (a *sample zero*, or every respondent did:
p = 1) has a bootstrap variance of exactly 0, although 0 of 12 respondents is compatible with
a true rate near 25 %. Its variance, CV and flag come from a smoothed model instead:

    V(p, d) = c × deff_w(d) × p (1 - p) / n_d

with ``n_d`` the domain's respondents, ``deff_w(d)`` its Kish design effect of weighting
(``1 + CV²`` of its weights) and ``c`` one factor per indicator: the median, over the domains
with ``0 < p < 1`` and at least ``min_respondents`` respondents, of the observed ratio
``V_boot / (deff_w p(1-p)/n)`` (Wolter, *Introduction to Variance Estimation*, ch. 7: a GVF
fitted on the estimates that have a variance, read off for the ones that do not). Without
three such domains ``c = 1``.

For a sample zero the variance is read at a reference rate ``p̃`` (the pooled rate of the
indicator: the rate the observatory publishes for the whole territory), so its CV is
``100 × sqrt(V(p̃, d)) / p̃``, what a figure of the usual size would have in that domain; its
interval is the Korn–Graubard interval at ``n_eff = n_d / (c × deff_w(d))``
(:func:`analysis.estimators.intervals.beta_interval`), ``[0, 1 - (α/2)^(1/n_eff)]``.
The same smoothed effective sizes give the sampling variances of the small-area model on the
arcsine scale (``1 / (4 n_eff)``, :mod:`analysis.sae.arcsine`).

``held_out`` keeps, per domain, the factor fitted without it: the pipeline grades a direct
percent's CV with it (:mod:`analysis.pipeline.results`), so that a domain whose own bootstrap
variance came out low does not pull its own grade down through the median.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

FloatArray = NDArray[np.float64]


@dataclass(frozen=True)
class VarianceFunction:
    """``V(p, d) = factor × deff_w(d) × p(1-p) / n_d``, fitted on ``fitted_on`` domains."""

    factor: float
    fitted_on: int
    #: Per domain, the factor fitted without that domain (the median of the other domains'
    #: ratios; ``factor`` where the domain was not among them): what the others say of the
    #: variance, which the domain's own bootstrap does not move.
    held_out: FloatArray | None = None

    def without(self, domain: int) -> VarianceFunction:
        """The function with the factor fitted without ``domain`` (itself when unknown)."""
        if self.held_out is None or not 0 <= domain < self.held_out.size:
            return self
        return VarianceFunction(float(self.held_out[domain]), self.fitted_on - 1)

    def effective_n(self, respondents: ArrayLike, deff_weighting: ArrayLike) -> FloatArray:
        """``n_d / (factor × deff_w(d))``; 0 where there is no respondent."""
        n = np.asarray(respondents, dtype=np.float64)
        deff = np.nan_to_num(np.asarray(deff_weighting, dtype=np.float64), nan=1.0)
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.where(n > 0, n / (self.factor * np.maximum(deff, 1.0)), 0.0)

    def variance(
        self, p: ArrayLike, respondents: ArrayLike, deff_weighting: ArrayLike
    ) -> FloatArray:
        """The smoothed variance of proportions ``p`` (0..1) in domains of those sizes."""
        rate = np.asarray(p, dtype=np.float64)
        n_eff = self.effective_n(respondents, deff_weighting)
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.where(n_eff > 0, rate * (1.0 - rate) / n_eff, np.nan)


def fit_variance_function(
    p: ArrayLike,
    variance: ArrayLike,
    respondents: ArrayLike,
    deff_weighting: ArrayLike,
    *,
    min_respondents: int = 10,
) -> VarianceFunction:
    """Fit the factor of :class:`VarianceFunction` (median ratio; see the module docstring).

    ``p`` in 0..1, ``variance`` of p (same scale), one entry per domain.
    """
    rate = np.asarray(p, dtype=np.float64)
    v = np.asarray(variance, dtype=np.float64)
    n = np.asarray(respondents, dtype=np.float64)
    deff = np.nan_to_num(np.asarray(deff_weighting, dtype=np.float64), nan=1.0)
    with np.errstate(divide="ignore", invalid="ignore"):
        srs = np.maximum(deff, 1.0) * rate * (1.0 - rate) / n
        ratio = v / srs
    usable = np.isfinite(ratio) & (rate > 0) & (rate < 1) & (n >= min_respondents) & (v > 0)
    if usable.sum() < 3:
        return VarianceFunction(1.0, int(usable.sum()), np.ones(rate.size))
    factor = float(np.median(ratio[usable]))
    held_out = np.full(rate.size, factor)
    values = ratio[usable]
    k = values.size
    if k > 3:
        held_out[usable] = _medians_without_each(values)
    else:  # without it fewer than three domains are left: the factor would be 1
        held_out[usable] = 1.0
    return VarianceFunction(factor, int(usable.sum()), held_out)


def _medians_without_each(values: FloatArray) -> FloatArray:
    """For each element, the median of the others: in sorted order, dropping rank j leaves
    ``order[q]`` at position q < j and ``order[q + 1]`` from j on (O(k log k))."""
    k = values.size
    order = np.sort(values)
    rank = np.empty(k, dtype=np.intp)
    rank[np.argsort(values, kind="stable")] = np.arange(k)

    def at(position: int) -> FloatArray:
        return np.where(position < rank, order[position], order[position + 1])

    middle = (k - 1) // 2  # k - 1 values are left
    if (k - 1) % 2:
        return at(middle)
    return (at(middle - 1) + at(middle)) / 2.0
