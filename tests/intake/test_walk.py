"""Walking short_safety through the intake service, on every test database."""

from __future__ import annotations

from sqlalchemy.orm import Session, sessionmaker

from intake.service import IntakeService
from intake.turns import Turn
from questionnaire.answers.messages import message
from questionnaire.definition.values import SKIPPED, Value
from questionnaire.navigation.status import ResponseStatus
from storage.answers import load_answers
from storage.responses import get_response


def stored(session_factory: sessionmaker[Session], response_id: str) -> dict[str, Value]:
    with session_factory() as session:
        return load_answers(session, response_id)


def stored_cursor(session_factory: sessionmaker[Session], response_id: str) -> str | None:
    with session_factory() as session:
        record = get_response(session, response_id)
    assert record is not None
    return record.current_path


def answer_all(service: IntakeService, turn: Turn, answers: list[str | None]) -> Turn:
    """Answer the current question with each raw answer in turn, checking each is accepted."""
    for raw in answers:
        assert turn.prompt is not None
        path = turn.prompt.path
        turn = service.submit(turn.response_id, path, raw)
        assert turn.error is None, (path, turn.error)
        assert turn.warning is None, (path, turn.warning)
    return turn


def test_full_walk_stores_every_answer_and_ends(
    service: IntakeService, session_factory: sessionmaker[Session]
) -> None:
    turn = service.start("short_safety", "web", "fr")
    assert turn.status is ResponseStatus.IN_PROGRESS
    assert turn.prompt is not None and turn.prompt.path == "age_15_plus"
    assert (turn.can_back, turn.can_skip, turn.progress) == (False, False, 0.0)
    rid = turn.response_id

    turn = service.submit(rid, "age_15_plus", "oui")
    assert turn.prompt is not None and turn.prompt.path == "walk_alone_dark"
    assert [n.path for n in turn.notes] == ["perceptions_note"]
    assert [p.path for p in turn.page] == [
        "perceptions_note",
        "walk_alone_dark",
        "times_victim",
        "comment",
    ]
    assert turn.can_back and turn.can_skip
    assert 0.0 < turn.progress < 1.0

    turn = service.submit(rid, "walk_alone_dark", "très en insécurité")
    assert turn.prompt is not None and turn.prompt.path == "walk_more"
    turn = answer_all(service, turn, ["non", "2", None, "2466023"])
    assert turn.prompt is not None and turn.prompt.path == "age_group"
    turn = service.submit(rid, "age_group", "a15_24")
    # On the web the last answer leads to the review; "finish" there sends the answers.
    assert turn.ready_to_finish and not turn.finished and turn.closing is None
    assert turn.status is ResponseStatus.IN_PROGRESS and turn.progress == 1.0
    turn = service.finish(rid)

    assert turn.status is ResponseStatus.COMPLETED
    assert turn.prompt is None and turn.finished
    assert turn.closing == message("survey.end", "fr")
    assert turn.progress == 1.0
    assert stored(session_factory, rid) == {
        "age_15_plus": "yes",
        "walk_alone_dark": "very_unsafe",
        "walk_more": "no",
        "times_victim": 2,
        "comment": SKIPPED,
        "municipality": "2466023",
        "age_group": "a15_24",
    }
    assert service.current(rid) == turn


def test_errors_come_back_in_the_language_without_storing(
    service: IntakeService, session_factory: sessionmaker[Session]
) -> None:
    turn = answer_all(service, service.start("short_safety", "web", "en"), ["yes", "very_safe"])
    assert turn.prompt is not None and turn.prompt.path == "times_victim"
    refused = service.submit(turn.response_id, "times_victim", "99")
    assert refused.error is not None and refused.error.code == "above_max"
    assert refused.error.text == message("error.above_max", "en", max=50)
    assert refused.prompt == turn.prompt
    assert "times_victim" not in stored(session_factory, turn.response_id)


def test_back_moves_to_the_previous_question_with_its_answer(service: IntakeService) -> None:
    turn = answer_all(service, service.start("short_safety", "web", "fr"), ["oui", "very_safe"])
    rid = turn.response_id
    assert turn.prompt is not None and turn.prompt.path == "times_victim"
    back = service.back(rid)
    assert back.prompt is not None and back.prompt.path == "walk_alone_dark"
    assert back.prompt.current == "very_safe"
    first = service.back(rid)
    assert first.prompt is not None and first.prompt.path == "age_15_plus"
    assert not first.can_back
    refused = service.back(rid)
    assert refused.error is not None and refused.error.code == "no_previous_question"
    # Going forward again through given answers keeps them and steps one by one.
    again = service.submit(rid, "age_15_plus", "oui")
    assert again.prompt is not None and again.prompt.path == "walk_alone_dark"
    again = service.submit(rid, "walk_alone_dark", "very_safe")
    assert again.prompt is not None and again.prompt.path == "times_victim"


def test_skip_rules(service: IntakeService, session_factory: sessionmaker[Session]) -> None:
    turn = service.start("short_safety", "web", "fr")
    rid = turn.response_id
    refused = service.skip(rid, "age_15_plus")
    assert refused.error is not None and refused.error.code == "required"
    assert not refused.can_skip
    turn = service.submit(rid, "age_15_plus", "oui")
    # required: soft -> warned once, then the skip is accepted.
    warned = service.skip(rid, "walk_alone_dark")
    assert warned.warning is not None and warned.warning.code == "required"
    assert warned.warning.soft and warned.error is None
    assert warned.prompt is not None and warned.prompt.path == "walk_alone_dark"
    assert "walk_alone_dark" not in stored(session_factory, rid)
    accepted = service.skip(rid, "walk_alone_dark")
    assert accepted.warning is None
    assert accepted.prompt is not None and accepted.prompt.path == "times_victim"
    assert stored(session_factory, rid)["walk_alone_dark"] is SKIPPED


def test_soft_constraint_warns_once_then_accepts_the_same_answer(
    service: IntakeService, session_factory: sessionmaker[Session]
) -> None:
    turn = answer_all(service, service.start("short_safety", "web", "en"), ["yes", "very_safe"])
    rid = turn.response_id
    warned = service.submit(rid, "times_victim", "12")
    assert warned.warning is not None and warned.warning.code == "constraint"
    assert "More than 10 times" in warned.warning.text
    assert warned.prompt is not None and warned.prompt.path == "times_victim"
    # A different value is a new warning, not an acceptance.
    warned_again = service.submit(rid, "times_victim", "14")
    assert warned_again.warning is not None
    assert "times_victim" not in stored(session_factory, rid)
    accepted = service.submit(rid, "times_victim", "14")
    assert accepted.warning is None
    assert accepted.prompt is not None and accepted.prompt.path == "comment"
    assert stored(session_factory, rid)["times_victim"] == 14


def test_language_change_renders_in_the_new_language(service: IntakeService) -> None:
    turn = service.start("short_safety", "web", "fr")
    assert turn.prompt is not None and turn.prompt.label == "Avez-vous 15 ans ou plus ?"
    english = service.change_language(turn.response_id, "en")
    assert english.language == "en"
    assert english.prompt is not None and english.prompt.label == "Are you 15 or older?"
    refused = service.submit(turn.response_id, "age_15_plus", "maybe")
    assert refused.error is not None
    assert refused.error.text == message("error.not_yes_no", "en")


def test_screened_out_ends_with_the_rule_message(
    service: IntakeService, session_factory: sessionmaker[Session]
) -> None:
    turn = service.start("short_safety", "telegram", "en", chat_id=4242)
    ended = service.submit(turn.response_id, "age_15_plus", "no")
    assert ended.status is ResponseStatus.SCREENED_OUT
    assert ended.prompt is None
    assert ended.closing == "This questionnaire is for people aged 15 and over."
    assert stored(session_factory, turn.response_id) == {"age_15_plus": "no"}
    closed = service.submit(turn.response_id, "age_15_plus", "yes")
    assert closed.error is not None and closed.error.code == "response_closed"


def test_same_answer_twice_is_stored_once_with_the_same_turn(
    service: IntakeService, session_factory: sessionmaker[Session]
) -> None:
    turn = answer_all(service, service.start("short_safety", "web", "fr"), ["oui"])
    rid = turn.response_id
    first = service.submit(rid, "walk_alone_dark", "very_unsafe")
    second = service.submit(rid, "walk_alone_dark", "very_unsafe")
    assert second == first
    assert stored(session_factory, rid) == {"age_15_plus": "yes", "walk_alone_dark": "very_unsafe"}
    assert stored_cursor(session_factory, rid) == "walk_more"
    # The last answer twice: the end again, not an error.
    done = answer_all(service, first, ["oui", "1", "", "2423027"])
    review = service.submit(rid, "age_group", "a25_plus")
    assert done.prompt is not None and review.ready_to_finish
    assert service.submit(rid, "age_group", "a25_plus") == review
    last = service.finish(rid)
    assert last.status is ResponseStatus.COMPLETED
    assert service.submit(rid, "age_group", "a25_plus") == last


def test_a_later_unanswered_question_is_not_open(service: IntakeService) -> None:
    turn = service.start("short_safety", "web", "fr")
    refused = service.submit(turn.response_id, "times_victim", "3")
    assert refused.error is not None and refused.error.code == "path_not_open"
    assert refused.prompt == turn.prompt


def test_changing_an_earlier_answer_prunes_what_no_longer_applies(
    service: IntakeService, session_factory: sessionmaker[Session]
) -> None:
    turn = answer_all(
        service, service.start("short_safety", "web", "fr"), ["oui", "very_unsafe", "oui", "3"]
    )
    rid = turn.response_id
    assert stored(session_factory, rid)["walk_more"] == "yes"
    changed = service.submit(rid, "walk_alone_dark", "very_safe")
    answers = stored(session_factory, rid)
    assert "walk_more" not in answers
    assert answers["times_victim"] == 3
    assert answers["walk_alone_dark"] == "very_safe"
    # The respondent steps forward from the changed question.
    assert changed.prompt is not None and changed.prompt.path == "times_victim"
