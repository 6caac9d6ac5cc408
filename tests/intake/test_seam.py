"""What a channel needs beyond answering: offer, campaign links, idempotent start,
actions, review and change, several soft warnings at once, erasing from a chat.

Every test runs on SQLite and, with VIGIE_TEST_DATABASE_URL, on PostgreSQL.
"""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from i18n import translate
from intake.actions import ActionName
from intake.errors import IntakeError
from intake.offer import OfferedSurvey
from intake.service import IntakeService
from intake.turns import Turn
from questionnaire.answers.messages import message
from questionnaire.definition.values import SKIPPED
from storage.answers import load_answers
from storage.campaigns import create_campaign
from storage.records import ResponseStatus
from storage.tables import ResponseModel


def stored(session_factory: sessionmaker[Session], response_id: str) -> dict[str, object]:
    with session_factory() as session:
        return dict(load_answers(session, response_id))


def response_count(session_factory: sessionmaker[Session]) -> int:
    with session_factory() as session:
        return session.scalar(select(func.count()).select_from(ResponseModel)) or 0


def names(turn: Turn) -> list[str]:
    return [a.name.value for a in turn.actions]


# -- welcome and start ---------------------------------------------------------------


def test_offer_lists_the_open_questionnaires_in_the_language_asked(
    service: IntakeService,
) -> None:
    assert service.offer("en") == [
        # Six questions apply before any answer: 6 x 12 s, about 2 minutes.
        OfferedSurvey("short_safety", "Safety (short)", "en", ("fr", "en"), 2)
    ]
    (french,) = service.offer("fr")
    assert (french.title, french.language) == ("Sécurité (court)", "fr")
    # A language the questionnaire does not offer: its first language.
    (other,) = service.offer("de")
    assert (other.title, other.language) == ("Sécurité (court)", "fr")


def test_start_from_campaign_needs_only_the_code(
    service: IntakeService, session_factory: sessionmaker[Session]
) -> None:
    with session_factory.begin() as session:
        create_campaign(session, "Maison des jeunes", "short_safety", "2423027", code="mdj-quebec")
        create_campaign(session, "Ancienne", "short_safety", code="old-one", active=False)
    turn = service.start_from_campaign(" MDJ-Quebec ", "telegram", "en", chat_id=77)
    assert turn.prompt is not None and turn.prompt.path == "age_15_plus"
    assert stored(session_factory, turn.response_id) == {"municipality": "2423027"}
    for code, error in [
        ("old-one", "inactive_campaign"),
        ("missing", "unknown_campaign"),
        ("no such code!\x00", "unknown_campaign"),
    ]:
        with pytest.raises(IntakeError) as raised:
            service.start_from_campaign(code, "web", "fr")
        assert raised.value.code == error


def test_the_same_request_key_starts_one_response(
    service: IntakeService, session_factory: sessionmaker[Session]
) -> None:
    first = service.start("short_safety", "web", "fr", request_key="form-token-1")
    service.submit(first.response_id, "age_15_plus", "oui")
    again = service.start("short_safety", "web", "fr", request_key="form-token-1")
    assert again.response_id == first.response_id
    assert again.prompt is not None and again.prompt.path == "walk_alone_dark"
    other = service.start("short_safety", "web", "fr", request_key="form-token-2")
    assert other.response_id != first.response_id
    # The same key from another channel is another request.
    chat = service.start("short_safety", "telegram", "fr", chat_id=5, request_key="form-token-1")
    assert chat.response_id not in (first.response_id, other.response_id)
    assert response_count(session_factory) == 3
    with session_factory() as session:
        keys = session.scalars(select(ResponseModel.request_key)).all()
    assert "form-token-1" not in keys and all(k is not None and len(k) == 64 for k in keys)


def test_concurrent_starts_with_one_key_make_one_response(
    service: IntakeService, session_factory: sessionmaker[Session]
) -> None:
    threads = 6
    barrier = threading.Barrier(threads)

    def start(_: int) -> str:
        barrier.wait()
        return service.start("short_safety", "web", "en", request_key="double-click").response_id

    with ThreadPoolExecutor(threads) as pool:
        ids = set(pool.map(start, range(threads)))
    assert len(ids) == 1
    assert response_count(session_factory) == 1


# -- actions ---------------------------------------------------------------------------


def test_actions_follow_the_state_with_labels_in_the_language(service: IntakeService) -> None:
    """In the chat: "finish" while revisiting, and the last answer ends the response."""
    turn = service.start("short_safety", "telegram", "en", chat_id="actions-1")
    assert names(turn) == ["pause", "erase"]  # a required first question
    assert [a.label for a in turn.actions] == ["Continue later", "Erase my answers"]
    rid = turn.response_id
    turn = service.submit(rid, "age_15_plus", "yes")
    assert names(turn) == ["back", "skip", "pause", "erase"]
    back = service.back(rid)
    assert names(back) == ["finish", "pause", "erase"]
    french = service.change_language(rid, "fr")
    assert [a.label for a in french.actions] == [
        translate("fr", "intake.action.finish"),
        "Continuer plus tard",
        "Effacer mes réponses",
    ]
    ended = service.submit(service.finish(rid).response_id, "walk_alone_dark", "very_safe")
    ended = service.submit(rid, "times_victim", "0")
    ended = service.submit(rid, "comment", "")
    ended = service.submit(rid, "municipality", "2466023")
    ended = service.submit(rid, "age_group", "a15_24")
    assert ended.finished and names(ended) == ["erase"]
    assert names(service.erase(rid)) == []


def test_finish_goes_on_to_the_first_unanswered_question(service: IntakeService) -> None:
    turn = service.start("short_safety", "web", "en")
    rid = turn.response_id
    for path, raw in [
        ("age_15_plus", "yes"),
        ("walk_alone_dark", "very_safe"),
        ("times_victim", "1"),
    ]:
        service.submit(rid, path, raw)
    service.back(rid)
    service.back(rid)
    onward = service.finish(rid)
    assert onward.prompt is not None and onward.prompt.path == "comment"
    assert ActionName.FINISH not in [a.name for a in onward.actions]
    assert service.finish(rid) == onward


# -- review and change -----------------------------------------------------------------


def test_review_lists_answers_as_the_respondent_reads_them(service: IntakeService) -> None:
    turn = service.start("short_safety", "web", "en")
    rid = turn.response_id
    for path, raw in [
        ("age_15_plus", "yes"),
        ("walk_alone_dark", "very_unsafe"),
        ("walk_more", "no"),
        ("times_victim", "3"),
        ("comment", None),
    ]:
        service.submit(rid, path, raw)
    review = service.review(rid)
    assert review.can_change and review.status is ResponseStatus.IN_PROGRESS
    assert [(i.path, i.value) for i in review.items] == [
        ("age_15_plus", "Yes"),
        ("walk_alone_dark", "Very unsafe"),
        ("walk_more", "No"),
        ("times_victim", "3"),
        ("comment", message("value.skipped", "en")),
    ]
    assert review.items[1].label == "Walking alone after dark, you feel:"
    assert review.items[1].section_title == "Your neighbourhood"
    french = service.change_language(rid, "fr")
    assert service.review(french.response_id).items[1].value == "Très en insécurité"


def test_changing_an_answer_from_the_review_prunes_what_no_longer_applies(
    service: IntakeService, session_factory: sessionmaker[Session]
) -> None:
    turn = service.start("short_safety", "web", "en")
    rid = turn.response_id
    for path, raw in [
        ("age_15_plus", "yes"),
        ("walk_alone_dark", "very_unsafe"),
        ("walk_more", "yes"),
        ("times_victim", "3"),
    ]:
        service.submit(rid, path, raw)
    back = service.change_answer(rid, "walk_alone_dark")
    assert back.prompt is not None and back.prompt.path == "walk_alone_dark"
    assert back.prompt.current == "very_unsafe"
    changed = service.submit(rid, "walk_alone_dark", "very_safe")
    assert "walk_more" not in stored(session_factory, rid)
    assert "walk_more" not in [i.path for i in service.review(rid).items]
    assert changed.prompt is not None and changed.prompt.path == "times_victim"
    onward = service.finish(rid)
    assert onward.prompt is not None and onward.prompt.path == "comment"
    refused = service.change_answer(rid, "age_group")
    assert refused.error is not None and refused.error.code == "path_not_open"


def test_a_closed_response_is_reviewed_but_not_changed(service: IntakeService) -> None:
    turn = service.start("short_safety", "web", "en")
    ended = service.submit(turn.response_id, "age_15_plus", "no")
    assert ended.status is ResponseStatus.SCREENED_OUT
    review = service.review(turn.response_id)
    assert not review.can_change and [i.path for i in review.items] == ["age_15_plus"]
    refused = service.change_answer(turn.response_id, "age_15_plus")
    assert refused.error is not None and refused.error.code == "response_closed"


# -- soft warnings ---------------------------------------------------------------------


def on_perceptions_page(service: IntakeService) -> str:
    turn = service.start("short_safety", "web", "en")
    service.submit(turn.response_id, "age_15_plus", "yes")
    return turn.response_id


def test_several_soft_warnings_on_a_page_are_confirmed_in_one_post(
    service: IntakeService, session_factory: sessionmaker[Session]
) -> None:
    rid = on_perceptions_page(service)
    fields = {"walk_alone_dark": "", "times_victim": "12"}
    warned = service.submit_page(rid, "walk_alone_dark", fields)
    soft = {p for p, n in warned.field_errors.items() if n.soft}
    assert soft == {"walk_alone_dark", "times_victim"}
    assert "times_victim" not in stored(session_factory, rid)
    accepted = service.submit_page(rid, "walk_alone_dark", fields, confirm=soft)
    assert accepted.field_errors == {}
    assert accepted.prompt is not None and accepted.prompt.path == "municipality"
    answers = stored(session_factory, rid)
    assert answers["walk_alone_dark"] is SKIPPED and answers["times_victim"] == 12


def test_confirm_does_not_excuse_a_hard_error(service: IntakeService) -> None:
    rid = on_perceptions_page(service)
    fields = {"walk_alone_dark": "very_safe", "times_victim": "99"}
    refused = service.submit_page(rid, "walk_alone_dark", fields, confirm={"times_victim"})
    assert refused.field_errors["times_victim"].code == "above_max"


def test_a_single_answer_can_be_confirmed_at_once(service: IntakeService) -> None:
    rid = on_perceptions_page(service)
    service.submit(rid, "walk_alone_dark", "very_safe")
    accepted = service.submit(rid, "times_victim", "12", confirm=True)
    assert accepted.warning is None
    assert accepted.prompt is not None and accepted.prompt.path == "comment"


def test_an_answer_is_read_once(service: IntakeService, monkeypatch: pytest.MonkeyPatch) -> None:
    import intake.conversation as conversation

    rid = on_perceptions_page(service)
    service.submit(rid, "walk_alone_dark", "very_safe")
    calls: list[object] = []
    real = conversation.read_answer

    def counting(*args: object, **kwargs: object) -> object:
        calls.append(args)
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(conversation, "read_answer", counting)
    warned = service.submit(rid, "times_victim", "12")
    assert warned.warning is not None and warned.warning.soft
    assert len(calls) == 1


# -- erasing from a chat ---------------------------------------------------------------


def test_a_finished_telegram_respondent_erases_from_the_chat(
    service: IntakeService, session_factory: sessionmaker[Session]
) -> None:
    turn = service.start("short_safety", "telegram", "fr", chat_id=4242)
    ended = service.submit(turn.response_id, "age_15_plus", "non")
    assert ended.status is ResponseStatus.SCREENED_OUT
    assert service.resume_by_chat(4242, "short_safety") is None
    erased = service.erase_by_chat(4242, "short_safety")
    assert erased.response_id == turn.response_id
    assert erased.status is ResponseStatus.ERASED and erased.closing
    assert stored(session_factory, turn.response_id) == {}
    with pytest.raises(IntakeError) as raised:
        service.erase_by_chat(4242, "short_safety")
    assert raised.value.code == "response_not_found"
    with pytest.raises(IntakeError):
        service.erase_by_chat(999, "short_safety")
