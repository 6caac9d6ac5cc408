"""Expanding ``- include: blocks/x.yaml`` entries of a questionnaire's sections.

An include entry is replaced by the block's sections, and the block's
calculations are appended to the questionnaire's. Positions of included parts
name the block file; a missing block and an include cycle are errors.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from questionnaire.errors import DefinitionError, both, make_error
from questionnaire.model import SourcePos
from questionnaire.yaml_source import KeyPath, SourceDocument, SourceMap, read_yaml


@dataclass
class _Piece:
    """A section or calculation taken from some file, and its path in that file."""

    data: Any
    positions: SourceMap
    path: KeyPath


@dataclass
class _Expansion:
    errors: list[DefinitionError]
    sections: list[_Piece] = field(default_factory=list)
    calculations: list[_Piece] = field(default_factory=list)


def read_definition(path: Path, name: str | None = None) -> SourceDocument:
    """Read a questionnaire file and replace its includes by the blocks' contents.

    Positions of included sections and calculations name the block file.
    """
    file = name or str(path)
    doc = read_yaml(path, file)
    if not isinstance(doc.data, dict) or not isinstance(doc.data.get("sections"), list):
        return doc
    found = _Expansion(doc.errors)
    stack = [path.resolve()]
    _expand(doc.data["sections"], doc.positions, ("sections",), file, stack, found)
    own_calculations = doc.data.get("calculations", [])
    if not isinstance(own_calculations, list):
        found.calculations = []  # the shape check reports it; blocks add nothing to it
    else:
        pieces = [
            _Piece(c, doc.positions, ("calculations", i)) for i, c in enumerate(own_calculations)
        ]
        found.calculations = pieces + found.calculations
    positions = SourceMap()
    positions.copy_from(doc.positions, (), ())
    for table in (positions.values, positions.keys, positions.text_starts):
        for key in [k for k in table if len(k) > 1 and k[0] in ("sections", "calculations")]:
            del table[key]
    data = dict(doc.data)
    data["sections"] = [piece.data for piece in found.sections]
    for i, piece in enumerate(found.sections):
        positions.copy_from(piece.positions, piece.path, ("sections", i))
    if isinstance(own_calculations, list):
        data["calculations"] = [piece.data for piece in found.calculations]
        for i, piece in enumerate(found.calculations):
            positions.copy_from(piece.positions, piece.path, ("calculations", i))
        if "calculations" not in doc.data and found.calculations:
            positions.values[("calculations",)] = positions.value_at(("calculations", 0))
    return SourceDocument(data, positions, found.errors)


def _expand(
    items: list[Any],
    positions: SourceMap,
    prefix: KeyPath,
    file: str,
    stack: list[Path],
    found: _Expansion,
) -> None:
    """Collect the sections of ``items``, replacing include entries by blocks."""
    for i, item in enumerate(items):
        here = (*prefix, i)
        if isinstance(item, dict) and "include" in item:
            _include(item, positions, here, file, stack, found)
        else:
            found.sections.append(_Piece(item, positions, here))


def _include(
    item: dict[str, Any],
    positions: SourceMap,
    here: KeyPath,
    file: str,
    stack: list[Path],
    found: _Expansion,
) -> None:
    """Expand one ``- include: path`` entry into ``found``."""
    for key in item:
        if key != "include":
            found.errors.append(
                make_error(
                    "unknown_key",
                    positions.key_at((*here, key)),
                    key=key,
                    context=both("an include entry", "une entrée include"),
                    advice=both(
                        "an include entry holds only 'include:'",
                        "une entrée include ne contient que 'include:'",
                    ),
                )
            )
    target = item["include"]
    where = positions.value_at((*here, "include"))
    if not isinstance(target, str) or not target:
        found.errors.append(_wrong_type_error(where, "include", "a file path", "un chemin"))
        return
    real = (stack[-1].parent / target).resolve()
    shown = os.path.normpath(os.path.join(os.path.dirname(file), target))
    if real in stack:
        names = [p.name for p in stack[stack.index(real) :]] + [real.name]
        found.errors.append(make_error("include_cycle", where, cycle=" -> ".join(names)))
        return
    if not real.is_file():
        found.errors.append(make_error("include_not_found", where, path=shown))
        return
    block = read_yaml(real, shown)
    found.errors.extend(block.errors)
    if block.errors and block.data is None:
        return
    start = block.positions.value_at(())
    if not isinstance(block.data, dict):
        found.errors.append(_wrong_type_error(start, shown, "a mapping", "un bloc de clés"))
        return
    for key in block.data:
        if key not in ("sections", "calculations"):
            found.errors.append(
                make_error(
                    "unknown_key",
                    block.positions.key_at((key,)),
                    key=key,
                    context=both("a block", "un bloc"),
                    advice=both(
                        "a block holds 'sections:' and optionally 'calculations:'",
                        "un bloc contient 'sections:' et éventuellement 'calculations:'",
                    ),
                )
            )
    sections = block.data.get("sections")
    if not isinstance(sections, list):
        if sections is None:
            found.errors.append(make_error("missing_key", start, key="sections"))
        else:
            found.errors.append(
                _wrong_type_error(
                    block.positions.value_at(("sections",)), "sections", "a list", "une liste"
                )
            )
        return
    _expand(sections, block.positions, ("sections",), shown, [*stack, real], found)
    calculations = block.data.get("calculations", [])
    if isinstance(calculations, list):
        for j, calc in enumerate(calculations):
            found.calculations.append(_Piece(calc, block.positions, ("calculations", j)))
    else:
        where = block.positions.value_at(("calculations",))
        found.errors.append(_wrong_type_error(where, "calculations", "a list", "une liste"))


def _wrong_type_error(pos: SourcePos, key: str, en: str, fr: str) -> DefinitionError:
    return make_error(
        "wrong_type",
        pos,
        key=key,
        expected=both(en, fr),
        found=both("something else", "autre chose"),
        advice=both(f"write {en} here", f"écrivez ici {fr}"),
    )
