"""Design effects: of the whole design (R ``svymean(deff=TRUE)``) and of the weighting (Kish).

- Kish's design effect of unequal weighting: ``deff_w = 1 + CV_w^2 = n sum w^2 / (sum w)^2``;
  effective sample size ``n / deff_w``.
- Design effect of an estimate: its variance under the design over the variance of the same
  estimate under simple random sampling of the same size,
  ``V_srs = s^2/n × (1 - n/N)`` where ``s^2 = n/(n-1) × sum w (y - ȳ)^2 / sum w`` (R ``svyvar``),
  ``N = sum w``; ``replace=True`` drops ``(1 - n/N)`` (R ``deff="replace"``). Reference
  (R 4.2.2, survey 4.1-1, apiclus1 unraked mean of api00): deff 9.34587.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from analysis.errors import EstimationError
from analysis.variance.design import Design


def kish_deff(weights: ArrayLike) -> float:
    """``n × sum(w^2) / (sum w)^2`` over the respondents with a positive weight."""
    w = np.asarray(weights, dtype=np.float64)
    w = w[w > 0]
    if w.size == 0:
        raise EstimationError("no_weight", what="kish_deff", where="")
    return float(w.size * np.dot(w, w) / w.sum() ** 2)


def effective_n(weights: ArrayLike) -> float:
    """Kish's effective sample size ``n / deff_w = (sum w)^2 / sum w^2``."""
    w = np.asarray(weights, dtype=np.float64)
    w = w[w > 0]
    if w.size == 0:
        raise EstimationError("no_weight", what="effective_n", where="")
    return float(w.sum() ** 2 / np.dot(w, w))


def design_effect(
    variance: float,
    design: Design,
    y: ArrayLike,
    *,
    domain: ArrayLike | None = None,
    replace: bool = False,
) -> float:
    """Design variance of the mean of ``y`` (in the domain) over its SRS variance (see above)."""
    d = design.restrict(domain)
    w = d.weights
    yv = np.asarray(y, dtype=np.float64)
    n = int(np.count_nonzero(w > 0))
    if n < 2:
        raise EstimationError("bad_value", what="design_effect", problem="needs 2 respondents")
    total_w = float(w.sum())
    ybar = float(np.dot(w, yv)) / total_w
    s2 = float(np.dot(w, (yv - ybar) ** 2)) / total_w * n / (n - 1.0)
    v_srs = s2 / n if replace else s2 / n * max(0.0, 1.0 - n / total_w)
    if v_srs == 0:
        raise EstimationError("bad_value", what="design_effect", problem="y does not vary")
    return float(variance / v_srs)
