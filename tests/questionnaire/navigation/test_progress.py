"""Progress: hand-computed fractions, monotone on forward walks, 1.0 at the end."""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

import pytest
import yaml

from questionnaire.answers.run_context import RunContext
from questionnaire.definition.model import QuestionType, Survey
from questionnaire.definition.slots import Slot
from questionnaire.definition.values import SKIPPED, Answers, Value, YearMonth
from questionnaire.navigation.next import next_slot, progress, prune, status

DEFINITIONS = Path(__file__).resolve().parents[2] / "data" / "definitions" / "navigation"


def make_survey(name: str) -> Survey:
    """A small test questionnaire, validated with the model (no loader needed)."""
    return Survey.model_validate(yaml.safe_load((DEFINITIONS / name).read_text("utf-8")))


def make_ctx(channel: str = "web") -> RunContext:
    return RunContext(started_on=dt.date(2025, 6, 15), channel=channel, language="fr")


def random_value(slot: Slot, rng: random.Random) -> Value:
    """A typed answer for a slot, drawn without the answer reader."""
    question = slot.question
    if question.required is not True and rng.random() < 0.15:
        return SKIPPED
    kind = question.type
    if kind == QuestionType.CONSENT or question.name == "age_15_plus":
        return "yes"
    if kind == QuestionType.YES_NO:
        return rng.choice(["yes", "no"])
    if kind == QuestionType.SINGLE_CHOICE:
        return rng.choice(question.choices).code
    if kind in (QuestionType.INTEGER, QuestionType.RATING):
        low = int(question.min) if isinstance(question.min, int) else 0
        high = int(question.max) if isinstance(question.max, int) else 10
        return rng.randint(low, min(high, low + 5))
    if kind == QuestionType.YEAR_MONTH:
        return YearMonth(2025, rng.randint(1, 6))
    return "H2X 1Y4"


@pytest.mark.parametrize(
    ("answers", "channel", "expected"),
    [
        ({}, "web", 0.0),
        ({"age_15_plus": "yes", "consent": "yes"}, "web", 2 / 12),
        ({"age_15_plus": "yes", "consent": "yes", "walk_alone_dark": "very_safe"}, "web", 3 / 10),
        (
            {"age_15_plus": "yes", "consent": "yes", "walk_alone_dark": "very_safe"},
            "telegram",
            3 / 9,
        ),
        (
            {
                "age_15_plus": "yes",
                "consent": "yes",
                "walk_alone_dark": "very_safe",
                "crime_trend": "decreased",
                "has_vehicle": "no",
            },
            "web",
            5 / 8,
        ),
    ],
)
def test_progress_counts_undecided_questions_as_to_come(
    answers: Answers, channel: str, expected: float
) -> None:
    assert progress(make_survey("basic.yaml"), answers, make_ctx(channel)) == pytest.approx(
        expected
    )


def test_repeat_instances_that_may_come_count_until_settled() -> None:
    survey = make_survey("repeats.yaml")
    ctx = make_ctx()
    # incidents_count, 3 possible incidents x 3, place 1 (2), place 2 (2), place 3 (1), rating
    assert progress(survey, {}, ctx) == 0.0
    assert progress(survey, {"incidents_count": 0}, ctx) == pytest.approx(1 / 7)
    one_place: Answers = {
        "incidents_count": 0,
        "place[1].place_kind": "park",
        "place[1].another": "no",
    }
    assert progress(survey, one_place, ctx) == pytest.approx(3 / 4)


@pytest.mark.parametrize("seed", range(40))
@pytest.mark.parametrize(
    ("name", "channel"),
    [("basic.yaml", "web"), ("repeats.yaml", "web"), ("basic.yaml", "telegram")],
)
def test_progress_never_goes_back_on_a_forward_walk(seed: int, name: str, channel: str) -> None:
    survey, ctx, rng = make_survey(name), make_ctx(channel), random.Random(seed)
    answers: Answers = {}
    seen = [progress(survey, answers, ctx)]
    for _ in range(100):
        slot = next_slot(survey, answers, ctx)
        if slot is None:
            break
        answers = {**answers, slot.path: random_value(slot, rng)}
        assert prune(survey, answers, ctx) == answers
        seen.append(progress(survey, answers, ctx))
        assert seen[-1] >= seen[-2], (slot.path, seen)
        assert 0.0 <= seen[-1] <= 1.0
    assert next_slot(survey, answers, ctx) is None
    assert seen[-1] == 1.0
    assert status(survey, answers, ctx) == "completed"
