"""Loading questionnaire definitions: read, shape, check, hash.

The pipeline, like pyxform's: YAML text -> data with positions
(:mod:`questionnaire.definition.source`, includes by
:mod:`questionnaire.definition.includes`) -> the pydantic model
(:mod:`questionnaire.definition.shape`) -> the checks that relate one part to another
(:mod:`questionnaire.checks.survey`). Every problem found on the way is reported,
never only the first.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from questionnaire.checks.survey import check_survey
from questionnaire.definition.errors import DefinitionError, DefinitionErrors
from questionnaire.definition.includes import read_definition
from questionnaire.definition.model import Survey
from questionnaire.definition.shape import validate_shape
from questionnaire.definition.source import KeyPath, SourceMap


@dataclass
class LoadResult:
    """One file's outcome: the survey (when it has no errors) and every problem."""

    file: str
    survey: Survey | None
    errors: list[DefinitionError] = field(default_factory=list)


def content_hash(survey: Survey) -> str:
    """SHA-256 of the survey's canonical JSON (sorted keys, positions and hash left out).

    Two files that differ only in formatting, comments, key order or quoting
    give the same hash.
    """
    data = survey.model_dump(mode="json", exclude={"content_hash"})
    text = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def attach_positions(survey: Survey, positions: SourceMap) -> Survey:
    """A copy of ``survey`` whose models carry their :class:`SourcePos`."""
    result = _with_positions(survey, (), positions)
    assert isinstance(result, Survey)
    return result


def _with_positions(model: BaseModel, path: KeyPath, positions: SourceMap) -> BaseModel:
    update: dict[str, Any] = {}
    for name in type(model).model_fields:
        value = getattr(model, name)
        if isinstance(value, BaseModel):
            update[name] = _with_positions(value, (*path, name), positions)
        elif isinstance(value, list) and value and isinstance(value[0], BaseModel):
            update[name] = [
                _with_positions(item, (*path, name, i), positions) for i, item in enumerate(value)
            ]
    if "pos" in type(model).model_fields:
        update["pos"] = positions.key_at(path)
    return model.model_copy(update=update)


def load_file(path: str | Path) -> LoadResult:
    """Read, shape-check, check and hash one definition, collecting every problem."""
    name = str(path)
    doc = read_definition(Path(path), name)
    errors = list(doc.errors)
    if doc.data is None and errors:  # unreadable or not YAML: nothing more to check
        return LoadResult(name, None, _unique_sorted(errors))
    shape = validate_shape(doc)
    errors.extend(shape.errors)
    survey = shape.survey
    if survey is not None:
        survey = attach_positions(survey, shape.positions)
        errors.extend(check_survey(survey, shape.positions, frozenset(shape.left_out)))
    errors = _unique_sorted(errors)
    if errors or survey is None:
        return LoadResult(name, None, errors)
    return LoadResult(name, survey.model_copy(update={"content_hash": content_hash(survey)}))


def _unique_sorted(errors: list[DefinitionError]) -> list[DefinitionError]:
    seen: set[tuple[str, str, int, int, str]] = set()
    unique: list[DefinitionError] = []
    for error in errors:
        key = (error.code, error.file, error.line, error.column, error.message)
        if key not in seen:
            seen.add(key)
            unique.append(error)
    return sorted(unique, key=DefinitionError.sort_key)


def load_survey(path: str | Path) -> Survey:
    """The survey defined in ``path``, with positions and content hash.

    Raises :class:`DefinitionErrors` holding every problem, sorted by file,
    line and column.
    """
    result = load_file(path)
    if result.survey is None:
        raise DefinitionErrors(result.errors)
    return result.survey


def check_files(paths: Iterable[str | Path]) -> list[DefinitionError]:
    """Every problem in the definitions at ``paths`` (empty when all are sound)."""
    errors: list[DefinitionError] = []
    for path in paths:
        errors.extend(load_file(path).errors)
    return errors
