"""CPU cost of the age group × gender cells in one pipeline run (run by hand).

    .venv/bin/python bench/groups_cost.py [respondents] [municipalities] [replicates]

Builds the synthetic population of ``bench/synthetic.py`` (10 indicators, not timed), then runs
:func:`analysis.pipeline.run.estimate_from_frames` four times in this one process, alternately
without and with the ``groups`` callback (the cells as more domains of the same replicate
pass), one worker, and prints the CPU and wall seconds of each run and the load average.
"""

from __future__ import annotations

import os
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import pandas as pd

from analysis.pipeline.run import PipelineOptions, estimate_from_frames
from bench.synthetic import make_synthetic


def _cpu() -> float:
    used = resource.getrusage(resource.RUSAGE_SELF)
    return used.ru_utime + used.ru_stime


def main(respondents: int, municipalities: int, replicates: int) -> None:
    data = make_synthetic(respondents=respondents, municipalities=municipalities, seed=1)
    options = PipelineOptions(workers=1)
    for label in ("without", "with", "without", "with"):
        cells: list[pd.DataFrame] = []
        cpu, wall = _cpu(), time.perf_counter()
        estimate_from_frames(
            data.respondents,
            data.benchmarks,
            data.survey,
            replicates=replicates,
            options=options,
            groups=cells.append if label == "with" else None,
        )
        rows = len(cells[0]) if cells else 0
        print(
            f"{label:8s} cpu {_cpu() - cpu:6.2f} s  wall {time.perf_counter() - wall:6.2f} s  "
            f"cell rows {rows}  load {os.getloadavg()[0]:.1f}",
            flush=True,
        )


if __name__ == "__main__":
    sizes = [int(a) for a in sys.argv[1:4]]
    main(*(sizes + [50_000, 1_100, 500][len(sizes) :]))
