"""The in-process rate-limit counters: fixed windows, no thread per hit, old windows swept."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import limits.storage.memory
import pytest
from limits.strategies import FixedWindowRateLimiter
from web_support import Resident, make_test_app

from intake.service import IntakeService
from webapp import rate_limits
from webapp.rate_limits import SWEEP_SECONDS, ProcessMemory, parsed_limit, storage_uri
from webapp.security import limiter


class _Clock:
    def __init__(self) -> None:
        self.now = 1_000_000.0

    def time(self) -> float:
        return self.now


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> _Clock:
    fake = _Clock()
    monkeypatch.setattr(rate_limits, "time", fake)
    return fake


def _no_thread(*_args: Any, **_kwargs: Any) -> Any:
    raise AssertionError("a thread was started to count a hit")


def test_a_window_counts_its_hits_and_a_new_one_starts_when_it_ends(
    clock: _Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    storage = ProcessMemory()
    monkeypatch.setattr(limits.storage.memory.threading, "Timer", _no_thread)
    counter = FixedWindowRateLimiter(storage)
    three = parsed_limit("3 per minute")
    assert [counter.hit(three, "answer", "r:a") for _ in range(4)] == [True, True, True, False]
    assert counter.hit(three, "answer", "r:b")  # another respondent has a window of their own
    assert not counter.test(three, "answer", "r:a")
    clock.now += 59
    assert not counter.hit(three, "answer", "r:a")
    clock.now += 2  # the minute has passed
    assert counter.test(three, "answer", "r:a")
    assert [counter.hit(three, "answer", "r:a") for _ in range(4)] == [True, True, True, False]


def test_windows_that_ran_out_are_swept_by_a_later_hit(clock: _Clock) -> None:
    storage = ProcessMemory()
    for n in range(50):
        storage.incr(f"once-{n}", 10)
    assert len(storage.storage) == 50
    clock.now += SWEEP_SECONDS + 1
    storage.incr("later", 10)
    assert dict(storage.storage) == {"later": 1}
    assert set(storage.expirations) == {"later"}


def test_memory_means_the_process_counters_and_other_stores_are_kept() -> None:
    assert storage_uri("memory://") == storage_uri(None) == "vigie-memory://"
    assert storage_uri("redis://x:6379/0") == "redis://x:6379/0"


def test_answer_posts_are_counted_in_the_process_counters(service: IntakeService) -> None:
    app = make_test_app(service, RATELIMIT_ENABLED=True, VIGIE_ANSWER_RATE_LIMIT="2 per minute")
    assert isinstance(limiter.storage, ProcessMemory)
    someone = Resident(app.test_client(), "en")
    someone.start("perceived_safety")
    assert someone.answer_again({"age": "abc"}, 3) == [200, 200, 429]


def test_answer_posts_are_not_counted_when_limits_are_off(
    resident: Callable[[str], Resident],
) -> None:
    someone = resident("en")
    someone.start("perceived_safety")
    # More than the default 60 per minute.
    assert someone.answer_again({"age": "abc"}, 70) == [200] * 70


def test_starts_stay_limited_by_their_decorator(service: IntakeService) -> None:
    app = make_test_app(service, RATELIMIT_ENABLED=True, VIGIE_START_RATE_LIMIT="2 per minute")
    assert limiter._check_request_limit not in app.before_request_funcs.get(None, [])
    starts = [Resident(app.test_client(), "en").start("perceived_safety") for _ in range(3)]
    assert [start.status_code for start in starts] == [200, 200, 429]  # one address, no cookie
