"""An estimate run through the job queue against the same run called directly (run by hand).

    .venv/bin/python bench/jobs.py [--respondents 50000] [--municipalities 1100]
        [--replicates 500] [--repeats 3] [--seed 1] [--redis URL] [--label TEXT]
        [--record bench/jobs_runs.json] [--write docs/benchmarks.md]

Fills a fresh SQLite database (in a temporary folder, not timed) with ``--respondents``
completed responses to the victimisation questionnaire: the synthetic respondents and census
benchmarks of ``bench/synthetic.py`` (municipalities, age group × gender, household size,
language), each respondent's answers to the screener (yes/no and how many times, with
age-dependent rates) written as the intake service writes them, one row per answer.

Then, ``--repeats`` times, the same :class:`observatory.EstimateRequest` (``--replicates``
replicates; the seed moves on at each repeat so that every repeat is a new run and no cache
answers it) is computed two ways, in alternating order:

- ``direct``: :meth:`Observatory.estimate`, in this process (what ``vigie estimate`` does);
- ``queue``: :meth:`JobQueue.request_run` from this process, executed by a ``vigie worker``
  subprocess (a huey consumer, the real ``vigie.estimate_run`` task, started once before the
  repeats), this process watching the run's row until it is ``done`` and then reading its
  results table back (what the estimates page does). Timed from the request to the table.

Both tables must be equal (same seed, same data). Prints each pair, the medians and the
ratio of the medians; ``--record`` appends the figures to a JSON file and ``--write``
replaces the "## Jobs" section of the Markdown file with a table of every recorded run.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import resource
import shlex
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path

_HERE = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != _HERE]
sys.path.insert(0, str(_HERE.parent))
sys.path.append(str(_HERE))

from benchdoc import replace_section  # noqa: E402

HEADING = "## Jobs"
DEFS = _HERE.parent / "survey_defs"
SURVEY_FILE = DEFS / "victimisation.yaml"
#: Screener items: (question, probability of a "yes" for the youngest age group).
HOUSEHOLD_ITEMS = (
    "break_in",
    "attempted_break_in",
    "home_vandalism",
    "vehicle_theft",
    "theft_from_vehicle",
    "vehicle_vandalism",
    "bicycle_theft",
)
PERSONAL_ITEMS = ("robbery", "personal_theft", "physical_assault", "threats", "fraud")
VEHICLE_ITEMS = ("vehicle_theft", "theft_from_vehicle", "vehicle_vandalism")
#: A representative age (years) for each age group of the synthetic population.
AGE_LOW = {"a15_24": 15, "a25_44": 25, "a45_64": 45, "a65_plus": 65}
AGE_SPAN = {"a15_24": 10, "a25_44": 20, "a45_64": 20, "a65_plus": 25}


def fill_database(url: str, respondents: int, municipalities: int, seed: int) -> int:
    """Migrate ``url`` and store the synthetic population in it; returns the answer rows."""
    import numpy as np
    from sqlalchemy import insert

    from bench.synthetic import make_synthetic
    from observatory.database import upgrade_database
    from questionnaire.loader import load_survey
    from storage.benchmarks import load_benchmarks
    from storage.engine import make_engine, make_session_factory
    from storage.records import BenchmarkRow, Municipality
    from storage.surveys import register_survey_version
    from storage.tables import AnswerModel, ResponseModel

    upgrade_database(url)
    synthetic = make_synthetic(respondents, municipalities, indicators=1, seed=seed)
    people = synthetic.respondents.to_dict("records")
    bench = synthetic.benchmarks
    rng = np.random.default_rng(seed + 1)
    engine = make_engine(url)
    now = dt.datetime.now(dt.UTC)
    answer_rows = 0
    try:
        sessions = make_session_factory(engine)
        with sessions.begin() as session:
            version = register_survey_version(session, load_survey(SURVEY_FILE))
            names = bench.drop_duplicates("municipality")
            places = [
                Municipality(code, name, None)
                for code, name in zip(
                    names["municipality"], names["municipality_name"], strict=True
                )
            ]
            rows = [
                BenchmarkRow(m, v, c, int(n), "bench-census", 2021)
                for m, v, c, n in zip(
                    bench["municipality"],
                    bench["variable"],
                    bench["category"],
                    bench["count"],
                    strict=True,
                )
            ]
            load_benchmarks(session, places, rows)
        youth = {"a15_24": 3.0, "a25_44": 2.0, "a45_64": 1.3, "a65_plus": 1.0}
        batch = 5_000
        for start in range(0, respondents, batch):
            responses, answers = [], []
            for i in range(start, min(start + batch, respondents)):
                person = people[i]
                response_id = uuid.UUID(int=int(rng.integers(2**62)) << 64 | i).hex
                responses.append(
                    {
                        "id": response_id,
                        "version_id": version.id,
                        "channel": person["channel"],
                        "language": "fr",
                        "status": "completed",
                        "started_at": now,
                        "updated_at": now,
                        "completed_at": now,
                        "row_version": 2,
                    }
                )
                group = person["age_group"]
                age = None
                if group is not None:
                    age = AGE_LOW[group] + int(rng.integers(AGE_SPAN[group]))
                has_vehicle = "yes" if rng.random() < 0.8 else "no"
                given: dict[str, object] = {
                    "age": age if age is not None else 40,
                    "consent": "yes",
                    "gender": person["gender"],
                    "municipality": person["municipality"],
                    "household_size": person["household_size"],
                    "language_spoken": person["language_spoken"],
                    "has_vehicle": has_vehicle,
                }
                factor = youth.get(group or "a45_64", 1.3)
                for item in HOUSEHOLD_ITEMS + PERSONAL_ITEMS:
                    if item in VEHICLE_ITEMS and has_vehicle == "no":
                        continue
                    yes = rng.random() < 0.03 * factor
                    given[item] = "yes" if yes else "no"
                    if yes:
                        given[f"{item}_times"] = 1 + int(rng.poisson(0.4))
                for path, value in given.items():
                    if value is None:
                        continue
                    answers.append(
                        {
                            "response_id": response_id,
                            "path": path,
                            "value": value,
                            "answered_at": now,
                        }
                    )
            with sessions.begin() as session:
                session.execute(insert(ResponseModel), responses)
                session.execute(insert(AnswerModel), answers)
            answer_rows += len(answers)
    finally:
        engine.dispose()
    return answer_rows


def start_worker(url: str, instance: Path, redis_url: str | None) -> subprocess.Popen[bytes]:
    """``vigie worker`` on ``url`` (one consumer, as the Procfile runs it)."""
    env = os.environ | {
        "DATABASE_URL": url,
        "VIGIE_INSTANCE_DIR": str(instance),
        "VIGIE_SURVEY_DEFS": str(DEFS),
    }
    env.pop("VIGIE_REDIS_URL", None)
    if redis_url:
        env["VIGIE_REDIS_URL"] = redis_url
    command = [sys.executable, "-c", "from vigie_cli.main import cli; cli()", "worker"]
    log = (instance / "worker.log").open("ab")
    return subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT)


def own_cpu() -> float:
    """CPU seconds of this process and of its children already waited for (forked workers)."""
    me = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + children.ru_utime + children.ru_stime


def process_cpu(pid: int) -> float:
    """CPU seconds of process ``pid`` and of its children it waited for (``/proc/pid/stat``)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    ticks = sum(int(value) for value in fields[11:15])  # utime, stime, cutime, cstime
    return ticks / os.sysconf("SC_CLK_TCK")


def time_direct(services, request):  # type: ignore[no-untyped-def]
    """Wall and CPU seconds of ``Observatory.estimate`` in this process, and its table."""
    cpu, start = own_cpu(), time.perf_counter()
    table = services.observatory.estimate(request).table
    return time.perf_counter() - start, own_cpu() - cpu, table


def time_queue(queue, request, worker: int, limit: float):  # type: ignore[no-untyped-def]
    """Wall seconds (to the table read back, and to ``done``), CPU seconds (this process and
    the worker ``worker``), and the table of a run through the queue."""
    cpu, start = own_cpu() + process_cpu(worker), time.perf_counter()
    run = queue.request_run(request, "bench@vigie.test")
    while True:
        found = queue.run(run.id)
        if found.status == "done":
            break
        if found.status == "failed":
            raise SystemExit(f"run {run.id} failed: {found.error}")
        if time.perf_counter() - start > limit:
            raise SystemExit(f"run {run.id} not done after {limit:.0f} s: {found}")
        time.sleep(0.25)
    done = time.perf_counter() - start
    table = queue.results(run.id)
    wall = time.perf_counter() - start
    return wall, done, own_cpu() + process_cpu(worker) - cpu, table


def cpu_medians(pairs: list[dict[str, object]]) -> dict[str, float]:
    """Median CPU seconds of each arm and their ratio (pairs measured with CPU only)."""
    timed = [p for p in pairs if "direct_cpu" in p]
    if not timed:
        return {}
    direct = statistics.median(float(p["direct_cpu"]) for p in timed)  # type: ignore[arg-type]
    queued = statistics.median(float(p["queue_cpu"]) for p in timed)  # type: ignore[arg-type]
    return {
        "direct_cpu_median": round(direct, 2),
        "queue_cpu_median": round(queued, 2),
        "cpu_ratio": round(queued / direct, 3),
    }


def summarise(args: argparse.Namespace, pairs: list[dict[str, object]]) -> dict[str, object]:
    """The figures of one invocation so far: its pairs, their medians and the ratio."""
    direct = statistics.median(float(p["direct"]) for p in pairs)  # type: ignore[arg-type]
    queued = statistics.median(float(p["queue"]) for p in pairs)  # type: ignore[arg-type]
    return {
        "id": args.started,
        "label": args.label,
        "date": dt.date.today().isoformat(),
        "respondents": args.respondents,
        "municipalities": args.municipalities,
        "replicates": args.replicates,
        "storage": "Redis" if args.redis else "SQLite",
        "pairs": pairs,
        "direct_median": round(direct, 2),
        "queue_median": round(queued, 2),
        "ratio": round(queued / direct, 3),
        **cpu_medians(pairs),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}",
        "command": shlex.join(["python", *sys.argv]).replace("python ", ".venv/bin/python ", 1),
    }


def measure(args: argparse.Namespace, on_pair: Callable[[dict[str, object]], None]) -> None:
    """Fill the database, start the worker, time ``args.repeats`` pairs (``on_pair`` each)."""
    import pandas as pd

    from observatory import EstimateRequest
    from observatory.jobs import JobQueue, make_huey
    from services import Settings, build_services

    pairs: list[dict[str, object]] = []
    with tempfile.TemporaryDirectory() as folder:
        instance = Path(folder)
        url = f"sqlite:///{folder}/jobs-bench.db"
        start = time.perf_counter()
        answers = fill_database(url, args.respondents, args.municipalities, args.seed)
        print(
            f"database: {args.respondents:,} responses, {answers:,} answers "
            f"in {time.perf_counter() - start:.0f} s",
            flush=True,
        )
        settings = Settings(database_url=url, survey_defs=DEFS, instance_dir=instance)
        worker = start_worker(url, instance, args.redis)
        try:
            with build_services(settings, eager=False) as services:
                huey = make_huey(redis_url=args.redis, instance_dir=instance)
                queue = JobQueue(services.observatory, services.sessions, huey)
                for repeat in range(args.repeats):
                    request = EstimateRequest(
                        "victimisation", replicates=args.replicates, seed=args.seed + repeat
                    )
                    order = ("direct", "queue") if repeat % 2 == 0 else ("queue", "direct")
                    timings: dict[str, float] = {}
                    tables = {}
                    for arm in order:
                        if arm == "direct":
                            wall, cpu, tables["direct"] = time_direct(services, request)
                            timings["direct"], timings["direct_cpu"] = wall, cpu
                        else:
                            wall, done, cpu, tables["queue"] = time_queue(
                                queue, request, worker.pid, args.limit
                            )
                            timings["queue"], timings["queue_done"] = wall, done
                            timings["queue_cpu"] = cpu
                    pd.testing.assert_frame_equal(
                        tables["queue"], tables["direct"], check_dtype=False
                    )
                    pair = {
                        "order": " then ".join(order),
                        "direct": round(timings["direct"], 2),
                        "queue": round(timings["queue"], 2),
                        "queue_done": round(timings["queue_done"], 2),
                        "direct_cpu": round(timings["direct_cpu"], 2),
                        "queue_cpu": round(timings["queue_cpu"], 2),
                        "rows": len(tables["direct"]),
                        "load": round(os.getloadavg()[0], 1),
                    }
                    pairs.append(pair)
                    print(json.dumps(pair), flush=True)
                    on_pair(summarise(args, pairs))
                    if args.redis:
                        huey.flush()
        finally:
            worker.terminate()
            worker.wait(timeout=30)


def _cpu(value: object) -> str:
    return "–" if value is None else f"{float(value):.1f}"  # type: ignore[arg-type]


def section(runs: list[dict]) -> str:  # type: ignore[type-arg]
    lines = [
        HEADING,
        "",
        "An estimate run of the victimisation questionnaire on a database of synthetic completed "
        "responses (`bench/jobs.py`: the respondents and census benchmarks of "
        "`bench/synthetic.py`, 1,100 municipalities, each respondent's screener answers stored "
        "one row per answer as the intake service stores them), computed two ways in one "
        "process, in alternating order: *direct* is `Observatory.estimate` in the process (what "
        "`vigie estimate` does); *queue* is `JobQueue.request_run`, executed by a `vigie worker` "
        "subprocess (huey consumer, the `vigie.estimate_run` task of `observatory/jobs.py`, "
        "queue in SQLite), timed from the request until the results table is read back from "
        "the run's row (*done*: until the bench sees the row `done`). CPU seconds: the bench "
        "process and its forked workers for *direct*; the bench process and the worker process "
        "with its forked workers for *queue*. Each repeat uses a new seed (a new run, no cache); "
        "both tables of a repeat are checked equal (`pandas.testing.assert_frame_equal` with "
        "its default relative tolerance 1e-5; the queue stores the table from its own values, "
        "and `tests/analyst/test_jobs.py` checks the two are exactly equal). Goal: the queue "
        "within 10 % of the direct call.",
        "",
        "| code | respondents | replicates | order | direct s | queue s (done) | queue / direct "
        "| direct CPU s | queue CPU s | load | date |",
        "|---|---:|---:|---|---:|---:|---:|---:|---:|---:|---|",
    ]
    for run in runs:
        for pair in run["pairs"]:
            ratio = pair["queue"] / pair["direct"]
            lines.append(
                f"| {run['label']} | {run['respondents']:,} | {run['replicates']} "
                f"| {pair['order']} | {pair['direct']:.1f} | {pair['queue']:.1f} "
                f"({pair['queue_done']:.1f}) | {ratio:.3f} | {_cpu(pair.get('direct_cpu'))} "
                f"| {_cpu(pair.get('queue_cpu'))} | {pair['load']} | {run['date']} |"
            )
    lines += [
        "",
        "Medians of each invocation:",
        "",
        "| code | respondents | replicates | pairs | direct s | queue s | ratio of medians "
        "| direct CPU s | queue CPU s | CPU ratio |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for run in runs:
        cpu_ratio = run.get("cpu_ratio")
        lines.append(
            f"| {run['label']} | {run['respondents']:,} | {run['replicates']} "
            f"| {len(run['pairs'])} | {run['direct_median']:.1f} | {run['queue_median']:.1f} "
            f"| {run['ratio']:.3f} | {_cpu(run.get('direct_cpu_median'))} "
            f"| {_cpu(run.get('queue_cpu_median'))} "
            f"| {'–' if cpu_ratio is None else f'{cpu_ratio:.3f}'} |"
        )
    lines += ["", f"Machine: {runs[-1]['machine']}. Commands:", ""]
    lines += [f"- `{command}`" for command in dict.fromkeys(run["command"] for run in runs)]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--respondents", type=int, default=50_000)
    parser.add_argument("--municipalities", type=int, default=1_100)
    parser.add_argument("--replicates", type=int, default=500)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--redis", default=None, help="the queue in Redis at this URL")
    parser.add_argument("--label", default="current")
    parser.add_argument("--limit", type=float, default=3600.0, help="seconds to wait for a run")
    parser.add_argument("--record", type=Path, help="append the figures to this JSON file")
    parser.add_argument("--write", type=Path, help="replace the Jobs section of this file")
    parser.add_argument(
        "--render", action="store_true", help="only write the section from the --record file"
    )
    parser.add_argument(
        "--from-log",
        type=Path,
        help="record the pairs printed in this log by a run of this script with the same "
        "options (one stopped before it could record them)",
    )
    args = parser.parse_args()
    if args.from_log:
        lines = args.from_log.read_text().splitlines()
        pairs = [json.loads(line) for line in lines if line.startswith('{"order"')]
        args.started = f"log {args.from_log.name}"
        runs = json.loads(args.record.read_text()) if args.record.exists() else []
        result = summarise(args, pairs)
        result["command"] = (
            f".venv/bin/python bench/jobs.py --respondents {args.respondents} "
            f"--replicates {args.replicates} --repeats {args.repeats} --label {args.label} "
            f"--record {args.record} (stopped after {len(pairs)} pair(s); recorded with "
            f"--from-log)"
        )
        runs = [run for run in runs if run.get("id") != result["id"]] + [result]
        args.record.write_text(json.dumps(runs, indent=1) + "\n")
        return
    if args.render:
        replace_section(args.write, HEADING, section(json.loads(args.record.read_text())))
        return
    args.started = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")

    def on_pair(result: dict[str, object]) -> None:
        """Keep the figures after every pair: a run stopped later loses nothing measured."""
        print(json.dumps({k: v for k, v in result.items() if k != "pairs"}), flush=True)
        runs = [result]
        if args.record:
            kept = json.loads(args.record.read_text()) if args.record.exists() else []
            runs = [run for run in kept if run.get("id") != result["id"]] + [result]
            args.record.write_text(json.dumps(runs, indent=1) + "\n")
        if args.write:
            replace_section(args.write, HEADING, section(runs))

    measure(args, on_pair)


if __name__ == "__main__":
    main()
