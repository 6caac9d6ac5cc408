"""Evaluation: a tree and a scope of answers -> a value.

:func:`evaluate` runs the tree's compiled form
(:mod:`questionnaire.expressions.compile`), built on first use. :class:`Scope`
is what the evaluator needs from the respondent's answers
(:mod:`questionnaire.expressions.scope`). Evaluation is total: an operation
without meaning gives null or false, never a Python exception; the only error
is :class:`ExpressionError` (an unknown name, ``count``/``sum`` over something
that is not a repeat, or a tree deeper than ``MAX_DEPTH``).
"""

from __future__ import annotations

from questionnaire.expressions.compile import compile_expression
from questionnaire.expressions.errors import ExpressionError
from questionnaire.expressions.grammar import MAX_DEPTH
from questionnaire.expressions.nodes import Expr
from questionnaire.expressions.scope import Scope


def evaluate(expr: Expr, scope: Scope) -> object:
    """The value of ``expr`` for the answers in ``scope``.

    Results are ``None`` (null), ``bool``, ``int``, ``float``, ``str``,
    ``tuple[str, ...]``, ``date``, ``YearMonth``, ``list`` (list literals) or a
    :class:`~questionnaire.definition.values.Special` read from an answer. Raises only
    :class:`ExpressionError`. Runs the tree's compiled form
    (:mod:`questionnaire.expressions.compile`), built on first use.
    """
    if expr.depth > MAX_DEPTH:
        raise too_complex(expr)
    return compile_expression(expr)(scope)


def too_complex(expr: Expr) -> ExpressionError:
    return ExpressionError(
        "too_complex", f"the expression is nested more than {MAX_DEPTH} levels", expr.offset
    )
