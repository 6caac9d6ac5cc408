"""A small seeded run of the coverage simulation (bench/coverage.py), with a loose bound.

The documented tables (docs/statistics.md, "Coverage simulation") come from surveys of 500
replicates each (their number is given there); here 8 surveys of 30 replicates check that the
machinery runs end to end and that the published intervals are not far off (a regression to
zero-width intervals or to a model fitted on the wrong scale falls well below the bound).
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.slow
def test_published_intervals_cover_the_truth_in_a_small_simulation() -> None:
    sys.path[:0] = [str(ROOT), str(ROOT / "bench")]
    try:
        from bench.coverage import simulate, summarise
    finally:
        del sys.path[:2]
    rows = simulate(8, 30, seed=3, fixed=False)
    summary = summarise(rows)
    assert summary["published"] > 100
    assert float(summary["coverage"]) >= 0.85
    published = rows[rows["flag"].fillna("").isin(["", "E"])]
    assert np.all(published["se"] > 0)
    assert np.all(published["ci_high"] > published["ci_low"])
    assert set(published["method"]) <= {"direct", "eblup", "synthetic"}
