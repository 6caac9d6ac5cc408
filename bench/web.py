"""Answer posts per second and latency of the web form under gunicorn; writes docs/benchmarks.md.

For SQLite and PostgreSQL, gunicorn serves ``webapp:create_app()`` with 2
workers (gthread, 4 threads each) on a fresh database; 1, 8 and 32 clients
(threads of this process, keep-alive connections) each start a response and
then post the first page again and again with a new age each time (a real
write: the answer changes, the page is read through the rules and stored,
303). In the same run, the same gunicorn serves a bare Flask app that reads
the form and redirects: the ceiling. Each level runs for ``--seconds``.

    .venv/bin/python bench/web.py [--seconds 10] [--write docs/benchmarks.md]
    .venv/bin/python bench/web.py --before ../main-checkout [--seconds 5] [--flush-off] [--write F]
"""

from __future__ import annotations

import argparse
import datetime as dt
import http.client
import os
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
# The packages first: bench/intake.py (a script) must not hide the intake package.
sys.path[:] = [str(ROOT), *(p for p in sys.path if Path(p or ".").resolve() != BENCH), str(BENCH)]
from benchdoc import replace_section  # noqa: E402
from web_resident import TOKEN as _TOKEN  # noqa: E402

GUNICORN = Path(sys.executable).parent / "gunicorn"
POSTGRES = os.environ.get(
    "VIGIE_BENCH_POSTGRES", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
CLIENTS = (1, 8, 32)
HEADING = "## Web form"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def gunicorn(app: str, env: dict[str, str], root: Path = ROOT) -> Iterator[int]:
    """``app`` of the tree ``root`` under gunicorn (2 workers, gthread); yields its port."""
    port = free_port()
    command = [
        str(GUNICORN), "--workers", "2", "--worker-class", "gthread", "--threads", "4",
        "--bind", f"127.0.0.1:{port}", "--log-level", "warning", "--chdir", str(root),
        "--config", str(root / "webapp" / "gunicorn_config.py"), app,
    ]  # fmt: skip
    env = {**os.environ, **env, "PYTHONPATH": str(root)}
    process = subprocess.Popen(command, env=env, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                    break
            except OSError:
                time.sleep(0.2)
        yield port
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


class Client:
    """One resident: a keep-alive connection, a session cookie, a CSRF token."""

    def __init__(self, port: int, bare: bool) -> None:
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        self.cookie = ""
        self.token = "none"
        self.count = 0
        if not bare:
            self._start()

    def _request(self, method: str, path: str, body: dict[str, str] | None = None) -> str:
        headers = {"Accept-Language": "fr", "Cookie": self.cookie}
        data = None
        if body is not None:
            data = urlencode(body)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            self.connection.request(method, path, body=data, headers=headers)
            response = self.connection.getresponse()
        except (BrokenPipeError, ConnectionResetError, http.client.RemoteDisconnected):
            # The server closed an idle keep-alive connection: open a new one, once.
            self.connection.close()
            self.connection.connect()
            self.connection.request(method, path, body=data, headers=headers)
            response = self.connection.getresponse()
        text = response.read().decode()
        if response.status >= 500:
            raise RuntimeError(f"{method} {path}: {response.status}")
        set_cookie = response.getheader("Set-Cookie")
        if set_cookie:
            self.cookie = set_cookie.split(";", 1)[0]
        return text

    def _start(self) -> None:
        self.token = _TOKEN.findall(self._request("GET", "/"))[0]
        self._request(
            "POST",
            "/s/perceived_safety",
            {"csrf_token": self.token, "request_key": uuid.uuid4().hex},
        )
        self.token = _TOKEN.findall(self._request("GET", "/survey"))[0]

    def answer(self) -> float:
        """One answer post; its latency in seconds."""
        self.count += 1
        body = {
            "csrf_token": self.token,
            "page": "age",
            "age": str(20 + self.count % 60),
            "consent": "yes",
        }
        started = time.perf_counter()
        self._request("POST", "/survey", body)
        return time.perf_counter() - started


@dataclass(frozen=True)
class Level:
    clients: int
    posts: int
    seconds: float
    p50_ms: float
    p99_ms: float

    @property
    def rate(self) -> float:
        return self.posts / self.seconds


def run_level(
    port: int, clients: int, seconds: float, bare: bool, client: type[Client] | None = None
) -> Level:
    residents = [(client or Client)(port, bare) for _ in range(clients)]
    latencies: list[list[float]] = [[] for _ in residents]
    stop = time.monotonic() + seconds

    def drive(index: int) -> None:
        while time.monotonic() < stop:
            latencies[index].append(residents[index].answer())

    started = time.monotonic()
    threads = [threading.Thread(target=drive, args=(i,)) for i in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started
    flat = sorted(x for group in latencies for x in group)
    p99 = flat[min(len(flat) - 1, int(len(flat) * 0.99))]
    return Level(clients, len(flat), elapsed, statistics.median(flat) * 1000, p99 * 1000)


def prepare_database(url: str, env: dict[str, str]) -> None:
    vigie = Path(sys.executable).parent / "vigie"
    subprocess.run(
        [str(vigie), "db", "upgrade", "--database-url", url],
        check=True,
        env={**os.environ, **env},
        stdout=subprocess.DEVNULL,
    )


@contextmanager
def postgres_schema() -> Iterator[str]:
    from sqlalchemy import create_engine, text

    schema = f"vigie_bench_{uuid.uuid4().hex[:12]}"
    admin = create_engine(POSTGRES)
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield f"{POSTGRES}?options=-csearch_path%3D{schema}"
    finally:
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        admin.dispose()


def measure(seconds: float) -> dict[str, list[Level]]:
    base_env = {
        "VIGIE_SECRET_KEY": secrets.token_urlsafe(32),
        "VIGIE_SECURE_COOKIES": "0",
        "VIGIE_ANSWER_RATE_LIMIT": "1000000 per minute",
        "VIGIE_START_RATE_LIMIT": "1000000 per minute",
    }
    results: dict[str, list[Level]] = {}
    with tempfile.TemporaryDirectory() as folder:
        sqlite_url = f"sqlite:///{folder}/bench.db"
        with postgres_schema() as postgres_url:
            for name, url in (("SQLite", sqlite_url), ("PostgreSQL", postgres_url)):
                env = {**base_env, "DATABASE_URL": url}
                prepare_database(url, env)
                with gunicorn("webapp:create_app()", env) as port:
                    Client(port, bare=False).answer()  # warm both workers' registries
                    results[name] = [run_level(port, n, seconds, bare=False) for n in CLIENTS]
                print(
                    name,
                    [(lv.clients, round(lv.rate), round(lv.p99_ms, 1)) for lv in results[name]],
                )
        with gunicorn("bench.web_bare:create_app()", base_env) as port:
            results["bare Flask"] = [run_level(port, n, seconds, bare=True) for n in CLIENTS]
        print(
            "bare",
            [(lv.clients, round(lv.rate), round(lv.p99_ms, 1)) for lv in results["bare Flask"]],
        )
    return results


def cpu_split(posts: int = 300) -> tuple[float, float]:
    """CPU milliseconds of one accepted answer post in one process: whole request, service alone.

    Flask's test client posts the first page again and again (new age each
    time); then the intake service's ``submit_page`` alone does the same.
    The difference is what the web layer (Flask, CSRF, session, rate limit,
    access log) costs, free of the machine's load and of gunicorn.
    """
    from web_resident import one_resident

    from storage.engine import make_engine
    from storage.tables import Base

    with tempfile.TemporaryDirectory() as folder:
        engine = make_engine(f"sqlite:///{folder}/split.db")
        Base.metadata.create_all(engine)
        resident = one_resident(engine, ROOT / "survey_defs", RATELIMIT_ENABLED=False)
        service, client, token = resident.service, resident.client, resident.token
        with client.session_transaction() as session:
            rid = session["rid"]

        def form(i: int) -> dict[str, str]:
            return {"page": "age", "age": str(20 + i % 50), "consent": "yes"}

        started = time.process_time()
        for i in range(posts):
            client.post("/survey", data={"csrf_token": token, **form(i)})
        whole = (time.process_time() - started) / posts * 1000
        started = time.process_time()
        for i in range(posts):
            service.submit_page(rid, "age", form(i))
        alone = (time.process_time() - started) / posts * 1000
        engine.dispose()
    return whole, alone


def section(results: dict[str, list[Level]], seconds: float, split: tuple[float, float]) -> str:
    bare = {lv.clients: lv.rate for lv in results["bare Flask"]}
    rows = []
    for name, levels in results.items():
        for lv in levels:
            share = "" if name == "bare Flask" else f"{lv.rate / bare[lv.clients]:.0%}"
            cells = [
                name,
                str(lv.clients),
                f"{lv.rate:,.0f}",
                f"{lv.p50_ms:.1f}",
                f"{lv.p99_ms:.1f}",
            ]
            rows.append("| " + " | ".join([*cells, share]) + " |")
    load = os.getloadavg()[0]
    return "\n".join(
        [
            HEADING,
            "",
            "Answer posts to the residents' web form (`POST /survey`, a changed answer",
            "stored through the intake service, CSRF checked, 303) under gunicorn with 2",
            "workers (gthread, 4 threads each), from 1, 8 and 32 keep-alive clients without",
            f"think time, {seconds:.0f} s per level; the bare Flask app under the same gunicorn",
            "is the ceiling. Measured by",
            f"`.venv/bin/python bench/web.py --seconds {seconds:.0f} --write docs/benchmarks.md`",
            "on this 2-core machine, load generator included (1-minute load average at the",
            f"end: {load:.1f}).",
            "",
            "In one process (no gunicorn, no load generator), an accepted answer post costs",
            f"{split[0]:.1f} ms of CPU, of which the intake service's `submit_page` alone is",
            f"{split[1]:.1f} ms: the web layer (Flask, CSRF, signed session, rate limit, access",
            f"log) is {split[0] - split[1]:.1f} ms.",
            "",
            "| database | clients | answer posts/s | p50 ms | p99 ms | share of bare Flask |",
            "|---|---:|---:|---:|---:|---:|",
            *rows,
            "",
        ]
    )


def split_in(root: Path) -> tuple[float, float]:
    """:func:`cpu_split` run by the code of the tree ``root``, in a process of its own."""
    code = (
        "import sys; sys.path.insert(0, sys.argv[1]); from bench.web import cpu_split; "
        "print(*cpu_split())"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, str(root)],
        cwd=root,
        env={**os.environ, "PYTHONPATH": str(root)},
        check=True,
        capture_output=True,
        text=True,
    ).stdout.split()
    return float(out[-2]), float(out[-1])


def compare(before: Path, seconds: float, rounds: int = 3, *, flush_off: bool = False) -> str:
    """The code of ``before`` and of this tree measured side by side, in one run.

    CPU per accepted post (whole request, service alone): ``rounds`` times
    each, alternating, medians kept. Then answer posts under gunicorn on
    SQLite and PostgreSQL at 1, 8 and 32 clients: for each database the
    servers (before, after, the bare app) run at once, and at each level they
    are driven one after the other, so that the machine's load (shared) weighs
    on them alike. ``flush_off`` adds PostgreSQL with ``synchronous_commit=off``
    for the sessions of the bench (a diagnosis of what the commit's WAL flush
    costs, not a setting of Vigie's).
    """
    splits: dict[str, list[tuple[float, float]]] = {"before": [], "after": []}
    for _ in range(rounds):
        splits["before"].append(split_in(before))
        splits["after"].append(split_in(ROOT))
    cpu = {
        name: (statistics.median(a for a, _ in got), statistics.median(b for _, b in got))
        for name, got in splits.items()
    }
    print("CPU per post (whole, service):", cpu, flush=True)
    base_env = {
        "VIGIE_SECRET_KEY": secrets.token_urlsafe(32),
        "VIGIE_SECURE_COOKIES": "0",
        "VIGIE_ANSWER_RATE_LIMIT": "1000000 per minute",
        "VIGIE_START_RATE_LIMIT": "1000000 per minute",
    }
    databases = ["SQLite", "PostgreSQL"] + (["PostgreSQL, no flush wait"] if flush_off else [])
    rows: list[str] = []
    with ExitStack() as stack:
        bare_port = stack.enter_context(gunicorn("bench.web_bare:create_app()", base_env))
        folder = stack.enter_context(tempfile.TemporaryDirectory())
        for database in databases:
            urls = {}
            for name in ("before", "after"):
                if database == "SQLite":
                    urls[name] = f"sqlite:///{folder}/{name}.db"
                else:
                    urls[name] = stack.enter_context(postgres_schema())
                    if database != "PostgreSQL":
                        urls[name] += "%20-csynchronous_commit%3Doff"
                prepare_database(urls[name], {**base_env, "DATABASE_URL": urls[name]})
            with ExitStack() as servers:
                ports = {
                    name: servers.enter_context(
                        gunicorn(
                            "webapp:create_app()", {**base_env, "DATABASE_URL": urls[name]}, root
                        )
                    )
                    for name, root in (("before", before), ("after", ROOT))
                }
                for name in ("before", "after"):
                    for _ in range(4):  # the app loads in each worker: warm them all
                        Client(ports[name], bare=False).answer()
                for clients in CLIENTS:
                    got = {
                        name: run_level(port, clients, seconds, bare=False)
                        for name, port in ports.items()
                    }
                    ceiling = run_level(bare_port, clients, seconds, bare=True)
                    for name, lv in [*got.items(), ("bare Flask", ceiling)]:
                        share = "" if name == "bare Flask" else f"{lv.rate / ceiling.rate:.0%}"
                        rows.append(
                            f"| {name} | {database} | {lv.clients} | {lv.rate:,.0f} "
                            f"| {lv.p50_ms:.1f} | {lv.p99_ms:.1f} | {share} |"
                        )
                    print(database, clients, *rows[-3:], sep="\n", flush=True)
    load = os.getloadavg()[0]
    flag = " --flush-off" if flush_off else ""
    return "\n".join(
        [
            HEADING,
            "",
            "Answer posts to the residents' web form (`POST /survey`, a changed answer",
            "stored through the intake service, CSRF checked, 303) under gunicorn with 2",
            "workers (gthread, 4 threads each), from 1, 8 and 32 keep-alive clients without",
            f"think time, {seconds:.0f} s per level; the bare Flask app under the same gunicorn",
            "is the ceiling, driven right after the two codes at each level. *before* is a",
            "checkout of the earlier code given by `--before`, *after* this tree.",
            "",
            f"Measured {dt.date.today().isoformat()} on {os.cpu_count()} CPU by",
            f"`.venv/bin/python bench/web.py --before <checkout> --seconds {seconds:.0f}"
            f" --rounds {rounds}{flag}`",
            f"(1-minute load average at the end: {load:.1f}; the machine is shared and the",
            "load generator runs on it, so only ratios measured side by side mean something).",
            "",
            "| code | CPU ms per accepted post (one process) | of which `submit_page` |",
            "|---|---:|---:|",
            *(f"| {n} | {w:.2f} | {a:.2f} |" for n, (w, a) in cpu.items()),
            "",
            "| code | database | clients | answer posts/s | p50 ms | p99 ms "
            "| share of bare Flask |",
            "|---|---|---:|---:|---:|---:|---:|",
            *rows,
            "",
        ]
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--write", type=Path, default=None)
    parser.add_argument(
        "--before", type=Path, default=None, help="a checkout of earlier code to compare with"
    )
    parser.add_argument("--rounds", type=int, default=3, help="CPU measures per version")
    parser.add_argument(
        "--flush-off",
        action="store_true",
        help="with --before: also PostgreSQL with synchronous_commit=off (a diagnosis)",
    )
    args = parser.parse_args()
    if args.before is not None:
        text = compare(args.before.resolve(), args.seconds, args.rounds, flush_off=args.flush_off)
        print(text)
        if args.write is not None:
            replace_section(args.write, HEADING, text)
        return
    split = cpu_split()
    print(f"CPU per accepted post: {split[0]:.2f} ms, service alone {split[1]:.2f} ms")
    results = measure(args.seconds)
    text = section(results, args.seconds, split)
    print(text)
    if args.write is not None:
        replace_section(args.write, HEADING, text)


if __name__ == "__main__":
    main()
