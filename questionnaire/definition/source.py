"""Reading YAML while keeping where every key and value stands.

PyYAML's composer gives nodes with marks; :func:`read_yaml` turns them into
plain Python data and a :class:`SourceMap` from key paths
(``("sections", 2, "questions", 0, "label", "en")``) to 1-based positions.
Duplicate keys are reported (PyYAML silently keeps the last one); syntax
errors carry the line and column PyYAML gives. Blocks included by
``- include:`` entries are expanded by :mod:`questionnaire.definition.includes`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from i18n import N_
from questionnaire.definition.errors import DefinitionError, make_error, words
from questionnaire.definition.model import SourcePos

#: Where a value stands in the data: mapping keys and list indices.
KeyPath = tuple[str | int, ...]


@dataclass
class SourceMap:
    """Positions of the values and keys of one definition (possibly many files)."""

    #: Where the value at a path starts.
    values: dict[KeyPath, SourcePos] = field(default_factory=dict)
    #: Where the key of a mapping entry starts (the path of its value).
    keys: dict[KeyPath, SourcePos] = field(default_factory=dict)
    #: Where the text of a one-line scalar starts (after its opening quote).
    text_starts: dict[KeyPath, SourcePos] = field(default_factory=dict)

    def value_at(self, path: KeyPath) -> SourcePos:
        """Position of the value at ``path``, or of its nearest known ancestor."""
        for cut in range(len(path), -1, -1):
            pos = self.values.get(path[:cut])
            if pos is not None:
                return pos
        return SourcePos(file="<unknown>", line=1, column=1)

    def key_at(self, path: KeyPath) -> SourcePos:
        """Position of the key of ``path``, else of its value or nearest ancestor."""
        return self.keys.get(path) or self.value_at(path)

    def text_at(self, path: KeyPath) -> SourcePos | None:
        """Where the text of a one-line scalar starts; ``None`` if it spans lines."""
        return self.text_starts.get(path)

    def copy_from(self, other: SourceMap, old: KeyPath, new: KeyPath) -> None:
        """Copy ``other``'s entries under ``old`` here, under ``new`` instead."""
        size = len(old)
        for mine, theirs in (
            (self.values, other.values),
            (self.keys, other.keys),
            (self.text_starts, other.text_starts),
        ):
            for path, pos in theirs.items():
                if path[:size] == old:
                    mine[new + path[size:]] = pos


@dataclass
class SourceDocument:
    """Data read from YAML, where each part of it stands, and what went wrong."""

    data: Any
    positions: SourceMap
    errors: list[DefinitionError] = field(default_factory=list)


def _pos(file: str, node: Node) -> SourcePos:
    mark = node.start_mark
    return SourcePos(file=file, line=mark.line + 1, column=mark.column + 1)


def read_yaml(path: Path, name: str | None = None) -> SourceDocument:
    """Read one YAML file into data and positions; problems become errors.

    ``name`` is how the file is called in errors (default: ``str(path)``).
    A file that cannot be read or parsed gives ``data=None`` and its error.
    """
    file = name or str(path)
    start = SourcePos(file=file, line=1, column=1)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return SourceDocument(None, SourceMap(), [make_error("file_not_found", start, path=file)])
    except (OSError, UnicodeDecodeError) as exc:
        detail = str(exc.reason) if isinstance(exc, UnicodeDecodeError) else exc.strerror or ""
        error = make_error("file_unreadable", start, detail=detail)
        return SourceDocument(None, SourceMap(), [error])
    return read_yaml_text(text, file)


def read_yaml_text(text: str, file: str) -> SourceDocument:
    """Read YAML ``text`` (called ``file`` in errors) into data and positions."""
    loader = yaml.SafeLoader(text)
    try:
        node = loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        return SourceDocument(None, SourceMap(), [_syntax_error(exc, file)])
    except yaml.YAMLError as exc:
        pos = SourcePos(file=file, line=1, column=1)
        error = make_error("yaml_syntax", pos, detail=str(exc), advice=_advice(str(exc)))
        return SourceDocument(None, SourceMap(), [error])
    finally:
        loader.dispose()
    builder = _Builder(file, loader)
    if node is None:  # an empty file
        builder.positions.values[()] = SourcePos(file=file, line=1, column=1)
        return SourceDocument(None, builder.positions, [])
    data = builder.build(node, ())
    return SourceDocument(data, builder.positions, builder.errors)


def _syntax_error(exc: yaml.MarkedYAMLError, file: str) -> DefinitionError:
    mark = exc.problem_mark or exc.context_mark
    line, column = (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
    detail = " ".join(part for part in (exc.context, exc.problem) if part)
    context = exc.context_mark
    if context is not None and mark is not None and context.line != mark.line:
        detail += f" (the construct begins at line {context.line + 1})"
    pos = SourcePos(file=file, line=line, column=column)
    return make_error("yaml_syntax", pos, detail=detail, advice=_advice(detail))


def _advice(detail: str) -> dict[str, str]:
    if "\\t" in detail or "\t" in detail:
        return words(N_("definition.advice.indent_with_spaces"))
    return words(N_("definition.advice.check_indentation"))


class _Builder:
    """Turns composed nodes into data, recording positions and problems."""

    def __init__(self, file: str, loader: yaml.SafeLoader) -> None:
        self.file = file
        self.loader = loader
        self.positions = SourceMap()
        self.errors: list[DefinitionError] = []
        self._open: list[Node] = []  # nodes being built: catches recursive aliases

    def build(self, node: Node, path: KeyPath) -> Any:
        self.positions.values[path] = _pos(self.file, node)
        if any(node is n for n in self._open):
            self.errors.append(
                make_error(
                    "yaml_syntax",
                    _pos(self.file, node),
                    detail="an alias refers to the node that contains it",
                    advice=_advice(""),
                )
            )
            return None
        self._open.append(node)
        try:
            if isinstance(node, MappingNode):
                return self._mapping(node, path)
            if isinstance(node, SequenceNode):
                return [self.build(item, (*path, i)) for i, item in enumerate(node.value)]
            assert isinstance(node, ScalarNode)
            return self._scalar(node, path)
        finally:
            self._open.pop()

    def _scalar(self, node: ScalarNode, path: KeyPath) -> Any:
        if "\n" not in node.value and node.start_mark.line == node.end_mark.line:
            shift = 1 if node.style in ("'", '"') else 0
            start = _pos(self.file, node)
            self.positions.text_starts[path] = start.model_copy(
                update={"column": start.column + shift}
            )
        try:
            value = self.loader.construct_object(node, deep=True)
        except yaml.constructor.ConstructorError as exc:
            self.errors.append(_syntax_error(exc, self.file))
            return None
        if isinstance(value, dt.date | dt.datetime):
            return node.value  # ISO dates stay text; the model reads them where it wants dates
        if isinstance(value, bytes):
            return node.value
        return value

    def _mapping(self, node: MappingNode, path: KeyPath) -> dict[str, Any]:
        first: dict[str, Node] = {}
        for key_node, _ in node.value:
            if not isinstance(key_node, ScalarNode) or key_node.tag == "tag:yaml.org,2002:merge":
                continue
            earlier = first.get(key_node.value)
            if earlier is not None:
                self.errors.append(
                    make_error(
                        "duplicate_key",
                        _pos(self.file, key_node),
                        key=key_node.value,
                        first_line=str(earlier.start_mark.line + 1),
                    )
                )
            else:
                first[key_node.value] = key_node
        try:
            self.loader.flatten_mapping(node)  # '<<' merge keys, as YAML does
        except yaml.constructor.ConstructorError as exc:
            self.errors.append(_syntax_error(exc, self.file))
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, ScalarNode):
                self.errors.append(
                    make_error(
                        "wrong_type",
                        _pos(self.file, key_node),
                        key="?",
                        expected=words(N_("definition.word.plain_name")),
                        found=words(N_("definition.word.list_or_mapping")),
                        advice=words(N_("definition.advice.plain_keys")),
                    )
                )
                continue
            key = str(key_node.value)
            child: KeyPath = (*path, key)
            self.positions.keys[child] = _pos(self.file, key_node)
            result[key] = self.build(value_node, child)
        return result
