"""The simulator: random valid paths, problems recorded, determinism, the shipped questionnaires."""

from __future__ import annotations

import datetime as dt
import random
import re
from pathlib import Path

import pytest

from questionnaire.answers.reading import AnswerError, read_answer
from questionnaire.answers.run_context import RunContext
from questionnaire.answers.scope import AnswerScope
from questionnaire.definition.model import Survey
from questionnaire.definition.values import Answers
from questionnaire.loader import load_survey
from questionnaire.navigation.applicability import slot_scope
from questionnaire.navigation.next import iter_slots
from questionnaire.simulation import simulate as simulation
from questionnaire.simulation.regex_sampling import sample_pattern
from questionnaire.simulation.report import sensitive_keys
from questionnaire.simulation.sampling import random_raw_answer
from questionnaire.simulation.simulate import simulate

DEFINITIONS = Path(__file__).resolve().parents[2] / "data" / "definitions" / "navigation"
TODAY = dt.date(2025, 6, 15)


def make_survey(name: str) -> Survey:
    """A small test questionnaire, loaded (and checked) by the loader."""
    return load_survey(DEFINITIONS / name)


@pytest.mark.parametrize("name", ["basic.yaml", "repeats.yaml"])
@pytest.mark.parametrize("channel", ["web", "telegram"])
def test_small_definitions_simulate_without_problems(name: str, channel: str) -> None:
    report = simulate(make_survey(name), paths=80, seed=3, channel=channel, today=TODAY)
    assert report.problems == []
    assert report.paths == 80 and report.completed + report.screened_out == 80
    assert report.completed > 40
    assert report.ok
    expected = ["partner_violence"] if name == "basic.yaml" and channel == "telegram" else []
    assert report.unreached == expected


def test_repeat_instances_and_another_questions_are_reached() -> None:
    report = simulate(make_survey("repeats.yaml"), paths=80, seed=1, today=TODAY)
    assert report.reached["place.another"] > 0
    assert report.reached["why_not"] > 0
    assert min(report.questions_asked) >= 4  # count, a place, another or not, rating


def test_the_same_seed_gives_the_same_report() -> None:
    survey = make_survey("repeats.yaml")
    first = simulate(survey, paths=30, seed=11, today=TODAY)
    again = simulate(survey, paths=30, seed=11, today=TODAY)
    other = simulate(survey, paths=30, seed=12, today=TODAY)
    assert first == again
    assert first.questions_asked != other.questions_asked


def test_unanswerable_and_unreached_questions_are_reported() -> None:
    report = simulate(make_survey("unanswerable.yaml"), paths=40, seed=0, today=TODAY)
    assert report.unreached == ["never_asked"]
    kinds = {(problem.kind, problem.slot) for problem in report.problems}
    assert kinds == {("unanswerable", "impossible")}
    assert "constraint" in report.problems[0].detail
    assert report.stopped == len(report.problems) > 0
    assert not report.ok


def test_a_path_past_the_step_limit_is_endless(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(simulation, "STEP_FACTOR", 0)
    report = simulate(make_survey("basic.yaml"), paths=2, seed=0, today=TODAY)
    assert [problem.kind for problem in report.problems] == ["endless", "endless"]


def test_other_exceptions_are_recorded_with_their_slot(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken_reader(*args: object, **kwargs: object) -> object:
        raise RuntimeError("reader broke")

    monkeypatch.setattr(simulation, "read_answer", broken_reader)
    report = simulate(make_survey("basic.yaml"), paths=3, seed=0, today=TODAY)
    assert {(p.kind, p.slot, p.detail) for p in report.problems} == {
        ("exception", "age_15_plus", "RuntimeError: reader broke")
    }
    assert report.stopped == 3


def test_a_forward_answer_that_drops_others_is_a_problem(monkeypatch: pytest.MonkeyPatch) -> None:
    def forgetful_prune(survey: Survey, answers: Answers, ctx: RunContext) -> Answers:
        return dict(list(answers.items())[-1:])  # keeps only the newest answer

    monkeypatch.setattr(simulation, "prune", forgetful_prune)
    report = simulate(make_survey("repeats.yaml"), paths=1, seed=0, today=TODAY)
    dropped = [p for p in report.problems if p.kind == "prune_dropped"]
    assert dropped and dropped[0].detail == "incidents_count"


@pytest.mark.parametrize("name", ["basic.yaml", "repeats.yaml"])
def test_random_raw_answers_are_mostly_accepted(name: str) -> None:
    survey = make_survey(name)
    ctx = RunContext(started_on=TODAY, language="en")
    answers: Answers = {"incidents_count": 2}
    rng = random.Random(5)
    for slot in iter_slots(survey, answers, ctx):
        if not slot.answerable:
            continue
        scope = slot_scope(AnswerScope(survey, answers, ctx), slot)
        accepted = 0
        for _ in range(40):
            raw = random_raw_answer(slot.question, scope, rng)
            try:
                read_answer(slot.question, raw, scope=scope, language="en", warned=True)
            except AnswerError:
                continue
            accepted += 1
        assert accepted >= 30, slot.path


@pytest.mark.parametrize(
    "pattern",
    [r"[A-Z][0-9][A-Z] ?[0-9][A-Z][0-9]", r"\d{3}-\d{4}", "(oui|non)", "[^0-9]+x", r"\w+@\w+\.ca"],
)
def test_pattern_samples_match(pattern: str) -> None:
    rng = random.Random(0)
    for _ in range(20):
        sample = sample_pattern(pattern, rng)
        assert sample is not None and re.fullmatch(pattern, sample)


def test_unsupported_patterns_give_none() -> None:
    assert sample_pattern(r"(a)\1", random.Random(0)) is None


@pytest.mark.parametrize("channel", ["web", "telegram"])
def test_shipped_perceived_safety_simulates_cleanly(survey_defs: Path, channel: str) -> None:
    survey = load_survey(survey_defs / "perceived_safety.yaml")
    report = simulate(survey, paths=300, seed=7, channel=channel, today=TODAY)
    assert report.problems == []
    assert report.unexpected_unreached == []
    assert report.completed > 250


@pytest.mark.slow
@pytest.mark.parametrize("channel", ["web", "telegram"])
def test_shipped_victimisation_simulates_cleanly(survey_defs: Path, channel: str) -> None:
    survey = load_survey(survey_defs / "victimisation.yaml")
    report = simulate(survey, paths=200, seed=7, channel=channel, today=TODAY)
    assert report.problems == []
    assert report.unexpected_unreached == []
    if channel == "telegram":
        assert set(report.unreached) == sensitive_keys(survey) != set()
    else:
        assert report.unreached == []
