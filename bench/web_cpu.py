"""CPU of one accepted answer post in one process, rate limit on as served, for any tree's code.

bench/web.py's ``cpu_split`` posts with rate limiting off; gunicorn serves
(and bench/web.py drives) the app with it on. This measures the post as it
is served: Flask's test client posts the first page again and again (a new
age each time, a real write, 303) to the app of the tree ``--root`` with
``VIGIE_ANSWER_RATE_LIMIT`` far above the posts sent (rate limiting on,
counters in memory), back to back, then with a pause of ``--gap`` ms between
posts (as a worker that is not saturated sees them: residents answer seconds
apart), counting the process's CPU (all its threads) less that of the same
pauses without posts. With ``--before DIR`` both trees are measured in turn, in
processes of their own, ``--rounds`` times, and the medians printed.

    .venv/bin/python bench/web_cpu.py --before /tmp/web-before [--rounds 3] [--posts 300]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def measure(root: Path, posts: int, gap_ms: float) -> dict[str, float]:
    """CPU ms per accepted post (back to back, spaced) for the code of ``root`` (this process)."""
    sys.path.insert(0, str(root))
    from web_resident import one_resident

    from storage.engine import make_engine
    from storage.tables import Base

    with tempfile.TemporaryDirectory() as folder:
        engine = make_engine(f"sqlite:///{folder}/cpu.db")
        Base.metadata.create_all(engine)
        resident = one_resident(
            engine,
            root / "survey_defs",
            RATELIMIT_ENABLED=True,
            RATELIMIT_STORAGE_URI="memory://",
            VIGIE_ANSWER_RATE_LIMIT="1000000 per minute",
        )
        count = 0

        def post() -> None:
            nonlocal count
            count += 1
            status = resident.post(20 + count % 50)
            assert status == 303, status

        for _ in range(50):
            post()
        started = time.process_time()
        for _ in range(posts):
            post()
        back_to_back = (time.process_time() - started) / posts * 1000
        # Spaced: the whole loop's CPU (a thread a post starts runs during the pause that
        # follows), less that of the same pauses without posts.
        started = time.process_time()
        for _ in range(posts):
            time.sleep(gap_ms / 1000)
        pauses = time.process_time() - started
        started = time.process_time()
        for _ in range(posts):
            post()
            time.sleep(gap_ms / 1000)
        spaced = (time.process_time() - started - pauses) / posts * 1000
        engine.dispose()
    return {"back_to_back": back_to_back, "spaced": spaced}


def measure_in(root: Path, posts: int, gap_ms: float) -> dict[str, float]:
    """:func:`measure` for the code of ``root``, in a process of its own."""
    out = subprocess.run(
        [
            sys.executable,
            __file__,
            "--child",
            str(root),
            "--posts",
            str(posts),
            "--gap",
            str(gap_ms),
        ],
        cwd=root,
        env={**os.environ, "PYTHONPATH": str(root)},
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    result: dict[str, float] = json.loads(out.strip().splitlines()[-1])
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", type=Path, default=None)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--posts", type=int, default=300)
    parser.add_argument("--gap", type=float, default=20.0, help="ms between spaced posts")
    parser.add_argument("--child", type=Path, default=None, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child is not None:
        print(json.dumps(measure(args.child.resolve(), args.posts, args.gap)))
        return
    trees = (
        {"after": ROOT} if args.before is None else {"before": args.before.resolve(), "after": ROOT}
    )
    got: dict[str, list[dict[str, float]]] = {name: [] for name in trees}
    for _ in range(args.rounds):
        for name, root in trees.items():
            got[name].append(measure_in(root, args.posts, args.gap))
            print(name, got[name][-1], flush=True)
    print(f"| code | CPU ms per post, back to back | CPU ms per post, {args.gap:.0f} ms apart |")
    print("|---|---:|---:|")
    for name, runs in got.items():
        close = statistics.median(run["back_to_back"] for run in runs)
        spaced = statistics.median(run["spaced"] for run in runs)
        print(f"| {name} | {close:.2f} | {spaced:.2f} |")
    print(f"load average (1 min) at the end: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
