"""Time the whole estimation pipeline on a synthetic population (run by hand).

    .venv/bin/python bench/pipeline.py [--respondents 50000] [--municipalities 1100]
        [--indicators 10] [--replicates 500] [--seed 1] [--workers 2] [--label after]
        [--record runs.json] [--write docs/benchmarks.md]

Builds the synthetic respondents and benchmarks of ``bench/synthetic.py`` (not timed), then
runs :func:`analysis.pipeline.run.estimate_from_frames` once: weighting plan and full-sample
weights (impute, collapse, rake within municipalities, trim), bootstrap replicates with the
weighting redone in each, direct estimates with replicate variances, Fay–Herriot small areas
and the tidy table. Prints the wall time of each stage and in all, the CPU time (this process
and its worker processes), the peak resident memory (this process; the largest worker) and
the load average; ``--record`` appends these figures to a JSON file, and ``--write`` replaces
the "## Full pipeline" section of the given Markdown file with one table of every recorded
run (before and after a change, at each size).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchdoc import replace_section

from analysis.pipeline.run import PipelineOptions, estimate_from_frames
from bench.synthetic import make_synthetic

HEADING = "## Full pipeline"
#: Row names of the stages in the table (the last stage also builds the results table).
LABELS = {
    "weights": "plan and full-sample weights",
    "replicates": "replicate weights (collapse, rake, trim in each) and their domain sums",
    "estimates": "direct estimates and bootstrap variances from the sums",
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


def measure_run(args: argparse.Namespace, total: float) -> dict[str, object]:
    """Wall and CPU seconds, peak memory (MB) and load of one run."""
    me = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = me.ru_utime + me.ru_stime + children.ru_utime + children.ru_stime
    return {
        "label": args.label,
        "respondents": args.respondents,
        "replicates": args.replicates,
        "workers": args.workers,
        "wall": round(total, 2),
        "cpu": round(cpu, 2),
        "peak_mb": round(me.ru_maxrss / 1024),
        "worker_peak_mb": round(children.ru_maxrss / 1024),
        "load": round(os.getloadavg()[0], 1),
        "date": dt.date.today().isoformat(),
    }


def section(runs: list[dict[str, object]], durations: dict[str, float]) -> str:
    """The Markdown section: every recorded run, then the stages of the last one."""
    lines = [
        HEADING,
        "",
        "Synthetic respondents (`bench/synthetic.py`, not timed) in 1,100 municipalities, 10 "
        "indicators, 500 Rao–Wu bootstrap replicates with the whole weighting (collapse, raking "
        "within municipalities, trimming) redone in each. Goal: 50,000 respondents under 10 s "
        "with a peak under 1 GB, 200,000 under 40 s. Wall seconds depend on what else runs on "
        "the 2 cores (the load average at the end of each run is given); CPU seconds (the "
        "process and its workers) much less so.",
        "",
        "| code | respondents | workers | wall s | CPU s | peak MB (main / worker) | load | date |",
        "|---|---:|---:|---:|---:|---:|---:|---|",
        *(
            f"| {r['label']} | {r['respondents']:,} | {r['workers']} | {r['wall']} | {r['cpu']} "
            f"| {r['peak_mb']} / {r['worker_peak_mb']} | {r['load']} | {r['date']} |"
            for r in runs
        ),
        "",
        "Stages of the last run:",
        "",
        "| stage | seconds |",
        "|---|---|",
        *(
            f"| {LABELS.get(stage, stage)} | {seconds:.2f} |"
            for stage, seconds in durations.items()
        ),
        "",
        f"Machine: {machine()}. Command: `.venv/bin/python bench/pipeline.py "
        + " ".join(sys.argv[1:])
        + "`",
    ]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--respondents", type=int, default=50_000)
    parser.add_argument("--municipalities", type=int, default=1_100)
    parser.add_argument("--indicators", type=int, default=10)
    parser.add_argument("--replicates", type=int, default=500)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--label", default="current")
    parser.add_argument("--record", default="", help="JSON file of runs to append to")
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
        options=PipelineOptions(workers=args.workers),
        progress=clock,
    )
    end = time.perf_counter()
    durations = clock.durations(end)
    run = measure_run(args, end - start)
    runs: list[dict[str, object]] = []
    if args.record:
        record = Path(args.record)
        runs = json.loads(record.read_text()) if record.exists() else []
        runs.append(run)
        record.write_text(json.dumps(runs, indent=1))
    body = section(runs or [run], durations)
    print(body)
    print(f"rows: {len(results):,}")
    print(results["method"].value_counts().to_string())
    print(results["flag"].value_counts().to_string())
    if args.write:
        replace_section(Path(args.write), HEADING, body)


if __name__ == "__main__":
    main()
