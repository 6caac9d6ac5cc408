"""Load-time type checks: is an expression meaningful for this questionnaire?

:func:`check_types` walks a tree against an environment of names (built by
the loader from the survey) and either returns the expression's type or
raises the first :class:`ExpressionError` it finds: ``unknown_name``,
``type_mismatch``, ``unknown_choice_code`` or ``not_a_repeat``. ``ANY`` and
``NULL`` fit wherever a value is expected.
"""

from __future__ import annotations

import difflib
from collections import ChainMap
from collections.abc import Mapping

from questionnaire.expressions.errors import ExpressionError
from questionnaire.expressions.expr_types import ExprType, Kind
from questionnaire.expressions.grammar import ARITHMETIC, LOGICAL, MAX_DEPTH, ORDERINGS
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
from questionnaire.expressions.type_rules import (
    BOOL,
    NUMBER,
    ORDERED_KINDS,
    arithmetic_type,
    check_equality,
    check_membership,
    check_ordering,
    is_flexible,
    mismatch,
    unify,
)

Env = Mapping[str, ExprType]

_LITERAL_KINDS: dict[type[Expr], Kind] = {
    Number: Kind.NUMBER,
    Text: Kind.TEXT,
    Boolean: Kind.BOOL,
    Null: Kind.NULL,
    DateLiteral: Kind.DATE,
}


def check_types(expr: Expr, env: Env) -> ExprType:
    """The type of ``expr`` where ``env`` gives each name's type.

    Raises :class:`ExpressionError` for the first problem found.
    """
    if expr.depth > MAX_DEPTH:
        raise ExpressionError(
            "too_complex", f"the expression is nested more than {MAX_DEPTH} levels", expr.offset
        )
    return type_of(expr, env)


def type_of(node: Expr, env: Env) -> ExprType:
    """The type of one node (recursively checking everything below it)."""
    literal = _LITERAL_KINDS.get(type(node))
    if literal is not None:
        return ExprType(literal)
    if isinstance(node, Name):
        return _name_type(node, env)
    if isinstance(node, ListLiteral):
        for item in node.items:
            _value_type(item, env)
        return ExprType(Kind.LIST)
    if isinstance(node, Unary):
        return _unary_type(node, env)
    if isinstance(node, Binary):
        return _binary_type(node, env)
    if isinstance(node, Call):
        return _call_type(node, env)
    raise mismatch(f"not an expression node: {type(node).__name__}", node)


def _name_type(node: Name, env: Env) -> ExprType:
    found = env.get(node.name)
    if found is not None:
        return found
    close = difflib.get_close_matches(node.name, list(env), n=3)
    hint = f"; did you mean {', '.join(close)}?" if close else ""
    raise ExpressionError(
        "unknown_name",
        f"{node.name!r} is not a question, calculation or context name{hint}",
        node.offset,
    )


def _value_type(node: Expr, env: Env) -> ExprType:
    """The type of a node used as a value: a repeat is not one."""
    found = type_of(node, env)
    if found.kind is Kind.REPEAT:
        raise mismatch(
            f"{node} is a repeat: use count({node}) or sum({node}, ...) to read it", node
        )
    return found


def _condition(node: Expr, env: Env, where: str) -> None:
    found = _value_type(node, env)
    if found.kind is not Kind.BOOL and not is_flexible(found):
        raise mismatch(
            f"{where} needs true/false, but {node} is {found.describe()}: "
            "compare it, e.g. q == 'yes'",
            node,
        )


def _unary_type(node: Unary, env: Env) -> ExprType:
    if node.op == "not":
        _condition(node.operand, env, "not")
        return BOOL
    operand = _value_type(node.operand, env)
    if operand.kind is not Kind.NUMBER and not is_flexible(operand):
        raise mismatch(f"cannot negate {operand.describe()}: only numbers have a sign", node)
    return NUMBER


def _binary_type(node: Binary, env: Env) -> ExprType:
    if node.op in LOGICAL:
        _condition(node.left, env, node.op)
        _condition(node.right, env, node.op)
        return BOOL
    left = _value_type(node.left, env)
    right = _value_type(node.right, env)
    if node.op in ("==", "!="):
        check_equality(node, left, right)
    elif node.op in ORDERINGS:
        check_ordering(node, left, right)
    elif node.op in ("in", "not in"):
        check_membership(node, left, right, [_value_type(i, env) for i in _list_items(node)])
    elif node.op in ARITHMETIC:
        return arithmetic_type(node, left, right)
    else:
        raise mismatch(f"unknown operator {node.op!r}", node)
    return BOOL


def _list_items(node: Binary) -> tuple[Expr, ...]:
    return node.right.items if isinstance(node.right, ListLiteral) else ()


# -- functions -------------------------------------------------------------------


def _call_type(node: Call, env: Env) -> ExprType:
    name, args = node.function, node.args
    if name in ("count", "sum") and len(args) == 2:
        return _aggregate_type(node, env)
    if name == "answered" and len(args) == 1:
        if not isinstance(args[0], Name):
            raise mismatch(f"answered() takes a question's name, not {args[0]}", args[0])
        _value_type(args[0], env)
        return BOOL
    if name == "count" and len(args) == 1:
        found = type_of(args[0], env)
        if found.kind in (Kind.CHOICES, Kind.REPEAT, Kind.LIST) or is_flexible(found):
            return NUMBER
        raise mismatch(
            f"count() counts a multiple choice's selection or a repeat's instances; "
            f"{args[0]} is {found.describe()}",
            args[0],
        )
    if name == "if" and len(args) == 3:
        _condition(args[0], env, "if()")
        return unify(node, [_value_type(a, env) for a in args[1:]])
    types = [_value_type(arg, env) for arg in args]
    return _simple_call_type(node, types)


def _simple_call_type(node: Call, types: list[ExprType]) -> ExprType:
    name = node.function
    if name == "coalesce" and types:
        return unify(node, types)
    if name in ("min", "max") and types:
        for arg, found in zip(node.args, types, strict=True):
            if found.kind not in ORDERED_KINDS and not is_flexible(found):
                raise mismatch(
                    f"{name}() compares numbers, texts or dates, not {found.describe()} ({arg})",
                    arg,
                )
        return unify(node, types)
    wanted = _ARGUMENT_KINDS.get(name)
    if wanted is None or not 1 <= len(types) <= len(wanted[0]):
        raise ExpressionError(
            "wrong_arity", f"{name}() cannot take {len(types)} arguments here", node.offset
        )
    kinds, result = wanted
    for arg, found, allowed in zip(node.args, types, kinds, strict=False):
        if found.kind not in allowed and not is_flexible(found):
            raise mismatch(
                f"{name}() needs {' or '.join(sorted(allowed))} here, "
                f"but {arg} is {found.describe()}",
                arg,
            )
    return result


_DATES = frozenset({Kind.DATE, Kind.YEAR_MONTH})
_NUMBERS = frozenset({Kind.NUMBER})
#: Functions with fixed argument kinds -> (kinds of each argument, result).
_ARGUMENT_KINDS: dict[str, tuple[tuple[frozenset[Kind], ...], ExprType]] = {
    "round": ((_NUMBERS, _NUMBERS), NUMBER),
    "year": ((_DATES,), NUMBER),
    "month": ((_DATES,), NUMBER),
    "date": ((frozenset({Kind.TEXT}),), ExprType(Kind.DATE)),
}


def _aggregate_type(node: Call, env: Env) -> ExprType:
    """``count(repeat, condition)`` and ``sum(repeat, number)``."""
    first, inner = node.args
    if not isinstance(first, Name):
        raise ExpressionError(
            "not_a_repeat",
            f"{node.function}() needs a repeat's name first, not {first}",
            first.offset,
        )
    repeat = type_of(first, env)
    if repeat.kind is not Kind.REPEAT and not is_flexible(repeat):
        raise ExpressionError(
            "not_a_repeat",
            f"{first.name} is {repeat.describe()}, not a repeat: "
            f"{node.function}(r, ...) reads each instance of a repeated section",
            first.offset,
        )
    within: Env = ChainMap(dict(repeat.members), dict(env))
    if node.function == "count":
        _condition(inner, within, "count()'s condition")
        return NUMBER
    found = _value_type(inner, within)
    if found.kind is not Kind.NUMBER and not is_flexible(found):
        raise mismatch(f"sum() adds numbers, but {inner} is {found.describe()}", inner)
    return NUMBER
