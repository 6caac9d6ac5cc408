"""The tokenizer: expression text -> a list of tokens with their offsets.

Hand-written, one pass, no regular expressions over user text. It knows
numbers (``12``, ``3.5``), quoted strings with ``\\'``, ``\\"`` and ``\\\\``
escapes, lower-case names and keywords, operators and brackets.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

from questionnaire.expressions.errors import ExpressionError
from questionnaire.expressions.grammar import KEYWORDS

TokenKind = Literal["number", "string", "name", "keyword", "op", "end"]

_DIGITS = frozenset("0123456789")
_NAME_START = frozenset("abcdefghijklmnopqrstuvwxyz_")
_NAME_REST = _NAME_START | _DIGITS
_ANY_CASE = _NAME_REST | frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
_SPACE = frozenset(" \t\r\n")
_TWO_CHAR_OPS = frozenset({"==", "!=", "<=", ">="})
_ONE_CHAR_OPS = frozenset("<>+-*/%()[],")
_ESCAPES = frozenset({"'", '"', "\\"})

#: Characters authors reach for from other languages, and what to write.
_HINTS = {
    "=": "use == to compare two values",
    "!": "use != for 'differs from' and not for negation",
    "&": "use and",
    "|": "use or",
    ".": "names have no dots; a decimal needs a digit before the point (0.5)",
    "{": "expressions have no braces; braces belong to labels",
    "}": "expressions have no braces; braces belong to labels",
}


@dataclass(frozen=True, slots=True)
class Token:
    """One token: its kind, its value and where it starts in the text."""

    kind: TokenKind
    value: str | int | float
    offset: int


def tokenize(text: str) -> list[Token]:
    """Split ``text`` into tokens, ending with an ``end`` token.

    Raises :class:`ExpressionError` (``syntax``, ``unexpected_end``,
    ``bad_number``) on a character or literal that cannot start a token.
    """
    tokens: list[Token] = []
    pos = 0
    while pos < len(text):
        char = text[pos]
        if char in _SPACE:
            pos += 1
        elif char in _DIGITS:
            token, pos = _read_number(text, pos)
            tokens.append(token)
        elif char in ("'", '"'):
            token, pos = _read_string(text, pos)
            tokens.append(token)
        elif char in _ANY_CASE:
            token, pos = _read_word(text, pos)
            tokens.append(token)
        elif text[pos : pos + 2] in _TWO_CHAR_OPS:
            tokens.append(Token("op", text[pos : pos + 2], pos))
            pos += 2
        elif char in _ONE_CHAR_OPS:
            tokens.append(Token("op", char, pos))
            pos += 1
        else:
            hint = _HINTS.get(char, "remove it or put it inside quotes")
            raise ExpressionError("syntax", f"unexpected character {char!r}: {hint}", pos)
    tokens.append(Token("end", "", len(text)))
    return tokens


def _read_number(text: str, start: int) -> tuple[Token, int]:
    """An integer (``12``) or a decimal (``3.5``) starting at ``start``."""
    pos = start
    while pos < len(text) and text[pos] in _DIGITS:
        pos += 1
    if pos < len(text) and text[pos] == ".":
        if pos + 1 >= len(text) or text[pos + 1] not in _DIGITS:
            raise ExpressionError("syntax", "a decimal needs digits after the point, e.g. 3.0", pos)
        pos += 1
        while pos < len(text) and text[pos] in _DIGITS:
            pos += 1
        value = float(text[start:pos])
        if not math.isfinite(value):
            raise ExpressionError("bad_number", "this decimal is too large", start)
        return Token("number", value, start), pos
    return Token("number", int(text[start:pos]), start), pos


def _read_string(text: str, start: int) -> tuple[Token, int]:
    """A quoted string starting at ``start``; the closing quote must match."""
    quote = text[start]
    pos = start + 1
    chars: list[str] = []
    while pos < len(text):
        char = text[pos]
        if char == quote:
            return Token("string", "".join(chars), start), pos + 1
        if char == "\\":
            if pos + 1 >= len(text):
                break
            escaped = text[pos + 1]
            if escaped not in _ESCAPES:
                raise ExpressionError(
                    "syntax",
                    f"unknown escape \\{escaped}: only \\', \\\" and \\\\ are escapes",
                    pos,
                )
            chars.append(escaped)
            pos += 2
        else:
            chars.append(char)
            pos += 1
    raise ExpressionError(
        "unexpected_end", f"the text starting here never ends: add the closing {quote}", start
    )


def _read_word(text: str, start: int) -> tuple[Token, int]:
    """A keyword or a name; upper-case letters are refused with a hint."""
    pos = start
    while pos < len(text) and text[pos] in _ANY_CASE:
        pos += 1
    word = text[start:pos]
    if word != word.lower():
        raise ExpressionError(
            "syntax",
            f"{word!r}: names and keywords are lower case; write {word.lower()!r}",
            start,
        )
    kind: TokenKind = "keyword" if word in KEYWORDS else "name"
    return Token(kind, word, start), pos
