"""Where bench/bot.py's CPU goes: milliseconds per update by thread, echo bot and Vigie's.

The same run as ``bench/bot.py`` (the echo bot, then Vigie's, on the same
typed answers, against the fake Bot API server in the same process), with the
CPU time of each thread read from ``/proc/self/task/<id>/stat`` (Linux) just
after the bot started and just after the last reply: the event loop (the
bot, python-telegram-bot, the HTTP client), the worker threads of intake's
calls, and the fake server's request threads (those still connected at the
end, which in practice is all of them). ``--rounds`` runs the pair again
in the same process.

    .venv/bin/python bench/bot_threads.py [--chats 20] [--rounds 1] [--postgres]
"""

from __future__ import annotations

import argparse
import asyncio
import importlib.util
import os
import threading
import time
from collections import Counter
from pathlib import Path
from typing import Any

_BENCH = Path(__file__).resolve().parent / "bot.py"
_spec = importlib.util.spec_from_file_location("bench_bot", _BENCH)
assert _spec is not None and _spec.loader is not None
bench = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(bench)  # sets sys.path up for the project and the fake server

_TICK = os.sysconf("SC_CLK_TCK")


def thread_cpu() -> dict[tuple[int, str], float]:
    """CPU seconds (user + system) of each live thread of this process."""
    out = {}
    for thread in threading.enumerate():
        try:
            stat = Path(f"/proc/self/task/{thread.native_id}/stat").read_text()
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[1].split()
        out[(thread.native_id or 0, thread.name)] = (int(fields[11]) + int(fields[12])) / _TICK
    return out


def kind(name: str) -> str:
    if name == "MainThread":
        return "event loop"
    if name.startswith(("asyncio_", "vigie-intake")):  # before and after the own pool
        return "intake workers"
    if "process_request" in name:
        return "fake server"
    return "other"


async def timed(
    application: Any, fake: Any, updates: list[tuple[int, str]]
) -> tuple[float, Counter[str]]:
    """Seconds to the last reply, and CPU seconds by kind of thread meanwhile."""
    sent_before = bench._sent(fake)
    await application.initialize()
    await application.updater.start_polling(
        poll_interval=0, timeout=1, allowed_updates=bench.ALLOWED_UPDATES
    )
    await application.start()
    before, start = thread_cpu(), time.perf_counter()
    for chat, text in updates:
        fake.user_message(chat, text, queue=True)
    while bench._sent(fake) - sent_before < len(updates):
        await asyncio.sleep(0.005)
    elapsed, after = time.perf_counter() - start, thread_cpu()
    await application.updater.stop()
    await application.stop()
    await application.shutdown()
    spent: Counter[str] = Counter()
    for key, seconds in after.items():
        spent[kind(key[1])] += seconds - before.get(key, 0.0)
    return elapsed, spent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--chats", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--postgres", action="store_true")
    args = parser.parse_args()
    print(f"load average at the start {os.getloadavg()[0]:.1f}")
    with bench.database(None, args.postgres) as url:
        engine = bench.make_engine(url)
        bench.Base.metadata.create_all(engine)
        sessions = bench.make_session_factory(engine)
        registry = bench.SurveyRegistry(sessions)
        registry.register_all(
            [bench.load_survey(bench._CODE / "survey_defs" / "perceived_safety.yaml")]
        )
        settings = bench.IntakeSettings(
            secret_key="bench-secret-0123456789abcdef", abandon_after_days=30, testing=True
        )
        service = bench.IntakeService(sessions, registry, settings)
        with bench.FakeTelegram() as fake:
            bot_settings = bench.BotSettings(token=bench.TOKEN, base_url=fake.base_url)
            for index in range(args.rounds):
                first = 10_000 + index * args.chats
                chats = list(range(first, first + args.chats))
                updates = bench.interleave(bench.scripts(service, chats))
                n = len(updates)
                for name in ("echo", "vigie"):
                    for chat in chats:
                        fake.chat(chat)
                    if name == "echo":
                        app = bench.echo_application(fake.base_url, bot_settings.concurrency)
                    else:
                        app = bench.build_application(service, bot_settings)
                    elapsed, spent = asyncio.run(timed(app, fake, updates))
                    parts = ", ".join(f"{k} {v / n * 1000:.2f}" for k, v in sorted(spent.items()))
                    total = sum(spent.values()) / n * 1000
                    print(
                        f"{name}: {n / elapsed:.0f} updates/s; CPU ms/update {total:.2f} ({parts})"
                    )
        engine.dispose()
    print(f"load average at the end {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
