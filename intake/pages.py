"""A whole web page answered at once: every field read in page order.

Each field is read with the answers given above it on the same page (skip
logic inside a page works). Valid answers are stored even when other fields
have errors; the errors and soft warnings come back per field. Several soft
warnings on one page are confirmed together: the page is posted again with
their paths in ``confirm``.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import replace

from intake.conversation import (
    OPEN_STATUSES,
    Move,
    Position,
    RawAnswer,
    closed_replay,
    current_slot,
    read_slot,
    stay,
    store,
)
from intake.notices import Notice, intake_notice
from questionnaire.definition.values import Value
from questionnaire.navigation.next import page_of
from storage.records import PendingWarning, ResponseStatus


def submit_page(
    position: Position,
    page_path: str,
    fields: Mapping[str, RawAnswer],
    *,
    confirm: Collection[str] = (),
    to_review: bool = False,
) -> Move:
    """Answer every field of the web page holding ``page_path`` at once.

    Each field is read in page order, with the answers given above it on the
    same page (skip logic inside a page works). Valid answers are stored even
    when other fields have errors; the errors come back per field. A field the
    form did not send counts as unanswered, except for questions that only
    became applicable through this page's answers (the form could not show
    them): they stay open and the page is shown again with them. A soft
    warning is accepted for the fields whose paths are in ``confirm`` and, as
    in the chat, for every one the response remembers from the last post: a
    page posted again unchanged accepts all its warnings at once.
    ``to_review``: the page was opened from the review to change an answer;
    the cursor then goes back to the first unanswered question, or to the
    review when none is left, instead of stepping through the next pages.
    """
    if position.status not in OPEN_STATUSES:
        if fields and all(closed_replay(position, p, raw) for p, raw in fields.items()):
            return stay(position)
        return stay(position, intake_notice("response_closed", position.language))
    survey, answers, ctx = position.survey, position.answers, position.ctx
    current = current_slot(position)
    shown = [s for s in page_of(survey, answers, ctx, page_path) if s.answerable]
    holds_current = current is not None and any(s.path == current.path for s in shown)
    if not shown or not (holds_current or all(s.path in answers for s in shown)):
        return stay(position, intake_notice("path_not_open", position.language, page_path))
    shown_paths = {s.path for s in shown}
    given: dict[str, Value] = {}
    errors: dict[str, Notice] = {}
    pending: list[PendingWarning] = []
    done: set[str] = set()
    while True:
        merged = {**answers, **given}
        todo = [
            s
            for s in page_of(survey, merged, ctx, page_path)
            if s.answerable and s.path not in done
        ]
        if not todo:
            break
        slot = todo[0]
        done.add(slot.path)
        if slot.path not in fields and slot.path not in shown_paths:
            continue
        reading = read_slot(
            position, merged, slot, fields.get(slot.path), confirmed=slot.path in confirm
        )
        if reading.accepted:
            assert reading.value is not None
            given[slot.path] = reading.value
            continue
        assert reading.notice is not None
        errors[slot.path] = reading.notice
        if reading.pending is not None:
            pending.append(reading.pending)
    unchanged = all(answers.get(p) == v for p, v in given.items())
    if not errors and unchanged and not holds_current:
        return stay(position)
    move = store(position, given, after=None if to_review else shown[-1].path)
    if errors and move.status is ResponseStatus.IN_PROGRESS:
        move = replace(move, cursor=next(iter(errors)))
    return replace(move, pending=tuple(pending), field_errors=errors)
