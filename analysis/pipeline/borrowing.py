"""Small municipalities borrow their age × gender structure from the region around them.

A municipality with fewer than ``min_respondents_to_rake`` respondents cannot be raked on its
own margins, and post-stratifying it to its total alone leaves the opt-in bias (the young and
men answer least) whole. Instead, its respondents start from the structure of the pool of small
municipalities of their region (all small municipalities when the benchmarks name no region):

    f_c = (T_c / T) / (n_c / n)

for every cell c of the first margin (age group × gender), ``T_c`` the pool's population in
the cell, ``n_c`` its respondents; cells of the pool without respondents leave ``f`` at 1 for
the others, and ``f`` is kept within ``[1/r, r]`` (``r`` the trimming ratio, 5). Each small
municipality is then post-stratified to its own total, which keeps the ratios: its weights are
``f_c × N_d / sum_d f``. The pool's structure is fixed from the full sample (like the
imputations) and used in every replicate. :class:`Borrowed` reports the pool and the Kish
design effect of the borrowed factors, for the ``weighting`` text.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from analysis.pipeline.messages import render
from analysis.pipeline.plan import WeightingPlan

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.intp]


@dataclass(frozen=True)
class Borrowed:
    """Starting factor of every respondent (1 outside small municipalities), and per
    municipality the size of its pool (0 when it borrows nothing) and the Kish deff of its
    factors."""

    factors: FloatArray
    pool: IntArray
    deff: FloatArray

    def text(self, municipality: int, language: str) -> str:
        """The sentence of a municipality that borrowed, else ""."""
        if self.pool[municipality] == 0:
            return ""
        params = {"pool": int(self.pool[municipality]), "deff": f"{self.deff[municipality]:.2f}"}
        return render("weighting_borrowed", params, language)


def borrow_structure(
    plan: WeightingPlan, regions: NDArray[np.object_] | None, max_ratio: float | None
) -> Borrowed:
    """The borrowed factors of the plan's small municipalities (see the module docstring).

    ``regions`` (D,) the region of each municipality, or None for one pool.
    """
    n = plan.municipality.size
    d = plan.population.size
    factors = np.ones(n)
    pool_size = np.zeros(d, dtype=np.intp)
    deff = np.ones(d)
    if not plan.margins or not plan.single.any():
        return Borrowed(factors, pool_size, deff)
    margin = plan.margins[0]
    k = len(margin.cells)
    region = np.zeros(d, dtype=object) if regions is None else regions
    inside = plan.municipality >= 0
    small = plan.single & (plan.respondents > 0)
    for name in sorted({str(r) for r in region[small]}):
        members = small & (region.astype(str) == name)
        if members.sum() < 2:
            continue
        chosen = inside & members[np.where(inside, plan.municipality, 0)]
        counts = np.bincount(margin.codes[chosen], minlength=k).astype(np.float64)
        targets = margin.targets[members].sum(axis=0)
        with np.errstate(divide="ignore", invalid="ignore"):
            cell = np.where(counts > 0, (targets / targets.sum()) / (counts / counts.sum()), 1.0)
        if max_ratio is not None:
            cell = np.clip(cell, 1.0 / max_ratio, max_ratio)
        factors[chosen] = cell[margin.codes[chosen]]
        pool_size[members] = int(members.sum())
        for m in np.flatnonzero(members):
            f = factors[chosen & (plan.municipality == m)]
            deff[m] = f.size * float(f @ f) / float(f.sum()) ** 2 if f.size else 1.0
    return Borrowed(factors, pool_size, deff)


def regions(benchmarks: pd.DataFrame, codes: tuple[str, ...]) -> NDArray[np.object_]:
    """The benchmarks' ``region`` of each municipality ("" when the column is absent)."""
    if "region" not in benchmarks.columns:
        return np.array(["" for _ in codes], dtype=object)
    found = dict(zip(benchmarks["municipality"].astype(str), benchmarks["region"], strict=False))
    return np.array([str(found.get(code, "")) for code in codes], dtype=object)


def report_borrowing(
    table: pd.DataFrame, plan: WeightingPlan, borrowed: Borrowed, language: str
) -> None:
    """Append what small municipalities borrowed to their ``weighting`` text (in place)."""
    sentences = {}
    for index, code in enumerate(plan.municipalities):
        sentence = borrowed.text(index, language)
        if sentence:
            sentences[code] = sentence
    if not sentences:
        return
    suffix = table["municipality"].map(sentences)
    rows = suffix.notna().to_numpy()
    texts = table["weighting"].to_numpy(dtype=object, copy=True)
    texts[rows] = texts[rows] + "; " + suffix.to_numpy(dtype=object)[rows]
    table["weighting"] = pd.Series(texts, index=table.index, dtype=table["weighting"].dtype)
