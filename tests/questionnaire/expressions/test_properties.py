"""Property tests: parsing and evaluation never fail with anything but ExpressionError."""

from __future__ import annotations

import datetime as dt
import math

from dict_scope import DictScope
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from questionnaire.definition.model import SpecialCode
from questionnaire.definition.values import SKIPPED, Special, YearMonth
from questionnaire.expressions import (
    ExpressionError,
    ExprType,
    Kind,
    check_types,
    evaluate,
    parse_expression,
)
from questionnaire.expressions.grammar import FUNCTION_ARITY, MAX_DEPTH, MAX_LENGTH
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

NAMES = ["a", "b", "multi", "incident", "when", "ghost"]
BINARY_OPS = [
    "or",
    "and",
    "==",
    "!=",
    "<",
    "<=",
    ">",
    ">=",
    "in",
    "not in",
    "+",
    "-",
    "*",
    "/",
    "%",
]
FUNCTIONS = sorted(set(FUNCTION_ARITY) - {"date"})  # date('...') parses to a literal
TOKENS = [
    *NAMES, *BINARY_OPS, *FUNCTIONS, "not", "true", "false", "null", "(", ")", "[", "]", ",",
    "-", "1", "2.5", "'x'", '"y"', "date('2025-01-31')", "date", "=", "'", "\\",
]  # fmt: skip
RESULT_KINDS = (type(None), bool, int, float, str, tuple, list, dt.date, YearMonth, Special)

positive_floats = st.floats(min_value=0, max_value=1e20).filter(
    lambda x: (x == 0 and math.copysign(1, x) > 0) or x > 1e-20
)
leaves: st.SearchStrategy[Expr] = st.one_of(
    st.builds(Number, st.integers(min_value=0, max_value=10**30)),
    st.builds(Number, positive_floats),
    st.builds(Text, st.text(max_size=6)),
    st.builds(Boolean, st.booleans()),
    st.just(Null()),
    st.builds(DateLiteral, st.dates()),
    st.builds(Name, st.sampled_from(NAMES)),
)


def calls(children: st.SearchStrategy[Expr]) -> st.SearchStrategy[Expr]:
    """Calls of every function with a number of arguments it accepts."""

    def with_args(function: str) -> st.SearchStrategy[Expr]:
        least, most = FUNCTION_ARITY[function]
        args = st.lists(children, min_size=least, max_size=most if most else least + 2)
        return args.map(lambda items: Call(function, tuple(items)))

    return st.sampled_from(FUNCTIONS).flatmap(with_args)


def extend(children: st.SearchStrategy[Expr]) -> st.SearchStrategy[Expr]:
    return st.one_of(
        st.builds(Unary, st.sampled_from(["-", "not"]), children),
        st.builds(Binary, st.sampled_from(BINARY_OPS), children, children),
        st.lists(children, max_size=3).map(lambda items: ListLiteral(tuple(items))),
        calls(children),
    )


trees = st.recursive(leaves, extend, max_leaves=12)

values = st.one_of(
    st.none(),
    st.just(SKIPPED),
    st.sampled_from([Special(code) for code in SpecialCode]),
    st.booleans(),
    st.integers(),
    st.sampled_from([10**400, -(10**400), 2**63, 0]),
    st.floats(),
    st.text(max_size=4),
    st.dates(),
    st.datetimes(),
    st.builds(YearMonth, st.integers(1, 9999), st.integers(1, 12)),
    st.lists(st.sampled_from(["x", "y", "dont_know"]), max_size=3).map(tuple),
)
answers = st.fixed_dictionaries({"a": values, "b": values, "multi": values, "when": values})


QUICK = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@QUICK
@given(st.text())
def test_arbitrary_text_raises_only_expression_errors(text: str) -> None:
    try:
        tree = parse_expression(text)
    except ExpressionError as error:
        assert error.code and error.message
        assert 0 <= error.offset <= len(text)
    else:
        assert parse_expression(str(tree)) == tree


@QUICK
@given(st.lists(st.sampled_from(TOKENS), max_size=40).map(" ".join))
def test_arbitrary_token_soup_raises_only_expression_errors(text: str) -> None:
    try:
        tree = parse_expression(text)
    except ExpressionError as error:
        assert 0 <= error.offset <= len(text)
    else:
        assert parse_expression(str(tree)) == tree


@QUICK
@given(trees)
def test_printed_trees_parse_back_to_equal_trees(tree: Expr) -> None:
    text = str(tree)
    assume(len(text) <= MAX_LENGTH and tree.depth <= MAX_DEPTH)
    parsed = parse_expression(text)
    assert parsed == tree
    assert repr(parsed) == repr(tree)
    assert str(parsed) == text


@QUICK
@given(trees, answers, st.lists(answers, max_size=3))
def test_evaluation_raises_only_expression_errors(
    tree: Expr, named: dict[str, object], instances: list[dict[str, object]]
) -> None:
    scope = DictScope(named, {"incident": instances})
    try:
        result = evaluate(tree, scope)
    except ExpressionError as error:
        assert error.code in {"unknown_name", "not_a_repeat", "too_complex"}
    else:
        assert isinstance(result, RESULT_KINDS)


kinds = st.sampled_from(list(Kind))
simple_types = st.builds(
    ExprType,
    kinds,
    codes=st.frozensets(st.sampled_from(["x", "y", "z"])),
    specials=st.frozensets(st.sampled_from(["dont_know", "prefer_not"])),
)
types = st.one_of(
    simple_types,
    st.dictionaries(st.sampled_from(NAMES), simple_types).map(
        lambda members: ExprType(Kind.REPEAT, members=members)
    ),
)


@QUICK
@given(trees, st.dictionaries(st.sampled_from(NAMES), types))
def test_type_checking_raises_only_expression_errors(tree: Expr, env: dict[str, ExprType]) -> None:
    try:
        found = check_types(tree, env)
    except ExpressionError as error:
        assert error.code in {
            "unknown_name",
            "type_mismatch",
            "unknown_choice_code",
            "not_a_repeat",
            "too_complex",
        }
    else:
        assert isinstance(found, ExprType)
