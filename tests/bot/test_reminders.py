"""``vigie bot remind``: one reminder per idle response, never twice, never to an ended one."""

from __future__ import annotations

import asyncio
import datetime as dt
from pathlib import Path

from bot_support import BotRunner, Resident, choose
from click.testing import CliRunner
from intake_support import Clock
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bot.reminders import TASK_NAME, schedule_reminders, send_reminders
from intake.reminders import open_seal, seal_chat
from intake.service import IntakeService
from observatory.jobs import make_huey
from storage.tables import ChatReminderModel
from vigie_cli.main import cli

REMINDER = "Bonjour! Vous avez commencé un sondage sans le terminer."


def _start(runner: BotRunner, chat: int) -> Resident:
    resident = Resident(runner, chat)
    resident.send("/start")
    resident.press("(environ", exact=False)
    return resident


def _reminded(runner: BotRunner, chat: int) -> int:
    return sum(1 for m in runner.fake.bot_messages(chat) if m["text"].startswith(REMINDER))


def test_idle_respondents_get_one_reminder_and_only_them(
    runner: BotRunner,
    service: IntakeService,
    clock: Clock,
    session_factory: sessionmaker[Session],
) -> None:
    _idle, erased, _finished, active = (_start(runner, chat) for chat in (601, 602, 603, 604))
    erased.send("/erase")
    erased.press("Oui, tout effacer")
    turn = next(
        t
        for t in (service.resume_by_chat(603, s) for s in ("perceived_safety", "victimisation"))
        if t
    )
    for _ in range(300):
        if turn.prompt is None:
            break
        turn = service.submit(turn.response_id, turn.prompt.path, choose(turn.prompt, "fr").raw)
    assert turn.prompt is None
    clock.advance(hours=30)
    active.send("34")

    async def two_runs() -> list[int]:
        idle = dt.timedelta(hours=24)
        return list(
            await asyncio.gather(
                send_reminders(service, runner.settings, idle),
                send_reminders(service, runner.settings, idle),
            )
        )

    sent = asyncio.run(two_runs())
    assert sum(sent) == 1
    assert [_reminded(runner, c) for c in (601, 602, 603, 604)] == [1, 0, 0, 0]
    assert asyncio.run(send_reminders(service, runner.settings, dt.timedelta(hours=24))) == 0
    with session_factory() as session:
        seals = session.scalars(select(ChatReminderModel.chat_seal)).all()
    assert [s for s in seals if s is not None] == [seals_of(session_factory, 604)]


def seals_of(session_factory: sessionmaker[Session], chat: int) -> str | None:
    with session_factory() as session:
        for row in session.scalars(select(ChatReminderModel)).all():
            from intake_support import TEST_SECRET

            if row.chat_seal and open_seal(row.chat_seal, row.response_id, TEST_SECRET) == chat:
                return row.chat_seal
    return None


def test_a_seal_opens_only_for_its_response() -> None:
    seal = seal_chat(-1001234567890, "a" * 32, "secret-0123456789-abcdef")
    assert open_seal(seal, "a" * 32, "secret-0123456789-abcdef") == -1001234567890
    assert open_seal(seal, "b" * 32, "secret-0123456789-abcdef") is None
    assert open_seal(seal, "a" * 32, "another-secret-0123456789") is None
    assert open_seal("zz", "a" * 32, "secret-0123456789-abcdef") is None


def test_the_command_names_a_missing_token() -> None:
    result = CliRunner().invoke(
        cli, ["bot", "remind", "--after", "24"], env={"TELEGRAM_BOT_TOKEN": ""}
    )
    assert result.exit_code != 0
    assert "TELEGRAM_BOT_TOKEN" in result.output


def test_the_job_queue_sends_the_reminders_every_hour(
    runner: BotRunner, service: IntakeService, clock: Clock, tmp_path: Path
) -> None:
    """``vigie worker`` registers the reminders as an hourly periodic task of its queue."""
    _start(runner, 611)
    clock.advance(hours=30)
    huey = make_huey(redis_url=None, instance_dir=tmp_path)
    task = schedule_reminders(huey, service, runner.settings, dt.timedelta(hours=24))
    due = [t.name for t in huey.read_periodic(dt.datetime(2026, 3, 13, 9, 15))]
    assert due == [TASK_NAME]
    assert huey.read_periodic(dt.datetime(2026, 3, 13, 9, 16)) == []
    assert _reminded(runner, 611) == 0
    assert task.call_local() == 1
    assert _reminded(runner, 611) == 1
    assert task.call_local() == 0  # once per response, however often the task runs


def test_the_worker_names_a_bad_token_before_it_starts() -> None:
    result = CliRunner().invoke(
        cli, ["worker", "--remind-after", "24"], env={"TELEGRAM_BOT_TOKEN": "not-a-token"}
    )
    assert result.exit_code != 0
    assert "TELEGRAM_BOT_TOKEN" in result.output
