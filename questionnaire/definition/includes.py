"""Expanding ``- include: blocks/x.yaml`` entries of a questionnaire.

An include entry may stand in a ``sections:`` list, where it is replaced by
the block's sections, or in a section's ``questions:`` list, where it is
replaced by the block's questions. A block may also hold ``calculations:`` and
``indicators:``; they are appended to the questionnaire's lists, after the
questionnaire's own, in include order (a file's own parts before those of the
blocks it includes). Positions of included parts name the block file, so that
every later error points at the block's line; a missing block and an include
cycle are errors.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from i18n import N_
from questionnaire.definition.errors import DefinitionError, make_error, words
from questionnaire.definition.model import SourcePos
from questionnaire.definition.source import KeyPath, SourceDocument, SourceMap, read_yaml

#: The lists of a questionnaire to which blocks append their entries.
APPENDED_PARTS = ("calculations", "indicators")

#: What a block included in a ``sections:`` or a ``questions:`` list must hold.
_BLOCK_ADVICE = {
    "sections": N_("definition.advice.block_among_sections"),
    "questions": N_("definition.advice.block_among_questions"),
}


@dataclass
class _Piece:
    """An entry of a list (a section, question, calculation, indicator) and where it stands.

    ``path`` is the entry's key path inside ``positions``.
    """

    data: Any
    positions: SourceMap
    path: KeyPath


@dataclass
class _Expansion:
    """What expanding the includes of one questionnaire has gathered so far."""

    errors: list[DefinitionError]
    #: Calculations and indicators of the included blocks, in include order.
    appended: dict[str, list[_Piece]] = field(
        default_factory=lambda: {part: [] for part in APPENDED_PARTS}
    )


def read_definition(path: Path, name: str | None = None) -> SourceDocument:
    """Read a questionnaire file and replace its includes by the blocks' contents.

    Positions of included sections, questions, calculations and indicators
    name the block file and its lines.
    """
    file = name or str(path)
    doc = read_yaml(path, file)
    if not isinstance(doc.data, dict) or not isinstance(doc.data.get("sections"), list):
        return doc
    found = _Expansion(doc.errors)
    stack = [path.resolve()]
    sections = _expand(
        doc.data["sections"], doc.positions, ("sections",), "sections", file, stack, found
    )
    lists: dict[str, list[_Piece]] = {"sections": sections}
    for part in APPENDED_PARTS:
        own = doc.data.get(part, [])
        if not isinstance(own, list):
            continue  # the shape check reports it; blocks add nothing to it
        pieces = [_Piece(entry, doc.positions, (part, i)) for i, entry in enumerate(own)]
        pieces += found.appended[part]
        if part in doc.data or pieces:
            lists[part] = pieces
    data = dict(doc.data)
    positions = _without_children(doc.positions, set(lists))
    for part, pieces in lists.items():
        _place(data, positions, part, pieces)
        if part not in doc.data:
            positions.values[(part,)] = positions.value_at((part, 0))
    return SourceDocument(data, positions, found.errors)


def _expand(
    items: list[Any],
    positions: SourceMap,
    prefix: KeyPath,
    part: str,
    file: str,
    stack: list[Path],
    found: _Expansion,
) -> list[_Piece]:
    """The entries of ``items`` (sections or questions), include entries replaced by blocks."""
    pieces: list[_Piece] = []
    for i, item in enumerate(items):
        here = (*prefix, i)
        if isinstance(item, dict) and "include" in item:
            pieces += _include(item, positions, here, part, file, stack, found)
        elif part == "sections":
            pieces.append(_section(item, positions, here, file, stack, found))
        else:
            pieces.append(_Piece(item, positions, here))
    return pieces


def _section(
    item: Any,
    positions: SourceMap,
    here: KeyPath,
    file: str,
    stack: list[Path],
    found: _Expansion,
) -> _Piece:
    """One section, the include entries of its ``questions:`` replaced by blocks."""
    questions = item.get("questions") if isinstance(item, dict) else None
    if not isinstance(questions, list) or not any(
        isinstance(q, dict) and "include" in q for q in questions
    ):
        return _Piece(item, positions, here)
    expanded = _expand(questions, positions, (*here, "questions"), "questions", file, stack, found)
    own = SourceMap()
    own.copy_from(positions, here, ())
    own = _without_children(own, {"questions"})
    data = dict(item)
    _place(data, own, "questions", expanded)
    return _Piece(data, own, ())


def _include(
    item: dict[str, Any],
    positions: SourceMap,
    here: KeyPath,
    part: str,
    file: str,
    stack: list[Path],
    found: _Expansion,
) -> list[_Piece]:
    """The ``part`` entries (sections or questions) of the block named by ``item``."""
    for key in item:
        if key != "include":
            found.errors.append(
                make_error(
                    "unknown_key",
                    positions.key_at((*here, key)),
                    key=key,
                    context=words(N_("definition.word.an_include_entry")),
                    advice=words(N_("definition.advice.include_entry_only")),
                )
            )
    target = item["include"]
    where = positions.value_at((*here, "include"))
    if not isinstance(target, str) or not target:
        found.errors.append(_wrong_type_error(where, "include", N_("definition.word.file_path")))
        return []
    real = (stack[-1].parent / target).resolve()
    shown = os.path.normpath(os.path.join(os.path.dirname(file), target))
    if real in stack:
        names = [p.name for p in stack[stack.index(real) :]] + [real.name]
        found.errors.append(make_error("include_cycle", where, cycle=" -> ".join(names)))
        return []
    if not real.is_file():
        found.errors.append(make_error("include_not_found", where, path=shown))
        return []
    block = read_yaml(real, shown)
    found.errors.extend(block.errors)
    if block.errors and block.data is None:
        return []
    start = block.positions.value_at(())
    if not isinstance(block.data, dict):
        found.errors.append(_wrong_type_error(start, shown, N_("definition.word.a_mapping")))
        return []
    _check_block_keys(block, part, found)
    for appended in APPENDED_PARTS:
        entries = block.data.get(appended, [])
        if isinstance(entries, list):
            found.appended[appended] += [
                _Piece(entry, block.positions, (appended, j)) for j, entry in enumerate(entries)
            ]
        else:
            where = block.positions.value_at((appended,))
            found.errors.append(_wrong_type_error(where, appended, N_("definition.word.list")))
    entries = block.data.get(part)
    if not isinstance(entries, list):
        if entries is None:
            found.errors.append(make_error("missing_key", start, key=part))
        else:
            where = block.positions.value_at((part,))
            found.errors.append(_wrong_type_error(where, part, N_("definition.word.list")))
        return []
    return _expand(entries, block.positions, (part,), part, shown, [*stack, real], found)


def _check_block_keys(block: SourceDocument, part: str, found: _Expansion) -> None:
    """Report the keys a block included among ``part`` may not hold."""
    for key in block.data:
        if key != part and key not in APPENDED_PARTS:
            found.errors.append(
                make_error(
                    "unknown_key",
                    block.positions.key_at((key,)),
                    key=key,
                    context=words(N_("definition.word.a_block")),
                    advice=words(_BLOCK_ADVICE[part]),
                )
            )


def _without_children(positions: SourceMap, parts: set[str]) -> SourceMap:
    """A copy of ``positions`` without the entries inside the top-level lists ``parts``.

    The positions of the lists themselves are kept.
    """
    kept = SourceMap()
    for mine, theirs in (
        (kept.values, positions.values),
        (kept.keys, positions.keys),
        (kept.text_starts, positions.text_starts),
    ):
        for path, pos in theirs.items():
            if len(path) < 2 or path[0] not in parts:
                mine[path] = pos
    return kept


def _place(data: dict[str, Any], positions: SourceMap, key: str, pieces: list[_Piece]) -> None:
    """Put ``pieces`` as the list ``data[key]``, and their positions under ``(key, i)``."""
    data[key] = [piece.data for piece in pieces]
    for i, piece in enumerate(pieces):
        positions.copy_from(piece.positions, piece.path, (key, i))


def _wrong_type_error(pos: SourcePos, key: str, expected_id: str) -> DefinitionError:
    expected = words(expected_id)
    return make_error(
        "wrong_type",
        pos,
        key=key,
        expected=expected,
        found=words(N_("definition.word.something_else")),
        advice=words(N_("definition.advice.write_expected"), expected=expected),
    )
