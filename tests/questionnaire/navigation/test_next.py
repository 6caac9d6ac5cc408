"""Navigation over a small questionnaire: skip logic, sections, sensitivity, back, notes, pages."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from pathlib import Path

import pytest
import yaml

from questionnaire.answers.run_context import RunContext
from questionnaire.definition.model import SpecialCode, Survey
from questionnaire.definition.slots import Slot
from questionnaire.definition.values import SKIPPED, Answers, Special, Value
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
    prune,
    screened_out,
    status,
)

DEFINITIONS = Path(__file__).resolve().parents[2] / "data" / "definitions" / "navigation"


def make_survey(name: str) -> Survey:
    """A small test questionnaire, validated with the model (no loader needed)."""
    return Survey.model_validate(yaml.safe_load((DEFINITIONS / name).read_text("utf-8")))


def make_ctx(channel: str = "web") -> RunContext:
    return RunContext(started_on=dt.date(2025, 6, 15), channel=channel, language="fr")


def entered(**more: Value) -> Answers:
    """Answers of someone past the entry section, plus ``more``."""
    return {"age_15_plus": "yes", "consent": "yes", **more}


def paths(slots: Iterable[Slot]) -> list[str]:
    return [slot.path for slot in slots]


@pytest.fixture
def basic() -> Survey:
    return make_survey("basic.yaml")


def test_iter_slots_lists_every_question_in_order_without_relevance(basic: Survey) -> None:
    assert paths(list(iter_slots(basic, {}, make_ctx()))) == [q.name for q in basic.questions()]


def test_first_question_skips_the_welcome_note_and_shows_it_before(basic: Survey) -> None:
    ctx = make_ctx()
    first = next_slot(basic, {}, ctx)
    assert first is not None and first.path == "age_15_plus"
    assert paths(leading_notes(basic, {}, ctx, first)) == ["welcome"]
    assert first_page_path(basic, {}, ctx) == "age_15_plus"


@pytest.mark.parametrize(
    ("walk", "expected_next"),
    [
        ("very_safe", "crime_trend"),
        ("somewhat_unsafe", "crime_trend"),
        ("does_not_walk", "would_walk_more"),
        (Special(SpecialCode.DONT_KNOW), "crime_trend"),
    ],
)
def test_skip_logic_follows_the_answer(basic: Survey, walk: Value, expected_next: str) -> None:
    slot = next_slot(basic, entered(walk_alone_dark=walk), make_ctx())
    assert slot is not None and slot.path == expected_next


def test_follow_up_chain_and_its_leading_note(basic: Survey) -> None:
    ctx = make_ctx()
    answers = entered(walk_alone_dark="does_not_walk")
    slot = next_slot(basic, answers, ctx)
    assert slot is not None
    assert paths(leading_notes(basic, answers, ctx, slot)) == ["walk_more_note"]
    answers["would_walk_more"] = "yes"
    after = next_slot(basic, answers, ctx)
    assert after is not None and after.path == "walk_more_why"
    assert leading_notes(basic, answers, ctx, after) == []


def test_a_skipped_question_counts_as_seen(basic: Survey) -> None:
    slot = next_slot(basic, entered(walk_alone_dark=SKIPPED), make_ctx())
    assert slot is not None and slot.path == "crime_trend"


def test_section_relevance_switches_a_whole_section(basic: Survey) -> None:
    ctx = make_ctx()
    base = entered(walk_alone_dark="very_safe", crime_trend="increased")
    no_vehicle = next_slot(basic, {**base, "has_vehicle": "no"}, ctx)
    assert no_vehicle is not None and no_vehicle.path == "partner_violence"
    with_vehicle = next_slot(basic, {**base, "has_vehicle": "yes"}, ctx)
    assert with_vehicle is not None and with_vehicle.path == "vehicle_theft"
    applicable = paths(applicable_slots(basic, {**base, "has_vehicle": "no"}, ctx))
    assert "vehicle_theft" not in applicable and "vehicle_theft_times" not in applicable


def test_sensitive_questions_are_skipped_on_telegram_only(basic: Survey) -> None:
    answers = entered(walk_alone_dark="very_safe", crime_trend="increased", has_vehicle="no")
    web = next_slot(basic, answers, make_ctx("web"))
    chat = next_slot(basic, answers, make_ctx("telegram"))
    assert web is not None and web.path == "partner_violence"
    assert chat is not None and chat.path == "comments"
    assert "partner_violence" not in paths(applicable_slots(basic, answers, make_ctx("telegram")))


def test_back_returns_to_the_previous_applicable_question(basic: Survey) -> None:
    ctx = make_ctx()
    answers = entered(walk_alone_dark="very_safe")
    back = previous_slot(basic, answers, ctx, "crime_trend")
    assert back is not None and back.path == "walk_alone_dark"
    follow = entered(walk_alone_dark="does_not_walk", would_walk_more="no")
    back = previous_slot(basic, follow, ctx, "crime_trend")
    assert back is not None and back.path == "would_walk_more"
    assert previous_slot(basic, {}, ctx, "age_15_plus") is None


def test_back_from_past_the_end_returns_the_last_question(basic: Survey) -> None:
    back = previous_slot(basic, entered(), make_ctx("telegram"), "not_a_question")
    assert back is not None and back.path == "postal_code"


def test_page_of_holds_the_applicable_slots_of_one_section(basic: Survey) -> None:
    ctx = make_ctx()
    answers = entered(walk_alone_dark="does_not_walk")
    assert paths(page_of(basic, answers, ctx, "crime_trend")) == [
        "walk_alone_dark",
        "walk_more_note",
        "would_walk_more",
        "crime_trend",
    ]
    assert paths(page_of(basic, entered(), ctx, "crime_trend")) == [
        "walk_alone_dark",
        "crime_trend",
    ]
    assert page_of(basic, answers, ctx, "nowhere") == []


def test_pages_go_forward_and_back(basic: Survey) -> None:
    ctx = make_ctx()
    assert paths(next_page(basic, {}, ctx)) == ["welcome", "age_15_plus", "consent"]
    answers = entered(walk_alone_dark="very_safe", crime_trend="decreased")
    assert paths(next_page(basic, answers, ctx)) == ["has_vehicle"]
    assert paths(previous_page(basic, answers, ctx, "has_vehicle")) == [
        "walk_alone_dark",
        "crime_trend",
    ]
    assert previous_page(basic, answers, ctx, "consent") == []


def test_prune_drops_what_no_longer_applies_and_keeps_the_rest(basic: Survey) -> None:
    ctx = make_ctx()
    full = entered(
        walk_alone_dark="does_not_walk",
        would_walk_more="yes",
        walk_more_why="lumière",
        crime_trend="increased",
        has_vehicle="yes",
        vehicle_theft="yes",
        vehicle_theft_times=2,
    )
    assert prune(basic, full, ctx) == full
    no_vehicle = prune(basic, {**full, "has_vehicle": "no"}, ctx)
    assert no_vehicle == {
        k: v for k, v in full.items() if k not in {"vehicle_theft", "vehicle_theft_times"}
    } | {"has_vehicle": "no"}
    no_theft = prune(basic, {**full, "vehicle_theft": "no"}, ctx)
    assert "vehicle_theft_times" not in no_theft and no_theft["vehicle_theft"] == "no"


def test_prune_reaches_a_fixpoint_through_chains(basic: Survey) -> None:
    """walk_more_why reads would_walk_more, which drops first: a second pass is needed."""
    ctx = make_ctx()
    full = entered(walk_alone_dark="does_not_walk", would_walk_more="yes", walk_more_why="x")
    pruned = prune(basic, {**full, "walk_alone_dark": "very_safe"}, ctx)
    assert pruned == entered(walk_alone_dark="very_safe")
    assert full["would_walk_more"] == "yes"  # the input is left untouched


def test_prune_drops_paths_that_name_no_slot(basic: Survey) -> None:
    assert prune(basic, entered(ghost="x"), make_ctx()) == entered()


@pytest.mark.parametrize(
    ("answers", "rule"),
    [
        ({}, None),
        ({"age_15_plus": "no"}, 0),
        ({"age_15_plus": "yes"}, None),
        ({"age_15_plus": "yes", "consent": "no"}, 1),
        ({"age_15_plus": "yes", "consent": "yes"}, None),
    ],
)
def test_eligibility_screens_out_once_its_answers_are_in(
    basic: Survey, answers: Answers, rule: int | None
) -> None:
    found = screened_out(basic, answers, make_ctx())
    assert found == (None if rule is None else basic.eligibility[rule])
    expected = "screened_out" if rule is not None else "in_progress"
    assert status(basic, answers, make_ctx()) == expected


def test_status_completed_when_nothing_is_left(basic: Survey) -> None:
    answers = entered(
        walk_alone_dark="very_safe",
        crime_trend="increased",
        has_vehicle="no",
        comments=SKIPPED,
        postal_code="H2X 1Y4",
    )
    assert status(basic, answers, make_ctx("telegram")) == "completed"
    assert status(basic, answers, make_ctx("web")) == "in_progress"
    assert next_slot(basic, answers, make_ctx("telegram")) is None
    assert next_page(basic, answers, make_ctx("telegram")) == []
