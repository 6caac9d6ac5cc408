"""Time Vigie's raking against the raking functions of other Python packages (run by hand).

    .venv/bin/python bench/weighting.py [--sizes 10000 100000 1000000] [--repeat 5]
        [--balance-python PATH] [--write docs/benchmarks.md]

Problem: N respondents, design weights uniform on [0.5, 2], four margins of 2, 4, 6 and 1,100
categories (the last like municipality × age group), targets 0.9-1.1 times the sample's own
distribution, total 8.5 million. Each package rakes from the design weights where it can, with
the tightest tolerance it offers; the table gives the best wall time of ``--repeat`` runs (one
run for a peer slower than ``--slow`` seconds), the ratio peer/Vigie, and the largest relative
margin error each reached. Peers: ipfn, weightipy, samplics (installed in the project's venv)
and balance, which pins older numpy/scipy/pandas and so runs from its own virtualenv
(``--balance-python``). A peer that is missing or fails is reported with the reason.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchdoc import replace_section  # bench/ is on sys.path when run as a script

from analysis.weighting.raking import rake  # imported after the path insert above

SIZES = (2, 4, 6, 1100)
TOTAL = 8.5e6
Problem = tuple[np.ndarray, list[np.ndarray], list[np.ndarray]]

BALANCE_SCRIPT = """
import json, sys, time, warnings
import numpy as np, pandas as pd
warnings.simplefilter("ignore")
import logging; logging.disable(logging.CRITICAL)
from balance.weighting_methods.rake import rake
data = np.load(sys.argv[1])
codes = [data[f"c{j}"] for j in range(4)]
targets = [data[f"t{j}"] for j in range(4)]
sample = pd.DataFrame({f"m{j}": pd.Series(c).map(lambda k: f"k{k}") for j, c in enumerate(codes)})
# the target frame: the sample itself, weighted to the margins (balance's own target_margins
# overflows on 1,100 categories with non-round totals)
target = sample.copy()
target_weights = pd.Series(data["target_w"])
best = float("inf")
for _ in range(int(sys.argv[2])):
    start = time.perf_counter()
    out = rake(sample, pd.Series(data["w"]), target, target_weights, transformations=None,
               convergence_rate=1e-10, max_iteration=1000)
    best = min(best, time.perf_counter() - start)
np.save(sys.argv[3], out["weight"].to_numpy())
print(json.dumps({"seconds": best}))
"""


def make_problem(n: int, seed: int = 0) -> Problem:
    """Design weights, codes and targets of the benchmark."""
    rng = np.random.default_rng(seed)
    weights = rng.uniform(0.5, 2.0, n)
    codes, targets = [], []
    for k in SIZES:
        shares = rng.dirichlet(np.full(k, 5.0))
        # two respondents at least per category (ipfn fails on a category of one)
        c = np.concatenate([np.arange(k), np.arange(k), rng.choice(k, n - 2 * k, p=shares)])
        t = np.bincount(c, minlength=k) * rng.uniform(0.9, 1.1, k)
        codes.append(c.astype(np.intp))
        targets.append(t / t.sum() * TOTAL)
    return weights, codes, targets


def worst_error(weights: np.ndarray, codes: list[np.ndarray], targets: list[np.ndarray]) -> float:
    """Largest relative margin error of weights rescaled to the total (weightipy normalises)."""
    w = weights * (TOTAL / weights.sum())
    return max(
        float(np.max(np.abs(np.bincount(c, weights=w, minlength=t.size) / t - 1)))
        for c, t in zip(codes, targets, strict=True)
    )


def run_vigie(problem: Problem) -> np.ndarray:
    w, codes, targets = problem
    return rake(w, list(zip(codes, targets, strict=True)), tol=1e-10).weights


def run_ipfn(problem: Problem) -> np.ndarray:
    from ipfn import ipfn

    w, codes, targets = problem
    frame = pd.DataFrame({f"m{j}": c for j, c in enumerate(codes)})
    frame["total"] = w
    aggregates = [
        pd.Series(t, index=pd.Index(range(t.size), name=f"m{j}")) for j, t in enumerate(targets)
    ]
    dims = [[f"m{j}"] for j in range(len(codes))]
    fit = ipfn.ipfn(frame, aggregates, dims, weight_col="total", convergence_rate=1e-10)
    return fit.iteration()["total"].to_numpy()


def run_weightipy(problem: Problem) -> np.ndarray:
    from weightipy import scheme_from_dict, weight

    _, codes, targets = problem
    frame = pd.DataFrame({f"m{j}": c for j, c in enumerate(codes)})
    scheme = scheme_from_dict(
        {
            f"m{j}": {k: float(v) for k, v in enumerate(100 * t / t.sum())}
            for j, t in enumerate(targets)
        }
    )
    return weight(frame, scheme).to_numpy()


def run_samplics(problem: Problem) -> np.ndarray:
    from samplics.weighting import SampleWeight

    w, codes, targets = problem
    options: dict[str, Any] = {
        "samp_weight": w,
        "control": {f"m{j}": dict(enumerate(t.tolist())) for j, t in enumerate(targets)},
        "margins": {f"m{j}": c for j, c in enumerate(codes)},
        "tol": 1e-10,
        "max_iter": 200,
    }
    return np.asarray(SampleWeight().rake(**options))


PEERS: dict[str, Callable[[Problem], np.ndarray]] = {
    "ipfn": run_ipfn,
    "weightipy": run_weightipy,
    "samplics": run_samplics,
}


def time_best(run: Callable[[Problem], np.ndarray], problem: Problem, repeat: int, slow: float):
    """Best wall time over ``repeat`` runs (one run when the first exceeds ``slow`` s)."""
    best, weights = float("inf"), np.empty(0)
    for attempt in range(repeat):
        start = time.perf_counter()
        weights = run(problem)
        best = min(best, time.perf_counter() - start)
        if attempt == 0 and best > slow:
            break
    return best, weights


def time_balance(python: str, problem: Problem, repeat: int) -> tuple[float, np.ndarray]:
    w, codes, targets = problem
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "problem.npz"
        out = Path(tmp) / "weights.npy"
        arrays: dict[str, Any] = {f"c{j}": c for j, c in enumerate(codes)}
        arrays |= {f"t{j}": t for j, t in enumerate(targets)}
        arrays["w"] = w
        arrays["target_w"] = run_vigie(problem)  # meets every margin: the target frame's weights
        np.savez(data, **arrays)
        result = subprocess.run(
            [python, "-c", BALANCE_SCRIPT, str(data), str(repeat), str(out)],
            capture_output=True,
            text=True,
            check=True,
            timeout=3600,
        )
        seconds = json.loads(result.stdout.strip().splitlines()[-1])["seconds"]
        return float(seconds), np.load(out)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--slow", type=float, default=20.0, help="seconds: then run once")
    parser.add_argument("--skip-after", type=float, default=300.0, help="skip larger N after")
    parser.add_argument("--balance-python", default="")
    parser.add_argument("--write", default="", help="Markdown file to update (section Raking)")
    args = parser.parse_args()
    warnings.simplefilter("ignore")
    skipped: dict[str, str] = {}
    rows = []
    for n in args.sizes:
        problem = make_problem(n)
        ours, weights = time_best(run_vigie, problem, args.repeat, args.slow)
        rows.append(
            (
                n,
                "Vigie (analysis.weighting.raking.rake)",
                ours,
                1.0,
                worst_error(weights, *problem[1:]),
            )
        )
        print(f"N={n}: Vigie {ours:.4f} s", flush=True)
        names = [*PEERS, *(["balance"] if args.balance_python else [])]
        for name in names:
            if name in skipped:
                rows.append((n, name, float("nan"), float("nan"), float("nan")))
                continue
            try:
                if name == "balance":
                    repeat = min(args.repeat, 3)
                    seconds, weights = time_balance(args.balance_python, problem, repeat)
                else:
                    seconds, weights = time_best(PEERS[name], problem, args.repeat, args.slow)
            except Exception as exc:  # a peer's failure is a result to report
                skipped[name] = f"failed: {type(exc).__name__}: {str(exc)[:120]}"
                rows.append((n, name, float("nan"), float("nan"), float("nan")))
                continue
            rows.append((n, name, seconds, seconds / ours, worst_error(weights, *problem[1:])))
            print(f"N={n}: {name} {seconds:.4f} s", flush=True)
            if seconds > args.skip_after:
                skipped[name] = f"not run above N={n} (took {seconds:.0f} s)"
    table = render(rows, skipped, args)
    print(table)
    if args.write:
        write_section(Path(args.write), table)


def render(rows: list, skipped: dict[str, str], args: argparse.Namespace) -> str:
    lines = [
        "| N | package | best time (s) | ratio peer/Vigie | max relative margin error |",
        "|---:|---|---:|---:|---:|",
    ]
    for n, name, seconds, ratio, error in rows:
        if np.isnan(seconds):
            lines.append(f"| {n:,} | {name} | — | — | — |")
        else:
            lines.append(f"| {n:,} | {name} | {seconds:.4f} | {ratio:.1f} | {error:.1e} |")
    notes = [f"- {name}: {why}" for name, why in skipped.items()]
    command = "`.venv/bin/python bench/weighting.py " + " ".join(sys.argv[1:]) + "`"
    return "\n".join([*lines, "", *notes, "", f"Command: {command}"]).strip() + "\n"


#: What the figures do not say by themselves; kept under the table on every rewrite.
NOTES = """Notes:

- Vigie and samplics rake to a relative tolerance of 1e-10, ipfn and balance to a
  convergence rate of 1e-10; weightipy has no tolerance setting and starts from equal
  weights (it takes no design weights), so its problem is slightly different.
- ipfn fails (`AttributeError: 'numpy.float64' object has no attribute 'loc'`) when a
  category has a single respondent; the benchmark gives every category two respondents
  at least so that it can run.
- balance's `target_margins` overflows (`OverflowError: int too large to convert to float`)
  on 1,100 categories with non-round totals; it is given a target frame instead (the
  sample with weights that meet every margin), its usual way of working. balance pins
  older numpy, scipy and pandas, so it runs from its own virtualenv (`make bench` makes
  `.venv-balance`).
- Vigie rakes the small margins together on the cells of their combinations when those
  are far fewer than the respondents (`analysis/weighting/raking.py`), which halves the passes over
  a million respondents; the arithmetic is that of raking them one by one.
"""


def _measured_on() -> str:
    import datetime as dt
    import os
    import platform
    from importlib.metadata import PackageNotFoundError, version

    def of(name: str) -> str:
        try:
            return version(name)
        except PackageNotFoundError:
            return "not installed"

    peers = ", ".join(f"{name} {of(name)}" for name in PEERS)
    return (
        f"Measured {dt.date.today().isoformat()} on {os.cpu_count()} CPU, Python "
        f"{platform.python_version()}, numpy {np.__version__}; {peers}.\n\n"
    )


def write_section(path: Path, table: str) -> None:
    """Replace (or append) the "## Raking" section of ``path``, leaving other sections alone."""
    header = "## Raking"
    intro = (
        f"{header}\n\nFour margins of 2, 4, 6 and 1,100 categories; best of several runs on the "
        "development machine (2 shared cores). Produced by `bench/weighting.py`; see its "
        "docstring for the problem and each package's settings.\n\n" + _measured_on()
    )
    table = table + "\n" + NOTES
    replace_section(path, header, intro + table)


if __name__ == "__main__":
    main()
