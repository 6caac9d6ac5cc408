"""Retention: unfinished responses idle too long are abandoned (answers kept) or deleted."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from observatory import Dimension, ObservatoryError
from services import Services


def _statuses(services: Services) -> dict[str | None, int]:
    rows = services.observatory.responses_by("town_safety", Dimension.STATUS)
    return {row.key: row.responses for row in rows}


def test_idle_unfinished_responses_are_abandoned_then_deleted(
    services: Services, respond: Callable[..., str], clock: Any
) -> None:
    respond({"municipality": "2466023"})  # stops at age_group
    respond()  # completed: never touched
    clock.advance(days=20)
    respond({})  # started, nothing answered, recent
    clock.advance(days=11)
    run = services.observatory.apply_retention()
    assert (run.count, run.idle_days, run.deleted) == (1, 30, False)
    assert _statuses(services) == {"abandoned": 1, "completed": 1, "in_progress": 1}
    [age_group] = [
        q
        for q in services.observatory.question_progress("town_safety")
        if q.question == "age_group"
    ]
    assert age_group.abandoned_here == 1
    run = services.observatory.apply_retention(10, delete=True)
    assert (run.count, run.deleted) == (2, True)
    assert _statuses(services) == {"completed": 1}


def test_a_retention_period_below_one_day_is_refused(services: Services) -> None:
    with pytest.raises(ObservatoryError) as raised:
        services.observatory.apply_retention(0)
    assert raised.value.code == "bad_idle_days"
    assert "whole number of days" in raised.value.render("en")
