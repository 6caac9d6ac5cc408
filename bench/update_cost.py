"""What one answer costs in one process: CPU, wall time and SQL statements per item.

Three items, each repeated and averaged: a web answer post (Flask's test
client posting the first page of perceived_safety again with a new age, as
bench/web.py's clients do), and a bot update, typed or a button press (the
real Application handling updates of the fake Bot API server called in
process, tests/bot/bot_support.py): residents walk perceived_safety, pressing
the first answer button where the question has some, else typing an answer.
Statements are counted with SQLAlchemy's ``before_cursor_execute`` event.

``--code DIR`` runs the packages of the checkout ``DIR`` instead of this
tree's (to compare with earlier code, one process each); ``--profile`` adds
a cProfile of each item (intake's calls then run in the event loop's thread,
so that the profile sees them).

    .venv/bin/python bench/update_cost.py [--code DIR] [--postgres] [--profile]
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

_HERE = Path(__file__).resolve().parent
_ARGS = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
_ARGS.add_argument("--code", type=Path, default=_HERE.parent, help="the checkout to measure")
_ARGS.add_argument("--postgres", action="store_true", help="a fresh schema on VIGIE_BENCH_POSTGRES")
_ARGS.add_argument("--profile", action="store_true", help="print a cProfile of each item")
_ARGS.add_argument("--posts", type=int, default=300, help="web posts timed")
_ARGS.add_argument("--chats", type=int, default=30, help="bot residents walking the questionnaire")
ARGS = _ARGS.parse_args()
CODE = ARGS.code.resolve()
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() not in (_HERE, _HERE.parent)]
sys.path[:0] = [str(CODE), *(str(CODE / "tests" / d) for d in ("", "bot", "intake"))]
sys.path.append(str(_HERE))  # bench/web_resident.py, after the packages
os.environ.setdefault("PTB_TIMEDELTA", "1")

from sqlalchemy import Engine, create_engine, event, text  # noqa: E402

from storage.engine import make_engine  # noqa: E402
from storage.tables import Base  # noqa: E402

POSTGRES = os.environ.get(
    "VIGIE_BENCH_POSTGRES", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)


@contextmanager
def database() -> Iterator[Engine]:
    """A fresh database with Vigie's tables: a SQLite file, or a PostgreSQL schema."""
    if not ARGS.postgres:
        with tempfile.TemporaryDirectory() as folder:
            engine = make_engine(f"sqlite:///{folder}/cost.db")
            Base.metadata.create_all(engine)
            yield engine
            engine.dispose()
        return
    schema = f"vigie_cost_{uuid.uuid4().hex[:12]}"
    admin = create_engine(POSTGRES)
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    engine = make_engine(f"{POSTGRES}?options=-csearch_path%3D{schema}")
    try:
        Base.metadata.create_all(engine)
        yield engine
    finally:
        engine.dispose()
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        admin.dispose()


class Tally:
    """CPU and wall seconds, statements and count of one kind of item."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.cpu = self.wall = 0.0
        self.statements = self.items = 0
        self.profile = cProfile.Profile() if ARGS.profile else None

    def time(self, engine: Engine, item: Callable[[], object]) -> None:
        seen: list[str] = []

        def count(*args: Any) -> None:
            seen.append(args[2])

        event.listen(engine, "before_cursor_execute", count)
        if self.profile is not None:
            self.profile.enable()
        cpu, wall = time.process_time(), time.perf_counter()
        try:
            item()
        finally:
            self.cpu += time.process_time() - cpu
            self.wall += time.perf_counter() - wall
            if self.profile is not None:
                self.profile.disable()
            event.remove(engine, "before_cursor_execute", count)
        self.statements += len(seen)
        self.items += 1

    def report(self) -> None:
        n = max(self.items, 1)
        print(
            f"{self.name}: {self.cpu / n * 1000:.2f} ms CPU, {self.wall / n * 1000:.2f} ms wall, "
            f"{self.statements / n:.1f} statements (n={self.items})"
        )
        if self.profile is not None:
            out = io.StringIO()
            pstats.Stats(self.profile, stream=out).sort_stats("cumulative").print_stats(40)
            print(out.getvalue())


def web_posts() -> Tally:
    from web_resident import one_resident

    tally = Tally("web answer post")
    with database() as engine:
        resident = one_resident(engine, CODE / "survey_defs", RATELIMIT_ENABLED=False)

        def post(i: int) -> None:
            assert resident.post(20 + i % 50) == 303

        for i in range(20):  # warm up: caches filled, the page answered once
            post(i)
        for i in range(ARGS.posts):
            tally.time(engine, lambda i=i: post(i))  # type: ignore[misc]
    return tally


def bot_updates() -> tuple[Tally, Tally]:
    from bot_support import BotRunner, Resident, shipped_surveys
    from fake_telegram import TOKEN, FakeTelegram

    from bot.settings import BotSettings
    from intake.registry import SurveyRegistry
    from intake.service import IntakeService
    from intake.settings import IntakeSettings
    from storage.engine import make_session_factory

    if ARGS.profile:
        from bot.context import Vigie

        async def call(self: Any, function: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
            return function(*args, **kwargs)

        Vigie.call = call  # type: ignore[method-assign]  # one thread: the profile sees intake

    typed, pressed = Tally("bot update, typed answer"), Tally("bot update, button press")
    with database() as engine:
        sessions = make_session_factory(engine)
        registry = SurveyRegistry(sessions)
        registry.register_all(list(shipped_surveys()))
        settings = IntakeSettings(
            secret_key="bench-secret-0123456789abcdef", abandon_after_days=30, testing=True
        )
        service = IntakeService(sessions, registry, settings)
        with FakeTelegram() as fake:
            bot_settings = BotSettings(token=TOKEN, base_url=fake.base_url, public_url="https://x")
            with BotRunner(fake, service, bot_settings, in_process=True) as runner:
                for chat in range(1000, 1000 + ARGS.chats):
                    service.start("perceived_safety", "telegram", "fr", chat_id=chat)
                    Resident(runner, chat).send("/start")
                    for _ in range(80):
                        turn = service.resume_by_chat(chat, "perceived_safety")
                        if turn is None or turn.prompt is None:
                            break
                        last = fake.bot_messages(chat)[-1]
                        answers = [b for b in fake.buttons(last) if b["callback_data"][1] in "av"]
                        if answers:
                            data = answers[0]["callback_data"]
                            update = fake.user_press(chat, last["message_id"], data)
                            tally = pressed
                        else:
                            prompt = turn.prompt
                            raw = "34" if prompt.name == "age" else "1" if prompt.choices else "2"
                            update, tally = fake.user_message(chat, raw), typed
                        tally.time(engine, lambda u=update: runner.process(u))  # type: ignore[misc]
    return typed, pressed


def main() -> None:
    where = "PostgreSQL" if ARGS.postgres else "SQLite file"
    print(f"code: {CODE}; database: {where}; load average {os.getloadavg()[0]:.1f}")
    web_posts().report()
    for tally in bot_updates():
        tally.report()
    print(f"load average at the end {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
