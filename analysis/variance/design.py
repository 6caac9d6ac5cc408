"""The sample design: weights, strata, clusters (PSUs), finite-population correction, calibration.

A :class:`Design` is what R ``survey::svydesign`` holds for a one-stage (or ultimate-cluster)
design: per respondent, the weight, the stratum, the primary sampling unit (PSU) and the number
of PSUs of the stratum in the population (``fpc``). Weights produced by raking or calibration
carry a :class:`CalibrationModel` so that variances use the calibration residuals.

Domains (a municipality, an age group) are estimated on the whole sample with the weights set to
zero outside the domain (:meth:`Design.restrict`), never by dropping respondents: the PSUs with
no respondent in the domain still count in the variance.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TypeAlias

import numpy as np
import scipy.sparse as sp
from numpy.typing import ArrayLike, NDArray

from analysis.errors import EstimationError

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.intp]
#: A model matrix: a dense array or any scipy.sparse matrix or array.
Matrix: TypeAlias = "NDArray[np.float64] | sp.sparray | sp.spmatrix"


@dataclass(frozen=True)
class CalibrationModel:
    """How the weights were calibrated, for the variance (:mod:`analysis.variance.linearization`).

    ``x``: the n×p calibration model matrix (dense or sparse, e.g. margin dummies);
    ``weights``: the calibrated weights of the full sample (kept when a domain zeroes weights);
    ``regression_weights``: the weights of the residual regression; the design weights for
    R ``calibrate()`` (GREG), ones for R ``rake()`` (whose backfitting is an unweighted
    projection). The two coincide when the design weights are equal within the sample.
    """

    x: Matrix
    weights: FloatArray
    regression_weights: FloatArray


@dataclass(frozen=True)
class Design:
    """Weights (n,), optional strata, clusters (PSU ids) and fpc (PSUs in the population per
    stratum, given per respondent), optional calibration model. Build with :func:`make_design`.
    """

    weights: FloatArray
    strata: IntArray
    clusters: IntArray
    fpc: FloatArray | None
    calibration: CalibrationModel | None = None

    @property
    def n(self) -> int:
        """Number of respondents (rows), whatever their weight."""
        return int(self.weights.size)

    @property
    def n_psu(self) -> int:
        """Number of distinct PSUs in the sample."""
        return int(self.clusters.max()) + 1 if self.n else 0

    @property
    def degrees_of_freedom(self) -> int:
        """Design degrees of freedom: PSUs minus strata (R ``degf``)."""
        return self.n_psu - (int(self.strata.max()) + 1 if self.n else 0)

    def with_weights(
        self, weights: ArrayLike, calibration: CalibrationModel | None = None
    ) -> Design:
        """The same design with new weights (e.g. after raking) and their calibration model."""
        w = np.asarray(weights, dtype=np.float64)
        if w.shape != self.weights.shape:
            raise EstimationError(
                "bad_shape", what="weights", expected=self.weights.shape, got=w.shape
            )
        return replace(self, weights=w, calibration=calibration)

    def restrict(self, domain: ArrayLike | None) -> Design:
        """The domain design: weights zeroed outside ``domain`` (a boolean mask), all rows kept."""
        if domain is None:
            return self
        mask = np.asarray(domain)
        if mask.shape != self.weights.shape:
            raise EstimationError(
                "bad_shape", what="domain", expected=self.weights.shape, got=mask.shape
            )
        return replace(self, weights=np.where(mask.astype(bool), self.weights, 0.0))


def _recode(values: ArrayLike | None, n: int) -> IntArray:
    if values is None:
        return np.zeros(n, dtype=np.intp)
    array = np.asarray(values)
    if array.shape != (n,):
        raise EstimationError("bad_shape", what="design variable", expected=(n,), got=array.shape)
    return np.unique(array, return_inverse=True)[1].astype(np.intp).ravel()


def make_design(
    weights: ArrayLike,
    *,
    strata: ArrayLike | None = None,
    clusters: ArrayLike | None = None,
    fpc: ArrayLike | None = None,
) -> Design:
    """Build a :class:`Design`; ids of any type are recoded to 0..K-1.

    Without ``clusters`` every respondent is its own PSU. PSU ids are taken as nested within
    strata (the same id in two strata is two PSUs). ``fpc`` is the number of PSUs of the
    respondent's stratum in the population (R ``fpc=`` as a population size); it must be
    constant within a stratum and at least the number of sampled PSUs.
    """
    w = np.asarray(weights, dtype=np.float64)
    if w.ndim != 1:
        raise EstimationError("bad_shape", what="weights", expected="(n,)", got=w.shape)
    if not np.all(np.isfinite(w)) or np.any(w < 0):
        raise EstimationError("bad_value", what="weights", problem="finite and non-negative")
    n = w.size
    strata_codes = _recode(strata, n)
    psu_ids = np.arange(n) if clusters is None else clusters
    cluster_codes = _recode(psu_ids, n)
    nested = strata_codes.astype(np.int64) * (int(cluster_codes.max(initial=0)) + 1) + cluster_codes
    cluster_codes = np.unique(nested, return_inverse=True)[1].astype(np.intp).ravel()
    fpc_arr: FloatArray | None = None
    if fpc is not None:
        fpc_arr = np.asarray(fpc, dtype=np.float64)
        if fpc_arr.shape != (n,):
            raise EstimationError("bad_shape", what="fpc", expected=(n,), got=fpc_arr.shape)
        n_strata = int(strata_codes.max(initial=-1)) + 1
        for h in range(n_strata):
            in_h = strata_codes == h
            values = np.unique(fpc_arr[in_h])
            sampled = np.unique(cluster_codes[in_h]).size
            if values.size != 1 or values[0] < sampled:
                raise EstimationError(
                    "bad_value",
                    what=f"fpc of stratum {h}",
                    problem=f"must be one value per stratum, at least its {sampled} sampled PSUs",
                )
    return Design(w, strata_codes, cluster_codes, fpc_arr)
