"""Ending a response: the web goes through the review and an explicit "finish", the chat does not.

Also: a change made from the review comes back to the review, and several
soft warnings of one page are remembered at once (posting the page again
unchanged accepts them all). Every test runs on SQLite and, with
VIGIE_TEST_DATABASE_URL, on PostgreSQL.
"""

from __future__ import annotations

from sqlalchemy.orm import Session, sessionmaker

from intake.actions import ActionName
from intake.service import IntakeService
from intake.turns import Turn
from intake.walker import AnswerPage, Back, ChangeAnswer, Finish, Scripted, walk
from questionnaire.definition.values import SKIPPED
from storage.answers import load_answers
from storage.records import PendingWarning, ResponseStatus
from storage.responses import get_response

#: short_safety's three pages, answered without a soft warning.
PAGES = [
    ("age_15_plus", {"age_15_plus": "yes"}),
    # "walk_more" applies after "very_unsafe": read after it, in the same post.
    (
        "walk_alone_dark",
        {"walk_alone_dark": "very_unsafe", "walk_more": "no", "times_victim": "2", "comment": ""},
    ),
    ("municipality", {"municipality": "2466023", "age_group": "a15_24"}),
]


def names(turn: Turn) -> list[str]:
    return [action.name.value for action in turn.actions]


def every_page(service: IntakeService, channel: str, chat: str | None = None) -> Turn:
    turn = service.start("short_safety", channel, "en", chat_id=chat)
    for page, fields in PAGES:
        turn = service.submit_page(turn.response_id, page, fields)
        assert turn.error is None and not turn.field_errors, (page, turn)
    return turn


def test_the_last_web_page_leads_to_the_review_and_only_finish_ends(
    service: IntakeService, session_factory: sessionmaker[Session]
) -> None:
    review = every_page(service, "web")
    rid = review.response_id
    assert review.ready_to_finish and not review.finished
    assert review.status is ResponseStatus.IN_PROGRESS
    assert review.prompt is None and review.closing is None
    assert review.progress == 1.0
    assert names(review) == ["back", "finish", "pause", "erase"]
    assert dict((a.name, a.label) for a in review.actions)[ActionName.FINISH] == "Send my answers"
    listed = service.review(rid)
    assert listed.ready_to_finish and listed.actions == review.actions
    assert listed.items[-1].path == "age_group"
    with session_factory() as session:
        record = get_response(session, rid)
    assert record is not None and record.status is ResponseStatus.IN_PROGRESS
    assert record.completed_at is None and record.current_path is None

    # Back from the review: the last page, prefilled; answering it leads to the review again.
    last = service.back(rid, page=True)
    assert last.prompt is not None and last.prompt.path == "municipality"
    assert last.prompt.current == "2466023" and "finish" not in names(last)
    assert not service.review(rid).ready_to_finish  # a question is open: nothing to send yet
    # "finish" from a question on the web leads to the review, it never ends the response.
    again = service.finish(rid)
    assert again == review
    ended = service.finish(rid)
    assert ended.finished and ended.status is ResponseStatus.COMPLETED
    assert ended.closing and names(ended) == ["erase"]
    assert service.finish(rid) == ended  # a double click shows the end again
    assert not service.review(rid).ready_to_finish


def test_the_chat_still_ends_at_its_last_answer(service: IntakeService) -> None:
    ended = every_page(service, "telegram", chat="review-1")
    assert ended.finished and ended.status is ResponseStatus.COMPLETED
    assert not service.review(ended.response_id).ready_to_finish


def test_a_change_from_the_review_comes_back_to_the_review(
    service: IntakeService, session_factory: sessionmaker[Session]
) -> None:
    rid = every_page(service, "web").response_id
    shown = service.change_answer(rid, "walk_alone_dark")
    assert shown.prompt is not None and shown.prompt.path == "walk_alone_dark"
    safer = {"walk_alone_dark": "very_safe", "times_victim": "2", "comment": ""}
    back = service.submit_page(rid, "walk_alone_dark", safer, to_review=True)
    assert back.ready_to_finish  # not the next page: the review
    with session_factory() as session:
        assert "walk_more" not in load_answers(session, rid)  # pruned by the change
    # A change that opens a question: asked first, then the review.
    service.change_answer(rid, "walk_alone_dark")
    unsafe = {**safer, "walk_alone_dark": "somewhat_unsafe"}
    opened = service.submit_page(rid, "walk_alone_dark", unsafe, to_review=True)
    assert opened.prompt is not None and opened.prompt.path == "walk_more"
    answered = {**unsafe, "walk_more": "yes"}
    back = service.submit_page(rid, "walk_alone_dark", answered, to_review=True)
    assert back.ready_to_finish
    # Without ``to_review`` (after "back"), the pages come one by one, prefilled.
    service.change_answer(rid, "walk_alone_dark")
    step = service.submit_page(rid, "walk_alone_dark", answered)
    assert step.prompt is not None and step.prompt.path == "municipality"


def test_the_walker_finishes_from_the_review_on_the_web(service: IntakeService) -> None:
    first = service.start("short_safety", "web", "en")
    replies = [AnswerPage(fields) for _page, fields in PAGES]
    left = walk(service, first, Scripted(replies))
    assert left.last.ready_to_finish  # a resident who closes the window at the review
    script = Scripted(
        [
            ChangeAnswer("times_victim"),
            AnswerPage(PAGES[1][1], to_review=True),
            Back(page=True),
            AnswerPage(PAGES[2][1]),
            Finish(),
        ]
    )
    done = walk(service, left.last, script)
    assert [s.turn.ready_to_finish for s in done.steps] == [False, True, False, True, False]
    assert done.last.finished and done.last.status is ResponseStatus.COMPLETED


def test_several_warnings_of_a_page_are_remembered_at_once(
    service: IntakeService, session_factory: sessionmaker[Session]
) -> None:
    turn = service.start("short_safety", "web", "en")
    rid = service.submit_page(turn.response_id, "age_15_plus", {"age_15_plus": "yes"}).response_id
    fields = {"walk_alone_dark": "", "times_victim": "12", "comment": ""}
    warned = service.submit_page(rid, "walk_alone_dark", fields)
    assert {p for p, n in warned.field_errors.items() if n.soft} == {
        "walk_alone_dark",
        "times_victim",
    }
    with session_factory() as session:
        record = get_response(session, rid)
    assert record is not None
    assert record.pending_warning == (
        PendingWarning("walk_alone_dark", SKIPPED),
        PendingWarning("times_victim", 12),
    )
    # A changed value is a new answer: warned again, the other warning kept as accepted.
    changed = service.submit_page(rid, "walk_alone_dark", {**fields, "times_victim": "13"})
    assert set(changed.field_errors) == {"times_victim"}
    # The page posted again unchanged, without any confirmation: both accepted at once.
    accepted = service.submit_page(rid, "walk_alone_dark", {**fields, "times_victim": "13"})
    assert accepted.field_errors == {} and accepted.prompt is not None
    assert accepted.prompt.path == "municipality"
    with session_factory() as session:
        answers = load_answers(session, rid)
        record = get_response(session, rid)
    assert answers["walk_alone_dark"] is SKIPPED and answers["times_victim"] == 13
    assert record is not None and record.pending_warning is None
