"""Navigation through repeats: count-driven instances and "another one?" instances."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from pathlib import Path

import pytest
import yaml

from questionnaire.answers.run_context import RunContext
from questionnaire.definition.model import Survey
from questionnaire.definition.slots import Slot
from questionnaire.definition.values import Answers, Value, YearMonth
from questionnaire.navigation.next import (
    applicable_slots,
    iter_slots,
    leading_notes,
    next_slot,
    page_of,
    previous_slot,
    prune,
    status,
)

DEFINITIONS = Path(__file__).resolve().parents[2] / "data" / "definitions" / "navigation"


def make_survey(name: str) -> Survey:
    """A small test questionnaire, validated with the model (no loader needed)."""
    return Survey.model_validate(yaml.safe_load((DEFINITIONS / name).read_text("utf-8")))


def make_ctx() -> RunContext:
    return RunContext(started_on=dt.date(2025, 6, 15), channel="web", language="en")


def incident(index: int, reported: str = "yes", **more: Value) -> Answers:
    """The answers of one incident report."""
    answers: Answers = {
        f"incident[{index}].incident_month": YearMonth(2025, index),
        f"incident[{index}].reported": reported,
    }
    answers.update({f"incident[{index}].{name}": value for name, value in more.items()})
    return answers


def paths(slots: Iterable[Slot]) -> list[str]:
    return [slot.path for slot in slots]


@pytest.fixture
def repeats() -> Survey:
    return make_survey("repeats.yaml")


def test_no_instance_before_the_count_is_known(repeats: Survey) -> None:
    assert paths(iter_slots(repeats, {}, make_ctx()))[:2] == [
        "incidents_count",
        "place[1].place_kind",
    ]


@pytest.mark.parametrize(("count", "instances"), [(0, 0), (2, 2), (3, 3), (7, 3)])
def test_count_gives_the_instances_capped_by_max(
    repeats: Survey, count: int, instances: int
) -> None:
    slots = list(iter_slots(repeats, {"incidents_count": count}, make_ctx()))
    indexes = {slot.index for slot in slots if slot.repeat == "incident"}
    assert indexes == set(range(1, instances + 1))


def test_instances_are_asked_in_order_with_their_own_skip_logic(repeats: Survey) -> None:
    ctx = make_ctx()
    answers: Answers = {"incidents_count": 2, **incident(1, reported="no")}
    slot = next_slot(repeats, answers, ctx)
    assert slot is not None and slot.path == "incident[1].why_not"
    assert (slot.repeat, slot.index) == ("incident", 1)
    answers["incident[1].why_not"] = "fear"
    slot = next_slot(repeats, answers, ctx)
    assert slot is not None and slot.path == "incident[2].incident_month"
    answers.update(incident(2, reported="yes"))
    slot = next_slot(repeats, answers, ctx)
    assert slot is not None and slot.path == "place[1].place_kind"
    assert "incident[2].why_not" not in paths(applicable_slots(repeats, answers, ctx))


def test_lowering_the_count_prunes_instances_beyond_it(repeats: Survey) -> None:
    ctx = make_ctx()
    answers: Answers = {
        "incidents_count": 3,
        **incident(1),
        **incident(2, reported="no", why_not="fear"),
        **incident(3),
    }
    assert prune(repeats, answers, ctx) == answers
    pruned = prune(repeats, {**answers, "incidents_count": 1}, ctx)
    assert pruned == {"incidents_count": 1, **incident(1)}


def test_back_crosses_instances(repeats: Survey) -> None:
    answers: Answers = {"incidents_count": 2, **incident(1, reported="no", why_not="fear")}
    back = previous_slot(repeats, answers, make_ctx(), "incident[2].incident_month")
    assert back is not None and back.path == "incident[1].why_not"


def test_page_of_is_one_instance(repeats: Survey) -> None:
    answers: Answers = {"incidents_count": 2, **incident(1), **incident(2, reported="no")}
    assert paths(page_of(repeats, answers, make_ctx(), "incident[2].reported")) == [
        "incident[2].incident_month",
        "incident[2].reported",
        "incident[2].why_not",
    ]


def places(*kinds_and_more: tuple[str, str | None]) -> Answers:
    """Answers of an "another one?" repeat: (kind, another) per instance."""
    answers: Answers = {}
    for index, (kind, another) in enumerate(kinds_and_more, start=1):
        answers[f"place[{index}].place_kind"] = kind
        if another is not None:
            answers[f"place[{index}].another"] = another
    return answers


def test_another_repeat_ends_each_instance_with_the_generated_question(repeats: Survey) -> None:
    ctx = make_ctx()
    answers: Answers = {"incidents_count": 0, **places(("park", None))}
    slot = next_slot(repeats, answers, ctx)
    assert slot is not None and slot.path == "place[1].another"
    assert slot.question.type == "yes_no" and slot.question.required is True
    answers["place[1].another"] = "yes"
    slot = next_slot(repeats, answers, ctx)
    assert slot is not None and slot.path == "place[2].place_kind"
    answers["place[1].another"] = "no"
    slot = next_slot(repeats, answers, ctx)
    assert slot is not None and slot.path == "safety_rating"


def test_last_possible_instance_has_no_another_question(repeats: Survey) -> None:
    answers: Answers = {
        "incidents_count": 0,
        **places(("park", "yes"), ("park", "yes"), ("transit", None)),
    }
    place_paths = [p for p in paths(iter_slots(repeats, answers, make_ctx())) if "place[3]" in p]
    assert place_paths == ["place[3].place_kind", "place[3].avoid_note"]
    slot = next_slot(repeats, answers, make_ctx())
    assert slot is not None and slot.path == "safety_rating"


def test_note_inside_an_instance_leads_the_another_question(repeats: Survey) -> None:
    ctx = make_ctx()
    answers: Answers = {"incidents_count": 0, **places(("transit", None))}
    slot = next_slot(repeats, answers, ctx)
    assert slot is not None
    assert paths(leading_notes(repeats, answers, ctx, slot)) == ["place[1].avoid_note"]


def test_saying_no_to_another_prunes_the_later_instances(repeats: Survey) -> None:
    ctx = make_ctx()
    answers: Answers = {
        "incidents_count": 0,
        **places(("park", "yes"), ("transit", "no")),
        "safety_rating": 4,
    }
    assert prune(repeats, answers, ctx) == answers
    pruned = prune(repeats, {**answers, "place[1].another": "no"}, ctx)
    assert pruned == {"incidents_count": 0, **places(("park", "no")), "safety_rating": 4}
    assert status(repeats, pruned, ctx) == "completed"
