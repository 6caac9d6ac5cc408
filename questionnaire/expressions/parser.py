"""The parser: expression text -> an immutable tree, once per distinct text.

Recursive descent over the tokens of :mod:`questionnaire.expressions.lexer`,
one function per precedence level, loosest first::

    expression := and_expr ("or" and_expr)*
    and_expr   := not_expr ("and" not_expr)*
    not_expr   := "not" not_expr | comparison
    comparison := additive [("==" | "!=" | "<" | "<=" | ">" | ">=" | "in" | "not in") additive]
    additive   := term (("+" | "-") term)*
    term       := unary (("*" | "/" | "%") unary)*
    unary      := "-" unary | primary
    primary    := NUMBER | STRING | "true" | "false" | "null" | "(" expression ")"
                | "[" [expression ("," expression)*] "]" | NAME "(" arguments ")" | NAME

Comparisons do not chain (``a < b < c`` is refused). Texts longer than
``MAX_LENGTH`` characters and trees deeper than ``MAX_DEPTH`` are refused as
``too_complex``, so that nothing downstream can run out of stack.
"""

from __future__ import annotations

import difflib
from functools import lru_cache

from questionnaire.expressions.errors import ExpressionError
from questionnaire.expressions.grammar import (
    FUNCTION_ARITY,
    MAX_DEPTH,
    MAX_LENGTH,
    arity_text,
    parse_iso_date,
)
from questionnaire.expressions.lexer import Token, tokenize
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

_COMPARISON_OPS = frozenset({"==", "!=", "<", "<=", ">", ">="})


@lru_cache(maxsize=4096)
def parse_expression(text: str) -> Expr:
    """Parse ``text`` into a tree; the same text gives the same (shared) tree.

    Raises :class:`ExpressionError` with codes ``syntax``, ``unexpected_end``,
    ``bad_number``, ``bad_date_literal``, ``unknown_function``,
    ``wrong_arity`` or ``too_complex``.
    """
    if len(text) > MAX_LENGTH:
        raise ExpressionError(
            "too_complex",
            f"the expression is {len(text)} characters long; the limit is {MAX_LENGTH}: "
            "split it into calculations",
            MAX_LENGTH,
        )
    tokens = tokenize(text)
    if tokens[0].kind == "end":
        raise ExpressionError("unexpected_end", "the expression is empty", 0)
    parser = _Parser(tokens)
    tree = parser.expression()
    parser.expect_end()
    return tree


def describe(token: Token) -> str:
    """A token in words, for error messages."""
    if token.kind == "end":
        return "the end of the expression"
    if token.kind == "string":
        return f"the text {token.value!r}"
    if token.kind == "op":
        return repr(token.value)
    if token.kind == "number":
        return f"the number {token.value}"
    return f"the {token.kind} {token.value!r}"


class _Parser:
    """One pass over one token list; not shared between texts."""

    def __init__(self, tokens: list[Token]) -> None:
        self.tokens = tokens
        self.pos = 0
        self.nesting = 0

    # -- token helpers -----------------------------------------------------------

    def peek(self, ahead: int = 0) -> Token:
        return self.tokens[min(self.pos + ahead, len(self.tokens) - 1)]

    def advance(self) -> Token:
        token = self.peek()
        self.pos += 1
        return token

    def at(self, kind: str, value: str) -> bool:
        token = self.peek()
        return token.kind == kind and token.value == value

    def expect_op(self, value: str, opened: Token) -> Token:
        if self.at("op", value):
            return self.advance()
        token = self.peek()
        where = f"to close the {opened.value!r} at character {opened.offset + 1}"
        if token.kind == "end":
            raise ExpressionError("unexpected_end", f"missing {value!r} {where}", token.offset)
        raise ExpressionError(
            "syntax", f"expected {value!r} {where}, found {describe(token)}", token.offset
        )

    def expect_end(self) -> None:
        token = self.peek()
        if token.kind == "end":
            return
        if token.kind == "op" and token.value == ")":
            message = "this ')' has no matching '('"
        elif token.kind in ("name", "number", "string") or token.value in ("(", "["):
            message = f"unexpected {describe(token)}: is an operator or a comma missing before it?"
        else:
            message = f"unexpected {describe(token)}"
        raise ExpressionError("syntax", message, token.offset)

    def unexpected(self, token: Token) -> ExpressionError:
        if token.kind == "end":
            return ExpressionError(
                "unexpected_end", "the expression ends too early: a value is missing", token.offset
            )
        return ExpressionError("syntax", f"expected a value, found {describe(token)}", token.offset)

    # -- nesting guards ----------------------------------------------------------

    def enter(self, token: Token) -> None:
        self.nesting += 1
        if self.nesting > MAX_DEPTH:
            raise ExpressionError(
                "too_complex",
                f"the expression is nested more than {MAX_DEPTH} levels deep: "
                "split it into calculations",
                token.offset,
            )

    def leave(self) -> None:
        self.nesting -= 1

    def built(self, node: Expr) -> Expr:
        if node.depth > MAX_DEPTH:
            raise ExpressionError(
                "too_complex",
                f"the expression has more than {MAX_DEPTH} levels of operations: "
                "split it into calculations",
                node.offset,
            )
        return node

    # -- precedence levels ---------------------------------------------------------

    def expression(self) -> Expr:
        left = self.and_expr()
        while self.at("keyword", "or"):
            op = self.advance()
            left = self.built(Binary("or", left, self.and_expr(), offset=op.offset))
        return left

    def and_expr(self) -> Expr:
        left = self.not_expr()
        while self.at("keyword", "and"):
            op = self.advance()
            left = self.built(Binary("and", left, self.not_expr(), offset=op.offset))
        return left

    def not_expr(self) -> Expr:
        if not self.at("keyword", "not"):
            return self.comparison()
        op = self.advance()
        self.enter(op)
        operand = self.not_expr()
        self.leave()
        return self.built(Unary("not", operand, offset=op.offset))

    def comparison_op(self) -> tuple[str, Token] | None:
        token = self.peek()
        if token.kind == "op" and token.value in _COMPARISON_OPS:
            return str(token.value), token
        if token.kind == "keyword" and token.value == "in":
            return "in", token
        if (
            self.at("keyword", "not")
            and self.peek(1).kind == "keyword"
            and self.peek(1).value == "in"
        ):
            return "not in", token
        return None

    def comparison(self) -> Expr:
        left = self.additive()
        found = self.comparison_op()
        if found is None:
            return left
        op, token = found
        self.pos += 2 if op == "not in" else 1
        node = self.built(Binary(op, left, self.additive(), offset=token.offset))
        again = self.comparison_op()
        if again is not None:
            raise ExpressionError(
                "syntax",
                f"comparisons cannot be chained: write 'a {op} b and b {again[0]} c' "
                "or add parentheses",
                again[1].offset,
            )
        return node

    def additive(self) -> Expr:
        left = self.term()
        while self.peek().kind == "op" and self.peek().value in ("+", "-"):
            op = self.advance()
            left = self.built(Binary(str(op.value), left, self.term(), offset=op.offset))
        return left

    def term(self) -> Expr:
        left = self.unary()
        while self.peek().kind == "op" and self.peek().value in ("*", "/", "%"):
            op = self.advance()
            left = self.built(Binary(str(op.value), left, self.unary(), offset=op.offset))
        return left

    def unary(self) -> Expr:
        if not self.at("op", "-"):
            return self.primary()
        op = self.advance()
        self.enter(op)
        operand = self.unary()
        self.leave()
        return self.built(Unary("-", operand, offset=op.offset))

    # -- atoms -------------------------------------------------------------------------

    def primary(self) -> Expr:
        token = self.advance()
        if token.kind == "number" and not isinstance(token.value, str):
            return Number(token.value, offset=token.offset)
        if token.kind == "string":
            return Text(str(token.value), offset=token.offset)
        if token.kind == "keyword" and token.value in ("true", "false"):
            return Boolean(token.value == "true", offset=token.offset)
        if token.kind == "keyword" and token.value == "null":
            return Null(offset=token.offset)
        if token.kind == "name":
            return self.name_or_call(token)
        if token.kind == "op" and token.value == "(":
            self.enter(token)
            inner = self.expression()
            self.expect_op(")", token)
            self.leave()
            return inner
        if token.kind == "op" and token.value == "[":
            self.enter(token)
            items = self.items("]", token)
            self.leave()
            return self.built(ListLiteral(items, offset=token.offset))
        raise self.unexpected(token)

    def items(self, closing: str, opened: Token) -> tuple[Expr, ...]:
        """Comma-separated expressions up to ``closing`` (which is consumed)."""
        items: list[Expr] = []
        if self.at("op", closing):
            self.advance()
            return ()
        while True:
            items.append(self.expression())
            if self.at("op", ","):
                self.advance()
                continue
            self.expect_op(closing, opened)
            return tuple(items)

    def name_or_call(self, token: Token) -> Expr:
        name = str(token.value)
        if not self.at("op", "("):
            if name in FUNCTION_ARITY:
                raise ExpressionError(
                    "syntax", f"{name!r} is a function: call it as {name}(...)", token.offset
                )
            return Name(name, offset=token.offset)
        if name not in FUNCTION_ARITY:
            close = difflib.get_close_matches(name, FUNCTION_ARITY, n=3)
            hint = f"; did you mean {', '.join(close)}?" if close else ""
            known = ", ".join(sorted(FUNCTION_ARITY))
            raise ExpressionError(
                "unknown_function",
                f"there is no function {name!r}{hint} (functions: {known})",
                token.offset,
            )
        opened = self.advance()
        self.enter(opened)
        args = self.items(")", opened)
        self.leave()
        least, most = FUNCTION_ARITY[name]
        if len(args) < least or (most is not None and len(args) > most):
            raise ExpressionError(
                "wrong_arity",
                f"{name}() takes {arity_text(name)} arguments, not {len(args)}",
                token.offset,
            )
        if name == "date":
            return date_literal(args[0], token)
        return self.built(Call(name, args, offset=token.offset))


def date_literal(arg: Expr, token: Token) -> DateLiteral:
    """``date('YYYY-MM-DD')`` as a literal; anything else is ``bad_date_literal``."""
    if not isinstance(arg, Text):
        raise ExpressionError(
            "bad_date_literal",
            "date() takes one quoted date, e.g. date('2025-03-12')",
            token.offset,
        )
    day = parse_iso_date(arg.value)
    if day is None:
        raise ExpressionError(
            "bad_date_literal",
            f"{arg.value!r} is not a date written YYYY-MM-DD, e.g. date('2025-03-12')",
            arg.offset,
        )
    return DateLiteral(day, offset=token.offset)
