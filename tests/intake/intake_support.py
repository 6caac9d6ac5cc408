"""Helpers shared by the intake tests (imported by conftest.py and the tests)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from intake.walker import Answer, Scripted
from questionnaire.definition.values import Value

HERE = Path(__file__).resolve().parent
#: The small questionnaire the intake tests walk through.
SHORT_SAFETY = HERE / "data" / "short_safety.yaml"
#: A secret for tests (not the development default).
TEST_SECRET = "intake-tests-secret-0123456789"


class Clock:
    """A settable clock: ``clock()`` is the current time, ``clock.advance(days=3)``."""

    def __init__(self, start: dt.datetime) -> None:
        self.now = start

    def __call__(self) -> dt.datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += dt.timedelta(**delta)


#: (path, raw answer, stored value) in the order a respondent meets them.
Script = list[tuple[str, str, Value]]


def walk_script(index: int) -> Script:
    """A whole walk through short_safety; the branch and the answers vary with ``index``."""
    feeling = "very_unsafe" if index % 2 == 0 else "very_safe"
    steps: Script = [("age_15_plus", "yes", "yes"), ("walk_alone_dark", feeling, feeling)]
    if feeling == "very_unsafe":
        steps.append(("walk_more", "no", "no"))
    town = "2466023" if index % 3 else "2423027"
    steps += [
        ("times_victim", str(index % 7), index % 7),
        ("comment", f"note {index}", f"note {index}"),
        ("municipality", town, town),
        ("age_group", "a25_plus", "a25_plus"),
    ]
    return steps


def script_replies(script: Script) -> Scripted:
    """A respondent sending each step of ``script`` to its own path (a device of its own)."""
    return Scripted(Answer(raw, path=path) for path, raw, _value in script)
