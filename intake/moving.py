"""Moving without answering: back, back from the review, to an earlier answer, forward.

Pure rules like :mod:`intake.conversation`: each returns the :class:`Move`
the service writes. Answers are kept; only the cursor (and, for ``finish``,
the status) moves.
"""

from __future__ import annotations

from intake.conversation import (
    OPEN_STATUSES,
    Move,
    Position,
    answerable_slots,
    current_slot,
    slot_at,
    stay,
)
from intake.notices import intake_notice
from questionnaire.navigation.next import next_slot, page_of, previous_slot, screened_out
from questionnaire.navigation.status import ResponseStatus

#: The ends a respondent reaches (a repeated ``finish`` there changes nothing).
ENDED = frozenset({ResponseStatus.COMPLETED, ResponseStatus.SCREENED_OUT})


def go_back(position: Position, *, page: bool = False) -> Move:
    """Move the cursor to the previous question (or to the previous page's first one).

    Answers are kept: the channel shows them prefilled.
    """
    current = current_slot(position)
    if current is None:
        if position.status in OPEN_STATUSES:
            return back_from_review(position, page=page)
        return stay(position, intake_notice("response_closed", position.language))
    survey, answers, ctx = position.survey, position.answers, position.ctx
    start = current.path
    if page:
        first = next((s for s in page_of(survey, answers, ctx, start) if s.answerable), current)
        start = first.path
    previous = previous_slot(survey, answers, ctx, start)
    if previous is None:
        return stay(position, intake_notice("no_previous_question", position.language))
    target = previous
    if page:
        target = next(s for s in page_of(survey, answers, ctx, previous.path) if s.answerable)
    return Move(cursor=target.path, status=position.status, pending=())


def back_from_review(position: Position, *, page: bool) -> Move:
    """From the review (nothing left to ask, not finished yet): to the last question or page."""
    survey, answers, ctx = position.survey, position.answers, position.ctx
    slots = answerable_slots(survey, answers, ctx)
    if not slots:
        return stay(position, intake_notice("no_previous_question", position.language))
    target = slots[-1]
    if page:
        target = next(s for s in page_of(survey, answers, ctx, target.path) if s.answerable)
    return Move(cursor=target.path, status=position.status, pending=())


def move_to(position: Position, path: str) -> Move:
    """Put the cursor back on the answered question at ``path`` (to change it).

    The answer stays until another is given; submitting goes through the usual
    rules (pruning what a changed answer makes inapplicable).
    """
    if position.status not in OPEN_STATUSES:
        return stay(position, intake_notice("response_closed", position.language))
    current = current_slot(position)
    slot = slot_at(position.survey, position.answers, position.ctx, path)
    is_current = current is not None and current.path == path
    if slot is None or not (is_current or path in position.answers):
        return stay(position, intake_notice("path_not_open", position.language, path))
    if is_current:
        return stay(position)
    return Move(cursor=path, status=position.status, pending=())


def go_forward(position: Position) -> Move:
    """Leave the answers being revisited: on to the first unanswered question, or the end.

    The end of a response is decided here as after any answer (:func:`settle`):
    screened out by an eligibility rule, completed when nothing is left. On a
    channel that asks for an explicit finish (the web) only a finish from the
    review (no question open) completes; from a question it leads to the review.
    A finish repeated once the response has ended (a double click) shows the end again.
    """
    if position.status in ENDED:
        return stay(position)
    if position.status not in OPEN_STATUSES:
        return stay(position, intake_notice("response_closed", position.language))
    survey, answers, ctx = position.survey, position.answers, position.ctx
    if screened_out(survey, answers, ctx) is not None:
        return Move(cursor=None, status=ResponseStatus.SCREENED_OUT, pending=())
    upcoming = next_slot(survey, answers, ctx)
    if upcoming is None:
        if position.explicit_finish and current_slot(position) is not None:
            return Move(cursor=None, status=position.status, pending=())
        return Move(cursor=None, status=ResponseStatus.COMPLETED, pending=())
    if upcoming.path == position.cursor:
        return stay(position)
    return Move(cursor=upcoming.path, status=position.status, pending=())
