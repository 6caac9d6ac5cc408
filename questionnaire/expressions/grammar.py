"""The words and functions of the expression language, shared by its parts.

The loader uses :data:`RESERVED_WORDS` to refuse question names that would
read as a keyword or a function.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Final

#: Lower-case keywords (the language is case-sensitive).
KEYWORDS: Final = frozenset({"and", "or", "not", "in", "true", "false", "null"})

#: Function name -> (least, most) number of arguments; ``None``: no upper bound.
FUNCTION_ARITY: Final[dict[str, tuple[int, int | None]]] = {
    "answered": (1, 1),
    "count": (1, 2),
    "sum": (2, 2),
    "min": (2, None),
    "max": (2, None),
    "coalesce": (2, None),
    "if": (3, 3),
    "round": (1, 2),
    "year": (1, 1),
    "month": (1, 1),
    "date": (1, 1),
}

#: Names a question, calculation or repeat may not take.
RESERVED_WORDS: Final = KEYWORDS | frozenset(FUNCTION_ARITY)

#: Expressions longer than this many characters are refused as too complex.
MAX_LENGTH: Final = 2000
#: Expressions nested deeper than this are refused as too complex.
MAX_DEPTH: Final = 64

#: Operators, loosest first; each level binds tighter than the one before.
PRECEDENCE: Final[dict[str, int]] = {
    "or": 1,
    "and": 2,
    "not": 3,
    "==": 4,
    "!=": 4,
    "<": 4,
    "<=": 4,
    ">": 4,
    ">=": 4,
    "in": 4,
    "not in": 4,
    "+": 5,
    "-": 5,
    "*": 6,
    "/": 6,
    "%": 6,
    "neg": 7,
}
#: Precedence of literals, names, calls and parenthesised expressions.
ATOM_PRECEDENCE: Final = 8

COMPARISONS: Final = frozenset({"==", "!=", "<", "<=", ">", ">=", "in", "not in"})
ORDERINGS: Final = frozenset({"<", "<=", ">", ">="})
ARITHMETIC: Final = frozenset({"+", "-", "*", "/", "%"})
LOGICAL: Final = frozenset({"and", "or"})


def arity_text(function: str) -> str:
    """How many arguments ``function`` takes, in words: ``"2 or more"``."""
    least, most = FUNCTION_ARITY[function]
    if most is None:
        return f"{least} or more"
    if least == most:
        return str(least)
    return f"{least} to {most}"


_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def parse_iso_date(text: str) -> dt.date | None:
    """``'2025-03-12'`` -> that day; ``None`` unless exactly ``YYYY-MM-DD`` and real."""
    if not _ISO_DATE.fullmatch(text):
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return None
