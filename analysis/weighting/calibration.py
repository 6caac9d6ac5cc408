"""Calibration estimators of Deville and Särndal (1992), solved as R ``survey::grake`` does.

Find λ such that the calibrated weights ``w_i = d_i g_i``, ``g_i = F(x_i'λ)``, reproduce the
known totals: ``sum_i d_i F(x_i'λ) x_i = T``. Newton's method on λ with the Jacobian
``J = sum_i d_i F'(x_i'λ) x_i x_i'`` and step-halving when a step makes the misfit worse;
stop when ``max_j |T_j - sum_i w_i x_ij| / (1 + |T_j|) < tol`` (R's criterion).

Distance functions ``F``:
- ``linear`` (GREG): ``F(u) = 1 + u``; with ``bounds=(L, U)``, truncated: ``clip(1 + u, L, U)``;
- ``raking``: ``F(u) = exp(u)`` (the same weights as :func:`analysis.weighting.raking.rake` when
  X holds the margins' dummy codes);
- ``logit`` (L < 1 < U): ``F(u) = L + (U - L) expit(A u + log((1 - L)/(U - 1)))`` with
  ``A = (U - L) / ((1 - L)(U - 1))``, so that ``F(0) = 1``, ``F'(0) = 1`` and ``L < F < U``.

X may be a dense array or a ``scipy.sparse`` matrix; :func:`margin_design_matrix` builds the
sparse dummy matrix of a set of margins.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
import scipy.sparse as sp
from numpy.typing import ArrayLike, NDArray
from scipy.special import expit

from analysis.errors import WeightingError
from analysis.variance.design import Matrix

FloatArray = NDArray[np.float64]
Method = Literal["linear", "raking", "logit"]
DistanceFunctions = tuple[Callable[[FloatArray], FloatArray], Callable[[FloatArray], FloatArray]]
METHODS = ("linear", "raking", "logit")


@dataclass(frozen=True)
class CalibrationResult:
    """Calibrated weights ``d * g``, the g-factors, Newton iterations, convergence, λ."""

    weights: FloatArray
    g: FloatArray
    iterations: int
    converged: bool
    coefficients: FloatArray
    max_rel_error: float


@dataclass(frozen=True)
class MarginDesign:
    """Dummy-coded margins: the sparse n×p matrix, its columns and the columns left out.

    ``columns[j] = (margin, category)`` names column j; ``dropped`` lists the
    ``(margin, category)`` pairs left out so that X has full column rank (category 0 of every
    margin after the first: the first margin's dummies already sum to the intercept).
    """

    matrix: sp.csr_array
    columns: tuple[tuple[int, int], ...]
    dropped: tuple[tuple[int, int], ...]

    def totals(self, targets: Sequence[ArrayLike]) -> FloatArray:
        """The population totals of the kept columns, from each margin's targets vector."""
        arrays = [np.asarray(t, dtype=np.float64) for t in targets]
        return np.array([arrays[m][k] for m, k in self.columns], dtype=np.float64)


def margin_design_matrix(
    codes: Sequence[ArrayLike], sizes: Sequence[int] | None = None
) -> MarginDesign:
    """Sparse dummy matrix of margins: one column per category, category 0 dropped after margin 0.

    ``codes[m]`` are the integer codes (0..K_m - 1) of margin m; ``sizes[m] = K_m`` (defaults to
    the largest code + 1). Each row has one non-zero per margin, so the matrix holds
    ``n * len(codes)`` values whatever the number of categories.
    """
    if not codes:
        raise WeightingError("bad_value", what="margin_design_matrix", problem="no margin given")
    arrays = [np.asarray(c, dtype=np.intp) for c in codes]
    n = arrays[0].size
    rows: list[NDArray[np.intp]] = []
    cols: list[NDArray[np.intp]] = []
    columns: list[tuple[int, int]] = []
    dropped: list[tuple[int, int]] = []
    offset = 0
    for m, array in enumerate(arrays):
        if array.shape != (n,):
            raise WeightingError(
                "bad_shape", what=f"margin {m} codes", expected=(n,), got=array.shape
            )
        size = int(sizes[m]) if sizes is not None else (int(array.max()) + 1 if n else 0)
        if n and (array.min() < 0 or array.max() >= size):
            raise WeightingError(
                "code_out_of_range", margin=m, last=size - 1, found=int(array.max())
            )
        first = 0 if m == 0 else 1
        if m > 0:
            dropped.append((m, 0))
        keep = array >= first
        rows.append(np.flatnonzero(keep))
        cols.append(array[keep] - first + offset)
        columns.extend((m, k) for k in range(first, size))
        offset += size - first
    row = np.concatenate(rows)
    col = np.concatenate(cols)
    matrix = sp.csr_array((np.ones(row.size), (row, col)), shape=(n, offset))
    return MarginDesign(matrix, tuple(columns), tuple(dropped))


def _distance(method: str, bounds: tuple[float, float] | None) -> DistanceFunctions:
    """F(u) and F'(u) of the chosen distance function."""
    if method == "raking":
        return np.exp, np.exp
    if method == "linear":
        if bounds is None:
            return (lambda u: 1.0 + u), np.ones_like
        lower, upper = bounds
        if not lower <= 1.0 <= upper:
            raise WeightingError("bad_bounds", rule="L <= 1 <= U", lower=lower, upper=upper)

        def linear_derivative(u: FloatArray) -> FloatArray:
            g = 1.0 + u
            return ((g > lower) & (g < upper)).astype(np.float64)

        return (lambda u: np.clip(1.0 + u, lower, upper)), linear_derivative
    if method == "logit":
        if bounds is None:
            raise WeightingError("bad_bounds", rule="L < 1 < U", lower=None, upper=None)
        lower, upper = bounds
        if not lower < 1.0 < upper:
            raise WeightingError("bad_bounds", rule="L < 1 < U", lower=lower, upper=upper)
        a = (upper - lower) / ((1.0 - lower) * (upper - 1.0))
        shift = np.log((1.0 - lower) / (upper - 1.0))

        def logit_f(u: FloatArray) -> FloatArray:
            return lower + (upper - lower) * expit(a * u + shift)

        def logit_derivative(u: FloatArray) -> FloatArray:
            s = expit(a * u + shift)
            return (upper - lower) * a * s * (1.0 - s)

        return logit_f, logit_derivative
    raise WeightingError("unknown_option", what="calibrate method", value=method, choices=METHODS)


def _weighted_cross(x: Matrix, v: FloatArray) -> FloatArray:
    """X' diag(v) X as a dense p×p array."""
    if sp.issparse(x):
        return np.asarray((x.T @ sp.diags_array(v) @ x).toarray())
    dense = np.asarray(x)
    return dense.T @ (dense * v[:, None])


def _misfit(x: Matrix, w: FloatArray, totals: FloatArray) -> FloatArray:
    return totals - np.asarray(x.T @ w).ravel()


def calibrate(
    x: Matrix,
    d: ArrayLike,
    totals: ArrayLike,
    *,
    method: Method = "linear",
    bounds: tuple[float, float] | None = None,
    max_iter: int = 50,
    tol: float = 1e-10,
    allow_nonconvergence: bool = False,
) -> CalibrationResult:
    """Calibrate design weights ``d`` so that ``X' w = totals`` (see the module docstring).

    ``x`` is n×p (dense or sparse, full column rank), ``d`` the n design weights, ``totals``
    the p population totals. Columns whose sample and population totals are both zero are
    ignored (as R does). Raises :class:`WeightingError` on bad bounds, a singular Jacobian, or
    no convergence in ``max_iter`` Newton steps (unless ``allow_nonconvergence``).
    """
    d_arr = np.asarray(d, dtype=np.float64)
    t_arr = np.asarray(totals, dtype=np.float64)
    n = d_arr.size
    if x.shape[0] != n:
        raise WeightingError("bad_shape", what="X rows", expected=n, got=x.shape[0])
    if t_arr.shape != (x.shape[1],):
        raise WeightingError("bad_shape", what="totals", expected=(x.shape[1],), got=t_arr.shape)
    if not np.all(np.isfinite(d_arr)) or np.any(d_arr < 0):
        raise WeightingError("bad_value", what="design weights", problem="finite, non-negative")
    f, f_prime = _distance(method, bounds)
    sample = np.asarray(x.T @ d_arr).ravel()
    absent = np.flatnonzero((sample == 0) & (t_arr == 0))
    if absent.size:
        keep = np.setdiff1d(np.arange(t_arr.size), absent)
        x = x[:, keep]
        t_arr = t_arr[keep]
    scale = 1.0 + np.abs(t_arr)
    coef = np.zeros(t_arr.size)
    u = np.zeros(n)
    w = d_arr * f(u)
    misfit = _misfit(x, w, t_arr)
    error = float(np.max(np.abs(misfit) / scale)) if t_arr.size else 0.0
    iterations = 0
    while error >= tol and iterations < max_iter:
        iterations += 1
        jacobian = _weighted_cross(x, d_arr * f_prime(u))
        try:
            step = np.linalg.solve(jacobian, misfit)
        except np.linalg.LinAlgError as exc:
            if iterations == 1:  # F'(0) = 1: X itself is rank-deficient
                raise WeightingError("singular_model", what="calibrate") from exc
            break  # the g-factors reached the bounds: the totals are out of reach
        for _ in range(40):  # step-halving until the misfit does not grow
            trial = coef + step
            u_trial = np.asarray(x @ trial).ravel()
            w_trial = d_arr * f(u_trial)
            misfit_trial = _misfit(x, w_trial, t_arr)
            error_trial = float(np.max(np.abs(misfit_trial) / scale))
            if error_trial <= error or not np.isfinite(error):
                break
            step = step / 2.0
        coef, u, w, misfit, error = trial, u_trial, w_trial, misfit_trial, error_trial
    converged = bool(error < tol)
    if not converged and not allow_nonconvergence:
        raise WeightingError(
            "not_converged", method="Calibration", iterations=iterations, error=error, tol=tol
        )
    return CalibrationResult(w, f(u), iterations, converged, coef, error)
