"""The expression tree: immutable nodes, their names, and canonical text.

:func:`questionnaire.expressions.parse_expression` builds these nodes; the
evaluator and the type checker walk them. Two trees are equal when they have
the same shape and values (positions are ignored), and ``str(tree)`` prints
canonical text that parses back to an equal tree.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal

from questionnaire.expressions.grammar import ATOM_PRECEDENCE, PRECEDENCE


@dataclass(frozen=True)
class Expr:
    """Base of every node.

    ``offset`` is where the node starts in the text (for an operator, where the
    operator stands); ``depth`` is the height of the tree below it, 1 for a
    leaf. Neither takes part in equality.
    """

    offset: int = field(default=0, compare=False, repr=False, kw_only=True)
    depth: int = field(init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        below = max((child.depth for child in self.children()), default=0)
        object.__setattr__(self, "depth", below + 1)

    def children(self) -> tuple[Expr, ...]:
        """The node's direct sub-expressions, left to right."""
        return ()

    def walk(self) -> Iterator[Expr]:
        """This node and every node below it, parents before children."""
        yield self
        for child in self.children():
            yield from child.walk()

    def references(self) -> frozenset[str]:
        """Every name the expression reads (never a function's name)."""
        return frozenset(node.name for node in self.walk() if isinstance(node, Name))

    def __str__(self) -> str:
        return render(self)


@dataclass(frozen=True)
class Number(Expr):
    """An integer or decimal literal (never negative: ``-3`` is a negation)."""

    value: int | float


@dataclass(frozen=True)
class Text(Expr):
    """A quoted string literal."""

    value: str


@dataclass(frozen=True)
class Boolean(Expr):
    """``true`` or ``false``."""

    value: bool


@dataclass(frozen=True)
class Null(Expr):
    """``null``: no value."""


@dataclass(frozen=True)
class DateLiteral(Expr):
    """``date('2025-03-12')``."""

    value: dt.date


@dataclass(frozen=True)
class ListLiteral(Expr):
    """``['a', 'b']``: a list written in the expression."""

    items: tuple[Expr, ...]

    def children(self) -> tuple[Expr, ...]:
        return self.items


@dataclass(frozen=True)
class Name(Expr):
    """A question, calculation, repeat or context name."""

    name: str


@dataclass(frozen=True)
class Unary(Expr):
    """``not x`` (op ``"not"``) or ``-x`` (op ``"-"``)."""

    op: str
    operand: Expr

    def children(self) -> tuple[Expr, ...]:
        return (self.operand,)


@dataclass(frozen=True)
class Binary(Expr):
    """``left op right`` for logical, comparison and arithmetic operators."""

    op: str
    left: Expr
    right: Expr

    def children(self) -> tuple[Expr, ...]:
        return (self.left, self.right)


@dataclass(frozen=True)
class Call(Expr):
    """``function(arg, ...)``; the function's name is not a reference."""

    function: str
    args: tuple[Expr, ...]

    def children(self) -> tuple[Expr, ...]:
        return self.args


# -- canonical text ------------------------------------------------------------


def precedence(node: Expr) -> int:
    """How tightly ``node`` binds when printed (see ``grammar.PRECEDENCE``)."""
    if isinstance(node, Binary):
        return PRECEDENCE[node.op]
    if isinstance(node, Unary):
        return PRECEDENCE["not"] if node.op == "not" else PRECEDENCE["neg"]
    return ATOM_PRECEDENCE


def render(node: Expr) -> str:
    """Canonical text of ``node``: single quotes, minimal parentheses."""
    if isinstance(node, Number):
        return _render_number(node.value)
    if isinstance(node, Text):
        return quote(node.value)
    if isinstance(node, Boolean):
        return "true" if node.value else "false"
    if isinstance(node, Null):
        return "null"
    if isinstance(node, DateLiteral):
        return f"date('{node.value.isoformat()}')"
    if isinstance(node, ListLiteral):
        return "[" + ", ".join(render(item) for item in node.items) + "]"
    if isinstance(node, Name):
        return node.name
    if isinstance(node, Call):
        return node.function + "(" + ", ".join(render(arg) for arg in node.args) + ")"
    if isinstance(node, Unary):
        inner = _wrap(node.operand, precedence(node.operand) < precedence(node))
        return f"not {inner}" if node.op == "not" else f"-{inner}"
    if isinstance(node, Binary):
        level = precedence(node)
        comparison = level == PRECEDENCE["=="]
        left_level = precedence(node.left)
        left = _wrap(node.left, left_level < level or (comparison and left_level == level))
        right = _wrap(node.right, precedence(node.right) <= level)
        return f"{left} {node.op} {right}"
    raise TypeError(f"not an expression node: {node!r}")


def quote(text: str) -> str:
    """``text`` as a single-quoted literal, escaping ``\\`` and ``'``."""
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"


def _wrap(node: Expr, parenthesise: bool) -> str:
    text = render(node)
    return f"({text})" if parenthesise else text


def _render_number(value: int | float) -> str:
    """Integers as digits; decimals positionally, always with a point."""
    if isinstance(value, int):
        return str(value)
    text = format(Decimal(repr(value)), "f")
    return text if "." in text else text + ".0"
