"""Where an answer post's CPU goes under gunicorn, and the floor of any app that stores a post.

For SQLite and PostgreSQL, in one run, three apps are served by the same
gunicorn settings as in bench/web.py (2 workers, gthread, 4 threads each):

- *bare Flask*, the ceiling of bench/web.py (reads the form, redirects);
- *floor*: the bare app plus one stored post, one transaction of three
  statements through Vigie's engine settings (``bench/web_bare.py``,
  ``create_store_app``): what any app that stores each post in that database
  pays at least;
- *Vigie*: the residents' web form, as bench/web.py drives it.

At each level (1, 8 and 32 keep-alive clients) the three are driven one after
the other by the same load generator (threads of this process). For each, the
machine's CPU per post is split by who spent it: the gunicorn processes serving
the app, the PostgreSQL server's processes (every ``postgres`` process of the
machine: run it on a quiet machine), and the load generator. With both cores
busy, ``posts/s ≈ cores / CPU per post``; with 32 clients and no think time,
the mean latency is ``32 / posts/s`` (Little's law).

    .venv/bin/python bench/web_floor.py [--seconds 6] [--clients 1,8,32]
"""

from __future__ import annotations

import argparse
import os
import resource
import secrets
import sys
import tempfile
import time
import uuid
from contextlib import ExitStack
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
sys.path[:] = [str(ROOT), *(p for p in sys.path if Path(p or ".").resolve() != BENCH), str(BENCH)]
from web import (  # noqa: E402
    Client,
    Level,
    gunicorn,
    postgres_schema,
    prepare_database,
    run_level,
)
from web_bare import FLOOR_TABLE  # noqa: E402

_TICK = os.sysconf("SC_CLK_TCK")


class FloorClient(Client):
    """A client of the floor app: the bare app's post, with a key of its own."""

    def __init__(self, port: int, bare: bool) -> None:
        super().__init__(port, bare=True)
        self.key = uuid.uuid4().hex

    def answer(self) -> float:
        self.count += 1
        body = {"client": self.key, "page": "age", "age": str(20 + self.count % 60)}
        started = time.perf_counter()
        self._request("POST", "/survey", body)
        return time.perf_counter() - started


def _processes() -> list[tuple[int, str, str]]:
    """(pid, command name, command line) of every process."""
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            comm = Path(f"/proc/{entry}/comm").read_text().strip()
            cmdline = Path(f"/proc/{entry}/cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            continue
        found.append((int(entry), comm, cmdline))
    return found


def _cpu(pid: int) -> float:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / _TICK


def snapshot(port: int) -> tuple[float, float, float]:
    """CPU seconds so far: the gunicorn serving ``port``, PostgreSQL, this process."""
    served = postgres = 0.0
    for pid, comm, cmdline in _processes():
        if f"127.0.0.1:{port}" in cmdline:
            served += _cpu(pid)
        elif comm == "postgres":
            postgres += _cpu(pid)
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return served, postgres, usage.ru_utime + usage.ru_stime


def drive(
    port: int, clients: int, seconds: float, bare: bool, client: type[Client] | None
) -> tuple[Level, tuple[float, float, float]]:
    before = snapshot(port)
    level = run_level(port, clients, seconds, bare, client)
    after = snapshot(port)
    spent = tuple((b - a) / level.posts * 1000 for a, b in zip(before, after, strict=True))
    return level, (spent[0], spent[1], spent[2])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=6.0)
    parser.add_argument("--clients", default="1,8,32")
    args = parser.parse_args()
    levels = [int(c) for c in args.clients.split(",")]
    env = {
        "VIGIE_SECRET_KEY": secrets.token_urlsafe(32),
        "VIGIE_SECURE_COOKIES": "0",
        "VIGIE_ANSWER_RATE_LIMIT": "1000000 per minute",
        "VIGIE_START_RATE_LIMIT": "1000000 per minute",
    }
    from sqlalchemy import create_engine, text

    print(f"load average at the start {os.getloadavg()[0]:.1f}", flush=True)
    print(
        "| database | clients | app | posts/s | p50 ms | p99 ms | share of bare "
        "| CPU ms/post: gunicorn | PostgreSQL | load generator | all |"
    )
    print("|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    with ExitStack() as stack:
        folder = stack.enter_context(tempfile.TemporaryDirectory())
        bare_port = stack.enter_context(gunicorn("bench.web_bare:create_app()", env))
        for database in ("SQLite", "PostgreSQL"):
            if database == "SQLite":
                url = f"sqlite:///{folder}/floor.db"
            else:
                url = stack.enter_context(postgres_schema())
            own = {**env, "DATABASE_URL": url}
            prepare_database(url, own)
            engine = create_engine(url)
            with engine.begin() as connection:
                connection.execute(text(FLOOR_TABLE))
            engine.dispose()
            with ExitStack() as servers:
                floor_port = servers.enter_context(
                    gunicorn("bench.web_bare:create_store_app()", own)
                )
                vigie_port = servers.enter_context(gunicorn("webapp:create_app()", own))
                for _ in range(4):  # the app loads in each worker: warm them all
                    Client(vigie_port, bare=False).answer()
                    FloorClient(floor_port, bare=True).answer()
                apps: list[tuple[str, int, bool, type[Client] | None]] = [
                    ("bare Flask", bare_port, True, None),
                    ("floor", floor_port, True, FloorClient),
                    ("Vigie", vigie_port, False, None),
                ]
                for clients in levels:
                    ceiling = 0.0
                    for name, port, bare, client in apps:
                        level, (served, postgres, load) = drive(
                            port, clients, args.seconds, bare, client
                        )
                        ceiling = ceiling or level.rate
                        share = f"{level.rate / ceiling:.0%}"
                        print(
                            f"| {database} | {clients} | {name} | {level.rate:,.0f} "
                            f"| {level.p50_ms:.1f} | {level.p99_ms:.1f} | {share} "
                            f"| {served:.2f} | {postgres:.2f} | {load:.2f} "
                            f"| {served + postgres + load:.2f} |",
                            flush=True,
                        )
    print(f"load average at the end {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
