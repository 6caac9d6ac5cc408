"""Helpers of the tests that feed hostile definitions to the loader."""

from __future__ import annotations

import signal
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType

#: A small valid definition (bounds on lines 12-13, a pattern on line 17; 17 lines).
VALID = """\
id: fuzz
version: "1.0"
languages: [fr, en]
title: {fr: "Essai", en: "Test"}
sections:
  - name: only
    title: {fr: "Section", en: "Section"}
    questions:
      - name: age
        type: integer
        label: {fr: "Âge ?", en: "Age?"}
        min: 15
        max: 120
      - name: postcode
        type: text
        label: {fr: "Code postal", en: "Postcode"}
        pattern: "[A-Z][0-9][A-Z] ?[0-9][A-Z][0-9]"
"""


@contextmanager
def watchdog(seconds: int) -> Iterator[None]:
    """Raise :class:`TimeoutError` in this thread if the block runs longer than ``seconds``."""

    def interrupt(_signum: int, _frame: FrameType | None) -> None:
        raise TimeoutError(f"still loading after {seconds} s: a hang")

    previous = signal.signal(signal.SIGALRM, interrupt)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
