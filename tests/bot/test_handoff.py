"""The hand-off of a sensitive section: one-time tokens in intake and the web's ``/h/<token>``.

Runs on SQLite and, with ``VIGIE_TEST_DATABASE_URL``, on PostgreSQL (the
``service`` fixture). The chat side (the link in the chat, finishing on the
web) is in test_walks.py.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest
from bot_support import choose
from intake_support import TEST_SECRET, Clock
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker
from web_handoff import Browser, make_test_app

from intake.errors import IntakeError
from intake.handoff import HandoffReason, handoff_digest
from intake.service import IntakeService
from storage.records import Channel
from storage.responses import get_response
from storage.tables import ChatReminderModel, WebHandoffModel

#: A short way to the sensitive module: no incident.
NO_INCIDENT = {"break_in": "no", "screener_confirm": "yes"}


def reach_handoff(service: IntakeService, chat_id: int = 4242) -> str:
    """A Telegram response to victimisation, answered up to its sensitive module."""
    turn = service.start("victimisation", "telegram", "fr", chat_id=chat_id)
    service.remember_chat(turn.response_id, chat_id)
    for _ in range(200):
        if service.chat_handoff(turn.response_id) is not None:
            return turn.response_id
        assert turn.prompt is not None and not turn.prompt.sensitive
        raw = choose(turn.prompt, "fr", NO_INCIDENT).raw
        turn = service.submit(turn.response_id, turn.prompt.path, raw)
    raise AssertionError("the chat never reached the sensitive module")


def _code(call: Callable[[], object]) -> str:
    with pytest.raises(IntakeError) as caught:
        call()
    return caught.value.code


def test_the_chat_stops_at_the_sensitive_module_and_a_link_moves_the_response_to_the_web(
    service: IntakeService, session_factory: sessionmaker[Session]
) -> None:
    perceived = service.start("perceived_safety", "telegram", "fr", chat_id=7)
    assert service.chat_handoff(perceived.response_id) is None
    rid = reach_handoff(service)
    assert service.chat_handoff(rid) is HandoffReason.SENSITIVE_SECTION
    chat_turn = service.current(rid)
    assert chat_turn.prompt is not None and not chat_turn.prompt.sensitive
    token = service.issue_handoff(rid)
    assert len(token) == 32  # 192 random bits, URL-safe
    with session_factory() as session:
        row = session.get(WebHandoffModel, rid)
        assert row is not None and row.token_hash == handoff_digest(token, TEST_SECRET)
        assert token not in (row.token_hash or "")
    turn = service.redeem_handoff(token)
    assert turn.response_id == rid
    assert turn.prompt is not None and turn.prompt.sensitive and turn.prompt.name == "has_partner"
    with session_factory() as session:
        record = get_response(session, rid)
        assert record is not None and record.channel is Channel.WEB
        row = session.get(WebHandoffModel, rid)
        assert row is not None and row.token_hash is None and row.redeemed_at is not None
        assert session.get(ChatReminderModel, rid) is None, "no reminder to the chat any more"
    assert service.chat_handoff(rid) is HandoffReason.ON_WEB
    assert _code(lambda: service.redeem_handoff(token)) == "unknown_handoff"


def test_a_link_works_once_until_it_expires_and_a_newer_one_replaces_it(
    service: IntakeService, clock: Clock
) -> None:
    rid = reach_handoff(service)
    old = service.issue_handoff(rid)
    new = service.issue_handoff(rid)
    assert old != new
    assert _code(lambda: service.redeem_handoff(old)) == "unknown_handoff"
    clock.advance(minutes=31)
    assert _code(lambda: service.redeem_handoff(new)) == "unknown_handoff"
    fresh = service.issue_handoff(rid)
    clock.advance(minutes=29)
    assert service.redeem_handoff(fresh).response_id == rid


def test_bad_tokens_are_refused_and_guesses_are_limited(service: IntakeService) -> None:
    for token in ("", "x" * 32, "short", "é" * 32, "A" * 500, "../../etc/passwd"):
        assert _code(lambda t=token: service.redeem_handoff(t, client="a")) == "unknown_handoff"
    for _ in range(4):
        assert _code(lambda: service.redeem_handoff("y" * 32, client="a")) == "unknown_handoff"
    assert _code(lambda: service.redeem_handoff("z" * 32, client="a")) == "too_many_attempts"
    assert _code(lambda: service.redeem_handoff("z" * 32, client="b")) == "unknown_handoff"


def test_a_finished_or_erased_response_gets_no_link(service: IntakeService) -> None:
    rid = reach_handoff(service)
    token = service.issue_handoff(rid)
    service.erase(rid)
    assert _code(lambda: service.issue_handoff(rid)) == "response_closed"
    assert _code(lambda: service.redeem_handoff(token)) == "unknown_handoff"
    assert _code(lambda: service.issue_handoff("0" * 32)) == "response_not_found"


def test_two_concurrent_redemptions_of_one_link_one_wins(
    service: IntakeService, session_factory: sessionmaker[Session]
) -> None:
    rid = reach_handoff(service)
    for _ in range(3):
        token = service.issue_handoff(rid)
        barrier = threading.Barrier(2)
        results: list[str] = []

        def redeem(
            token: str = token, barrier: threading.Barrier = barrier, results: list[str] = results
        ) -> None:
            barrier.wait()
            try:
                results.append(service.redeem_handoff(token).response_id)
            except IntakeError as error:
                results.append(error.code)

        threads = [threading.Thread(target=redeem) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert sorted(results) == sorted([rid, "unknown_handoff"])
    with session_factory() as session:
        rows = session.scalars(select(WebHandoffModel)).all()
        assert len(rows) == 1 and rows[0].token_hash is None


def test_the_web_link_opens_the_response_once_and_a_bad_one_gets_a_friendly_page(
    service: IntakeService,
) -> None:
    app = make_test_app(service)
    rid = reach_handoff(service)
    token = service.issue_handoff(rid)
    browser = Browser(app.test_client(), "fr")
    first = browser.client.get(f"/h/{token}?lang=fr")
    assert first.status_code == 303 and first.headers["Location"].endswith("/survey")
    browser.get("/survey")
    assert browser.status == 200 and 'name="has_partner"' in browser.page
    for bad in (token, "x" * 32, "%00", "a" * 300, "<script>"):
        stranger = Browser(app.test_client(), "en")
        stranger.get(f"/h/{bad}?lang=en")
        assert stranger.status == 404
        assert "Telegram" in stranger.text and "/resume" in stranger.text
        assert "<script>" not in stranger.page


def test_failed_links_are_rate_limited_like_resume_codes(service: IntakeService) -> None:
    app = make_test_app(service, RATELIMIT_ENABLED=True, VIGIE_START_RATE_LIMIT="3 per minute")
    client = app.test_client()
    statuses = [client.get(f"/h/{'q' * 32}").status_code for _ in range(5)]
    assert statuses[:3] == [404, 404, 404]
    assert statuses[3:] == [429, 429]
