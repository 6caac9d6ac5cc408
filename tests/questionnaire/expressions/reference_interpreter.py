"""The reference (tree-walking) interpreter the compiled evaluator is tested against.

:func:`evaluate_tree` gives the value of a tree by walking it node by node,
with the same value rules (:mod:`questionnaire.expressions.operations`,
:mod:`questionnaire.expressions.functions`) as the compiled form that
production runs (:func:`questionnaire.expressions.evaluate`). Slower, and
written independently of the compiler, so that the two can be compared on
random trees (``test_compiled.py``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence

from questionnaire.definition.values import Special
from questionnaire.expressions.errors import ExpressionError
from questionnaire.expressions.evaluate import too_complex
from questionnaire.expressions.functions import (
    date_of_text,
    date_part,
    extreme,
    round_number,
    sum_over,
)
from questionnaire.expressions.grammar import (
    ARITHMETIC,
    FUNCTION_ARITY,
    MAX_DEPTH,
    ORDERINGS,
    arity_text,
)
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
from questionnaire.expressions.operations import (
    arithmetic,
    contains,
    equals,
    is_null,
    negate,
    order,
    truthy,
)
from questionnaire.expressions.scope import Scope


def evaluate_tree(expr: Expr, scope: Scope) -> object:
    """The same value as :func:`evaluate`, by walking the tree node by node.

    The reference implementation the compiled form is tested against; slower,
    never used on the respondents' path.
    """
    if expr.depth > MAX_DEPTH:
        raise too_complex(expr)
    return _value(expr, scope)


def normalize(value: object) -> object:
    """An answer as expressions see it: skipped is null, a timestamp its day."""
    if is_null(value):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    return value


def _value(node: Expr, scope: Scope) -> object:
    if isinstance(node, Number | Text | Boolean | DateLiteral):
        return node.value
    if isinstance(node, Null):
        return None
    if isinstance(node, Name):
        return _lookup(scope, node)
    if isinstance(node, ListLiteral):
        return [_value(item, scope) for item in node.items]
    if isinstance(node, Unary):
        operand = _value(node.operand, scope)
        if node.op == "not":
            return not truthy(operand)
        if node.op == "-":
            return negate(operand)
        raise ExpressionError("syntax", f"unknown operator {node.op!r}", node.offset)
    if isinstance(node, Binary):
        return _binary(node, scope)
    if isinstance(node, Call):
        return _call(node, scope)
    raise ExpressionError("syntax", f"not an expression node: {type(node).__name__}", node.offset)


def _call(node: Call, scope: Scope) -> object:
    """A function call; trees built by hand are held to the parser's rules."""
    function = _FUNCTIONS.get(node.function)
    if function is None:
        raise ExpressionError(
            "unknown_function", f"there is no function {node.function!r}", node.offset
        )
    least, most = FUNCTION_ARITY[node.function]
    if len(node.args) < least or (most is not None and len(node.args) > most):
        raise ExpressionError(
            "wrong_arity",
            f"{node.function}() takes {arity_text(node.function)} arguments, not {len(node.args)}",
            node.offset,
        )
    return function(node, scope)


def _lookup(scope: Scope, node: Name) -> object:
    try:
        return normalize(scope.lookup(node.name))
    except KeyError:
        raise ExpressionError("unknown_name", f"unknown name {node.name!r}", node.offset) from None


def _binary(node: Binary, scope: Scope) -> object:
    op = node.op
    if op == "and":
        return truthy(_value(node.left, scope)) and truthy(_value(node.right, scope))
    if op == "or":
        return truthy(_value(node.left, scope)) or truthy(_value(node.right, scope))
    left = _value(node.left, scope)
    right = _value(node.right, scope)
    if op == "==":
        return equals(left, right)
    if op == "!=":
        return not equals(left, right)
    if op in ORDERINGS:
        return order(op, left, right)
    if op == "in":
        return contains(left, right)
    if op == "not in":
        return not contains(left, right)
    if op in ARITHMETIC:
        return arithmetic(op, left, right)
    raise ExpressionError("syntax", f"unknown operator {op!r}", node.offset)


# -- functions -------------------------------------------------------------------


def _answered(node: Call, scope: Scope) -> bool:
    return not is_null(_value(node.args[0], scope))


def _repeat_instances(node: Call, scope: Scope) -> Sequence[Scope] | None:
    """The instances when the first argument names a repeat, else ``None``."""
    first = node.args[0]
    if not isinstance(first, Name):
        return None
    try:
        if scope.is_repeat(first.name):
            return scope.instances(first.name)
    except KeyError:
        raise ExpressionError(
            "unknown_name", f"unknown name {first.name!r}", first.offset
        ) from None
    return None


def _not_a_repeat(node: Call) -> ExpressionError:
    return ExpressionError(
        "not_a_repeat",
        f"{node.function}() with two arguments needs a repeat's name first, not {node.args[0]}",
        node.args[0].offset,
    )


def _count(node: Call, scope: Scope) -> object:
    instances = _repeat_instances(node, scope)
    if len(node.args) == 2:
        if instances is None:
            raise _not_a_repeat(node)
        return sum(1 for one in instances if truthy(_value(node.args[1], one)))
    if instances is not None:
        return len(instances)
    value = _value(node.args[0], scope)
    if value is None or isinstance(value, Special):
        return 0
    return len(value) if isinstance(value, tuple | list) else None


def _sum(node: Call, scope: Scope) -> object:
    instances = _repeat_instances(node, scope)
    if instances is None:
        raise _not_a_repeat(node)
    return sum_over(_value(node.args[1], one) for one in instances)


def _extreme(node: Call, scope: Scope) -> object:
    wanted = "<" if node.function == "min" else ">"
    return extreme(wanted, [_value(arg, scope) for arg in node.args])


def _coalesce(node: Call, scope: Scope) -> object:
    for arg in node.args:
        value = _value(arg, scope)
        if not is_null(value):
            return value
    return None


def _if(node: Call, scope: Scope) -> object:
    condition, then, otherwise = node.args
    return _value(then if truthy(_value(condition, scope)) else otherwise, scope)


def _round(node: Call, scope: Scope) -> object:
    number = _value(node.args[0], scope)
    places = _value(node.args[1], scope) if len(node.args) == 2 else 0
    return round_number(number, places)


def _date(node: Call, scope: Scope) -> object:
    return date_of_text(_value(node.args[0], scope))


def _date_part(node: Call, scope: Scope) -> object:
    return date_part(node.function, _value(node.args[0], scope))


_FUNCTIONS: dict[str, Callable[[Call, Scope], object]] = {
    "answered": _answered,
    "count": _count,
    "sum": _sum,
    "min": _extreme,
    "max": _extreme,
    "coalesce": _coalesce,
    "if": _if,
    "round": _round,
    "year": _date_part,
    "month": _date_part,
    "date": _date,
}
