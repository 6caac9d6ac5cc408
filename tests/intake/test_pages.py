"""Whole web pages submitted at once, on every test database."""

from __future__ import annotations

from sqlalchemy.orm import Session, sessionmaker

from intake.service import IntakeService
from intake.turns import Turn
from questionnaire.definition.values import SKIPPED
from storage.answers import load_answers


def on_perceptions_page(service: IntakeService) -> Turn:
    turn = service.start("short_safety", "web", "fr")
    turn = service.submit_page(turn.response_id, "age_15_plus", {"age_15_plus": "yes"})
    assert turn.prompt is not None and turn.prompt.path == "walk_alone_dark"
    return turn


def test_valid_fields_are_stored_and_errors_come_per_field(
    service: IntakeService, session_factory: sessionmaker[Session]
) -> None:
    turn = on_perceptions_page(service)
    rid = turn.response_id
    fields = {"walk_alone_dark": "very_unsafe", "times_victim": "99", "comment": "calme"}
    shown = service.submit_page(rid, "walk_alone_dark", fields)
    assert set(shown.field_errors) == {"times_victim"}
    assert shown.field_errors["times_victim"].code == "above_max"
    assert shown.field_errors["times_victim"].path == "times_victim"
    with session_factory() as session:
        answers = load_answers(session, rid)
    assert answers == {"age_15_plus": "yes", "walk_alone_dark": "very_unsafe", "comment": "calme"}
    # The question opened by this page's answer now shows on the page, unanswered.
    assert shown.prompt is not None and shown.prompt.path == "times_victim"
    assert "walk_more" in [p.path for p in shown.page]

    fields = {**fields, "times_victim": "3", "walk_more": "oui"}
    moved = service.submit_page(rid, "walk_alone_dark", fields)
    assert moved.field_errors == {}
    assert moved.prompt is not None and moved.prompt.path == "municipality"
    assert [p.path for p in moved.page] == ["municipality", "age_group"]
    # The same page posted again (a double click) changes nothing.
    assert service.submit_page(rid, "walk_alone_dark", fields) == moved


def test_a_missing_required_field_is_an_error(service: IntakeService) -> None:
    turn = on_perceptions_page(service)
    shown = service.submit_page(
        turn.response_id, "walk_alone_dark", {"walk_alone_dark": "very_safe"}
    )
    assert shown.field_errors["times_victim"].code == "required"
    assert not shown.field_errors["times_victim"].soft


def test_soft_warnings_on_a_page_are_accepted_when_posted_again(service: IntakeService) -> None:
    turn = on_perceptions_page(service)
    rid = turn.response_id
    fields = {"walk_alone_dark": "very_safe", "times_victim": "12"}
    warned = service.submit_page(rid, "walk_alone_dark", fields)
    assert warned.field_errors["times_victim"].soft
    accepted = service.submit_page(rid, "walk_alone_dark", fields)
    assert accepted.field_errors == {}
    assert accepted.prompt is not None and accepted.prompt.path == "municipality"


def test_back_by_page_returns_to_the_previous_page(service: IntakeService) -> None:
    turn = on_perceptions_page(service)
    rid = turn.response_id
    service.submit_page(
        rid, "walk_alone_dark", {"walk_alone_dark": "very_safe", "times_victim": "0"}
    )
    back = service.back(rid, page=True)
    assert back.prompt is not None and back.prompt.path == "walk_alone_dark"
    assert [p.current for p in back.page if p.path != "perceptions_note"] == [
        "very_safe",
        0,
        SKIPPED,
    ]
    first = service.back(rid, page=True)
    assert first.prompt is not None and first.prompt.path == "age_15_plus"


def test_a_later_page_is_not_open(service: IntakeService) -> None:
    turn = service.start("short_safety", "web", "en")
    refused = service.submit_page(turn.response_id, "municipality", {"municipality": "2466023"})
    assert refused.error is not None and refused.error.code == "path_not_open"


def test_the_last_page_posted_again_after_the_end_shows_the_end(service: IntakeService) -> None:
    turn = on_perceptions_page(service)
    rid = turn.response_id
    service.submit_page(
        rid, "walk_alone_dark", {"walk_alone_dark": "very_safe", "times_victim": "0"}
    )
    last = {"municipality": "2466023", "age_group": "a15_24"}
    review = service.submit_page(rid, "municipality", last)
    assert review.ready_to_finish and review.error is None  # the web waits for "finish"
    assert service.submit_page(rid, "municipality", last) == review
    ended = service.finish(rid)
    assert ended.finished and ended.error is None
    assert service.submit_page(rid, "municipality", last) == ended
    changed = service.submit_page(rid, "municipality", {**last, "age_group": "a25_plus"})
    assert changed.error is not None and changed.error.code == "response_closed"
