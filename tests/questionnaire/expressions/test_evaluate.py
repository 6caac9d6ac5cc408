"""Evaluating expressions: null rules, specials, choices, dates, repeats."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Mapping

import pytest
from dict_scope import DictScope

from questionnaire.definition.model import SpecialCode
from questionnaire.definition.values import SKIPPED, Special, YearMonth
from questionnaire.expressions import ExpressionError, evaluate, parse_expression, truthy
from questionnaire.expressions.nodes import Binary, Call, Name, Number, Text, Unary

DONT_KNOW = Special(SpecialCode.DONT_KNOW)
PREFER_NOT = Special(SpecialCode.PREFER_NOT)
DAY = dt.date(2025, 3, 12)


Calc = Callable[..., object]
#: (expression, answers by name, expected value)
Case = tuple[str, dict[str, object], object]


@pytest.fixture
def calc() -> Calc:
    """Factory: ``calc(text, name=value, ...)`` evaluates text over those answers."""

    def run(
        text: str, repeats: Mapping[str, list[dict[str, object]]] | None = None, **values: object
    ) -> object:
        return evaluate(parse_expression(text), DictScope(values, repeats))

    return run


NULL_RULES: list[Case] = [
    ("a + 1", {"a": None}, None),
    ("a + 1", {"a": SKIPPED}, None),
    ("a * 2 - 1", {"a": None}, None),
    ("-a", {"a": None}, None),
    ("a == null", {"a": None}, True),
    ("a == null", {"a": SKIPPED}, True),
    ("a == null", {"a": 0}, False),
    ("a != null", {"a": None}, False),
    ("a == 1", {"a": None}, False),
    ("a != 1", {"a": None}, True),
    ("a == b", {"a": None, "b": SKIPPED}, True),
    ("a < 1", {"a": None}, False),
    ("a >= 1", {"a": None}, False),
    ("1 > a", {"a": None}, False),
    ("a in [1, 2]", {"a": None}, False),
    ("a not in [1, 2]", {"a": None}, True),
    ("'x' in m", {"m": None}, False),
    ("a and true", {"a": None}, False),
    ("a or true", {"a": None}, True),
    ("not a", {"a": None}, True),
    ("not a", {"a": SKIPPED}, True),
    ("coalesce(a, b, 3)", {"a": None, "b": SKIPPED}, 3),
    ("coalesce(a, b)", {"a": None, "b": None}, None),
    ("min(a, b, 4)", {"a": None, "b": 2}, 2),
    ("max(a, b)", {"a": None, "b": None}, None),
    ("year(a)", {"a": None}, None),
    ("round(a, 1)", {"a": None}, None),
    ("if(a, 'y', 'n')", {"a": None}, "n"),
    ("1 / 0", {}, None),
    ("1 % 0", {}, None),
    ("1.5 / 0.0", {}, None),
    ("a / (b - b)", {"a": 3, "b": 7}, None),
]

SPECIALS: list[Case] = [
    ("q == 'dont_know'", {"q": DONT_KNOW}, True),
    ("'dont_know' == q", {"q": DONT_KNOW}, True),
    ("q != 'dont_know'", {"q": DONT_KNOW}, False),
    ("q == 'prefer_not'", {"q": DONT_KNOW}, False),
    ("q in ['dont_know', 'prefer_not']", {"q": PREFER_NOT}, True),
    ("q == null", {"q": DONT_KNOW}, False),
    ("q + 1", {"q": DONT_KNOW}, None),
    ("q > 0", {"q": DONT_KNOW}, False),
    ("q <= 0", {"q": DONT_KNOW}, False),
    ("q < 'zzz'", {"q": DONT_KNOW}, False),
    ("answered(q)", {"q": DONT_KNOW}, True),
    ("answered(q)", {"q": None}, False),
    ("answered(q)", {"q": SKIPPED}, False),
    ("answered(q)", {"q": 0}, True),
    ("answered(q)", {"q": ""}, True),
    ("min(q, 3)", {"q": PREFER_NOT}, 3),
    ("count(m)", {"m": DONT_KNOW}, 0),
    ("'dont_know' in m", {"m": DONT_KNOW}, False),
]

CHOICES: list[Case] = [
    ("'a' in m", {"m": ("a", "b")}, True),
    ("'c' in m", {"m": ("a", "b")}, False),
    ("'c' not in m", {"m": ("a", "b")}, True),
    ("count(m)", {"m": ("a", "b")}, 2),
    ("count(m)", {"m": None}, 0),
    ("count(m)", {"m": SKIPPED}, 0),
    ("count(m) == 0", {"m": ()}, True),
    ("c in ['very_unsafe', 'somewhat_unsafe']", {"c": "very_unsafe"}, True),
    ("c in ['very_unsafe', 'somewhat_unsafe']", {"c": "very_safe"}, False),
    ("c == 'yes'", {"c": "yes"}, True),
    ("m in ['a']", {"m": ("a",)}, False),
]

NUMBERS_AND_TEXT: list[Case] = [
    ("7 / 2", {}, 3.5),
    ("7 % 3", {}, 1),
    ("2 * 3 + 1", {}, 7),
    ("-a", {"a": 4}, -4),
    ("a + 0.5", {"a": 1}, 1.5),
    ("1 == 1.0", {}, True),
    ("'a' + 'b'", {}, None),
    ("true + 1", {}, None),
    ("1 == '1'", {}, False),
    ("1 < '2'", {}, False),
    ("'abc' < 'abd'", {}, True),
    ("true == 1", {}, False),
    ("a and b", {"a": 1, "b": "x"}, True),
    ("a or b", {"a": False, "b": None}, False),
    ("[1, a]", {"a": None}, [1, None]),
    ("round(3.14159, 2)", {}, 3.14),
    ("round(1234, -2)", {}, 1200),
    ("round(a)", {"a": 2.7}, 3.0),
    ("round(a, 0.5)", {"a": 2.7}, None),
    ("round(a, 1.0)", {"a": 2.75}, 2.8),
    ("min(1, 2.5, a)", {"a": 0}, 0),
    ("max(1, 'a')", {}, None),
    ("max('a', 'b')", {}, "b"),
    ("if(a > 1, 'many', 'few')", {"a": 3}, "many"),
]

DATES: list[Case] = [
    ("d + 3", {"d": DAY}, dt.date(2025, 3, 15)),
    ("3 + d", {"d": DAY}, dt.date(2025, 3, 15)),
    ("d - 12", {"d": DAY}, dt.date(2025, 2, 28)),
    ("d - date('2025-03-01')", {"d": DAY}, 11),
    ("d < date('2026-01-01')", {"d": DAY}, True),
    ("d == ym", {"d": DAY, "ym": YearMonth(2025, 3)}, True),
    ("ym < d", {"d": DAY, "ym": YearMonth(2025, 2)}, True),
    ("ym >= d", {"d": DAY, "ym": YearMonth(2025, 3)}, True),
    ("ym > d", {"d": DAY, "ym": YearMonth(2025, 3)}, False),
    ("year(d) * 100 + month(ym)", {"d": DAY, "ym": YearMonth(2024, 11)}, 202511),
    ("d + 10000000", {"d": DAY}, None),
    ("d + a", {"d": DAY, "a": 10**30}, None),
    ("d * 2", {"d": DAY}, None),
    ("d + d", {"d": DAY}, None),
    ("ym + 1", {"ym": YearMonth(2025, 3)}, None),
    ("year(a)", {"a": 5}, None),
    ("max(d, date('2020-01-01'))", {"d": DAY}, DAY),
    ("d == date('2025-03-12')", {"d": dt.datetime(2025, 3, 12, 10, 30)}, True),
    ("d - date('2025-03-01')", {"d": dt.datetime(2025, 3, 12, 10, 30)}, 11),
]


@pytest.mark.parametrize(
    ("text", "values", "expected"), NULL_RULES + SPECIALS + CHOICES + NUMBERS_AND_TEXT + DATES
)
def test_evaluate(calc: Calc, text: str, values: dict[str, object], expected: object) -> None:
    result = calc(text, **values)
    assert result == expected
    assert type(result) is type(expected)


def test_coalesce_keeps_a_special_answer(calc: Calc) -> None:
    assert calc("coalesce(q, 5)", q=DONT_KNOW) == DONT_KNOW


def test_huge_and_infinite_numbers_give_values_not_exceptions(calc: Calc) -> None:
    huge = 10**400
    assert calc("a / 3", a=huge) is None
    assert calc("a + 0.5", a=huge) is None
    assert calc("a * a", a=huge) == huge * huge
    assert calc("a > 1.5", a=huge) is True
    assert calc("round(a, 2)", a=math.inf) == math.inf
    assert calc("round(a)", a=math.inf) == math.inf
    assert calc("round(1.5, a)", a=huge) == 1.5
    assert calc("round(12, a)", a=-huge) == 0
    assert math.isnan(calc("a * 0", a=math.inf))  # type: ignore[arg-type]
    assert calc("a == a", a=math.nan) is False
    assert calc("d + a", d=DAY, a=math.nan) is None


INCIDENTS = [
    {"reported": "yes", "times": 2},
    {"reported": "no", "times": None},
    {"reported": DONT_KNOW, "times": 3},
]

REPEATS = [
    ("count(incident)", 3),
    ("count(incident, reported == 'yes')", 1),
    ("count(incident, reported != 'no')", 2),
    ("count(incident, index > 1 and reported != 'no')", 1),
    ("count(incident, times > threshold)", 1),
    ("sum(incident, times)", 5),
    ("sum(incident, times * 2)", 10),
    ("sum(incident, index)", 6),
    ("sum(incident, reported)", 0),
    ("count(empty)", 0),
    ("count(empty, true)", 0),
    ("sum(empty, 1)", 0),
    ("min(count(incident), 5)", 3),
]


@pytest.mark.parametrize(("text", "expected"), REPEATS)
def test_repeats(calc: Calc, text: str, expected: object) -> None:
    repeats = {"incident": INCIDENTS, "empty": []}
    assert calc(text, repeats=repeats, threshold=2) == expected


@pytest.mark.parametrize(
    ("text", "code", "offset"),
    [
        ("ghost + 1", "unknown_name", 0),
        ("1 + count(m, ghost)", "unknown_name", 13),
        ("sum(a, 1)", "not_a_repeat", 4),
        ("count(a, true)", "not_a_repeat", 6),
        ("count(1, true)", "not_a_repeat", 6),
    ],
)
def test_evaluation_errors(calc: Calc, text: str, code: str, offset: int) -> None:
    with pytest.raises(ExpressionError) as caught:
        calc(text, repeats={"m": [{}]}, a=1)
    assert (caught.value.code, caught.value.offset) == (code, offset)


def test_hand_built_trees_are_held_to_the_parsers_rules() -> None:
    scope = DictScope({"a": 1})
    deep: Name | Unary = Name("a")
    for _ in range(70):
        deep = Unary("-", deep)
    cases = [
        (deep, "too_complex"),
        (Call("if", (Name("a"),)), "wrong_arity"),
        (Call("frobnicate", ()), "unknown_function"),
        (Binary("^", Name("a"), Number(2)), "syntax"),
        (Unary("+", Name("a")), "syntax"),
    ]
    for tree, code in cases:
        with pytest.raises(ExpressionError) as caught:
            evaluate(tree, scope)
        assert caught.value.code == code
    assert evaluate(Call("date", (Text("2025-01-02"),)), scope) == dt.date(2025, 1, 2)
    assert evaluate(Call("date", (Text("2025-13-02"),)), scope) is None


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, False),
        (SKIPPED, False),
        (False, False),
        (True, True),
        (0, True),
        ("", True),
        ("no", True),
        (DONT_KNOW, True),
        ((), True),
    ],
)
def test_truthy_is_false_only_for_null_skipped_and_false(value: object, expected: bool) -> None:
    assert truthy(value) is expected
