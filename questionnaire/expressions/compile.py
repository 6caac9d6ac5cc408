"""Compilation: a tree -> nested Python closures, built once per tree.

:func:`questionnaire.expressions.evaluate` runs an expression many times (for
every answer a respondent gives, for every respondent the analysis loads);
walking the tree each time, dispatching on node types, is most of its cost.
:func:`compile_expression` walks the tree once and returns a function of a
scope that computes the same value with the same value rules
(:mod:`questionnaire.expressions.operations`), raises the same
:class:`ExpressionError` at the same point, and evaluates sub-expressions in
the same order. Nothing is decided at compile time that could raise: a call
of an unknown function, a wrong number of arguments or an unknown operator
compile to a function that raises when (and only when) it is reached.

The value rules of functions are in :mod:`questionnaire.expressions.functions`
(shared with the reference interpreter the tests compare this form with).
Compiled functions are cached by tree (by identity: equal trees may differ in
the offsets their errors name) and by text (:func:`compile_text`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from functools import lru_cache

from questionnaire.definition.values import SKIPPED, Special
from questionnaire.expressions.errors import ExpressionError
from questionnaire.expressions.functions import (
    date_of_text,
    date_part,
    extreme,
    round_number,
    sum_over,
)
from questionnaire.expressions.grammar import ARITHMETIC, FUNCTION_ARITY, ORDERINGS, arity_text
from questionnaire.expressions.nodes import (
    Binary,
    Boolean,
    Call,
    DateLiteral,
    Expr,
    ListLiteral,
    Name,
    Null,
    Number,
    Text,
    Unary,
)
from questionnaire.expressions.operations import arithmetic, contains, equals, negate, order
from questionnaire.expressions.parser import parse_expression
from questionnaire.expressions.scope import Scope

#: A compiled expression: the answers in a scope -> the expression's value.
Compiled = Callable[[Scope], object]

#: Trees kept compiled at once; the cache is emptied when it is full.
CACHE_SIZE = 4096

_by_tree: dict[int, tuple[Expr, Compiled]] = {}


def compile_expression(expr: Expr) -> Compiled:
    """The compiled form of ``expr``, built on first use and kept.

    ``expr`` must be no deeper than ``MAX_DEPTH`` (the caller checks it, as
    :func:`questionnaire.expressions.evaluate` does). The cache holds the tree
    itself, so that its identity cannot be reused while its entry lives.
    """
    found = _by_tree.get(id(expr))
    if found is not None and found[0] is expr:
        return found[1]
    compiled = compile_node(expr)
    if len(_by_tree) >= CACHE_SIZE:
        _by_tree.clear()
    _by_tree[id(expr)] = (expr, compiled)
    return compiled


@lru_cache(maxsize=4096)
def compile_text(text: str) -> Compiled:
    """Parse and compile ``text`` once; raises what :func:`parse_expression` raises."""
    return compile_expression(parse_expression(text))


def is_true_text(text: str, scope: Scope) -> bool:
    """Whether expression ``text`` holds in ``scope`` (null and false do not)."""
    value = compile_text(text)(scope)
    return not (value is None or value is SKIPPED or value is False)


def compile_node(node: Expr) -> Compiled:
    """A function computing ``node``'s value in a scope (no cache)."""
    if isinstance(node, Number | Text | Boolean | DateLiteral):
        constant = node.value
        return lambda scope: constant
    if isinstance(node, Null):
        return lambda scope: None
    if isinstance(node, Name):
        return _compile_name(node)
    if isinstance(node, ListLiteral):
        items = tuple(compile_node(item) for item in node.items)
        return lambda scope: [item(scope) for item in items]
    if isinstance(node, Unary):
        return _compile_unary(node)
    if isinstance(node, Binary):
        return _compile_binary(node)
    if isinstance(node, Call):
        return _compile_call(node)

    def not_a_node(scope: Scope) -> object:
        raise ExpressionError(
            "syntax", f"not an expression node: {type(node).__name__}", node.offset
        )

    return not_a_node


def _compile_name(node: Name) -> Compiled:
    name, offset = node.name, node.offset

    def lookup(scope: Scope) -> object:
        try:
            value = scope.lookup(name)
        except KeyError:
            raise ExpressionError("unknown_name", f"unknown name {name!r}", offset) from None
        if value is None or value is SKIPPED:
            return None
        if isinstance(value, dt.datetime):
            return value.date()
        return value

    return lookup


def _compile_unary(node: Unary) -> Compiled:
    operand = compile_node(node.operand)
    if node.op == "not":
        return lambda scope: _falsy(operand(scope))
    if node.op == "-":
        return lambda scope: negate(operand(scope))
    op, offset = node.op, node.offset

    def unknown(scope: Scope) -> object:
        operand(scope)
        raise ExpressionError("syntax", f"unknown operator {op!r}", offset)

    return unknown


def _falsy(value: object) -> bool:
    """``not truthy(value)``."""
    return value is None or value is SKIPPED or value is False


def _compile_binary(node: Binary) -> Compiled:
    op = node.op
    left, right = compile_node(node.left), compile_node(node.right)
    if op == "and":
        return lambda scope: not _falsy(left(scope)) and not _falsy(right(scope))
    if op == "or":
        return lambda scope: not _falsy(left(scope)) or not _falsy(right(scope))
    if op == "==":
        return lambda scope: equals(left(scope), right(scope))
    if op == "!=":
        return lambda scope: not equals(left(scope), right(scope))
    if op in ORDERINGS:
        return lambda scope: order(op, left(scope), right(scope))
    if op == "in":
        return lambda scope: contains(left(scope), right(scope))
    if op == "not in":
        return lambda scope: not contains(left(scope), right(scope))
    if op in ARITHMETIC:
        return lambda scope: arithmetic(op, left(scope), right(scope))
    offset = node.offset

    def unknown(scope: Scope) -> object:
        left(scope)
        right(scope)
        raise ExpressionError("syntax", f"unknown operator {op!r}", offset)

    return unknown


# -- function calls -------------------------------------------------------------

_CallCompiler = Callable[[Call, Sequence[Compiled]], Compiled]


def _compile_call(node: Call) -> Compiled:
    """A function call; trees built by hand are held to the parser's rules when run."""
    compiler = _CALLS.get(node.function)
    offset = node.offset
    if compiler is None:
        message = f"there is no function {node.function!r}"

        def unknown(scope: Scope) -> object:
            raise ExpressionError("unknown_function", message, offset)

        return unknown
    least, most = FUNCTION_ARITY[node.function]
    if len(node.args) < least or (most is not None and len(node.args) > most):
        message = (
            f"{node.function}() takes {arity_text(node.function)} arguments, not {len(node.args)}"
        )

        def wrong_arity(scope: Scope) -> object:
            raise ExpressionError("wrong_arity", message, offset)

        return wrong_arity
    return compiler(node, tuple(compile_node(arg) for arg in node.args))


def _compile_answered(node: Call, args: Sequence[Compiled]) -> Compiled:
    (arg,) = args

    def answered(scope: Scope) -> object:
        value = arg(scope)
        return not (value is None or value is SKIPPED)

    return answered


def _instances_reader(node: Call) -> Callable[[Scope], Sequence[Scope] | None]:
    """Reads the instances when the first argument names a repeat, else ``None``."""
    first = node.args[0]
    if not isinstance(first, Name):
        return lambda scope: None
    name, offset = first.name, first.offset

    def instances(scope: Scope) -> Sequence[Scope] | None:
        try:
            if scope.is_repeat(name):
                return scope.instances(name)
        except KeyError:
            raise ExpressionError("unknown_name", f"unknown name {name!r}", offset) from None
        return None

    return instances


def _not_a_repeat(node: Call) -> ExpressionError:
    return ExpressionError(
        "not_a_repeat",
        f"{node.function}() with two arguments needs a repeat's name first, not {node.args[0]}",
        node.args[0].offset,
    )


def _compile_count(node: Call, args: Sequence[Compiled]) -> Compiled:
    read_instances = _instances_reader(node)
    if len(args) == 2:
        condition = args[1]

        def count_where(scope: Scope) -> object:
            instances = read_instances(scope)
            if instances is None:
                raise _not_a_repeat(node)
            return sum(1 for one in instances if not _falsy(condition(one)))

        return count_where
    arg = args[0]

    def count(scope: Scope) -> object:
        instances = read_instances(scope)
        if instances is not None:
            return len(instances)
        value = arg(scope)
        if value is None or isinstance(value, Special):
            return 0
        return len(value) if isinstance(value, tuple | list) else None

    return count


def _compile_sum(node: Call, args: Sequence[Compiled]) -> Compiled:
    read_instances, term = _instances_reader(node), args[1]

    def total(scope: Scope) -> object:
        instances = read_instances(scope)
        if instances is None:
            raise _not_a_repeat(node)
        return sum_over(term(one) for one in instances)

    return total


def _compile_extreme(node: Call, args: Sequence[Compiled]) -> Compiled:
    wanted = "<" if node.function == "min" else ">"
    return lambda scope: extreme(wanted, [arg(scope) for arg in args])


def _compile_coalesce(node: Call, args: Sequence[Compiled]) -> Compiled:
    def coalesce(scope: Scope) -> object:
        for arg in args:
            value = arg(scope)
            if not (value is None or value is SKIPPED):
                return value
        return None

    return coalesce


def _compile_if(node: Call, args: Sequence[Compiled]) -> Compiled:
    condition, then, otherwise = args
    return lambda scope: then(scope) if not _falsy(condition(scope)) else otherwise(scope)


def _compile_round(node: Call, args: Sequence[Compiled]) -> Compiled:
    if len(args) == 1:
        return lambda scope: round_number(args[0](scope), 0)
    number, places = args
    return lambda scope: round_number(number(scope), places(scope))


def _compile_date(node: Call, args: Sequence[Compiled]) -> Compiled:
    (arg,) = args
    return lambda scope: date_of_text(arg(scope))


def _compile_date_part(node: Call, args: Sequence[Compiled]) -> Compiled:
    (arg,), part = args, node.function
    return lambda scope: date_part(part, arg(scope))


_CALLS: dict[str, _CallCompiler] = {
    "answered": _compile_answered,
    "count": _compile_count,
    "sum": _compile_sum,
    "min": _compile_extreme,
    "max": _compile_extreme,
    "coalesce": _compile_coalesce,
    "if": _compile_if,
    "round": _compile_round,
    "year": _compile_date_part,
    "month": _compile_date_part,
    "date": _compile_date,
}
