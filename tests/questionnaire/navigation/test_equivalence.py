"""Navigation and simulation give what they gave before they were made fast.

``tests/data/navigation_equivalence/golden.json`` was written by the code as
it stood before navigation and evaluation were optimised (tree-walking
evaluation, slots rebuilt on every call), on a copy of the two shipped
questionnaires kept beside it (``survey_defs/``, so that later edits of the
questionnaires do not move the reference). It holds

- the full :class:`SimulationReport` of ``simulate`` for seeds 0-2, both
  questionnaires and both channels, and
- per random walk, a SHA-256 of the results of every navigation function
  (and of indicators and prompts) at every state of the walk. The walks
  mostly answer forward but also change earlier answers, so that ``prune``
  drops answers, repeats shrink and sections switch off.

To record again (only with code whose results are meant to be the
reference): ``.venv/bin/python tests/questionnaire/navigation/test_equivalence.py``.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
import random
import sys
from pathlib import Path

import pytest

from questionnaire.answers.indicators import evaluate_indicators
from questionnaire.answers.run_context import RunContext
from questionnaire.answers.scope import AnswerScope
from questionnaire.definition.model import Eligibility, Survey
from questionnaire.definition.slots import Slot
from questionnaire.definition.values import Answers
from questionnaire.loader import load_survey
from questionnaire.navigation.applicability import applicable_with
from questionnaire.navigation.next import (
    applicable_slots,
    first_page_path,
    iter_slots,
    leading_notes,
    next_page,
    next_slot,
    page_of,
    previous_page,
    previous_slot,
    progress,
    prune,
    screened_out,
    slot_applies,
    status,
)
from questionnaire.navigation.progress import has_open_slot, open_questions
from questionnaire.navigation.prompts import render_prompt
from questionnaire.navigation.relevance import Relevance, relevance_for
from questionnaire.simulation.report import SimulationReport
from questionnaire.simulation.simulate import answer_slot, random_context, simulate

DATA = Path(__file__).resolve().parents[2] / "data" / "navigation_equivalence"
GOLDEN = DATA / "golden.json"
SURVEYS = ("perceived_safety", "victimisation")
CHANNELS = ("web", "telegram")
SEEDS = (0, 1, 2)
TODAY = dt.date(2026, 11, 24)
#: Simulated paths per report, and random walks (of at most WALK_STEPS states) per digest.
REPORT_PATHS = {"perceived_safety": 12, "victimisation": 6}
WALKS = 2
WALK_STEPS = 90
#: Share of walk steps that change an earlier answer instead of answering forward.
CHANGE_RATE = 0.15


def load_snapshot(name: str) -> Survey:
    """One questionnaire from the copy kept with the reference results."""
    return load_survey(DATA / "survey_defs" / f"{name}.yaml")


def report_record(report: SimulationReport) -> dict[str, object]:
    """Every field of a report, in JSON form (dict order kept as pairs)."""
    record = dataclasses.asdict(report)
    record["reached"] = [[key, count] for key, count in report.reached.items()]
    record["expected_unreached"] = sorted(report.expected_unreached)
    record["problems"] = [dataclasses.astuple(problem) for problem in report.problems]
    return json.loads(json.dumps(record))


def _paths(slots: list[Slot]) -> list[str]:
    return [slot.path for slot in slots]


def _attempt(function: object, *args: object) -> str:
    """``repr`` of a call's result, or of the exception it raised."""
    assert callable(function)
    try:
        return repr(function(*args))
    except Exception as error:  # the same error must come back too
        return f"raised {type(error).__name__}: {error}"


def state_lines(survey: Survey, answers: Answers, ctx: RunContext) -> list[str]:
    """What every navigation function says about one state of a walk."""
    upcoming = next_slot(survey, answers, ctx)
    here = upcoming.path if upcoming is not None else "nowhere"
    slots = list(iter_slots(survey, answers, ctx))
    scope = AnswerScope(survey, answers, ctx)
    counts = open_questions(survey, answers, ctx)
    lines = [
        f"answers {sorted((path, repr(value)) for path, value in answers.items())}",
        f"next {here}",
        f"slots {_paths(slots)}",
        f"applies {[slot_applies(scope, slot) for slot in slots]}",
        f"applicable {_paths(applicable_slots(survey, answers, ctx))}",
        f"previous {_path_of(previous_slot(survey, answers, ctx, here))}",
        f"page {_paths(page_of(survey, answers, ctx, here))}",
        f"next_page {_paths(next_page(survey, answers, ctx))}",
        f"previous_page {_paths(previous_page(survey, answers, ctx, here))}",
        f"first_page {first_page_path(survey, answers, ctx)}",
        f"progress {progress(survey, answers, ctx)!r}",
        f"status {status(survey, answers, ctx)}",
        f"screened_out {_rule_of(screened_out(survey, answers, ctx))}",
        f"open {counts.answered} {counts.to_come} {sorted(counts.names)}",
        f"has_open {has_open_slot(survey, answers, ctx)}",
        f"prune {[(path, repr(value)) for path, value in prune(survey, answers, ctx).items()]}",
        f"indicators {_attempt(evaluate_indicators, survey, answers, ctx)}",
    ]
    if upcoming is not None:
        notes = leading_notes(survey, answers, ctx, upcoming)
        lines.append(f"notes {_paths(notes)}")
        instance = scope if upcoming.index is None else scope.in_instance(*_instance(upcoming))
        lines.append(f"prompt {_attempt(render_prompt, upcoming, instance, ctx.language)}")
    return lines


def _path_of(slot: Slot | None) -> str | None:
    return None if slot is None else slot.path


def _rule_of(rule: Eligibility | None) -> str | None:
    return None if rule is None else rule.expression


def _instance(slot: Slot) -> tuple[str, int]:
    assert slot.repeat is not None and slot.index is not None
    return slot.repeat, slot.index


@dataclasses.dataclass
class Walk:
    """One random walk: the SHA-256 of its states, and how often ``prune`` dropped answers."""

    digest: str
    drops: int = 0


def walk(survey: Survey, channel: str, seed: int, number: int) -> Walk:
    """:func:`state_lines` over one random walk that also changes past answers."""
    rng = random.Random(f"walk/{seed}/{number}")
    drops = 0
    ctx = random_context(survey, rng, channel, TODAY)
    digest = hashlib.sha256()
    answers: Answers = {}
    for _ in range(WALK_STEPS):
        for line in state_lines(survey, answers, ctx):
            digest.update(line.encode() + b"\n")
        slot = next_slot(survey, answers, ctx)
        if answers and (slot is None or rng.random() < CHANGE_RATE):
            answered = [s for s in iter_slots(survey, answers, ctx) if s.path in answers]
            slot = rng.choice(answered)
        if slot is None:
            break
        try:
            value = answer_slot(survey, answers, ctx, slot, rng, avoid=answers.get(slot.path))
        except Exception as error:  # an unanswerable slot ends the walk, recorded
            digest.update(f"stuck {slot.path} {type(error).__name__}\n".encode())
            break
        given = {**answers, slot.path: value}
        answers = prune(survey, given, ctx)
        drops += len(answers) < len(given)
    return Walk(digest.hexdigest(), drops)


def record() -> dict[str, object]:
    """The reference results, as written to :data:`GOLDEN`."""
    results: dict[str, object] = {}
    for name in SURVEYS:
        survey = load_snapshot(name)
        for channel in CHANNELS:
            for seed in SEEDS:
                report = simulate(
                    survey, paths=REPORT_PATHS[name], seed=seed, channel=channel, today=TODAY
                )
                results[f"{name}/{channel}/{seed}"] = {
                    "report": report_record(report),
                    "walks": [walk(survey, channel, seed, n).digest for n in range(WALKS)],
                }
    return results


def golden() -> dict[str, dict[str, object]]:
    data: dict[str, dict[str, object]] = json.loads(GOLDEN.read_text(encoding="utf-8"))
    return data


CASES = [(n, c, s) for n in SURVEYS for c in CHANNELS for s in SEEDS]


@pytest.mark.parametrize(("name", "channel", "seed"), CASES)
def test_simulation_reports_are_unchanged(name: str, channel: str, seed: int) -> None:
    survey = load_snapshot(name)
    report = simulate(survey, paths=REPORT_PATHS[name], seed=seed, channel=channel, today=TODAY)
    expected = golden()[f"{name}/{channel}/{seed}"]["report"]
    assert report_record(report) == expected


@pytest.mark.parametrize(("name", "channel", "seed"), CASES)
def test_navigation_results_are_unchanged(name: str, channel: str, seed: int) -> None:
    survey = load_snapshot(name)
    expected = golden()[f"{name}/{channel}/{seed}"]["walks"]
    walks = [walk(survey, channel, seed, n) for n in range(WALKS)]
    assert [one.digest for one in walks] == expected
    if name == "victimisation" and channel == "web":
        # The walks reach what the optimisations must get right: answers dropped.
        assert sum(one.drops for one in walks) > 0


NAVIGATION = Path(__file__).resolve().parents[2] / "data" / "definitions" / "navigation"


def fresh_decisions(survey: Survey, answers: Answers, ctx: RunContext) -> list[object]:
    """Which slots apply and how many instances each repeat has, from nothing kept."""
    relevance = Relevance(AnswerScope(survey, dict(answers), ctx))
    return _decisions(survey, relevance)


def _decisions(survey: Survey, relevance: Relevance) -> list[object]:
    counts = [relevance.instances(s) for s in survey.sections if s.repeat is not None]
    return [counts, _paths(applicable_with(survey, relevance))]


@pytest.mark.parametrize(
    "survey",
    [
        load_snapshot("victimisation"),
        load_snapshot("perceived_safety"),
        load_survey(NAVIGATION / "repeats.yaml"),
        load_survey(NAVIGATION / "basic.yaml"),
        load_survey(DATA / "repeat_reads.yaml"),
    ],
    ids=["victimisation", "perceived_safety", "repeats", "basic", "repeat_reads"],
)
def test_results_taken_over_from_earlier_answers_equal_fresh_ones(survey: Survey) -> None:
    """Each state's answers differ from the last ones by an answer given, changed or dropped.

    A Relevance for them takes over what the change cannot affect; it must
    decide as one that evaluates everything afresh.
    """
    taken = 0
    for seed in range(6):
        rng = random.Random(f"take-over/{seed}")
        ctx = random_context(survey, rng, rng.choice(CHANNELS), TODAY)
        answers: Answers = {}
        for _ in range(60):
            kept = relevance_for(survey, answers, ctx)
            taken += kept.takes_over
            assert _decisions(survey, kept) == fresh_decisions(survey, answers, ctx)
            slot = next_slot(survey, answers, ctx)
            answered = [s for s in iter_slots(survey, answers, ctx) if s.path in answers]
            if answered and (slot is None or rng.random() < 0.3):
                slot = rng.choice(answered)
                if rng.random() < 0.3:  # forget it rather than change it
                    answers = {p: v for p, v in answers.items() if p != slot.path}
                    continue
            if slot is None:
                break
            value = answer_slot(survey, answers, ctx, slot, rng, avoid=answers.get(slot.path))
            answers = {**answers, slot.path: value}  # not pruned: stale answers stay too
    assert taken > 100


def test_the_same_answers_share_a_relevance_and_later_changes_do_not_leak() -> None:
    survey = load_survey(NAVIGATION / "repeats.yaml")
    ctx = RunContext(started_on=TODAY, language="en")
    answers: Answers = {"incidents_count": 2}
    first = relevance_for(survey, answers, ctx)
    assert relevance_for(survey, dict(answers), ctx) is first
    assert relevance_for(survey, {"incidents_count": 2.0}, ctx) is not first  # another type
    answers["incidents_count"] = 0  # the caller's dict changes; the kept copy does not
    assert first.scope.answers == {"incidents_count": 2}
    assert fresh_decisions(survey, answers, ctx) == _decisions(
        survey, relevance_for(survey, answers, ctx)
    )


if __name__ == "__main__":
    GOLDEN.write_text(json.dumps(record(), indent=1) + "\n", encoding="utf-8")
    print(f"wrote {GOLDEN}", file=sys.stderr)
