"""Calculations: typed in dependency order, cycles reported.

A calculation may use questions outside repeats, repeats (through ``count``
and ``sum``), context names and other calculations, in any order of
definition; a calculation that reaches itself through others is an error
naming the whole cycle.
"""

from __future__ import annotations

import contextlib

from questionnaire.checks.expression_checker import Env, ExpressionChecker
from questionnaire.definition.errors import Param
from questionnaire.definition.source import KeyPath
from questionnaire.expressions import Expr, ExpressionError, ExprType, Kind, parse_expression

ANY_RESULT = frozenset(Kind) - {Kind.REPEAT}


def find_cycles(graph: dict[str, list[str]]) -> list[list[str]]:
    """Each cycle of ``graph`` once, as ``[a, b, ..., a]`` starting at its earliest node.

    ``graph`` maps a node to the nodes it uses, in definition order; nodes
    that are on a cycle are found once, whichever cycle reaches them first.
    """
    cycles: list[list[str]] = []
    on_cycle: set[str] = set()
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def visit(node: str) -> None:
        state[node] = 1
        path.append(node)
        for nxt in graph.get(node, []):
            if state.get(nxt) == 1 and nxt not in on_cycle:
                cycle = path[path.index(nxt) :]
                on_cycle.update(cycle)
                cycles.append([*cycle, nxt])
            elif nxt not in state:
                visit(nxt)
        path.pop()
        state[node] = 2

    for node in graph:
        if node not in state:
            visit(node)
    return cycles


def check_calculations(
    checker: ExpressionChecker, env: Env
) -> tuple[dict[str, ExprType], dict[str, Expr]]:
    """Check every calculation; their types and trees by name."""
    ctx = checker.ctx
    places: dict[str, tuple[KeyPath, str]] = {}
    trees: dict[str, Expr] = {}
    for k, calc in enumerate(ctx.survey.calculations):
        if calc.name in places:
            continue  # a duplicate name, reported by the name checks
        path: KeyPath = ("calculations", k, "expression")
        places[calc.name] = (path, calc.expression)
        with contextlib.suppress(ExpressionError):  # reported when checked below
            trees[calc.name] = parse_expression(calc.expression)
    graph = {
        name: sorted(
            (ref for ref in tree.references() if ref in places),
            key=list(places).index,
        )
        for name, tree in trees.items()
    }
    cycles = find_cycles(graph)
    types: dict[str, ExprType] = {}
    for cycle in cycles:
        path = places[cycle[0]][0]
        subject: dict[str, Param] = {"kind": "calculation", "name": cycle[0]}
        ctx.add("circular_calculation", path, cycle=" -> ".join(cycle), subject=subject)
        for name in cycle:
            types[name] = ExprType(Kind.ANY)

    def settle(name: str) -> None:
        if name in types:
            return
        types[name] = ExprType(Kind.ANY)  # provisional, in case of a cycle
        for ref in graph.get(name, []):
            settle(ref)
        path, text = places[name]
        subject: dict[str, Param] = {"kind": "calculation", "name": name}
        local = {**env, **types}
        _, found = checker.check(text, path, local, ANY_RESULT, "expression", subject)
        types[name] = found if found is not None else ExprType(Kind.ANY)

    for name in places:
        settle(name)
    on_cycles = {name for cycle in cycles for name in cycle}
    for name in sorted(on_cycles, key=list(places).index):
        path, text = places[name]  # other problems of a calculation on a cycle
        subject = {"kind": "calculation", "name": name}
        checker.check(text, path, {**env, **types}, ANY_RESULT, "expression", subject)
    return types, trees
