"""Updates handled per second by the Telegram bot, end to end, beside an echo bot.

Both bots are real python-telegram-bot Applications polling the same fake Bot
API server (tests/bot/fake_telegram.py, real HTTP on 127.0.0.1) in the same
run. The echo bot answers each message with its text: the ceiling of the
library, the HTTP stack and the fake server together; it runs with the same
update processor (chats concurrently, one chat's updates in order). Vigie's bot answers each
update through the intake service (a database transaction) and sends the
next question.

Workload: ``--chats`` residents each have a response to perceived_safety in
progress (started through intake, not timed) and type their answers (choices
by number, numbers as digits) as fast as Telegram delivers them; one chat's
updates are handled in order, chats concurrently. Each update gets exactly
one reply; the clock stops at the last reply.

    .venv/bin/python bench/bot.py [--chats 40] [--database-url URL] [--write docs/benchmarks.md]
    .venv/bin/python bench/bot.py --before ../main-checkout [--rounds 3] [--postgres] [--write F]

``--before DIR`` measures the code of the checkout ``DIR`` and this tree side by
side: each round runs this script once with each tree's packages (in a fresh
process, ``VIGIE_BENCH_CODE``), alternating, so that the machine's load weighs
on both alike; the table gives the median of the rounds and the process's CPU
milliseconds per update (the bot, the fake server and the database driver are
in it, as in the echo run).

``VIGIE_BOT_DB_THREADS`` sets the bot's intake threads, as for ``vigie bot``.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

# Run as a script, this file's folder comes first on sys.path and its name
# would hide the ``bot`` package: put the project root there instead.
_HERE = Path(__file__).resolve().parent
_ROOT = _HERE.parent
#: Whose packages run: this tree, or the checkout given by ``--before`` (its own process).
_CODE = Path(os.environ.get("VIGIE_BENCH_CODE") or _ROOT).resolve()
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() not in (_HERE, _ROOT)]
sys.path.insert(0, str(_CODE))
sys.path.append(str(_HERE))  # benchdoc
sys.path.append(str(_ROOT / "tests" / "bot"))  # the fake Bot API server

os.environ.setdefault("PTB_TIMEDELTA", "1")

from benchdoc import replace_section  # noqa: E402
from fake_telegram import TOKEN, FakeTelegram  # noqa: E402
from telegram import Update  # noqa: E402
from telegram.ext import Application, ContextTypes, MessageHandler, filters  # noqa: E402

from bot.application import ALLOWED_UPDATES, build_application  # noqa: E402
from bot.ordering import ChatOrderedProcessor  # noqa: E402
from bot.settings import BotSettings  # noqa: E402
from intake.registry import SurveyRegistry  # noqa: E402
from intake.service import IntakeService  # noqa: E402
from intake.settings import IntakeSettings  # noqa: E402
from questionnaire.definition.model import QuestionType  # noqa: E402
from questionnaire.loader import load_survey  # noqa: E402
from storage.engine import make_engine, make_session_factory  # noqa: E402
from storage.tables import Base  # noqa: E402

SURVEY = "perceived_safety"
POSTGRES = os.environ.get(
    "VIGIE_BENCH_POSTGRES", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)


def typed_answer(prompt: Any) -> str:
    """What the benchmark's residents type: the first choice's number, else a small number."""
    if prompt.choices:
        return str(prompt.choices[0].number)
    if prompt.type in (QuestionType.INTEGER, QuestionType.DECIMAL, QuestionType.RATING):
        return "34" if prompt.name == "age" else "2"
    return "rien"


def scripts(service: IntakeService, chats: list[int]) -> dict[int, list[str]]:
    """Each chat's typed answers: a web walk with the same answers tells what they are."""
    turn = service.start(SURVEY, "web", "fr")
    script = []
    while turn.prompt is not None:
        raw = typed_answer(turn.prompt)
        script.append(raw)
        turn = service.submit(turn.response_id, turn.prompt.path, raw)
    for chat in chats:
        service.start(SURVEY, "telegram", "fr", chat_id=chat)
    return {chat: list(script) for chat in chats}


async def _echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    message = update.effective_message
    if message is not None and message.text:
        await context.bot.send_message(message.chat_id, message.text)


def echo_application(base_url: str, concurrency: int) -> Any:
    application = (
        Application.builder()
        .token(TOKEN)
        .base_url(base_url)
        .concurrent_updates(ChatOrderedProcessor(concurrency))
        .connection_pool_size(64)
        .build()
    )
    application.add_handler(MessageHandler(filters.TEXT, _echo))
    return application


async def run(
    application: Any, fake: FakeTelegram, updates: list[tuple[int, str]]
) -> tuple[float, float]:
    """Seconds from the first update queued to the last reply, and the process's CPU seconds."""
    sent_before = _sent(fake)
    await application.initialize()
    await application.updater.start_polling(
        poll_interval=0, timeout=1, allowed_updates=ALLOWED_UPDATES
    )
    await application.start()
    start, cpu = time.perf_counter(), time.process_time()
    for chat, text in updates:
        fake.user_message(chat, text, queue=True)
    deadline = time.monotonic() + 600
    while _sent(fake) - sent_before < len(updates):
        if time.monotonic() > deadline:
            raise SystemExit(f"only {_sent(fake) - sent_before} replies of {len(updates)}")
        await asyncio.sleep(0.005)
    elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
    await application.updater.stop()
    await application.stop()
    await application.shutdown()
    return elapsed, cpu


def _sent(fake: FakeTelegram) -> int:
    with fake.lock:
        return sum(1 for method, _ in fake.calls if method == "sendMessage")


def interleave(per_chat: dict[int, list[str]]) -> list[tuple[int, str]]:
    """Round robin over the chats: every chat's answers in order, chats interleaved."""
    out: list[tuple[int, str]] = []
    longest = max(len(s) for s in per_chat.values())
    for i in range(longest):
        out += [(chat, script[i]) for chat, script in per_chat.items() if i < len(script)]
    return out


@contextmanager
def database(url: str | None, postgres: bool) -> Iterator[str]:
    """The database of one run: ``url``, a fresh PostgreSQL schema, or a SQLite file."""
    if url is not None:
        yield url
        return
    if not postgres:
        with tempfile.TemporaryDirectory() as folder:
            yield f"sqlite:///{folder}/bench.db"
        return
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


def measure(chats_wanted: int, url: str) -> dict[str, float]:
    """One run: the echo bot, then Vigie's, on the same updates; seconds and CPU seconds."""
    engine = make_engine(url)
    Base.metadata.create_all(engine)
    sessions = make_session_factory(engine)
    registry = SurveyRegistry(sessions)
    registry.register_all([load_survey(_CODE / "survey_defs" / f"{SURVEY}.yaml")])
    settings = IntakeSettings(
        secret_key="bench-secret-0123456789abcdef", abandon_after_days=30, testing=True
    )
    service = IntakeService(sessions, registry, settings)
    chats = list(range(10_000, 10_000 + chats_wanted))
    updates = interleave(scripts(service, chats))
    with FakeTelegram() as fake:
        bot_settings = BotSettings(token=TOKEN, base_url=fake.base_url)
        threads = os.environ.get("VIGIE_BOT_DB_THREADS")
        if threads:  # as `vigie bot` reads it (code that has the setting)
            bot_settings = BotSettings(
                token=TOKEN, base_url=fake.base_url, database_threads=int(threads)
            )
        echo, echo_cpu = asyncio.run(
            run(echo_application(fake.base_url, bot_settings.concurrency), fake, updates)
        )
        for chat in chats:
            fake.chat(chat)
        vigie, vigie_cpu = asyncio.run(run(build_application(service, bot_settings), fake, updates))
    engine.dispose()
    return {
        "updates": len(updates),
        "echo": echo,
        "echo_cpu": echo_cpu,
        "vigie": vigie,
        "vigie_cpu": vigie_cpu,
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--chats", type=int, default=40)
    parser.add_argument(
        "--database-url", default=None, help="default: a SQLite file in a temporary folder"
    )
    parser.add_argument(
        "--postgres", action="store_true", help="a fresh schema on VIGIE_BENCH_POSTGRES"
    )
    parser.add_argument(
        "--write", type=Path, default=None, help="write the results into this Markdown file"
    )
    parser.add_argument(
        "--before", type=Path, default=None, help="a checkout of earlier code to compare with"
    )
    parser.add_argument("--rounds", type=int, default=3, help="runs per code with --before")
    parser.add_argument("--json", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.before is not None:
        text = compare(args)
        print(text)
        if args.write is not None:
            replace_section(args.write, "## Telegram bot", text)
        return
    with database(args.database_url, args.postgres) as url:
        got = measure(args.chats, url)
    if args.json:
        print(json.dumps(got))
        return
    n, echo_seconds, vigie_seconds = int(got["updates"]), got["echo"], got["vigie"]
    echo_rate, vigie_rate = n / echo_seconds, n / vigie_seconds
    share = 100 * vigie_rate / echo_rate
    lines = [
        f"| echo bot (python-telegram-bot) | {n} | {echo_seconds:.2f} | {echo_rate:.0f} | 100 % |",
        f"| Vigie's bot (intake) | {n} | {vigie_seconds:.2f} | {vigie_rate:.0f} | {share:.0f} % |",
    ]
    print("\n".join(lines))
    if args.write is not None:
        replace_section(args.write, "## Telegram bot", section(lines, args, url))


def one_run(code: Path, args: argparse.Namespace) -> dict[str, float]:
    """:func:`measure` with the packages of ``code``, in a process of its own."""
    command = [sys.executable, str(Path(__file__).resolve()), "--json", "--chats", str(args.chats)]
    if args.postgres:
        command.append("--postgres")
    env = {**os.environ, "VIGIE_BENCH_CODE": str(code), "PYTHONPATH": str(code)}
    out = subprocess.run(command, env=env, check=True, capture_output=True, text=True).stdout
    return dict(json.loads(out.strip().splitlines()[-1]))


def compare(args: argparse.Namespace) -> str:
    """``--before``'s code and this tree's, alternating ``--rounds`` times: a Markdown section."""
    runs: dict[str, list[dict[str, float]]] = {"before": [], "after": []}
    for index in range(args.rounds):
        for name, code in (("before", args.before.resolve()), ("after", _ROOT)):
            got = one_run(code, args)
            runs[name].append(got)
            rate = got["updates"] / got["vigie"]
            echo = got["updates"] / got["echo"]
            print(f"round {index + 1} {name}: Vigie {rate:.0f}/s, echo {echo:.0f}/s", flush=True)
    load = os.getloadavg()[0]
    rows = []
    for name, results in runs.items():
        n = results[0]["updates"]
        vigie = statistics.median(n / g["vigie"] for g in results)
        echo = statistics.median(n / g["echo"] for g in results)
        share = statistics.median((g["echo"] / g["vigie"]) for g in results)
        vigie_cpu = statistics.median(g["vigie_cpu"] / n * 1000 for g in results)
        echo_cpu = statistics.median(g["echo_cpu"] / n * 1000 for g in results)
        rows.append(
            f"| {name} | {n:.0f} | {echo:.0f} | {vigie:.0f} | {share:.0%} "
            f"| {echo_cpu:.1f} | {vigie_cpu:.1f} |"
        )
    database = "PostgreSQL (local server)" if args.postgres else "SQLite (file)"
    flag = " --postgres" if args.postgres else ""
    return "\n".join(
        [
            "## Telegram bot",
            "",
            f"Measured {dt.date.today().isoformat()} on {os.cpu_count()} CPU, Python "
            f"{platform.python_version()}; 1-minute load average at the end: {load:.1f} "
            "(the machine is shared: only ratios measured side by side mean something).",
            "",
            f"Command: `.venv/bin/python bench/bot.py --before <checkout> --chats {args.chats}"
            f" --rounds {args.rounds}{flag}`",
            "",
            "Both bots poll the same fake Bot API server (real HTTP on 127.0.0.1, in the "
            f"same process). {args.chats} residents type their answers to perceived_safety "
            "as fast as updates are delivered; each update gets one reply. Database: "
            f"{database}. Each round runs each code in a fresh process, alternating; "
            "medians of the rounds. CPU ms per update: the whole process (bot, fake "
            "server, database driver). Goal: Vigie's rate at least 50 % of the echo bot's.",
            "",
            "| code | updates | echo updates/s | Vigie updates/s | share of echo "
            "| echo CPU ms/update | Vigie CPU ms/update |",
            "|---|---:|---:|---:|---:|---:|---:|",
            *rows,
            "",
        ]
    )


def section(lines: list[str], args: argparse.Namespace, url: str) -> str:
    database = "SQLite (file)" if args.database_url is None else url.split("@")[-1]
    return "\n".join(
        [
            "## Telegram bot",
            "",
            f"Measured {dt.date.today().isoformat()} on {os.cpu_count()} CPU, "
            f"Python {platform.python_version()}, {platform.system()} {platform.machine()}; "
            "the machine was shared with other work, so figures are indicative.",
            "",
            f"Command: `.venv/bin/python bench/bot.py --chats {args.chats} "
            "--write docs/benchmarks.md`",
            "",
            "Both bots poll the same fake Bot API server (real HTTP on 127.0.0.1, in the "
            f"same process) in one run. {args.chats} residents type their answers to "
            "perceived_safety as fast as updates are delivered; each update gets one reply. "
            f"Database: {database}. Goal: Vigie's rate at least 50 % of the echo bot's.",
            "",
            "| bot | updates | seconds | updates/s | share of echo |",
            "|---|---:|---:|---:|---:|",
            *lines,
            "",
        ]
    )


if __name__ == "__main__":
    main()
