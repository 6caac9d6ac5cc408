"""Reading expressions: trees, canonical text, names, and syntax errors."""

from __future__ import annotations

import datetime as dt

import pytest

from questionnaire.expressions import (
    RESERVED_WORDS,
    ExpressionError,
    parse_expression,
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


def name(value: str) -> Name:
    return Name(value)


def binary(op: str, left: Expr, right: Expr) -> Binary:
    return Binary(op, left, right)


PARSED: list[tuple[str, Expr]] = [
    ("12", Number(12)),
    ("3.5", Number(3.5)),
    ("007", Number(7)),
    ("'text'", Text("text")),
    ('"double"', Text("double")),
    (r"'it\'s'", Text("it's")),
    (r'"say \"hi\""', Text('say "hi"')),
    (r"'back\\slash'", Text("back\\slash")),
    ("''", Text("")),
    ("true", Boolean(True)),
    ("false", Boolean(False)),
    ("null", Null()),
    ("date('2025-03-12')", DateLiteral(dt.date(2025, 3, 12))),
    ("[]", ListLiteral(())),
    ("['a', 'b']", ListLiteral((Text("a"), Text("b")))),
    ("walk_alone_dark", name("walk_alone_dark")),
    ("_private1", name("_private1")),
    ("-3", Unary("-", Number(3))),
    ("--x", Unary("-", Unary("-", name("x")))),
    ("not not a", Unary("not", Unary("not", name("a")))),
    ("1 + 2 * 3", binary("+", Number(1), binary("*", Number(2), Number(3)))),
    ("(1 + 2) * 3", binary("*", binary("+", Number(1), Number(2)), Number(3))),
    ("a - b - c", binary("-", binary("-", name("a"), name("b")), name("c"))),
    ("a / b % c", binary("%", binary("/", name("a"), name("b")), name("c"))),
    ("-a * b", binary("*", Unary("-", name("a")), name("b"))),
    ("a or b and c", binary("or", name("a"), binary("and", name("b"), name("c")))),
    ("not a and b", binary("and", Unary("not", name("a")), name("b"))),
    ("not a == b", Unary("not", binary("==", name("a"), name("b")))),
    ("a + 1 >= b * 2",
     binary(">=", binary("+", name("a"), Number(1)), binary("*", name("b"), Number(2)))),
    ("x in ['a']", binary("in", name("x"), ListLiteral((Text("a"),)))),
    ("'a' not in multi", binary("not in", Text("a"), name("multi"))),
    ("(a < b) == true", binary("==", binary("<", name("a"), name("b")), Boolean(True))),
    ("answered(q)", Call("answered", (name("q"),))),
    ("count(incident, reported == 'yes')",
     Call("count", (name("incident"), binary("==", name("reported"), Text("yes"))))),
    ("if(a, 1, 2)", Call("if", (name("a"), Number(1), Number(2)))),
    ("min(a, b, 3)", Call("min", (name("a"), name("b"), Number(3)))),
    ("round(x)", Call("round", (name("x"),))),
    (" \t\n a \n", name("a")),
]  # fmt: skip


@pytest.mark.parametrize(("text", "tree"), PARSED, ids=[t for t, _ in PARSED])
def test_parse_gives_the_expected_tree(text: str, tree: Expr) -> None:
    parsed = parse_expression(text)
    assert parsed == tree
    assert repr(parsed) == repr(tree)  # equal also in value types (1 vs 1.0)


CANONICAL = [
    ("a+b*c", "a + b * c"),
    ("(a+b)*c", "(a + b) * c"),
    ("a-(b-c)", "a - (b - c)"),
    ("(a-b)-c", "a - b - c"),
    ("(a<b)<c", "(a < b) < c"),
    ("a<(b<c)", "a < (b < c)"),
    ("(not a)==b", "(not a) == b"),
    ("not (a and b)", "not (a and b)"),
    ("(a or b) and c", "(a or b) and c"),
    ("-(a+b)", "-(a + b)"),
    ("- -3", "--3"),
    ('"it\'s"', r"'it\'s'"),
    ("0.00001", "0.00001"),
    ("100000000000000000000000.0", "100000000000000000000000.0"),
    ("x not in [1,2.5]", "x not in [1, 2.5]"),
    ("date( '2025-01-02' )", "date('2025-01-02')"),
    ("count( incident )", "count(incident)"),
]


@pytest.mark.parametrize(("text", "canonical"), CANONICAL)
def test_str_prints_canonical_text_that_parses_back(text: str, canonical: str) -> None:
    tree = parse_expression(text)
    assert str(tree) == canonical
    assert parse_expression(canonical) == tree


SYNTAX_ERRORS = [
    ("", "unexpected_end", 0),
    ("   ", "unexpected_end", 0),
    ("a +", "unexpected_end", 3),
    ("(a", "unexpected_end", 2),
    ("f(a", "unknown_function", 0),
    ("min(a, b", "unexpected_end", 8),
    ("'open", "unexpected_end", 0),
    ("'open\\", "unexpected_end", 0),
    ("a < b < c", "syntax", 6),
    ("a == b != c", "syntax", 7),
    ("a in b in c", "syntax", 7),
    ("a = b", "syntax", 2),
    ("a ! b", "syntax", 2),
    ("a && b", "syntax", 2),
    ("a.b", "syntax", 1),
    ("3.", "syntax", 1),
    ("a ^ 2", "syntax", 2),
    ("a b", "syntax", 2),
    ("a)", "syntax", 1),
    (")", "syntax", 0),
    ("[1, ]", "syntax", 4),
    ("[1 2]", "syntax", 3),
    ("AND", "syntax", 0),
    ("a And b", "syntax", 2),
    ("Walk", "syntax", 0),
    ("'\\n'", "syntax", 1),
    ("not", "unexpected_end", 3),
    ("a not b", "syntax", 2),
    ("count", "syntax", 0),
    ("if", "syntax", 0),
    ("frobnicate(a)", "unknown_function", 0),
    ("cont(a)", "unknown_function", 0),
    ("answered()", "wrong_arity", 0),
    ("answered(a, b)", "wrong_arity", 0),
    ("if(a, b)", "wrong_arity", 0),
    ("min(a)", "wrong_arity", 0),
    ("sum(incident)", "wrong_arity", 0),
    ("year()", "wrong_arity", 0),
    ("date(x)", "bad_date_literal", 0),
    ("date('2025-02-30')", "bad_date_literal", 5),
    ("date('20250312')", "bad_date_literal", 5),
    ("date('2025-3-12')", "bad_date_literal", 5),
    ("date('0000-01-01')", "bad_date_literal", 5),
    ("1" * 400 + ".0", "bad_number", 0),
    ("x + " + "1" * 400 + ".5", "bad_number", 4),
]


@pytest.mark.parametrize(("text", "code", "offset"), SYNTAX_ERRORS)
def test_syntax_errors_have_a_code_and_an_offset(text: str, code: str, offset: int) -> None:
    with pytest.raises(ExpressionError) as caught:
        parse_expression(text)
    assert (caught.value.code, caught.value.offset) == (code, offset)
    assert caught.value.message
    assert caught.value.message in str(caught.value)


def test_messages_say_how_to_fix() -> None:
    def message(text: str) -> str:
        with pytest.raises(ExpressionError) as caught:
            parse_expression(text)
        return caught.value.message

    assert "a < b and b < c" in message("a < b < c")
    assert "==" in message("a = 'yes'")
    assert "'and'" in message("a AND b")
    assert "count" in message("cont(a)")  # close match offered
    assert "2 or more" in message("max(a)")
    assert "count(...)" in message("count + 1")


def test_too_long_or_too_deep_is_too_complex() -> None:
    cases = [
        "a + " * 600 + "a",  # over 2,000 characters
        "(" * 65 + "a" + ")" * 65,
        "-" * 65 + "a",
        "not " * 65 + "a",
        "[" * 65 + "]" * 65,
        "coalesce(" * 65 + "a" + ", 0)" * 65,
        " + ".join(["a"] * 66),  # short text, but a chain 65 operations deep
    ]
    for text in cases:
        with pytest.raises(ExpressionError) as caught:
            parse_expression(text)
        assert caught.value.code == "too_complex", text


def test_sixty_four_levels_are_allowed() -> None:
    assert parse_expression("(" * 63 + "a" + ")" * 63) == Name("a")
    assert parse_expression(" + ".join(["a"] * 64)).depth == 64


def test_offsets_point_at_operators_names_and_calls() -> None:
    tree = parse_expression("a + count(bb)")
    assert isinstance(tree, Binary)
    assert tree.offset == 2
    assert isinstance(tree.right, Call)
    assert tree.right.offset == 4
    assert tree.right.args[0].offset == 10


def test_the_same_text_is_parsed_once() -> None:
    text = "coalesce(vehicle_theft_times, 0) + 1"
    assert parse_expression(text) is parse_expression(text)


def test_trees_are_immutable_and_hashable() -> None:
    tree = parse_expression("a in ['x', 'y']")
    assert isinstance(tree, Binary)
    assert hash(tree) == hash(parse_expression('a in ["x", "y"]'))
    with pytest.raises(AttributeError):
        tree.op = "not in"  # type: ignore[misc]


REFERENCES = [
    ("1 + 2", set()),
    ("a + b * a", {"a", "b"}),
    ("answered(q) and count(multi) > 0", {"q", "multi"}),
    ("count(incident, reported == 'yes')", {"incident", "reported"}),
    ("sum(incident, coalesce(times, 0))", {"incident", "times"}),
    ("if(language == 'fr', today, reference_date)", {"language", "today", "reference_date"}),
    ("x in [y, 'z']", {"x", "y"}),
    ("date('2025-01-01') < value", {"value"}),
]


@pytest.mark.parametrize(("text", "names"), REFERENCES)
def test_references_are_every_name_read_but_no_function(text: str, names: set[str]) -> None:
    assert parse_expression(text).references() == frozenset(names)


def test_reserved_words_cover_keywords_and_functions() -> None:
    assert {"and", "or", "not", "in", "true", "false", "null"} <= RESERVED_WORDS
    assert {"count", "sum", "if", "date", "answered", "coalesce"} <= RESERVED_WORDS
    assert "walk_alone_dark" not in RESERVED_WORDS
