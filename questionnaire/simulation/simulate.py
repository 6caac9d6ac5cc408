"""Walk many random respondents through a questionnaire and report what went wrong.

Each simulated respondent starts on a random day of the last year, in one of
the questionnaire's languages, on the given channel, and then repeatedly:

1. takes :func:`questionnaire.navigation.next.next_slot`;
2. draws a random raw answer (:mod:`questionnaire.simulation.sampling`) and submits it
   through :func:`questionnaire.answers.reading.read_answer`, the function the
   channels use: a soft error is confirmed (``warned=True``), a hard one
   makes it draw again, up to :data:`MAX_TRIES` times, after which the slot is
   *unanswerable* and the path stops;
3. prunes the answers (a forward step must drop nothing) and checks
   eligibility (the path may end screened out).

Now and then (:data:`BACK_RATE` of steps) it goes back one question and
answers it differently instead. Answers that would screen the respondent
out are mostly drawn again (:data:`SCREEN_OUT_KEPT`), so that most paths
explore the questionnaire past its eligibility questions. Every path must end within
:data:`STEP_FACTOR` times the most slots a respondent could meet. Any other
exception is recorded with its slot, never raised. The same seed gives the
same report.
"""

from __future__ import annotations

import datetime as dt
import random

from questionnaire.answers.reading import AnswerError, RawAnswer, read_answer
from questionnaire.answers.run_context import RunContext
from questionnaire.answers.scope import AnswerScope
from questionnaire.definition.model import Survey
from questionnaire.definition.slots import Slot
from questionnaire.definition.values import Answers, Value
from questionnaire.navigation.applicability import slot_count_bound, slot_scope
from questionnaire.navigation.next import (
    next_slot,
    previous_slot,
    progress,
    prune,
    screened_out,
    status,
)
from questionnaire.simulation.report import (
    PathOutcome,
    Problem,
    SimulationReport,
    question_key,
    question_keys,
    sensitive_keys,
)
from questionnaire.simulation.sampling import random_raw_answer

#: Random answers tried on one slot before it is declared unanswerable.
MAX_TRIES = 50
#: Share of steps that go back one question and change its answer.
BACK_RATE = 0.03
#: Share of answers that would screen the respondent out that are kept; the
#: others are drawn again (up to :data:`SCREEN_OUT_TRIES` draws), so that most
#: paths go past the eligibility questions and explore the rest.
SCREEN_OUT_KEPT = 0.05
SCREEN_OUT_TRIES = 20
#: A path may take at most this many times the survey's slot bound in steps.
STEP_FACTOR = 10

__all__ = [
    "BACK_RATE",
    "MAX_TRIES",
    "STEP_FACTOR",
    "Problem",
    "SimulationReport",
    "simulate",
    "walk_path",
]


class _Unanswerable(Exception):  # noqa: N818 (a signal inside this module, not an error value)
    """No random answer was accepted; carries the error codes seen."""

    def __init__(self, codes: list[str]) -> None:
        super().__init__(codes)
        self.codes = codes


def submit(slot: Slot, raw: RawAnswer, scope: AnswerScope, language: str) -> Value:
    """Submit a raw answer as a channel would, confirming a soft warning once."""
    try:
        return read_answer(slot.question, raw, scope=scope, language=language)
    except AnswerError as error:
        if not error.soft:
            raise
    return read_answer(slot.question, raw, scope=scope, language=language, warned=True)


def answer_slot(
    survey: Survey,
    answers: Answers,
    ctx: RunContext,
    slot: Slot,
    rng: random.Random,
    *,
    avoid: Value | None = None,
) -> Value:
    """An accepted random answer for ``slot`` (different from ``avoid`` when possible).

    Raises :class:`_Unanswerable` when no draw out of :data:`MAX_TRIES` is accepted.
    """
    scope = slot_scope(AnswerScope(survey, answers, ctx), slot)
    codes: list[str] = []
    fallback: Value | None = None
    for _ in range(MAX_TRIES):
        raw = random_raw_answer(slot.question, scope, rng)
        try:
            value = submit(slot, raw, scope, ctx.language)
        except AnswerError as error:
            codes.append(error.code)
            continue
        if avoid is None or value != avoid:
            return value
        fallback = value
    if fallback is not None:
        return fallback
    raise _Unanswerable(codes)


def random_context(survey: Survey, rng: random.Random, channel: str, today: dt.date) -> RunContext:
    """A run started on a random day of the year before ``today``, in a random language."""
    started = today - dt.timedelta(days=rng.randint(0, 365))
    return RunContext(started_on=started, channel=channel, language=rng.choice(survey.languages))


def walk_path(
    survey: Survey, number: int, rng: random.Random, ctx: RunContext
) -> tuple[PathOutcome, list[Problem]]:
    """One random respondent, from the first question to the end (or a problem)."""
    answers: Answers = {}
    outcome = PathOutcome(number=number)
    problems: list[Problem] = []
    limit = STEP_FACTOR * max(slot_count_bound(survey), 1)
    slot: Slot | None = None
    try:
        for _ in range(limit):
            slot = next_slot(survey, answers, ctx)
            if slot is None:
                outcome.end = "completed"
                problems.extend(check_end(survey, answers, ctx, number))
                break
            outcome.asked.add(question_key(slot))
            forward = True
            if answers and rng.random() < BACK_RATE:
                back = previous_slot(survey, answers, ctx, slot.path)
                if back is not None:
                    slot, forward = back, False
            keep_screen_out = rng.random() < SCREEN_OUT_KEPT
            for _ in range(SCREEN_OUT_TRIES):
                value = answer_slot(survey, answers, ctx, slot, rng, avoid=answers.get(slot.path))
                given = {**answers, slot.path: value}
                if keep_screen_out or screened_out(survey, given, ctx) is None:
                    break
            pruned = prune(survey, given, ctx)
            if forward and len(pruned) != len(given):
                dropped = ", ".join(sorted(set(given) - set(pruned)))
                problems.append(Problem("prune_dropped", number, slot.path, dropped))
            answers = pruned
            if screened_out(survey, answers, ctx) is not None:
                outcome.end = "screened_out"
                break
        else:
            problems.append(Problem("endless", number, None, f"{limit} steps"))
    except _Unanswerable as stuck:
        path = slot.path if slot is not None else None
        codes = ", ".join(sorted(set(stuck.codes)))
        problems.append(Problem("unanswerable", number, path, codes))
    except Exception as error:  # recorded with its slot, never raised
        path = slot.path if slot is not None else None
        problems.append(Problem("exception", number, path, f"{type(error).__name__}: {error}"))
    outcome.answered = len(answers)
    return outcome, problems


def check_end(survey: Survey, answers: Answers, ctx: RunContext, number: int) -> list[Problem]:
    """At the end of a path, status and progress must agree that it is complete."""
    found = status(survey, answers, ctx)
    share = progress(survey, answers, ctx)
    if found == "completed" and share == 1.0:
        return []
    detail = f"next_slot=None, status={found}, progress={share:.3f}"
    return [Problem("inconsistent", number, None, detail)]


def simulate(
    survey: Survey,
    *,
    paths: int,
    seed: int,
    channel: str = "web",
    today: dt.date | None = None,
) -> SimulationReport:
    """Walk ``paths`` random respondents through ``survey`` on ``channel``.

    Deterministic for a given ``seed`` and ``today`` (the day start dates are
    drawn back from; the real today by default). Never raises for a problem
    in the questionnaire: problems are recorded in the report.
    """
    day = today if today is not None else dt.date.today()
    report = SimulationReport(survey_id=survey.id, channel=channel, seed=seed)
    report.reached = dict.fromkeys(question_keys(survey), 0)
    if channel != "web":
        report.expected_unreached = sensitive_keys(survey)
    for number in range(paths):
        rng = random.Random(f"{seed}/{number}")
        ctx = random_context(survey, rng, channel, day)
        report.add(*walk_path(survey, number, rng, ctx))
    return report
