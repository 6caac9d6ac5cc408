"""Raking before and after a change, interleaved in one run (run by hand).

Usage: ``git archive REV analysis | tar -x -C /tmp/before`` then
``.venv/bin/python bench/raking_before_after.py --before /tmp/before``.
The problem is bench/weighting.py's (four margins of 2, 4, 6 and 1,100
categories); each size is raked five times by each version, alternating, and
the best times are compared. ``--module`` names the old module of ``rake``
(``analysis.raking`` before analysis/ was split into sub-packages).
"""

from __future__ import annotations

import argparse
import importlib
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--before", type=Path, required=True, help="a tree holding the old analysis/"
    )
    parser.add_argument("--module", default="analysis.raking", help="the old module of rake")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    sys.path.insert(0, str(args.before))
    before = importlib.import_module(args.module).rake
    sys.path.pop(0)
    for name in [k for k in sys.modules if k == "analysis" or k.startswith("analysis.")]:
        del sys.modules[name]
    sys.path[:0] = [str(ROOT), str(ROOT / "bench")]
    make_problem = importlib.import_module("weighting").make_problem
    after = importlib.import_module("analysis.weighting.raking").rake
    print("| N | before, best s | after, best s | after / before |")
    print("|---:|---:|---:|---:|")
    for n in (10_000, 100_000, 1_000_000):
        weights, codes, targets = make_problem(n)
        margins = list(zip(codes, targets, strict=True))
        best = {"before": float("inf"), "after": float("inf")}
        for _ in range(args.repeat):
            for label, rake in (("before", before), ("after", after)):
                start = time.perf_counter()
                rake(weights, margins, tol=1e-10)
                best[label] = min(best[label], time.perf_counter() - start)
        ratio = best["after"] / best["before"]
        print(f"| {n:,} | {best['before']:.4f} | {best['after']:.4f} | {ratio:.2f} |")


if __name__ == "__main__":
    main()
