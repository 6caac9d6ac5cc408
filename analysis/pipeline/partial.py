"""Partial responses: each indicator estimated from the respondents who reached its questions.

With ``--include-partial``, a response left in progress or abandoned counts for the weighting
(its answers to the weighting questions are data) and for every indicator whose questions it
reached (:func:`analysis.loader.respondent_rows` marks them in ``reached:<indicator>``); for
the indicators it did not reach, its numerator and denominator are null. Counting it as a
"no" would bias every rate downwards; simply leaving it out would let the respondents who stop
early (often the young) count for less in that indicator than the weighting meant.

So each indicator with respondents who did not reach it gets a declared nonresponse
adjustment, in weighting classes (Kalton and Flores-Cervantes, 2003): within each
municipality and each cell of the first margin (age group × gender), the weights of the
respondents who reached the indicator are multiplied by

    (weights of every respondent in the cell) / (weights of those who reached it),

so the indicator's respondents sum to the same first-margin totals as the full weighting;
a cell where nobody reached it passes its weight to the rest of the municipality (a second,
municipality-level ratio), so each municipality's total is kept. The adjustment is redone in
every bootstrap replicate (its variance counts), and the ``n``, ``deff_weighting`` and
``effective_n`` of the indicator are those of the adjusted weights.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from analysis.loader import reached_column
from analysis.pipeline.plan import WeightingPlan

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.intp]
BoolArray = NDArray[np.bool_]


@dataclass(frozen=True)
class ItemNonresponse:
    """The weighting-class adjustment of one indicator (see the module docstring)."""

    #: (n,) whether each respondent reached the indicator's questions.
    reached: BoolArray
    #: (n,) municipality × first-margin cell of each respondent (-1 outside the weighting).
    cell: IntArray
    #: (n,) municipality of each respondent (-1 outside the weighting).
    municipality: IntArray
    cells: int
    municipalities: int

    def subset(self, rows: IntArray) -> ItemNonresponse:
        """The same adjustment over the respondents ``rows`` only (e.g. the weighted ones)."""
        return ItemNonresponse(
            self.reached[rows],
            self.cell[rows],
            self.municipality[rows],
            self.cells,
            self.municipalities,
        )

    def adjust(self, weights: FloatArray) -> FloatArray:
        """Adjusted weights (B, n) of weights (B, n): 0 for the respondents who did not
        reach the indicator, the others multiplied by their cell's and municipality's ratio."""
        w = np.atleast_2d(np.asarray(weights, dtype=np.float64))
        b = w.shape[0]
        inside = self.cell >= 0
        kept = np.where(self.reached & inside, w, 0.0)
        by_cell = _sums(w * inside, self.cell, self.cells, b)
        reached = _sums(kept, self.cell, self.cells, b)
        with np.errstate(divide="ignore", invalid="ignore"):
            ratio = np.where(reached > 0, by_cell / reached, 0.0)
        cell = np.where(inside, self.cell, 0)
        adjusted = kept * np.take_along_axis(ratio, np.broadcast_to(cell, w.shape), axis=1)
        municipality = np.where(inside, self.municipality, 0)
        total = _sums(w * inside, municipality, self.municipalities, b)
        got = _sums(adjusted, municipality, self.municipalities, b)
        with np.errstate(divide="ignore", invalid="ignore"):
            level = np.where(got > 0, total / got, 0.0)
        factor = np.take_along_axis(level, np.broadcast_to(municipality, w.shape), axis=1)
        return np.asarray(adjusted * factor)


def _sums(values: FloatArray, codes: IntArray, size: int, b: int) -> FloatArray:
    """Row-wise sums (B, size) of ``values`` (B, n) by ``codes`` (n,), one bincount."""
    flat = (np.arange(b)[:, None] * size + np.where(codes >= 0, codes, 0)[None, :]).ravel()
    sums = np.bincount(flat, weights=values.ravel(), minlength=b * size)
    return np.asarray(sums, dtype=np.float64).reshape(b, size)


def item_nonresponse(
    respondents: pd.DataFrame, indicator: str, plan: WeightingPlan
) -> ItemNonresponse | None:
    """The adjustment of ``indicator``, or None when every weighted respondent reached it
    (no ``reached:`` column, as in a table of completed responses, means they all did)."""
    column = reached_column(indicator)
    if column not in respondents.columns:
        return None
    reached = respondents[column].fillna(False).to_numpy(dtype=bool)
    inside = plan.municipality >= 0
    if reached[inside].all():
        return None
    first = plan.margins[0]
    k = len(first.cells)
    cell = np.where(inside, plan.municipality * k + first.codes, -1).astype(np.intp)
    d = plan.population.size
    return ItemNonresponse(reached, cell, plan.municipality.astype(np.intp), d * k, d)
