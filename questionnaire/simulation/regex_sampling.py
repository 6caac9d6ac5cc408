"""Random strings that match a simple regular expression (for the simulator).

Text questions may declare a ``pattern`` (a postal code, a year). To answer
them the simulator needs a string that matches it. This walks the tree that
Python's own regular-expression parser builds (``re._parser``, present since
Python 3.11) and draws one string; features it does not know (look-arounds,
back-references) give ``None``, and the caller falls back to other text.
"""

from __future__ import annotations

import random
import re
import re._constants as c
import re._parser as sre
import string
from typing import Any

#: Repetitions beyond the minimum drawn for ``*``, ``+`` and ``{n,}``.
EXTRA_REPEATS = 3

_CATEGORIES: dict[object, str] = {
    c.CATEGORY_DIGIT: string.digits,
    c.CATEGORY_NOT_DIGIT: string.ascii_letters,
    c.CATEGORY_WORD: string.ascii_letters + string.digits + "_",
    c.CATEGORY_NOT_WORD: " -.,",
    c.CATEGORY_SPACE: " ",
    c.CATEGORY_NOT_SPACE: string.ascii_letters + string.digits,
}

_PRINTABLE = string.ascii_letters + string.digits + " -_.,"


class _UnsupportedPatternError(Exception):
    """The pattern uses a feature this sampler does not draw from."""


def sample_pattern(pattern: str, rng: random.Random) -> str | None:
    """One random string that fully matches ``pattern``, or None if it cannot tell."""
    try:
        tree = sre.parse(pattern)
        return _draw(list(tree), rng)
    except (_UnsupportedPatternError, re.error, RecursionError, ValueError):
        return None


def _draw(items: list[tuple[Any, Any]], rng: random.Random) -> str:
    return "".join(_draw_one(op, arg, rng) for op, arg in items)


def _draw_one(op: Any, arg: Any, rng: random.Random) -> str:
    if op is c.LITERAL:
        return chr(arg)
    if op is c.NOT_LITERAL:
        return rng.choice([ch for ch in _PRINTABLE if ord(ch) != arg])
    if op is c.ANY:
        return rng.choice(string.ascii_letters + string.digits)
    if op is c.IN:
        return _draw_class(list(arg), rng)
    if op in (c.MAX_REPEAT, c.MIN_REPEAT, c.POSSESSIVE_REPEAT):
        low, high, sub = arg
        top = low + EXTRA_REPEATS if high is c.MAXREPEAT else high
        return "".join(_draw(list(sub), rng) for _ in range(rng.randint(low, top)))
    if op is c.SUBPATTERN:
        return _draw(list(arg[-1]), rng)
    if op is c.ATOMIC_GROUP:
        return _draw(list(arg), rng)
    if op is c.BRANCH:
        _, branches = arg
        return _draw(list(rng.choice(branches)), rng)
    if op is c.AT:
        return ""
    raise _UnsupportedPatternError(str(op))


def _draw_class(items: list[tuple[Any, Any]], rng: random.Random) -> str:
    """One character of a class such as ``[A-Z0-9]`` (a negated class: a safe character)."""
    if items and items[0][0] is c.NEGATE:
        excluded = [ch for ch in _PRINTABLE if not _in_class(ch, items[1:])]
        if not excluded:
            raise _UnsupportedPatternError("negated class")
        return rng.choice(excluded)
    pool: list[str] = []
    for op, arg in items:
        if op is c.LITERAL:
            pool.append(chr(arg))
        elif op is c.RANGE:
            low, high = arg
            pool.append(chr(rng.randint(low, high)))
        elif op is c.CATEGORY and arg in _CATEGORIES:
            pool.append(rng.choice(_CATEGORIES[arg]))
        else:
            raise _UnsupportedPatternError(str(op))
    if not pool:
        raise _UnsupportedPatternError("empty class")
    return rng.choice(pool)


def _in_class(ch: str, items: list[tuple[Any, Any]]) -> bool:
    for op, arg in items:
        if op is c.LITERAL and ord(ch) == arg:
            return True
        if op is c.RANGE and arg[0] <= ord(ch) <= arg[1]:
            return True
        if op is c.CATEGORY and ch in _CATEGORIES.get(arg, ""):
            return True
    return False
