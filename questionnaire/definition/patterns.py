"""Text patterns (a question's ``pattern:``): checked when loaded, matched with a time limit.

A regular expression such as ``(a|aa)+$`` takes time exponential in the
length of a text that almost matches it (38 characters: seconds of CPU, each
further character ×1.6): a respondent typing such a text into such a question
would stall the worker that checks the answer. Two defences:

- at check time, :func:`backtracking_risk` refuses the shapes that cause it:
  a repeated group (``+``, ``*``, ``{2,}``) holding another repetition or an
  alternation (``(a+)+``, ``(\\w+\\s?)*``, ``(a|aa)+``). Safe patterns of
  questionnaires (a postal code, a year, a phone number) never need them;
- at answer time, :func:`pattern_matches` runs the pattern with the
  ``regex`` package under a time limit (:data:`MATCH_TIMEOUT_SECONDS`); a
  text that runs it out does not match. So even a pattern that slipped
  through cannot hold a worker for longer than that.
"""

from __future__ import annotations

import re
import re._constants as c
import re._parser as sre
from functools import lru_cache
from typing import Any, Final

import regex

#: Longest time one answer may spend matching a pattern.
MATCH_TIMEOUT_SECONDS: Final = 0.25

#: Repetitions that may backtrack (a possessive one never gives back what it took).
_REPEATS = (c.MAX_REPEAT, c.MIN_REPEAT)


@lru_cache(maxsize=256)
def compiled_pattern(pattern: str) -> Any:
    """``pattern`` compiled by the ``regex`` package (raises ``regex.error`` if invalid)."""
    return regex.compile(pattern)


def pattern_matches(pattern: str, text: str) -> bool:
    """Whether ``text`` matches the whole of ``pattern``, within the time limit.

    A text that makes the match run out of time does not match.
    """
    try:
        return compiled_pattern(pattern).fullmatch(text, timeout=MATCH_TIMEOUT_SECONDS) is not None
    except TimeoutError:
        return False


def pattern_error(pattern: str) -> str | None:
    """Why ``pattern`` is not a valid regular expression (for Python and ``regex``), or ``None``."""
    try:
        re.compile(pattern)
        compiled_pattern(pattern)
    except (re.error, regex.error, RecursionError, OverflowError, ValueError) as exc:
        return str(exc) or type(exc).__name__
    return None


def backtracking_risk(pattern: str) -> str | None:
    """The part of ``pattern`` prone to catastrophic backtracking, or ``None``.

    A repetition of more than one (``+``, ``*``, ``{n,m}`` with ``m > 1``)
    whose body itself holds a repetition of more than one, or an
    alternation whose branches may start alike, is refused: its matches can
    overlap in exponentially many ways. ``(fr|en)+`` (branches starting with
    different letters) is accepted. The pattern must be valid (see
    :func:`pattern_error`).
    """
    try:
        tree = sre.parse(pattern)
    except (re.error, RecursionError, OverflowError):
        return None
    return _risky(list(tree), pattern)


def _risky(items: list[tuple[Any, Any]], pattern: str) -> str | None:
    for op, argument in items:
        if op in _REPEATS:
            _low, high, body = argument
            if high > 1 and _holds_repeat_or_branch(list(body)):
                return _shown(pattern)
            found = _risky(list(body), pattern)
        elif op is c.SUBPATTERN:
            found = _risky(list(argument[-1]), pattern)
        elif op is c.BRANCH:
            found = next(
                (hit for branch in argument[1] if (hit := _risky(list(branch), pattern))), None
            )
        elif op in (c.ASSERT, c.ASSERT_NOT):
            found = _risky(list(argument[1]), pattern)
        else:
            found = None
        if found is not None:
            return found
    return None


def _holds_repeat_or_branch(items: list[tuple[Any, Any]]) -> bool:
    for op, argument in items:
        if op in _REPEATS and argument[1] > 1:
            return True
        if op is c.BRANCH and not _distinct_starts(argument[1]):
            return True
        if op is c.SUBPATTERN and _holds_repeat_or_branch(list(argument[-1])):
            return True
        if op in (c.ASSERT, c.ASSERT_NOT) and _holds_repeat_or_branch(list(argument[1])):
            return True
    return False


def _distinct_starts(branches: list[Any]) -> bool:
    """Whether every branch starts with its own literal character."""
    starts = []
    for branch in branches:
        items = list(branch)
        if not items or items[0][0] is not c.LITERAL:
            return False
        starts.append(items[0][1])
    return len(set(starts)) == len(starts)


def _shown(pattern: str, limit: int = 60) -> str:
    return pattern if len(pattern) <= limit else pattern[: limit - 1] + "…"
