"""Peak memory and time of loading a large benchmark CSV (run by hand).

Writes a valid census file of ``--rows`` rows (1,000 municipalities times
``rows / 1000`` categories of one variable), then loads it into a fresh
database in a child process per measurement and reads the child's peak
resident memory (``ru_maxrss``):

- ``streaming``: :func:`storage.benchmark_loading.load_benchmark_file`, what
  ``vigie benchmarks load`` does;
- ``in memory``: :func:`storage.benchmark_csv.read_benchmark_csv` then
  :func:`storage.benchmarks.load_benchmarks`, the whole file as objects, as
  ``vigie benchmarks load`` did before streaming.

A third child loads a copy of the file with one bad row at the end and checks
that nothing was written (the all-or-nothing guarantee at full size).

    .venv/bin/python bench/benchmark_load.py [--rows 1000000] [--postgres URL] [--no-write]

With ``--write`` (the default) the table replaces the "Benchmark CSV loading"
section of ``docs/benchmarks.md``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import resource
import shlex
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

_HERE = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != _HERE]
sys.path.insert(0, str(_HERE.parent))
sys.path.append(str(_HERE))

from benchdoc import replace_section  # noqa: E402

DOC = _HERE.parent / "docs" / "benchmarks.md"
HEADING = "## Benchmark CSV loading"
HEADER = "municipality_code,municipality_name,region,variable,category,count,source,year\n"


def write_file(path: Path, rows: int, *, broken: bool = False) -> None:
    """A valid census file of ``rows`` rows (the last one broken if asked)."""
    per_place = max(1, rows // 1000)
    with path.open("w", encoding="utf-8", newline="") as out:
        out.write(HEADER)
        written = 0
        for place in range(1000):
            code = 2400000 + place
            for cell in range(per_place):
                if written == rows:
                    break
                count = "12x" if broken and written == rows - 1 else str((place * 7 + cell) % 5000)
                out.write(
                    f"{code},Municipalité {place},Région {place % 17},cell,c{cell},"
                    f"{count},bench-census,2021\n"
                )
                written += 1


def child(mode: str, path: Path, url: str) -> None:
    """Load ``path`` into ``url`` the way ``mode`` says; print rows, seconds, peak MB."""
    from sqlalchemy import func, select

    from storage.benchmark_csv import read_benchmark_csv
    from storage.benchmark_loading import BenchmarkFileRejectedError, load_benchmark_file
    from storage.benchmarks import load_benchmarks
    from storage.engine import make_engine, make_session_factory
    from storage.tables import Base, PopulationBenchmarkModel

    engine = make_engine(url)
    Base.metadata.create_all(engine)
    sessions = make_session_factory(engine)
    start = time.perf_counter()
    outcome = "loaded"
    try:
        with sessions.begin() as session:
            if mode == "in-memory":
                parsed = read_benchmark_csv(path)
                load_benchmarks(session, parsed.municipalities, parsed.rows)
            else:
                load_benchmark_file(session, path)
    except BenchmarkFileRejectedError as error:
        outcome = f"refused at line {error.errors[0].line}"
    seconds = time.perf_counter() - start
    with sessions() as session:
        stored = session.scalar(select(func.count()).select_from(PopulationBenchmarkModel))
    engine.dispose()
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{stored}\t{seconds:.1f}\t{peak_mb:.0f}\t{outcome}")


def measure(mode: str, path: Path, url: str) -> tuple[int, float, float, str]:
    result = subprocess.run(
        [sys.executable, __file__, "--child", mode, str(path), url],
        check=True,
        capture_output=True,
        text=True,
    )
    stored, seconds, peak, outcome = result.stdout.strip().splitlines()[-1].split("\t")
    return int(stored), float(seconds), float(peak), outcome


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--postgres", default=os.environ.get("VIGIE_TEST_DATABASE_URL"))
    parser.add_argument("--no-write", action="store_true")
    parser.add_argument("--child", nargs=3, metavar=("MODE", "FILE", "URL"))
    args = parser.parse_args()
    if args.child:
        child(args.child[0], Path(args.child[1]), args.child[2])
        return
    from sqlalchemy import text

    from storage.engine import make_engine

    rows: list[str] = []
    with tempfile.TemporaryDirectory() as folder:
        good, bad = Path(folder) / "census.csv", Path(folder) / "census-broken.csv"
        write_file(good, args.rows)
        write_file(bad, args.rows, broken=True)
        size_mb = good.stat().st_size / 1e6
        targets = [("SQLite (file)", lambda name: f"sqlite:///{folder}/{name}.db", None)]
        if args.postgres:
            targets.append(("PostgreSQL", None, args.postgres))
        for label, sqlite_url, server in targets:
            for mode, path in (("streaming", good), ("in-memory", good), ("streaming", bad)):
                name = f"{mode}-{path.stem}"
                schema = None
                if server is None:
                    url = sqlite_url(name)
                else:
                    schema = f"bench_{uuid.uuid4().hex}"
                    admin = make_engine(server)
                    with admin.begin() as connection:
                        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
                    url = f"{server}{'&' if '?' in server else '?'}options=-csearch_path%3D{schema}"
                try:
                    stored, seconds, peak, outcome = measure(mode, path, url)
                finally:
                    if schema is not None:
                        with admin.begin() as connection:
                            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
                        admin.dispose()
                what = "valid" if path is good else "last row broken"
                rows.append(
                    f"| {label} | {mode} | {what} | {args.rows:,} | {outcome} | {stored:,} "
                    f"| {seconds:.1f} | {peak:.0f} |"
                )
                print(rows[-1], flush=True)
    command = "VIGIE_TEST_DATABASE_URL=... " if args.postgres else ""
    command += f".venv/bin/python bench/benchmark_load.py --rows {args.rows}"
    body = "\n".join(
        [
            HEADING,
            "",
            f"Measured {dt.date.today()} on {os.cpu_count()} CPU, Python "
            f"{platform.python_version()}, {platform.system()} {platform.machine()}; "
            "the machine was shared with other work, so times are indicative.",
            "",
            f"Command: `{command}`",
            "",
            f"One file of {args.rows:,} valid rows ({size_mb:.0f} MB), loaded in one "
            "transaction into a fresh database by a child process whose peak resident "
            "memory (`ru_maxrss`) is reported. *streaming* is `vigie benchmarks load` now "
            "(`load_benchmark_file`: one pass, each row checked as it is read, inserted in "
            "batches of 5,000); *in-memory* is the earlier way (`read_benchmark_csv`, every "
            "row as objects, then `load_benchmarks`). The last line of each database "
            "loads the same file with its last row broken: refused at that line, every batch "
            "already written rolled back, nothing stored.",
            "",
            "| database | loading | file | rows | outcome | rows stored | seconds | peak MB |",
            "|---|---|---|---:|---|---:|---:|---:|",
            *rows,
            "",
            "Goal: under 500 MB at a million rows, all or nothing.",
        ]
    )
    print(f"\n{shlex.join(sys.argv)}")
    if not args.no_write:
        replace_section(DOC, HEADING, body)


if __name__ == "__main__":
    main()
