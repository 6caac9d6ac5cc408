"""Horvitz–Thompson totals, means, proportions and ratios, overall and by domain, with
linearization standard errors (see :mod:`analysis.variance.linearization`).

- total ``Y = sum w_i y_i``; influence ``z_i = y_i``;
- ratio ``R = Y / X`` (``X = sum w_i x_i``), times ``scale`` (1,000 for an incidence rate per
  1,000); influence ``z_i = (y_i - R x_i) / X``;
- mean = ratio with ``x = 1``; proportion = mean of a 0/1 indicator.

A domain is handled by zeroing the weights outside it (``Design.restrict``), never by dropping
respondents. Reference values, R 4.2.2 / survey 4.1-1 on apiclus1 (clusters dnum, weights pw,
fpc fpc): unraked mean of api00 644.16939891, SE 23.54224069; raked total of enroll
3647280.14807, SE 400603.256862; raked mean of api00 for stype E 647.446579228, SE 22.8084121941.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from numpy.typing import ArrayLike, NDArray

from analysis.errors import EstimationError
from analysis.variance.design import Design
from analysis.variance.linearization import linearized_variance

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.intp]

#: Domains per block when the calibration residuals make the score matrix dense.
DOMAIN_BLOCK = 128


@dataclass(frozen=True)
class Estimate:
    """A point estimate, its linearization variance and SE, and the respondents behind it
    (rows with a positive weight in the domain, and a non-zero denominator for a ratio)."""

    estimate: float
    se: float
    variance: float
    respondents: int


@dataclass(frozen=True)
class DomainEstimates:
    """Estimates for domains 0..D-1 (NaN where a domain has no weight), same fields as arrays."""

    estimate: FloatArray
    se: FloatArray
    variance: FloatArray
    respondents: NDArray[np.int64]


def _values(design: Design, values: ArrayLike, what: str) -> FloatArray:
    v = np.asarray(values, dtype=np.float64)
    if v.shape != (design.n,):
        raise EstimationError("bad_shape", what=what, expected=(design.n,), got=v.shape)
    if not np.all(np.isfinite(v)):
        raise EstimationError(
            "bad_value",
            what=what,
            problem="values must be finite (code missing answers as 0 "
            "in both numerator and denominator)",
        )
    return v


def total(design: Design, y: ArrayLike, *, domain: ArrayLike | None = None) -> Estimate:
    """Horvitz–Thompson total ``sum w_i y_i`` over the domain, with its linearization SE."""
    d = design.restrict(domain)
    yv = _values(d, y, "y")
    scores = d.weights * yv
    variance = float(linearized_variance(scores, d))
    respondents = int(np.count_nonzero(d.weights > 0))
    return Estimate(float(scores.sum()), float(np.sqrt(variance)), variance, respondents)


def ratio(
    design: Design,
    y: ArrayLike,
    x: ArrayLike,
    *,
    domain: ArrayLike | None = None,
    scale: float = 1.0,
) -> Estimate:
    """Ratio ``scale × sum w y / sum w x`` over the domain, SE from ``z = (y - R x)/X``."""
    d = design.restrict(domain)
    yv = _values(d, y, "y")
    xv = _values(d, x, "x")
    big_x = float(np.dot(d.weights, xv))
    if big_x == 0.0:
        raise EstimationError("no_weight", what="ratio denominator", where=" in this domain")
    r = float(np.dot(d.weights, yv)) / big_x
    scores = d.weights * (yv - r * xv) / big_x
    variance = float(linearized_variance(scores, d)) * scale**2
    respondents = int(np.count_nonzero((d.weights > 0) & (xv != 0)))
    return Estimate(r * scale, float(np.sqrt(variance)), variance, respondents)


def mean(design: Design, y: ArrayLike, *, domain: ArrayLike | None = None) -> Estimate:
    """Weighted mean ``sum w y / sum w`` over the domain (a ratio with x = 1)."""
    return ratio(design, y, np.ones(design.n), domain=domain)


def proportion(
    design: Design, indicator: ArrayLike, *, domain: ArrayLike | None = None
) -> Estimate:
    """Weighted proportion of a 0/1 indicator over the domain (R ``svymean`` of a factor level).

    Reference: raked proportion both = Yes on apiclus1 0.6801575413, SE 0.01616.
    """
    v = _values(design, indicator, "indicator")
    if not np.all((v == 0) | (v == 1)):
        raise EstimationError("bad_value", what="indicator", problem="values must be 0 or 1")
    return mean(design, v, domain=domain)


def _domain_codes(design: Design, codes: ArrayLike, n_domains: int) -> IntArray:
    c = np.asarray(codes)
    if c.shape != (design.n,) or not np.issubdtype(c.dtype, np.integer):
        raise EstimationError("bad_shape", what="domain codes", expected=(design.n,), got=c.shape)
    if c.size and (c.min() < 0 or c.max() >= n_domains):
        raise EstimationError(
            "bad_value", what="domain codes", problem=f"codes must lie in 0..{n_domains - 1}"
        )
    return c.astype(np.intp)


def domain_ratios(
    design: Design,
    y: ArrayLike,
    x: ArrayLike,
    codes: ArrayLike,
    n_domains: int,
    *,
    scale: float = 1.0,
) -> DomainEstimates:
    """Ratios ``scale × Y_d / X_d`` for every domain d at once, with linearization SEs.

    Same estimates and SEs as :func:`ratio` with ``domain=(codes == d)``, computed on an n×D
    score matrix (one non-zero per row; dense blocks of ``DOMAIN_BLOCK`` domains when the
    calibration residuals spread the scores over the sample). Domains with ``X_d = 0`` get NaN.
    """
    yv = _values(design, y, "y")
    xv = _values(design, x, "x")
    c = _domain_codes(design, codes, n_domains)
    w = design.weights
    num = np.bincount(c, weights=w * yv, minlength=n_domains)
    den = np.bincount(c, weights=w * xv, minlength=n_domains)
    with np.errstate(divide="ignore", invalid="ignore"):
        r = num / den
    r_unit = np.where(np.isfinite(r), r, 0.0)[c]
    den_unit = den[c]
    with np.errstate(divide="ignore", invalid="ignore"):
        unit_scores = np.where(den_unit != 0, w * (yv - r_unit * xv) / den_unit, 0.0)
    rows = np.arange(design.n)
    scores = sp.csc_array((unit_scores, (rows, c)), shape=(design.n, n_domains))
    variance = np.empty(n_domains)
    for start in range(0, n_domains, DOMAIN_BLOCK):
        stop = min(start + DOMAIN_BLOCK, n_domains)
        block = scores[:, start:stop].toarray()
        variance[start:stop] = linearized_variance(block, design)
    variance = np.where(den != 0, variance * scale**2, np.nan)
    respondents = np.bincount(
        c, weights=((w > 0) & (xv != 0)).astype(np.float64), minlength=n_domains
    )
    return DomainEstimates(r * scale, np.sqrt(variance), variance, respondents.astype(np.int64))


def domain_means(design: Design, y: ArrayLike, codes: ArrayLike, n_domains: int) -> DomainEstimates:
    """Weighted means of ``y`` in every domain (R ``svyby(~y, ~domain, design, svymean)``)."""
    return domain_ratios(design, y, np.ones(design.n), codes, n_domains)
