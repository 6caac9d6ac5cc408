"""The shared table of raw answers (tests/data/answer_cases.yaml) sent through the chat.

Every case the chat can produce is typed (or ``/skip`` for "nothing sent")
by a resident whose response stands on the case's question, the answers it
needs given first; the same inputs go straight to the intake service on
Telegram for comparison. The chat must store the value the table says, or
refuse with the service's own error code and show its sentence.

Not sent: notes (no answer), lists (a web form's checkboxes; the chat sends
one text or the ticks of its own buttons) and blank text (Telegram sends no
empty message). The table is read on SQLite only: what is compared is the
channel's reading, which no database changes.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from answer_table import AnswerCase, load_table, table_cases, table_dates, table_survey
from bot_support import BotRunner, Resident
from fake_telegram import TOKEN, FakeTelegram
from intake_support import TEST_SECRET, Clock
from sqlalchemy.orm import Session, sessionmaker

from bot.settings import BotSettings
from intake.registry import SurveyRegistry
from intake.service import IntakeService
from intake.settings import IntakeSettings
from intake.turns import Turn
from questionnaire.definition.model import Survey
from storage.answers import load_answers
from storage.engine import make_engine, make_session_factory
from storage.tables import Base

TABLE = load_table()
STARTED, TODAY = table_dates(TABLE)
NOON = dt.time(12, tzinfo=dt.UTC)


def chat_can_send(case: AnswerCase) -> bool:
    if "telegram" not in case.channels or TABLE["questions"][case.question]["type"] == "note":
        return False
    return case.raw is None or (isinstance(case.raw, str) and bool(case.raw.strip()))


CASES = [c for c in table_cases(TABLE) if chat_can_send(c)]


def survey_of(case: AnswerCase) -> Survey:
    """The table's questions, those the case answers first, then the case's own."""
    first = [*case.answers, case.question]
    return table_survey(TABLE, first, survey_id="case_" + "_".join(first))


def test_the_chat_reads_every_case_as_the_intake_service_does(
    tmp_path: Path, fake: FakeTelegram
) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'cases.db'}")
    Base.metadata.create_all(engine)
    sessions = make_session_factory(engine)
    clock = Clock(dt.datetime.combine(STARTED, NOON))
    settings = IntakeSettings(secret_key=TEST_SECRET, abandon_after_days=30, testing=True)
    groups: dict[str, list[tuple[int, AnswerCase]]] = {}
    for index, case in enumerate(CASES):
        groups.setdefault(survey_of(case).id, []).append((index, case))
    assert len(CASES) > 150
    checked = {"accepted": 0, "refused": 0, "warned": 0, "skipped": 0}
    for cases in groups.values():
        # One bot per questionnaire: the bot looks a chat up in every questionnaire it serves.
        registry = SurveyRegistry(sessions)
        registry.register_all([survey_of(cases[0][1])])
        service = IntakeService(sessions, registry, settings, clock=clock)
        bot_settings = BotSettings(token=TOKEN, base_url=fake.base_url)
        with BotRunner(fake, service, bot_settings, in_process=True) as runner:
            for index, case in cases:
                result = send_case(runner, service, sessions, clock, index, case)
                checked[result] += 1
    engine.dispose()
    assert min(checked.values()) > 0, checked


def send_case(
    runner: BotRunner,
    service: IntakeService,
    sessions: sessionmaker[Session],
    clock: Clock,
    index: int,
    case: AnswerCase,
) -> str:
    """Send one case through the chat and straight to intake; what it showed."""
    chat_id = 20_000 + index
    survey_id = survey_of(case).id
    clock.now = dt.datetime.combine(STARTED, NOON)
    chat = service.start(survey_id, "telegram", case.language, chat_id=chat_id)
    direct = service.start(survey_id, "telegram", case.language, chat_id=f"d{index}")
    clock.now = dt.datetime.combine(TODAY, NOON)
    for path, value in case.answers.items():
        for rid in (chat.response_id, direct.response_id):
            service.submit(rid, path, str(value))
    resident = Resident(runner, chat_id, case.language)
    turn: Turn = direct
    for _ in range(2 if case.warned else 1):
        resident.send("/skip" if case.raw is None else str(case.raw))
        turn = service.submit(direct.response_id, case.question, case.raw)
    with sessions() as session:
        by_chat = load_answers(session, chat.response_id)
        by_service = load_answers(session, direct.response_id)
    assert by_chat == by_service, case.id
    shown = resident.last_text()
    if case.error is None:
        assert by_chat[case.question] == case.value, case.id
        assert type(by_chat[case.question]) is type(case.value), case.id
        assert "⚠️" not in shown, (case.id, shown)
        return "skipped" if case.raw is None else "accepted"
    notice = turn.warning if case.soft and not case.warned else turn.error
    assert notice is not None and notice.code == case.error, (case.id, turn)
    assert f"⚠️ {notice.text}" in shown, (case.id, shown)
    assert case.question not in by_chat, case.id
    return "warned" if notice.soft else "refused"
