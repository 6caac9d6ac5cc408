"""The limits a definition file is read within, so that no file can hang or crash the reader.

- :data:`MAX_FILE_BYTES`: a larger file is not read at all;
- characters YAML does not allow (NUL, escape, ...) are found before the YAML
  reader sees the text, and control characters in values (``"\\0"``,
  ``"\\e"`` escapes) after;
- :class:`GuardedLoader` composes the YAML document counting, as it goes,
  how deep it is nested (:data:`MAX_DEPTH`) and how many values it would
  hold with every alias expanded (:data:`MAX_EXPANDED_VALUES`): a "billion
  laughs" file of nested aliases is stopped at the alias that crosses the
  budget, in time proportional to the file, never to its expansion;
- integers beyond :data:`MAX_INTEGER` and numbers that are not finite are
  refused where they stand (:func:`number_problem`).

Each limit raises or returns the code of a definition error
(:mod:`questionnaire.definition.limit_errors`).
"""

from __future__ import annotations

import math
import re
from typing import Any, Final

import yaml
from yaml.events import AliasEvent
from yaml.nodes import Node

#: A definition file (or block) larger than this is refused.
MAX_FILE_BYTES: Final = 1_000_000
#: Deepest nesting of lists and mappings.
MAX_DEPTH: Final = 50
#: Most values (scalars, lists, mappings) a file may hold once its aliases are expanded.
MAX_EXPANDED_VALUES: Final = 100_000
#: Largest integer, in absolute value (a 64-bit signed integer).
MAX_INTEGER: Final = 2**63 - 1

#: Characters YAML itself refuses in a file (its "printable" set, inverted).
_NOT_PRINTABLE: Final = re.compile(
    "[^\x09\x0a\x0d\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]"
)
#: Control characters a value may not hold (tab and line breaks are text).
_CONTROL: Final = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


class LimitReachedError(Exception):
    """Reading stopped at a limit: ``code`` and where (0-based line and column)."""

    def __init__(self, code: str, mark: Any, **params: str) -> None:
        super().__init__(code)
        self.code = code
        self.line = mark.line if mark is not None else 0
        self.column = mark.column if mark is not None else 0
        self.params = params


def forbidden_character(text: str) -> tuple[int, int, str] | None:
    """``(line, column, "U+0000")`` (1-based) of the first character YAML refuses, or ``None``."""
    found = _NOT_PRINTABLE.search(text)
    if found is None:
        return None
    start = found.start()
    line_start = max(text.rfind("\n", 0, start), text.rfind("\r", 0, start)) + 1
    line = text.count("\n", 0, start) + 1
    return line, start - line_start + 1, f"U+{ord(found.group()):04X}"


def control_character(value: str) -> str | None:
    """``"U+001B"`` for the first control character of a value, or ``None``."""
    found = _CONTROL.search(value)
    return None if found is None else f"U+{ord(found.group()):04X}"


def without_control_characters(value: str) -> str:
    """``value`` with its control characters removed."""
    return _CONTROL.sub("", value)


def number_problem(value: object, written: str) -> tuple[str, dict[str, str]] | None:
    """``(code, params)`` when a constructed number is too large or not finite."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int) and abs(value) > MAX_INTEGER:
        digits = str(len(written.lstrip("+-0").replace("_", "")))
        return "number_too_large", {"digits": digits, "limit": str(MAX_INTEGER)}
    if isinstance(value, float) and not math.isfinite(value):
        return "not_finite", {"value": written[:40]}
    return None


def too_large_integer(written: str) -> tuple[str, dict[str, str]]:
    """The error of an integer literal Python refuses to read (thousands of digits)."""
    digits = str(len(written.lstrip("+-0").replace("_", "")))
    return "number_too_large", {"digits": digits, "limit": str(MAX_INTEGER)}


class GuardedLoader(yaml.SafeLoader):
    """PyYAML's safe loader, composing within :data:`MAX_DEPTH` and :data:`MAX_EXPANDED_VALUES`.

    Raises :class:`LimitReachedError` (``too_deep`` at the value that goes
    too deep, ``alias_budget`` at the alias that crosses the budget).
    """

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._depth = 0
        #: Values composed so far, every alias counted as what it stands for.
        self._expanded = 0
        #: Expanded size of each node composed (by id: nodes live as long as the loader).
        self._sizes: dict[int, int] = {}

    def compose_node(self, parent: Node | None, index: Any) -> Node | None:
        if self.check_event(AliasEvent):
            event = self.peek_event()
            target = self.anchors.get(event.anchor)
            if target is not None:
                self._expanded += self._sizes.get(id(target), 1)
                if self._expanded > MAX_EXPANDED_VALUES:
                    limit = str(MAX_EXPANDED_VALUES)
                    raise LimitReachedError("alias_budget", event.start_mark, limit=limit)
            return super().compose_node(parent, index)
        self._depth += 1
        if self._depth > MAX_DEPTH:
            raise LimitReachedError("too_deep", self.peek_event().start_mark, limit=str(MAX_DEPTH))
        before = self._expanded
        self._expanded += 1
        try:
            node = super().compose_node(parent, index)
        finally:
            self._depth -= 1
        self._sizes[id(node)] = self._expanded - before
        return node
