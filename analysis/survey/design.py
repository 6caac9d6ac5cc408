"""A survey design built from a data frame, in R ``survey``'s vocabulary, for notebooks.

    import analysis as sv
    des = sv.svydesign(df, ids="dnum", weights="pw", fpc="fpc")          # svydesign()
    rep = sv.svrepdesign(df, weights="w", repweights="^bsw", type="bootstrap")  # svrepdesign()
    raked = des.rake({"stype": {"E": 4421, "H": 755, "M": 1018}})        # rake()
    jk = raked.as_replicate("JK1")                                        # as.svrepdesign()

Every adjustment (:meth:`SurveyDesign.rake`, :meth:`~SurveyDesign.calibrate`,
:meth:`~SurveyDesign.trim`) returns a new design and never changes the one it was called on.
A design with replicate weights redoes the adjustment in every replicate (as R does for a
``svyrep.design``); a design without them keeps what the variance needs (the calibration
model: R ``rake()``'s unweighted backfitting projection, R ``calibrate()``'s weighted one).
Estimates: :mod:`analysis.survey.estimates` (``mean``, ``total``, ``ratio``, ``proportion``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any, Literal

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from analysis.errors import EstimationError, WeightingError
from analysis.variance.design import CalibrationModel, Design, make_design
from analysis.variance.replicates import Center, ReplicateWeights, jk1_factors
from analysis.variance.replicates import bootstrap_factors as _bootstrap_factors
from analysis.weighting.calibration import calibrate as _calibrate
from analysis.weighting.calibration import margin_design_matrix
from analysis.weighting.raking import Margin
from analysis.weighting.raking import rake as _rake

FloatArray = NDArray[np.float64]
#: Replicate types and their variance multiplier and centre (R ``svrepdesign(type=)``).
REPLICATE_TYPES = ("bootstrap", "JK1", "other")


@dataclass(frozen=True)
class SurveyDesign:
    """Data, the design (weights, strata, clusters, fpc, calibration) and replicate weights."""

    data: pd.DataFrame
    design: Design
    replicates: ReplicateWeights | None = None

    @property
    def weights(self) -> FloatArray:
        """The full-sample weights (R ``weights(design)``)."""
        return self.design.weights

    @property
    def degrees_of_freedom(self) -> int:
        """R ``degf``: PSUs minus strata, or replicates minus 1 for a replicate design."""
        if self.replicates is not None:
            return self.replicates.replicates - 1
        return self.design.degrees_of_freedom

    def _codes(self, column: str, levels: Sequence[Any]) -> NDArray[np.intp]:
        values = self.data[column]
        lookup = {level: k for k, level in enumerate(levels)}
        codes = values.map(lookup)
        if codes.isna().any():
            missing = sorted({str(v) for v in values[codes.isna()]})
            raise WeightingError(
                "bad_value", what=f"column {column}", problem=f"no target for {', '.join(missing)}"
            )
        return codes.to_numpy(np.intp)

    def rake(
        self,
        margins: Mapping[str, Mapping[Any, float]],
        *,
        tol: float = 1e-12,
        max_iter: int = 200,
    ) -> SurveyDesign:
        """R ``rake(design, sample.margins, population.margins)``: ``{column: {level: total}}``."""
        codes = [self._codes(column, list(totals)) for column, totals in margins.items()]
        raking = [
            Margin(c, np.array(list(totals.values()), dtype=np.float64), column)
            for c, (column, totals) in zip(codes, margins.items(), strict=True)
        ]
        raked = _rake(self.weights, raking, tol=tol, max_iter=max_iter).weights
        x = margin_design_matrix(codes).matrix
        model = CalibrationModel(x, raked, np.ones(self.design.n))
        reps = self.replicates
        if reps is not None:
            reps = replace(
                reps, weights=_rake(reps.weights, raking, tol=tol, max_iter=max_iter).weights
            )
        return SurveyDesign(self.data, self.design.with_weights(raked, model), reps)

    def calibrate(
        self,
        columns: Sequence[str],
        population: Mapping[str, float],
        *,
        calfun: Literal["linear", "raking", "logit"] = "linear",
        bounds: tuple[float, float] | None = None,
        intercept: bool = True,
    ) -> SurveyDesign:
        """R ``calibrate(design, ~x1 + x2, population, calfun=)`` on numeric columns.

        ``population`` maps ``"(Intercept)"`` (when ``intercept``) and each column to its
        population total; ``calfun`` "linear", "raking" or "logit" (with ``bounds``).
        """
        names = (["(Intercept)"] if intercept else []) + list(columns)
        parts = [np.ones(self.design.n)] if intercept else []
        parts += [self.data[c].to_numpy(np.float64) for c in columns]
        x = np.column_stack(parts)
        totals = np.array([population[name] for name in names], dtype=np.float64)
        found = _calibrate(x, self.weights, totals, method=calfun, bounds=bounds)
        model = CalibrationModel(x, found.weights, self.weights)
        reps = self.replicates
        if reps is not None:
            rows = [
                _calibrate(x, w, totals, method=calfun, bounds=bounds).weights for w in reps.weights
            ]
            reps = replace(reps, weights=np.vstack(rows))
        return SurveyDesign(self.data, self.design.with_weights(found.weights, model), reps)

    def trim(
        self, lower: float = 0.0, upper: float = np.inf, *, strict: bool = False
    ) -> SurveyDesign:
        """R ``trimWeights(design, upper, lower, strict=)``: clip the weights into [lower, upper]
        and share what was cut (or added) among the others in proportion to their weights, so
        the total stays the same (``strict``: repeat until no weight is outside the bounds);
        every replicate likewise."""
        w = _trim(self.weights, lower, upper, strict)
        reps = self.replicates
        if reps is not None:
            rows = [_trim(r, lower, upper, strict) for r in reps.weights]
            reps = replace(reps, weights=np.vstack(rows))
        calibration = self.design.calibration
        if calibration is not None:
            calibration = replace(calibration, weights=w)
        return SurveyDesign(self.data, self.design.with_weights(w, calibration), reps)

    def mean(self, variable: str, **options: Any) -> pd.DataFrame:
        """:func:`analysis.survey.estimates.mean` (R ``svymean``; ``by=``, ``level=``)."""
        from analysis.survey import estimates

        return estimates.mean(self, variable, **options)

    def total(self, variable: str, **options: Any) -> pd.DataFrame:
        """:func:`analysis.survey.estimates.total` (R ``svytotal``)."""
        from analysis.survey import estimates

        return estimates.total(self, variable, **options)

    def ratio(self, numerator: str, denominator: str, **options: Any) -> pd.DataFrame:
        """:func:`analysis.survey.estimates.ratio` (R ``svyratio``)."""
        from analysis.survey import estimates

        return estimates.ratio(self, numerator, denominator, **options)

    def proportion(self, variable: str, value: Any = True, **options: Any) -> pd.DataFrame:
        """:func:`analysis.survey.estimates.proportion` (R ``svyciprop``)."""
        from analysis.survey import estimates

        return estimates.proportion(self, variable, value, **options)

    def as_replicate(
        self, type: str = "bootstrap", *, replicates: int = 500, seed: int | None = None
    ) -> SurveyDesign:
        """R ``as.svrepdesign(design, type=)``: "JK1" (unstratified) or "bootstrap" (Rao–Wu).

        Call it before adjusting, so that every adjustment is redone in each replicate.
        """
        if type == "JK1":
            factors, scale = jk1_factors(self.design)
            center: Center = "replicate_mean"
        elif type == "bootstrap":
            factors = _bootstrap_factors(self.design, replicates, np.random.default_rng(seed))
            scale, center = 1.0 / replicates, "full_sample"
        else:
            raise EstimationError(
                "unknown_option", what="type", value=type, choices=("JK1", "bootstrap")
            )
        reps = ReplicateWeights(factors * self.weights[None, :], scale, center, type)
        return SurveyDesign(self.data, self.design, reps)


def _trim(weights: FloatArray, lower: float, upper: float, strict: bool) -> FloatArray:
    current = weights
    for _ in range(100 if strict else 1):
        clipped = np.clip(current, lower, upper)
        inside = (current > lower) & (current < upper)
        gap = float(current.sum() - clipped.sum())
        share = float(clipped[inside].sum())
        if share > 0:
            clipped = np.where(inside, clipped * (1 + gap / share), clipped)
        done = bool(np.all((clipped >= lower * (1 - 1e-12)) & (clipped <= upper * (1 + 1e-12))))
        current = clipped
        if done:
            break
    return current


def _column(data: pd.DataFrame, name: str | None) -> pd.Series | None:
    if name is None:
        return None
    if name not in data.columns:
        raise EstimationError("bad_value", what="column", problem=f"no column named {name!r}")
    return data[name]


def svydesign(
    data: pd.DataFrame,
    *,
    weights: str | None = None,
    ids: str | None = None,
    strata: str | None = None,
    fpc: str | None = None,
    probs: str | None = None,
) -> SurveyDesign:
    """R ``svydesign(ids=~ids, strata=~strata, weights=~weights, fpc=~fpc, data=data)``.

    ``fpc`` holds the population count of PSUs of the stratum (R's form as a count);
    ``probs`` the selection probabilities instead of ``weights``.
    """
    if weights is not None:
        w = data[weights].to_numpy(np.float64)
    elif probs is not None:
        w = 1.0 / data[probs].to_numpy(np.float64)
    else:
        w = np.ones(len(data))
    design = make_design(
        w, strata=_column(data, strata), clusters=_column(data, ids), fpc=_column(data, fpc)
    )
    return SurveyDesign(data.reset_index(drop=True), design)


def svrepdesign(
    data: pd.DataFrame,
    *,
    weights: str,
    repweights: str | Sequence[str],
    type: str = "bootstrap",
    scale: float | None = None,
    mse: bool = True,
) -> SurveyDesign:
    """R ``svrepdesign(weights=, repweights=, type=, scale=, mse=)`` from supplied replicate
    weights (e.g. an agency's 500 bootstrap weights; ``repweights`` a regular expression or
    the column names). ``scale`` defaults to 1/R for the bootstrap, (R-1)/R for JK1, 1 for
    "other"; ``mse=True`` centres on the full-sample estimate, else on the replicates' mean."""
    if isinstance(repweights, str):
        pattern = re.compile(repweights)
        columns = [c for c in data.columns if pattern.search(str(c))]
    else:
        columns = list(repweights)
    if not columns or type not in REPLICATE_TYPES:
        raise EstimationError("bad_value", what="replicate weights", problem=f"{repweights!r}")
    matrix = data[columns].to_numpy(np.float64).T
    count = matrix.shape[0]
    default = {"bootstrap": 1.0 / count, "JK1": (count - 1.0) / count, "other": 1.0}[type]
    center: Center = "full_sample" if mse else "replicate_mean"
    reps = ReplicateWeights(matrix, default if scale is None else scale, center, type)
    design = make_design(data[weights].to_numpy(np.float64))
    return SurveyDesign(data.reset_index(drop=True), design, reps)
