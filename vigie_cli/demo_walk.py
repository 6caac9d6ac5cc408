"""One demo respondent walked through a questionnaire the way the channels do.

Each step takes :func:`questionnaire.navigation.next.next_slot`, picks a raw answer (the profile's,
or a random one from :func:`questionnaire.simulation.sampling.random_raw_answer`), reads it with
:func:`questionnaire.answers.reading.read_answer` (the function both channels use; a soft warning is
confirmed once, as a respondent who insists), prunes the answers, and stops when the
respondent is screened out, when no question is left, or after ``max_answers`` answers (a
respondent who leaves midway). The final status is :func:`questionnaire.navigation.next.status`.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass

from questionnaire.answers.reading import AnswerError, RawAnswer
from questionnaire.answers.run_context import RunContext
from questionnaire.answers.scope import AnswerScope
from questionnaire.definition.model import Survey
from questionnaire.definition.slots import Slot
from questionnaire.definition.values import Answers, Value
from questionnaire.navigation.next import next_slot, prune, screened_out, status
from questionnaire.navigation.status import ResponseStatus
from questionnaire.simulation.sampling import random_raw_answer
from questionnaire.simulation.simulate import submit

#: Random answers tried on one question before the respondent gives up there.
MAX_TRIES = 50
#: Steps after which a walk stops whatever happens (far more than any questionnaire needs).
MAX_STEPS = 2_000

#: ``pick(slot, rng)``: the raw answer a respondent gives, or ``None`` to answer at random.
Picker = Callable[[Slot, random.Random], RawAnswer | None]


@dataclass(frozen=True)
class WalkedResponse:
    """Where a walk ended: the answers (in the order given), the status and the cursor."""

    answers: Answers
    status: ResponseStatus
    #: The question the respondent is on (``None`` once completed or screened out).
    current_path: str | None


def slot_scope(survey: Survey, answers: Answers, ctx: RunContext, slot: Slot) -> AnswerScope:
    """The scope a slot's answer is read in (its instance's, inside a repeat)."""
    scope = AnswerScope(survey, answers, ctx)
    if slot.repeat is None or slot.index is None:
        return scope
    return scope.in_instance(slot.repeat, slot.index)


def answer_slot(
    survey: Survey,
    answers: Answers,
    ctx: RunContext,
    slot: Slot,
    rng: random.Random,
    pick: Picker,
) -> Value | None:
    """An accepted answer for ``slot``: the picked one, else random draws; ``None`` if none is."""
    scope = slot_scope(survey, answers, ctx, slot)
    wanted = pick(slot, rng)
    if wanted is not None:
        try:
            return submit(slot, wanted, scope, ctx.language)
        except AnswerError:
            pass
    for _ in range(MAX_TRIES):
        raw = random_raw_answer(slot.question, scope, rng)
        try:
            return submit(slot, raw, scope, ctx.language)
        except AnswerError:
            continue
    return None


def walk_respondent(
    survey: Survey,
    ctx: RunContext,
    rng: random.Random,
    pick: Picker,
    *,
    preset: Answers | None = None,
    max_answers: int | None = None,
) -> WalkedResponse:
    """Walk one respondent from ``preset`` (a campaign's answers) to where they stop."""
    answers: Answers = dict(preset or {})
    for _ in range(MAX_STEPS):
        slot = next_slot(survey, answers, ctx)
        if slot is None or (max_answers is not None and len(answers) >= max_answers):
            break
        value = answer_slot(survey, answers, ctx, slot, rng, pick)
        if value is None:
            break
        answers = prune(survey, {**answers, slot.path: value}, ctx)
        if screened_out(survey, answers, ctx) is not None:
            break
    final = status(survey, answers, ctx)
    if final is ResponseStatus.IN_PROGRESS:
        upcoming = next_slot(survey, answers, ctx)
        return WalkedResponse(answers, final, None if upcoming is None else upcoming.path)
    return WalkedResponse(answers, final, None)
