"""The compiled form of an expression gives what walking its tree gives.

``evaluate`` runs compiled closures; ``evaluate_tree`` (reference_interpreter.py,
beside this file) walks the tree node by node and is the reference. On
generated trees (hand-built ones too: unknown functions and operators, wrong
numbers of arguments, trees too deep) and generated answers, both give the
same value of the same type, or raise the same error with the same code,
message and offset.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping, Sequence

import pytest
from dict_scope import DictScope
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from reference_interpreter import evaluate_tree

from questionnaire.definition.model import SpecialCode
from questionnaire.definition.values import SKIPPED, Special, YearMonth
from questionnaire.expressions import ExpressionError, evaluate, parse_expression
from questionnaire.expressions import compile as compiled_form
from questionnaire.expressions.compile import compile_expression, compile_text
from questionnaire.expressions.grammar import FUNCTION_ARITY, MAX_DEPTH
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

NAMES = ["a", "b", "multi", "incident", "when", "ghost", "value", "index"]
BINARY_OPS = ["or", "and", "==", "!=", "<", "<=", ">", ">=", "in", "not in", "+", "-", "*", "/"]
BINARY_OPS += ["%"]
UNARY_OPS = ["-", "not"]
FUNCTIONS = sorted(FUNCTION_ARITY)
#: What only hand-built trees hold: operators and a function that do not exist.
NO_OPERATORS = ["^"]
NO_FUNCTIONS = ["nope"]
CODES = ["x", "y", "dont_know", ""]


def make_scope(
    values: Mapping[str, object], repeats: Mapping[str, Sequence[Mapping[str, object]]]
) -> DictScope:
    """A scope over ``values``, with the instances of ``repeats``."""
    return DictScope(values, repeats)


leaves: st.SearchStrategy[Expr] = st.one_of(
    st.builds(Number, st.integers(min_value=0, max_value=10**25), offset=st.integers(0, 99)),
    st.builds(Number, st.floats(min_value=0, max_value=1e20), offset=st.integers(0, 99)),
    st.builds(Text, st.sampled_from(CODES) | st.text(max_size=3), offset=st.integers(0, 99)),
    st.builds(Boolean, st.booleans()),
    st.just(Null()),
    st.builds(DateLiteral, st.dates()),
    st.builds(Name, st.sampled_from(NAMES), offset=st.integers(0, 99)),
)


texts = st.builds(Text, st.sampled_from(CODES))
#: What relevance conditions mostly look like: a name compared with codes.
conditions: st.SearchStrategy[Expr] = st.builds(
    Binary,
    st.sampled_from(["==", "!=", "in", "not in"]),
    st.builds(Name, st.sampled_from(NAMES)),
    texts | st.lists(texts, max_size=3).map(lambda items: ListLiteral(tuple(items))),
)


def calls(children: st.SearchStrategy[Expr], functions: list[str]) -> st.SearchStrategy[Expr]:
    """Calls of ``functions`` with 0 to 4 arguments, the first often a name."""
    args = st.lists(children, min_size=0, max_size=4).map(tuple)
    first_a_name = st.tuples(st.builds(Name, st.sampled_from(NAMES)), children).map(tuple)
    return st.builds(
        Call, st.sampled_from(functions), args | first_a_name, offset=st.integers(0, 99)
    )


def tree_strategy(hand_built: bool) -> st.SearchStrategy[Expr]:
    """Trees of every node; with ``hand_built``, also what the parser would refuse."""
    binary = BINARY_OPS + NO_OPERATORS if hand_built else BINARY_OPS
    unary = UNARY_OPS + NO_OPERATORS if hand_built else UNARY_OPS
    functions = FUNCTIONS + NO_FUNCTIONS if hand_built else FUNCTIONS
    offsets = st.integers(0, 99)

    def extend(children: st.SearchStrategy[Expr]) -> st.SearchStrategy[Expr]:
        return st.one_of(
            conditions,
            st.builds(Unary, st.sampled_from(unary), children, offset=offsets),
            st.builds(Binary, st.sampled_from(binary), children, children, offset=offsets),
            st.lists(children, max_size=3).map(lambda items: ListLiteral(tuple(items))),
            calls(children, functions),
        )

    return st.recursive(leaves, extend, max_leaves=14)


hand_built_trees = tree_strategy(hand_built=True)
printable_trees = tree_strategy(hand_built=False)

values = st.one_of(
    st.none(),
    st.just(SKIPPED),
    st.sampled_from([Special(code) for code in SpecialCode]),
    st.booleans(),
    st.integers(min_value=-(10**20), max_value=10**20),
    st.sampled_from([0, -0.0, 0.0, 2**63, math.inf, -math.inf, math.nan]),
    st.floats(),
    st.sampled_from(CODES) | st.text(max_size=3),
    st.dates(),
    st.datetimes(),
    st.builds(YearMonth, st.integers(1, 9999), st.integers(1, 12)),
    st.lists(st.sampled_from(CODES), max_size=3).map(tuple),
)
# "ghost" is left out: an unknown name. "index" and "value" only sometimes.
answers = st.fixed_dictionaries(
    {"a": values, "b": values, "multi": values, "when": values},
    optional={"value": values, "index": st.integers(1, 3)},
)
repeats = st.fixed_dictionaries(
    {"incident": st.lists(st.fixed_dictionaries({"a": values, "when": values}), max_size=3)},
    optional={"multi": st.lists(st.fixed_dictionaries({"b": values}), max_size=2)},
)


def outcome(function: object, tree: Expr, scope: DictScope) -> tuple[str, object]:
    """``("value", result)``, ``("error", (code, message, offset))`` or another exception.

    Hand-built trees can make both evaluators raise something else than an
    ExpressionError (rendering an unknown operator in a message): the same
    exception must come from both.
    """
    assert callable(function)
    try:
        return ("value", function(tree, scope))
    except ExpressionError as error:
        return ("error", (error.code, error.message, error.offset))
    except Exception as error:
        return ("raised", (type(error).__name__, str(error)))


def same(left: object, right: object) -> bool:
    """Equal values of the very same types (NaN equals NaN, -0.0 is not 0.0)."""
    if type(left) is not type(right):
        return False
    if isinstance(left, float) and isinstance(right, float):
        return math.copysign(1, left) == math.copysign(1, right) and (
            left == right or (math.isnan(left) and math.isnan(right))
        )
    if isinstance(left, list | tuple) and isinstance(right, list | tuple):
        return len(left) == len(right) and all(map(same, left, right))
    return left == right


COMPARE = settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@COMPARE
@given(hand_built_trees, answers, repeats)
def test_compiled_evaluation_equals_walking_the_tree(
    tree: Expr, named: dict[str, object], instances: dict[str, list[dict[str, object]]]
) -> None:
    scope = make_scope(named, instances)
    expected = outcome(evaluate_tree, tree, scope)
    got = outcome(evaluate, tree, scope)
    assert got[0] == expected[0], (repr(tree), got, expected)
    assert same(got[1], expected[1]), (repr(tree), got, expected)


codes_mostly = st.fixed_dictionaries(
    {name: st.sampled_from(CODES) | values for name in ("a", "b", "multi", "when")}
)
combined_conditions = st.recursive(
    conditions,
    lambda children: (
        st.builds(Binary, st.sampled_from(["and", "or"]), children, children)
        | st.builds(Unary, st.just("not"), children)
    ),
    max_leaves=4,
)


@COMPARE
@given(combined_conditions, codes_mostly)
def test_conditions_on_codes_compile_to_the_same_truth(
    tree: Expr, named: dict[str, object]
) -> None:
    """The shapes of most ``relevant`` expressions, whose compiled form takes shortcuts."""
    scope = make_scope(named, {})
    expected = outcome(evaluate_tree, tree, scope)
    got = outcome(evaluate, tree, scope)
    assert got[0] == expected[0] and same(got[1], expected[1]), (repr(tree), got, expected)


numbers_mostly = st.fixed_dictionaries(
    {name: st.integers(-50, 50) | values for name in ("a", "b", "multi", "when")}
)
sums = st.recursive(
    st.builds(Name, st.sampled_from(["a", "b"])) | st.builds(Number, st.integers(0, 9)),
    lambda children: (
        st.builds(Binary, st.sampled_from(["+", "-", "*", "/", "%"]), children, children)
        | st.builds(Call, st.just("coalesce"), st.tuples(children, children))
    ),
    max_leaves=6,
)


@COMPARE
@given(sums, numbers_mostly)
def test_sums_of_answers_compile_to_the_same_number(tree: Expr, named: dict[str, object]) -> None:
    """The shapes of calculations (``coalesce(a, 0) + coalesce(b, 0)``): same value, same type."""
    scope = make_scope(named, {})
    expected = outcome(evaluate_tree, tree, scope)
    got = outcome(evaluate, tree, scope)
    assert got[0] == expected[0] and same(got[1], expected[1]), (repr(tree), got, expected)


def valid_calls(children: st.SearchStrategy[Expr]) -> st.SearchStrategy[Expr]:
    """Calls of every function with a number of arguments it takes; repeats named often."""

    def with_args(function: str) -> st.SearchStrategy[Expr]:
        least, most = FUNCTION_ARITY[function]
        args = st.lists(children, min_size=least, max_size=most if most else least + 2)
        over_repeat = st.tuples(st.builds(Name, st.sampled_from(["incident", "multi"])), children)
        if function in ("count", "sum"):
            args = args | over_repeat.map(list)
        return args.map(lambda items: Call(function, tuple(items)))

    return st.sampled_from(FUNCTIONS).flatmap(with_args)


function_trees = st.recursive(
    leaves | conditions, lambda children: valid_calls(children), max_leaves=8
)


@COMPARE
@given(function_trees, answers, repeats)
def test_function_calls_compile_to_the_same_value(
    tree: Expr, named: dict[str, object], instances: dict[str, list[dict[str, object]]]
) -> None:
    """Every function, called as the parser allows, over answers and repeat instances."""
    scope = make_scope(named, instances)
    expected = outcome(evaluate_tree, tree, scope)
    got = outcome(evaluate, tree, scope)
    assert got[0] == expected[0] and same(got[1], expected[1]), (repr(tree), got, expected)


@COMPARE
@given(printable_trees, answers, repeats)
def test_printed_and_parsed_trees_evaluate_alike(
    tree: Expr, named: dict[str, object], instances: dict[str, list[dict[str, object]]]
) -> None:
    """Trees as the parser builds them, compiled once by text."""
    try:
        parsed = parse_expression(str(tree))
    except ExpressionError:
        return  # hand-built trees the parser refuses (unknown function, arity)
    scope = make_scope(named, instances)
    expected = outcome(evaluate_tree, parsed, scope)
    got = outcome(lambda _tree, one: compile_text(str(tree))(one), parsed, scope)
    assert got[0] == expected[0] and same(got[1], expected[1]), (repr(tree), got, expected)


def test_a_tree_is_compiled_once_and_equal_trees_keep_their_own_offsets() -> None:
    first = Binary("+", Name("ghost", offset=0), Number(1, offset=8), offset=6)
    moved = Binary("+", Name("ghost", offset=10), Number(1, offset=18), offset=16)
    assert first == moved and compile_expression(first) is compile_expression(first)
    scope = make_scope({}, {})
    offsets = []
    for tree in (first, moved):
        with pytest.raises(ExpressionError) as caught:
            evaluate(tree, scope)
        offsets.append((caught.value.code, caught.value.offset))
    assert offsets == [("unknown_name", 0), ("unknown_name", 10)]


def test_the_same_text_gives_the_same_compiled_function() -> None:
    text = "coalesce(a, 0) + 1 > 2"
    assert compile_text(text) is compile_text(text)
    assert compile_text(text)(make_scope({"a": 5}, {})) is True
    assert compile_text(text)(make_scope({"a": None}, {})) is False


def test_a_full_cache_starts_again_and_still_gives_the_right_values(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(compiled_form, "CACHE_SIZE", 3)
    monkeypatch.setattr(compiled_form, "_by_tree", {})
    trees = [Binary("*", Name("a"), Number(n)) for n in range(10)]
    scope = make_scope({"a": 3}, {})
    assert [evaluate(tree, scope) for tree in trees] == [3 * n for n in range(10)]
    assert len(compiled_form._by_tree) <= 3
    assert [evaluate(tree, scope) for tree in reversed(trees)] == [3 * n for n in range(9, -1, -1)]


def test_errors_are_raised_when_reached_not_when_compiled() -> None:
    unknown = Call("nope", (Number(1),), offset=4)
    short_circuit = Binary("and", Boolean(False), unknown)
    compiled = compile_expression(short_circuit)  # compiling raises nothing
    assert compiled(make_scope({}, {})) is False
    with pytest.raises(ExpressionError) as caught:
        evaluate(Binary("or", Boolean(False), unknown), make_scope({}, {}))
    assert (caught.value.code, caught.value.offset) == ("unknown_function", 4)


def test_too_deep_trees_are_refused_before_compiling() -> None:
    tree: Expr = Name("a")
    for _ in range(MAX_DEPTH):
        tree = Unary("-", tree)
    with pytest.raises(ExpressionError) as caught:
        evaluate(tree, make_scope({"a": 1}, {}))
    assert caught.value.code == "too_complex"


def test_timestamps_read_as_days_and_skipped_as_null() -> None:
    scope = make_scope({"a": dt.datetime(2025, 3, 12, 8, 30), "b": SKIPPED}, {})
    assert evaluate(parse_expression("a"), scope) == dt.date(2025, 3, 12)
    assert type(evaluate(parse_expression("a"), scope)) is dt.date
    assert evaluate(parse_expression("b"), scope) is None
    assert evaluate(parse_expression("answered(b)"), scope) is False
