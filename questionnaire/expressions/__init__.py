"""The expression language of questionnaire definitions.

Used by ``relevant``, constraints, eligibility rules, calculations, repeat
counts and indicators (see docs/definition-language.md, "Expressions"). Text
is read by a hand-written tokenizer and recursive-descent parser into an
immutable tree, type-checked against the questionnaire at load time and
evaluated against a respondent's answers; user text never reaches ``eval``.

>>> tree = parse_expression("coalesce(a, 0) + 1")
>>> sorted(tree.references())
['a']
"""

from questionnaire.expressions.errors import ERROR_CODES, ExpressionError
from questionnaire.expressions.evaluate import evaluate
from questionnaire.expressions.expr_types import (
    ExprType,
    Kind,
    context_types,
    type_of_question,
    type_of_repeat,
)
from questionnaire.expressions.grammar import FUNCTION_ARITY, KEYWORDS, RESERVED_WORDS
from questionnaire.expressions.nodes import Expr
from questionnaire.expressions.operations import truthy
from questionnaire.expressions.parser import parse_expression
from questionnaire.expressions.scope import Scope
from questionnaire.expressions.type_check import check_types

__all__ = [
    "ERROR_CODES",
    "FUNCTION_ARITY",
    "KEYWORDS",
    "RESERVED_WORDS",
    "Expr",
    "ExprType",
    "ExpressionError",
    "Kind",
    "Scope",
    "check_types",
    "context_types",
    "evaluate",
    "parse_expression",
    "truthy",
    "type_of_question",
    "type_of_repeat",
]
