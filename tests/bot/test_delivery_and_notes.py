"""A typed answer delivered twice answers once; the chat-only privacy note reaches the chat."""

from __future__ import annotations

from bot_support import BotRunner, Resident
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from intake.service import IntakeService
from storage.tables import AnswerModel, AnswerRequestModel


def _begin(resident: Resident, service: IntakeService, survey_id: str) -> None:
    resident.send("/start")
    offered = next(o for o in service.offer(resident.language) if o.survey_id == survey_id)
    resident.press(offered.title, exact=False)


def test_a_typed_answer_delivered_twice_is_stored_once_and_moves_on_once(
    runner: BotRunner, service: IntakeService, session_factory: sessionmaker[Session]
) -> None:
    resident = Resident(runner, 501)
    _begin(resident, service, "perceived_safety")
    before = service.resume_by_chat(501, "perceived_safety")
    assert before is not None and before.prompt is not None and before.prompt.name == "age"
    update = runner.fake.user_message(501, "34")
    runner.process(update)
    runner.process(update)  # Telegram retried the webhook call
    after = service.resume_by_chat(501, "perceived_safety")
    assert after is not None and after.prompt is not None and after.prompt.name == "consent"
    assert not any("⚠️" in text for text in resident.texts())
    resident.press(next(c.label for c in after.prompt.choices if c.code == "yes"))
    runner.process(update)  # a late copy, after the next answer: still nothing
    later = service.resume_by_chat(501, "perceived_safety")
    assert later is not None and later.prompt is not None
    assert later.prompt.path != "consent" and later.prompt.path not in ("age",)
    with session_factory() as session:
        answers = session.scalars(
            select(AnswerModel.path).where(AnswerModel.response_id == after.response_id)
        ).all()
        assert sorted(answers) == ["age", "consent"]
        keys = session.scalar(select(func.count()).select_from(AnswerRequestModel))
        assert keys == 1
    assert not any("⚠️" in text for text in resident.texts())


def test_the_entry_sections_privacy_note_for_the_chat_reaches_the_chat(
    runner: BotRunner, service: IntakeService
) -> None:
    for chat_id, language, survey_id, note in (
        (502, "fr", "victimisation", "Cette conversation reste dans Telegram"),
        (503, "en", "perceived_safety", "This conversation stays in Telegram"),
    ):
        resident = Resident(runner, chat_id, language)
        _begin(resident, service, survey_id)
        resident.send("34")
        consent = resident.last_text()
        assert "Quick exit” button at the top of every page" not in consent
        assert note in consent, consent
        assert consent.index(note) < consent.rindex("?"), "the note comes before the buttons"
        assert resident.fake.buttons(resident.fake.bot_messages(chat_id)[-1])
