"""Estimates of a :class:`analysis.survey.design.SurveyDesign` as tidy frames.

``mean``, ``total``, ``ratio`` and ``proportion`` mirror R's ``svymean``, ``svytotal``,
``svyratio`` and ``svyciprop``; ``by=`` (a column or a list of columns) mirrors ``svyby``: one
row per domain, estimated by zeroing the weights outside it (never by dropping rows). Every
row has ``estimate``, ``se``, ``ci_low``, ``ci_high`` (t with the design's degrees of
freedom; Korn–Graubard or logit for a proportion), ``cv`` (percent), ``deff`` (design variance
over the simple-random-sampling variance, R's ``deff=TRUE``), ``n`` (rows with a positive
weight and a value) and ``effective_n`` (``n / deff``). Rows whose value is missing (NaN) are
left out of the domain (R's ``na.rm=TRUE``).

Variance: Taylor linearization (with calibration residuals after ``rake``/``calibrate``) for
a design without replicates; ``scale × Σ (θ_r - c)²`` over the replicate weights otherwise.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from analysis.errors import EstimationError
from analysis.estimators import linear
from analysis.estimators.intervals import normal_interval, proportion_interval
from analysis.survey.design import SurveyDesign
from analysis.variance.replicates import replicate_variance

FloatArray = NDArray[np.float64]
BoolArray = NDArray[np.bool_]
COLUMNS = ("estimate", "se", "ci_low", "ci_high", "cv", "deff", "n", "effective_n")


def _domains(
    sd: SurveyDesign, by: str | Sequence[str] | None
) -> list[tuple[tuple[Any, ...], BoolArray]]:
    if by is None:
        return [((), np.ones(len(sd.data), dtype=bool))]
    columns = [by] if isinstance(by, str) else list(by)
    groups = sd.data.groupby(columns, sort=True, dropna=True).indices
    out = []
    for key, rows in groups.items():
        mask = np.zeros(len(sd.data), dtype=bool)
        mask[rows] = True
        out.append((key if isinstance(key, tuple) else (key,), mask))
    return out


def _ratio(
    sd: SurveyDesign, y: FloatArray, x: FloatArray | None, mask: BoolArray
) -> tuple[float, float, int]:
    """(estimate, variance, n) of ``Σwy/Σwx`` (or the total ``Σwy`` when x is None)."""
    valid = mask & np.isfinite(y) & (np.isfinite(x) if x is not None else True)
    yv = np.where(valid, y, 0.0)
    xv = None if x is None else np.where(valid, x, 0.0)
    n = int(np.count_nonzero(valid & (sd.weights > 0)))
    if sd.replicates is None:
        found = (
            linear.total(sd.design, yv, domain=valid)
            if xv is None
            else linear.ratio(sd.design, yv, xv, domain=valid)
        )
        return found.estimate, found.variance, n
    w = np.where(valid, sd.weights, 0.0)
    reps = np.where(valid[None, :], sd.replicates.weights, 0.0)
    if xv is None:
        estimate = float(w @ yv)
        thetas = reps @ yv
    else:
        estimate = float(w @ yv) / float(w @ xv)
        with np.errstate(divide="ignore", invalid="ignore"):
            thetas = (reps @ yv) / (reps @ xv)
    variance = replicate_variance(thetas[:, None], np.array([estimate]), sd.replicates)
    return estimate, float(variance[0]), n


def _srs_variance(
    sd: SurveyDesign, y: FloatArray, x: FloatArray | None, mask: BoolArray, estimate: float
) -> float:
    """Variance of the same estimator under simple random sampling without replacement."""
    valid = mask & np.isfinite(y) & (np.isfinite(x) if x is not None else True)
    w = np.where(valid, sd.weights, 0.0)
    n = int(np.count_nonzero(w > 0))
    big_n = float(w.sum())
    if n < 2 or big_n <= 0:
        return float("nan")
    yv = np.where(valid, y, 0.0)
    if x is None:
        residual, scale = yv - float(w @ yv) / big_n, big_n
    else:
        xv = np.where(valid, x, 0.0)
        residual, scale = yv - estimate * xv, big_n / float(w @ xv)
    s2 = float(w @ residual**2) / big_n * n / (n - 1.0)
    return scale**2 * s2 / n * max(0.0, 1.0 - n / big_n)


def _row(
    sd: SurveyDesign,
    key: tuple[Any, ...],
    estimate: float,
    variance: float,
    n: int,
    srs: float,
    level: float,
    interval: tuple[float, float] | None = None,
) -> list[Any]:
    se = float(np.sqrt(variance))
    if interval is None:
        found = normal_interval(estimate, se, level=level, df=max(sd.degrees_of_freedom, 1))
        interval = (found.lower, found.upper)
    cv = 100 * se / abs(estimate) if estimate != 0 else float("nan")
    deff = variance / srs if srs > 0 else float("nan")
    effective = n / deff if deff > 0 else float("nan")
    return [*key, estimate, se, interval[0], interval[1], cv, deff, n, effective]


def _frame(rows: list[list[Any]], by: str | Sequence[str] | None, variable: str) -> pd.DataFrame:
    names = [] if by is None else ([by] if isinstance(by, str) else list(by))
    frame = pd.DataFrame(rows, columns=[*names, *COLUMNS])
    frame.insert(len(names), "variable", variable)
    return frame


def _values(sd: SurveyDesign, column: str) -> FloatArray:
    if column not in sd.data.columns:
        raise EstimationError("bad_value", what="column", problem=f"no column named {column!r}")
    return pd.to_numeric(sd.data[column], errors="coerce").to_numpy(np.float64)


def mean(
    sd: SurveyDesign, variable: str, *, by: str | Sequence[str] | None = None, level: float = 0.95
) -> pd.DataFrame:
    """R ``svymean(~variable, design)`` (``svyby(..., svymean)`` with ``by``)."""
    y = _values(sd, variable)
    ones = np.ones(y.size)
    rows = []
    for key, mask in _domains(sd, by):
        estimate, variance, n = _ratio(sd, y, ones, mask)
        srs = _srs_variance(sd, y, ones, mask, estimate)
        rows.append(_row(sd, key, estimate, variance, n, srs, level))
    return _frame(rows, by, variable)


def total(
    sd: SurveyDesign, variable: str, *, by: str | Sequence[str] | None = None, level: float = 0.95
) -> pd.DataFrame:
    """R ``svytotal(~variable, design)``."""
    y = _values(sd, variable)
    rows = []
    for key, mask in _domains(sd, by):
        estimate, variance, n = _ratio(sd, y, None, mask)
        srs = _srs_variance(sd, y, None, mask, estimate)
        rows.append(_row(sd, key, estimate, variance, n, srs, level))
    return _frame(rows, by, variable)


def ratio(
    sd: SurveyDesign,
    numerator: str,
    denominator: str,
    *,
    by: str | Sequence[str] | None = None,
    level: float = 0.95,
) -> pd.DataFrame:
    """R ``svyratio(~numerator, ~denominator, design)``."""
    y, x = _values(sd, numerator), _values(sd, denominator)
    rows = []
    for key, mask in _domains(sd, by):
        estimate, variance, n = _ratio(sd, y, x, mask)
        srs = _srs_variance(sd, y, x, mask, estimate)
        rows.append(_row(sd, key, estimate, variance, n, srs, level))
    return _frame(rows, by, f"{numerator}/{denominator}")


def proportion(
    sd: SurveyDesign,
    variable: str,
    value: Any = True,
    *,
    by: str | Sequence[str] | None = None,
    method: str = "korn_graubard",
    level: float = 0.95,
) -> pd.DataFrame:
    """R ``svyciprop(~I(variable == value), design, method="beta")`` (``method="logit"``
    for ``"logit"``): the share of rows whose ``variable`` equals ``value``."""
    column = sd.data[variable]
    y = np.where(column.isna(), np.nan, (column == value).astype(np.float64))
    ones = np.ones(y.size)
    rows = []
    df = max(sd.degrees_of_freedom, 1)
    for key, mask in _domains(sd, by):
        estimate, variance, n = _ratio(sd, y, ones, mask)
        srs = _srs_variance(sd, y, ones, mask, estimate)
        found = proportion_interval(
            estimate, float(np.sqrt(variance)), max(n, 2), method=method, df=df, level=level
        )
        rows.append(_row(sd, key, estimate, variance, n, srs, level, (found.lower, found.upper)))
    return _frame(rows, by, f"{variable} == {value!r}")
