"""Seconds taken by the path simulator on the shipped questionnaires (run by hand).

Times :func:`questionnaire.simulation.simulate.simulate` (what ``vigie survey simulate``
runs) on ``survey_defs/victimisation.yaml`` and
``survey_defs/perceived_safety.yaml``, each in a fresh Python process so that
no cache carries over, and prints a Markdown table. With ``--before DIR``
(a folder holding an older ``questionnaire`` package, e.g. extracted with
``git archive <commit> questionnaire | tar -x -C DIR``) the same runs are
timed with that code too, and the reports of both are compared: the
optimisations must not change a single figure. With ``--write`` the table
replaces the "Simulation" section of ``docs/benchmarks.md``.

    .venv/bin/python bench/simulate.py [--paths 2000] [--seed 0] [--repeat 1]
        [--channel web] [--before DIR [--before-label NAME]] [--write]
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import hashlib
import json
import os
import platform
import shlex
import subprocess
import sys
import time
from pathlib import Path

from benchdoc import replace_section

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "benchmarks.md"
HEADING = "## Simulation"
SURVEYS = ("victimisation", "perceived_safety")
#: Start dates are drawn back from this day, so that runs on other days agree.
TODAY = "2026-11-24"


@dataclasses.dataclass(frozen=True)
class Timing:
    """One simulation run: which code, what it did, how long it took."""

    code: str
    survey: str
    channel: str
    paths: int
    seconds: float
    cpu_seconds: float
    #: SHA-256 of the whole report, to compare the outcome of two codes.
    report: str


def measure_here(survey_name: str, channel: str, paths: int, seed: int) -> dict[str, object]:
    """Run the simulator in this process (the code on ``sys.path``) and time it."""
    import importlib

    from questionnaire.loader import load_survey

    try:  # the layout by sub-package; a copy older than it has questionnaire/simulation/simulate.py
        simulate = importlib.import_module("questionnaire.simulation.simulate").simulate
    except ModuleNotFoundError:
        simulate = importlib.import_module("questionnaire.simulation.simulate").simulate

    survey = load_survey(ROOT / "survey_defs" / f"{survey_name}.yaml")
    started, cpu = time.perf_counter(), time.process_time()
    report = simulate(
        survey, paths=paths, seed=seed, channel=channel, today=dt.date.fromisoformat(TODAY)
    )
    seconds, cpu_seconds = time.perf_counter() - started, time.process_time() - cpu
    fields = dataclasses.asdict(report)
    fields["reached"] = list(report.reached.items())
    fields["expected_unreached"] = sorted(report.expected_unreached)
    text = json.dumps(fields, default=str)
    return {
        "seconds": seconds,
        "cpu_seconds": cpu_seconds,
        "report": hashlib.sha256(text.encode()).hexdigest(),
    }


def measure(code: Path, label: str, survey: str, channel: str, paths: int, seed: int) -> Timing:
    """Time one run in a fresh process that imports ``questionnaire`` from ``code``."""
    env = {**os.environ, "PYTHONPATH": str(code)}
    command = [sys.executable, str(Path(__file__).resolve()), "--measure-one"]
    command += [survey, channel, str(paths), str(seed)]
    # Run from ``code`` so that the current folder on sys.path is that code too.
    done = subprocess.run(command, env=env, cwd=code, capture_output=True, text=True, check=True)
    found = json.loads(done.stdout)
    return Timing(
        label, survey, channel, paths, found["seconds"], found["cpu_seconds"], found["report"]
    )


def best_of(
    repeat: int, code: Path, label: str, survey: str, channel: str, paths: int, seed: int
) -> Timing:
    """The fastest of ``repeat`` runs (the machine is shared; the best is the least disturbed)."""
    runs = [measure(code, label, survey, channel, paths, seed) for _ in range(repeat)]
    assert len({run.report for run in runs}) == 1, "the same seed gave different reports"
    return min(runs, key=lambda run: run.seconds)


def table(timings: list[Timing]) -> str:
    """The timings as a Markdown table."""
    lines = [
        "| code | questionnaire | channel | paths | seconds | CPU seconds | ms per path |",
        "|---|---|---|---:|---:|---:|---:|",
    ]
    for t in timings:
        lines.append(
            f"| {t.code} | {t.survey} | {t.channel} | {t.paths} | {t.seconds:.1f} "
            f"| {t.cpu_seconds:.1f} | {1000 * t.seconds / t.paths:.1f} |"
        )
    return "\n".join(lines)


def section(timings: list[Timing], command: str, same_reports: bool | None) -> str:
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    machine = (
        f"{os.cpu_count()} CPU (nproc), Python {platform.python_version()}, "
        f"{platform.system()} {platform.machine()}, load average {load:.1f} at the end"
    )
    lines = [
        HEADING,
        "",
        f"Measured {dt.date.today().isoformat()} on {machine}; the machine was shared "
        "with other work, so figures are indicative (best of the runs).",
        "",
        f"Command: `{command}`",
        "",
        "`simulate()` walks random respondents through each questionnaire (what "
        "`vigie survey simulate FILE --paths N` runs), each run in a fresh process.",
        "",
        table(timings),
    ]
    if same_reports is not None:
        verdict = "identical" if same_reports else "DIFFERENT"
        lines += [
            "",
            "The older code was a copy of its `questionnaire/` package, taken with "
            "`git archive <commit> questionnaire | tar -x -C DIR`. "
            f"Reports of the two codes for the same seed: {verdict}.",
        ]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> None:
    args_list = sys.argv[1:] if argv is None else argv
    if args_list[:1] == ["--measure-one"]:
        survey, channel, paths, seed = args_list[1:5]
        print(json.dumps(measure_here(survey, channel, int(paths), int(seed))))
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--paths", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--channel", default="web", choices=["web", "telegram"])
    parser.add_argument("--before", type=Path, help="a folder holding an older questionnaire/")
    parser.add_argument("--before-label", default="before", help="its name in the table")
    parser.add_argument("--write", action="store_true", help="update docs/benchmarks.md")
    args = parser.parse_args(args_list)
    codes = [(ROOT, "current")]
    if args.before is not None:
        codes.insert(0, (args.before.resolve(), args.before_label))
    timings: list[Timing] = []
    for survey in SURVEYS:
        for code, label in codes:
            timing = best_of(args.repeat, code, label, survey, args.channel, args.paths, args.seed)
            timings.append(timing)
            print(table([timing]).splitlines()[-1], flush=True)
    same: bool | None = None
    if args.before is not None:
        same = all(
            len({t.report for t in timings if t.survey == survey}) == 1 for survey in SURVEYS
        )
    print()
    print(table(timings))
    if same is not None:
        print(f"\nreports identical: {same}")
    if args.write:
        command = " ".join(shlex.quote(a) for a in [".venv/bin/python", *sys.argv])
        replace_section(DOC, HEADING, section(timings, command, same))
        print(f"\nwritten to {DOC.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
