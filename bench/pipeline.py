"""Time the whole estimation pipeline on a synthetic population (run by hand).

    .venv/bin/python bench/pipeline.py [--respondents 50000] [--municipalities 1100]
        [--indicators 10] [--replicates 500] [--seed 1] [--write docs/benchmarks.md]

Builds the synthetic respondents and benchmarks of ``bench/synthetic.py`` (not timed), then
runs :func:`analysis.pipeline.run.estimate_from_frames` once: weighting plan and full-sample
weights (impute, collapse, rake within municipalities, trim), bootstrap replicates with the
weighting redone in each, direct estimates with replicate variances, Fay–Herriot small areas
and the tidy table. Prints the wall time of each stage and in all, and with ``--write``
replaces the "## Full pipeline" section of the given Markdown file (other sections untouched).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchdoc import replace_section

from analysis.pipeline.run import estimate_from_frames
from bench.synthetic import make_synthetic

HEADING = "## Full pipeline"
#: Row names of the stages in the table (the last stage also builds the results table).
LABELS = {
    "weights": "plan and full-sample weights",
    "replicates": "replicate weights (collapse, rake, trim in each)",
    "estimates": "direct estimates and bootstrap variances",
    "small_areas": "Fay–Herriot and the results table",
}


class StageClock:
    """Records when each stage of the pipeline starts (its progress reports ``done == 0``)."""

    def __init__(self) -> None:
        self.starts: dict[str, float] = {}

    def __call__(self, stage: str, done: int, total: int) -> None:
        self.starts.setdefault(stage, time.perf_counter())

    def durations(self, end: float) -> dict[str, float]:
        """Seconds per stage, each until the next stage starts (the last, which also builds
        the table, until ``end``)."""
        ordered = sorted(self.starts.items(), key=lambda item: item[1])
        stops = [start for _, start in ordered[1:]] + [end]
        return {stage: stop - start for (stage, start), stop in zip(ordered, stops, strict=True)}


def machine() -> str:
    """A one-line description of the machine."""
    return f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"


def section(args: argparse.Namespace, durations: dict[str, float], total: float, rows: int) -> str:
    """The Markdown section with the figures of one run."""
    lines = [
        HEADING,
        "",
        f"{args.respondents:,} synthetic respondents in {args.municipalities:,} municipalities, "
        f"{args.indicators} indicators, {args.replicates} Rao–Wu bootstrap replicates with the "
        "whole weighting (collapse, raking within municipalities, trimming) redone in each; "
        "`bench/synthetic.py` builds the data (not timed). Goal: under 30 s.",
        "",
        "| stage | seconds |",
        "|---|---|",
        *(
            f"| {LABELS.get(stage, stage)} | {seconds:.2f} |"
            for stage, seconds in durations.items()
        ),
        f"| **total** | **{total:.2f}** |",
        "",
        f"Rows in the results table: {rows:,}. Date: {dt.date.today().isoformat()}. "
        f"Machine: {machine()} (shared with other work).",
        "",
        "Command: `.venv/bin/python bench/pipeline.py " + " ".join(sys.argv[1:]) + "`",
    ]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--respondents", type=int, default=50_000)
    parser.add_argument("--municipalities", type=int, default=1_100)
    parser.add_argument("--indicators", type=int, default=10)
    parser.add_argument("--replicates", type=int, default=500)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--write", default="", help="Markdown file to update (Full pipeline)")
    args = parser.parse_args(argv)
    data = make_synthetic(args.respondents, args.municipalities, args.indicators, args.seed)
    clock = StageClock()
    start = time.perf_counter()
    results = estimate_from_frames(
        data.respondents,
        data.benchmarks,
        data.survey,
        replicates=args.replicates,
        seed=args.seed,
        progress=clock,
    )
    end = time.perf_counter()
    durations = clock.durations(end)
    body = section(args, durations, end - start, len(results))
    print(body)
    print(results["method"].value_counts().to_string())
    print(results["flag"].value_counts().to_string())
    if args.write:
        replace_section(Path(args.write), HEADING, body)


if __name__ == "__main__":
    main()
