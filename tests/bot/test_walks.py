"""Residents complete each shipped questionnaire in French and in English through the chat.

The real Application talks over HTTP to the fake Bot API server. Each walk
includes an invalid answer, a step back, a change from /review and a restart
of the bot mid-way (a new Application, nothing kept but the database). The
victimisation walk reaches the sensitive module: the chat gives a one-time
link, the resident follows it with the web form's test client and finishes
there. The answers stored must equal those of the same respondent answering
straight through intake on the web.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from bot_support import BotRunner, Resident, act, choose, direct_walk
from fake_telegram import FakeTelegram
from sqlalchemy.orm import Session, sessionmaker
from web_handoff import Browser, finish_on_web, link_in, web_app

from bot.settings import BotSettings
from intake.handoff import HandoffReason
from intake.service import IntakeService
from questionnaire.definition.values import value_to_json
from storage.answers import load_answers
from storage.campaigns import create_campaign
from storage.records import ResponseStatus
from storage.responses import get_response

#: The answer changed from /review (first given as the first choice).
CHANGED = {"crime_compared": "same"}


def _stored(session_factory: sessionmaker[Session], response_id: str) -> dict[str, object]:
    with session_factory() as session:
        return {p: value_to_json(v) for p, v in load_answers(session, response_id).items()}


@pytest.mark.parametrize("language", ["fr", "en"])
@pytest.mark.parametrize("survey_id", ["perceived_safety", "victimisation"])
def test_a_resident_completes_the_questionnaire_in_the_chat(
    survey_id: str,
    language: str,
    fake: FakeTelegram,
    service: IntakeService,
    make_service: Callable[[], IntakeService],
    settings: BotSettings,
    session_factory: sessionmaker[Session],
) -> None:
    chat_id = 1000 + len(survey_id) + (0 if language == "fr" else 1)
    with BotRunner(fake, service, settings) as runner:
        resident = Resident(runner, chat_id, language)
        if language == "fr":
            with session_factory.begin() as session:
                code = create_campaign(session, "Maison de quartier", survey_id).code
            resident.send(f"/start {code}")
        else:
            resident.send("/start")
            offered = next(o for o in service.offer("en") if o.survey_id == survey_id)
            resident.press(offered.title, exact=False)
        overrides: dict[str, str] = {}
        seen: list[str] = []
        for step in range(400):
            turn = service.resume_by_chat(chat_id, survey_id)
            if turn is None:
                break
            assert turn.prompt is not None and turn.language == language
            prompt = turn.prompt
            assert not prompt.sensitive
            if service.chat_handoff(turn.response_id) is HandoffReason.SENSITIVE_SECTION:
                seen.append("handoff")
                _go_on_on_the_web(resident, service, turn.response_id, language, overrides)
                break
            if prompt.name == "age" and "invalid" not in seen:
                seen.append("invalid")
                resident.send("beaucoup")
                assert "⚠️" in resident.last_text()
                continue
            if len(seen) == 1 and step >= 3:
                seen.append("back")
                resident.send("/back")
                back = service.resume_by_chat(chat_id, survey_id)
                assert back is not None and back.prompt is not None
                assert back.prompt.path != prompt.path
                continue
            if len(seen) == 2 and step >= 8:
                seen.append("restart")
                runner.restart(make_service())
            if (
                len(seen) == 3
                and "crime_compared" in service.review(turn.response_id).items.__repr__()
            ):
                seen.append("review")
                resident.send("/review")
                item = next(
                    i for i in service.review(turn.response_id).items if i.name == "crime_compared"
                )
                number = [i.path for i in service.review(turn.response_id).items].index(
                    item.path
                ) + 1
                resident.press(f"✏️ {number}")
                overrides.update(CHANGED)
                changed = service.resume_by_chat(chat_id, survey_id)
                assert changed is not None and changed.prompt is not None
                assert changed.prompt.name == "crime_compared"
                continue
            act(resident, choose(prompt, language, overrides))
        else:
            raise AssertionError("the walk does not end")
    handoff = ["handoff"] if survey_id == "victimisation" else []
    assert seen == ["invalid", "back", "restart", "review", *handoff]
    assert "⚠️" not in resident.last_text()
    rid = _response_of(session_factory, chat_id, survey_id)
    with session_factory() as session:
        record = get_response(session, rid)
        assert record is not None and record.status is ResponseStatus.COMPLETED
    web = direct_walk(service, survey_id, language, dict(CHANGED))
    bot_answers = _stored(session_factory, rid)
    assert bot_answers == _stored(session_factory, web.response_id)
    if survey_id == "victimisation":
        assert "incident[2].location" in bot_answers
        assert "has_partner" in bot_answers, "the sensitive module was answered on the web"


def _go_on_on_the_web(
    resident: Resident,
    service: IntakeService,
    response_id: str,
    language: str,
    overrides: dict[str, str],
) -> None:
    """Follow the chat's link, come back to the chat once, finish on the web."""
    shown = resident.last_text()
    assert not list(resident.fake.buttons(resident.fake.bot_messages(resident.chat_id)[-1]))
    link = link_in(shown)
    browser = Browser(web_app(service).test_client(), language)
    browser.get(link)
    assert browser.status == 200 and 'name="page"' in browser.page
    turn = service.current(response_id)
    assert turn.prompt is not None and turn.prompt.sensitive, "the web opens the sensitive part"
    # Back in the chat: it takes no answer now, says the questionnaire goes on on the web,
    # and gives a fresh link; the first one was used.
    resident.send("3")
    assert service.current(response_id).prompt == turn.prompt
    fresh = link_in(resident.last_text())
    assert fresh != link
    finish_on_web(browser, service, response_id, language, overrides)
    for used in (link, fresh):
        stranger = Browser(web_app(service).test_client(), language)
        stranger.get(used)
        assert stranger.status == 404 and "/resume" in stranger.text


def _response_of(session_factory: sessionmaker[Session], chat_id: int, survey_id: str) -> str:
    from intake_support import TEST_SECRET
    from sqlalchemy import select

    from intake.tokens import chat_key
    from storage.tables import ResponseModel

    key = chat_key(chat_id, TEST_SECRET, survey_id)
    with session_factory() as session:
        return session.scalars(select(ResponseModel.id).where(ResponseModel.chat_key == key)).one()
