"""Start-up time of the ``vigie`` command (run by hand).

Runs each command ``--runs`` times in a fresh process and reports the fastest
and the median wall time, then lists the slowest imports of ``vigie --help``
(``python -X importtime``, cumulative microseconds, top-level packages only).

    .venv/bin/python bench/startup.py [--runs 10] [--label after] [--no-write]
    git archive BEFORE | tar -x -C /tmp/before
    .venv/bin/python bench/startup.py --root /tmp/before --label before

``--root`` runs the code of another tree (an earlier commit, unpacked) with
this environment: ``PYTHONPATH`` puts its packages first.

With ``--write`` (the default) the table is added to the "vigie start-up"
section of ``docs/benchmarks.md`` under ``--label`` (a "before" table stays
when an "after" one is written).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import re
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
DOC = ROOT / "docs" / "benchmarks.md"
HEADING = "## vigie start-up"
COMMANDS = [
    ["vigie", "--help"],
    ["vigie", "survey", "check", "survey_defs/perceived_safety.yaml"],
    ["vigie", "survey", "check", "--help"],
    ["vigie", "benchmarks", "--help"],
]


def wall_times(command: list[str], runs: int, root: Path) -> tuple[list[float], list[float]]:
    """Wall and CPU (user + system) seconds of each run of ``command``."""
    times, cpu = [], []
    executable = [str(BIN / command[0]), *command[1:]]
    environment = {**os.environ, "PYTHONPATH": str(root)}
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        subprocess.run(executable, cwd=root, env=environment, check=True, capture_output=True)
        times.append(time.perf_counter() - start)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return times, cpu


def slowest_imports(root: Path, count: int = 12) -> list[tuple[str, float]]:
    """``(package, ms)``: import time of ``vigie --help`` summed per top-level package."""
    code = "import sys; from vigie_cli.main import cli; sys.argv=['vigie','--help']; cli()"
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", code],
        cwd=root,
        env={**os.environ, "PYTHONPATH": str(root)},
        capture_output=True,
        text=True,
        check=False,
    )
    found: dict[str, float] = {}
    for line in result.stderr.splitlines():
        match = re.match(r"import time:\s+(\d+) \|\s+\d+ \| \s*(\S+)", line)
        if match:
            package = match.group(2).split(".")[0].lstrip("_")
            found[package] = found.get(package, 0.0) + int(match.group(1)) / 1000
    return sorted(found.items(), key=lambda item: -item[1])[:count]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--label", default="after")
    parser.add_argument("--no-write", action="store_true")
    parser.add_argument("--root", type=Path, default=ROOT, help="the tree whose code runs")
    args = parser.parse_args()
    root = args.root.resolve()
    lines = [
        f"### {args.label}",
        "",
        f"Measured {dt.date.today()} on {os.cpu_count()} CPU, Python "
        f"{platform.python_version()}, load average {os.getloadavg()[0]:.1f} at the start "
        "(the machine was shared: wall times grow with the load; CPU time, user + system "
        "of the process, much less).",
        "",
        f"Command: `.venv/bin/python bench/startup.py --runs {args.runs} --label {args.label}"
        + ("" if root == ROOT else f" --root {root}")
        + "`",
        "",
        "| command | fastest s | median s | CPU s (median) |",
        "|---|---:|---:|---:|",
    ]
    for command in COMMANDS:
        times, cpu = wall_times(command, args.runs, root)
        lines.append(
            f"| `{' '.join(command)}` | {min(times):.2f} | {statistics.median(times):.2f} "
            f"| {statistics.median(cpu):.2f} |"
        )
        print(lines[-1], flush=True)
    lines += [
        "",
        "Import time of `vigie --help` per top-level package (`-X importtime`, self times "
        "summed; one run):",
        "",
    ]
    lines += ["| module | ms |", "|---|---:|"]
    lines += [f"| {name} | {ms:.0f} |" for name, ms in slowest_imports(root)]
    table = "\n".join(lines)
    print(table)
    if args.no_write:
        return
    text = DOC.read_text(encoding="utf-8")
    if HEADING not in text:
        intro = (
            f"{HEADING}\n\nWall time of a whole `vigie` process, from launch to exit "
            "(`bench/startup.py`). Goal: under 1 s for `vigie --help` and "
            "`vigie survey check` of one file.\n"
        )
        text = text.rstrip("\n") + "\n\n" + intro
    start = text.index(HEADING)
    end = text.find("\n## ", start + 1)
    section = text[start:] if end == -1 else text[start:end]
    marker = f"### {args.label}"
    if marker in section:
        cut = section.index(marker)
        rest = section.find("\n### ", cut + 1)
        section = section[:cut] + table + ("\n" + section[rest:] if rest != -1 else "\n")
    else:
        section = section.rstrip("\n") + "\n\n" + table + "\n"
    text = text[:start] + section + ("" if end == -1 else text[end:])
    DOC.write_text(text.rstrip("\n") + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
