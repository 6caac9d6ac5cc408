"""The rules of the type checker for operators, one function per family.

Used by :mod:`questionnaire.expressions.type_check`; each function returns
the result type or raises :class:`ExpressionError` pointing at the operand
that is wrong.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence

from questionnaire.expressions.errors import ExpressionError
from questionnaire.expressions.expr_types import ExprType, Kind
from questionnaire.expressions.nodes import Binary, Expr, ListLiteral, Text

BOOL = ExprType(Kind.BOOL)
NUMBER = ExprType(Kind.NUMBER)
ANY = ExprType(Kind.ANY)

_NOT_ARITHMETIC = frozenset(
    {Kind.TEXT, Kind.CHOICE, Kind.CHOICES, Kind.BOOL, Kind.LIST, Kind.YEAR_MONTH, Kind.REPEAT}
)
_CHOICE_KINDS = frozenset({Kind.CHOICE, Kind.CHOICES})
#: Kinds that may hold a special answer compared with its code.
_SPECIAL_HOLDERS = frozenset({Kind.NUMBER, Kind.TEXT, Kind.DATE, Kind.YEAR_MONTH, Kind.BOOL})
#: Kinds that compare with each other, by family.
_FAMILY = {
    Kind.NUMBER: "number",
    Kind.TEXT: "text",
    Kind.CHOICE: "text",
    Kind.DATE: "date",
    Kind.YEAR_MONTH: "date",
    Kind.BOOL: "bool",
    Kind.CHOICES: "list",
    Kind.LIST: "list",
}
#: Kinds that have an order (``<``, ``min``, ``max``).
ORDERED_KINDS = frozenset({Kind.NUMBER, Kind.TEXT, Kind.DATE, Kind.YEAR_MONTH})


def is_flexible(found: ExprType) -> bool:
    """``ANY`` and ``NULL`` fit wherever a value is expected."""
    return found.kind in (Kind.ANY, Kind.NULL)


def mismatch(message: str, node: Expr) -> ExpressionError:
    """A ``type_mismatch`` error at ``node``."""
    return ExpressionError("type_mismatch", message, node.offset)


def unify(node: Expr, types: Sequence[ExprType]) -> ExprType:
    """The one type that every branch of ``if``/``coalesce``/``min``/``max`` fits."""
    result = types[0]
    for other in types[1:]:
        result = _unify_pair(node, result, other)
    return result


def _unify_pair(node: Expr, a: ExprType, b: ExprType) -> ExprType:
    if Kind.ANY in (a.kind, b.kind):
        return ANY
    if a.kind is Kind.NULL:
        return b
    if b.kind is Kind.NULL:
        return a
    specials = a.specials | b.specials
    if a.kind is b.kind:
        return ExprType(a.kind, codes=a.codes | b.codes, specials=specials, members=a.members)
    if {a.kind, b.kind} == {Kind.CHOICE, Kind.TEXT}:
        return ExprType(Kind.TEXT, specials=specials)
    raise mismatch(
        f"the values of {node} are {a.describe()} and {b.describe()}: give them one kind", node
    )


def check_code(choice: Expr, found: ExprType, text: Text) -> None:
    """A text literal compared with a choice question must be one of its codes."""
    value = text.value
    if value in found.specials or not found.codes:
        return
    if value in found.codes:
        if found.kind is Kind.CHOICES:
            raise mismatch(
                f"{choice} is a multiple choice: test one code with '{value}' in {choice}", text
            )
        return
    close = difflib.get_close_matches(value, sorted(found.codes), n=1)
    hint = f"; did you mean {close[0]!r}?" if close else ""
    valid = ", ".join(sorted(found.codes | found.specials))
    raise ExpressionError(
        "unknown_choice_code",
        f"{choice} has no choice {value!r}{hint} (its codes: {valid})",
        text.offset,
    )


def check_pair(left: Expr, a: ExprType, right: Expr, b: ExprType, at: Expr) -> None:
    """Whether ``left`` and ``right`` may be tested for equality."""
    for one, one_type, other in ((left, a, right), (right, b, left)):
        if not isinstance(other, Text) or isinstance(one, Text):
            continue
        if one_type.kind in _CHOICE_KINDS:
            check_code(one, one_type, other)
            return
        if one_type.kind in _SPECIAL_HOLDERS and other.value in one_type.specials:
            return
    if is_flexible(a) or is_flexible(b) or _FAMILY.get(a.kind) == _FAMILY.get(b.kind):
        return
    raise mismatch(f"cannot compare {left} ({a.describe()}) with {right} ({b.describe()})", at)


def check_equality(node: Binary, left: ExprType, right: ExprType) -> None:
    """``==`` and ``!=``."""
    check_pair(node.left, left, node.right, right, node)


def check_ordering(node: Binary, left: ExprType, right: ExprType) -> None:
    """``< <= > >=``: numbers with numbers, texts with texts, dates with months."""
    for side, found in ((node.left, left), (node.right, right)):
        if found.kind not in ORDERED_KINDS and not is_flexible(found):
            hint = ": choices have no order; use == or in" if found.kind in _CHOICE_KINDS else ""
            raise mismatch(f"cannot order {side} ({found.describe()}){hint}", side)
    if is_flexible(left) or is_flexible(right) or _FAMILY[left.kind] == _FAMILY[right.kind]:
        return
    raise mismatch(
        f"cannot order {node.left} ({left.describe()}) against {node.right} ({right.describe()})",
        node,
    )


def check_membership(
    node: Binary, left: ExprType, right: ExprType, item_types: Sequence[ExprType]
) -> None:
    """``x in [a, b]`` (one value in a list) and ``'code' in multi``."""
    if isinstance(node.right, ListLiteral):
        if left.kind is Kind.CHOICES:
            raise mismatch(
                f"{node.left} is a multiple choice: test each code with 'code' in {node.left}",
                node.left,
            )
        for item, item_type in zip(node.right.items, item_types, strict=True):
            check_pair(node.left, left, item, item_type, item)
        return
    if is_flexible(right) or right.kind is Kind.LIST:
        return
    if right.kind is Kind.CHOICES:
        if isinstance(node.left, Text):
            if node.left.value in right.specials and node.left.value not in right.codes:
                raise mismatch(
                    f"a special answer is not a selection: write {node.right} == "
                    f"'{node.left.value}'",
                    node.left,
                )
            check_code(node.right, ExprType(Kind.CHOICE, codes=right.codes), node.left)
            return
        if left.kind in (Kind.TEXT, Kind.CHOICE) or is_flexible(left):
            return
        raise mismatch(
            f"{node.left} ({left.describe()}) cannot be one of {node.right}'s codes", node
        )
    raise mismatch(
        f"'x in y' needs y to be a list like ['a', 'b'] or a multiple choice; "
        f"{node.right} is {right.describe()}",
        node.right,
    )


def arithmetic_type(node: Binary, left: ExprType, right: ExprType) -> ExprType:
    """``+ - * / %`` on numbers; ``date ± days`` and ``date - date``."""
    for side, found in ((node.left, left), (node.right, right)):
        if found.kind in _NOT_ARITHMETIC:
            raise mismatch(f"arithmetic on {found.describe()}: {side} is not a number", side)
    lk, rk = left.kind, right.kind
    if node.op in ("*", "/", "%"):
        if Kind.DATE in (lk, rk):
            raise mismatch(f"dates can only be added to or subtracted ({node})", node)
        return NUMBER if Kind.ANY not in (lk, rk) else ANY
    if lk is Kind.DATE and rk is Kind.DATE:
        if node.op == "+":
            raise mismatch(f"cannot add two dates ({node}); subtract them for days", node)
        return NUMBER
    if rk is Kind.DATE:
        if node.op == "-":
            if lk is Kind.NUMBER:
                raise mismatch(f"cannot subtract a date from a number ({node})", node)
            return NUMBER
        return ExprType(Kind.DATE)
    if lk is Kind.DATE:
        return ANY if rk is Kind.ANY else ExprType(Kind.DATE)
    return ANY if Kind.ANY in (lk, rk) else NUMBER
