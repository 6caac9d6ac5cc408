"""Checking the shape of a definition with the pydantic model, error by error.

Each pydantic error becomes a :class:`~questionnaire.definition.errors.DefinitionError`
at the position of the offending key. So that the later checks can still
report everything else, the parts that failed (a question, a section, a
calculation, ...) are left out of the model and their names remembered:
checks do not complain about references to them.
"""

from __future__ import annotations

import difflib
import json
from dataclasses import dataclass, field
from typing import Any

import pydantic

from i18n import N_
from questionnaire.definition.errors import DefinitionError, make_error, words
from questionnaire.definition.model import QuestionType, Survey
from questionnaire.definition.repair import repair
from questionnaire.definition.source import KeyPath, SourceDocument, SourceMap
from questionnaire.definition.words import (
    ITEM_KINDS,
    LOCAL_TEXT_KEYS,
    MODEL_OF_LIST,
    describe_value,
    expected_words,
    subject_of,
)

#: Keys that the loader fills and a definition may not write.
_LOADER_KEYS = frozenset({"pos", "content_hash"})


@dataclass
class ShapeResult:
    """The model (``None`` if the definition's frame is broken) and what went wrong."""

    survey: Survey | None
    positions: SourceMap
    errors: list[DefinitionError] = field(default_factory=list)
    #: Names of the parts left out of the model because their shape is wrong.
    left_out: set[str] = field(default_factory=set)


def validate_shape(doc: SourceDocument) -> ShapeResult:
    """Validate ``doc.data`` against :class:`Survey`, translating every error."""
    positions = doc.positions
    result = ShapeResult(None, positions)
    if not isinstance(doc.data, dict):
        found = describe_value(doc.data)
        pos = positions.value_at(())
        result.errors.append(
            make_error(
                "wrong_type",
                pos,
                key="(file)",
                expected=words(N_("definition.word.survey_mapping")),
                found=found,
                advice=words(N_("definition.advice.start_the_file")),
            )
        )
        return result
    data = doc.data
    result.errors.extend(_loader_keys(data, positions, ()))
    for attempt in range(3):
        try:
            result.survey = Survey.model_validate_json(json.dumps(data), strict=True)
            result.positions = positions
            return result
        except (pydantic.ValidationError, ValueError) as exc:
            problems = exc.errors() if isinstance(exc, pydantic.ValidationError) else []
            if attempt == 0:
                result.errors.extend(translate_errors(problems, data, positions))
            if not problems or not repair(data, positions, problems, result.left_out):
                return result
    return result


def _loader_keys(data: Any, positions: SourceMap, path: KeyPath) -> list[DefinitionError]:
    """Report and drop ``pos``/``content_hash`` keys written in the definition."""
    errors: list[DefinitionError] = []
    if isinstance(data, dict):
        if path and path[-1] in LOCAL_TEXT_KEYS:
            return errors
        for key in [k for k in data if k in _LOADER_KEYS]:
            errors.append(
                make_error(
                    "unknown_key",
                    positions.key_at((*path, key)),
                    key=key,
                    context=words(N_("definition.word.a_definition")),
                    advice=words(N_("definition.advice.filled_by_vigie")),
                )
            )
            del data[key]
        for key, value in data.items():
            errors.extend(_loader_keys(value, positions, (*path, key)))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            errors.extend(_loader_keys(value, positions, (*path, i)))
    return errors


def _exists(data: Any, path: KeyPath) -> bool:
    """Whether ``path`` leads somewhere in ``data``."""
    for part in path:
        if isinstance(data, dict) and isinstance(part, str) and part in data:
            data = data[part]
            continue
        if isinstance(data, list) and isinstance(part, int) and 0 <= part < len(data):
            data = data[part]
            continue
        return False
    return True


def _get(data: Any, path: KeyPath) -> Any:
    for part in path:
        data = data[part]
    return data


def translate_errors(
    problems: list[Any], data: dict[str, Any], positions: SourceMap
) -> list[DefinitionError]:
    """One definition error per offending key (union alternatives grouped)."""
    grouped: dict[KeyPath, list[Any]] = {}
    errors: list[DefinitionError] = []
    for problem in problems:
        loc: KeyPath = tuple(problem["loc"])
        if problem["type"] == "missing":
            errors.append(_missing(loc, data, positions))
            continue
        cut = len(loc)
        while cut > 0 and not _exists(data, loc[:cut]):
            cut -= 1
        grouped.setdefault(loc[:cut], []).append(problem)
    for path, group in grouped.items():
        kinds = {p["type"] for p in group}
        if kinds == {"extra_forbidden"}:
            errors.append(_unknown_key(path, positions))
        elif len(group) == 1 and kinds <= {"enum", "literal_error"}:
            errors.append(_bad_value(path, group[0], data, positions))
        else:
            errors.append(_wrong_type(path, group, data, positions))
    return errors


def _subject(path: KeyPath, data: dict[str, Any]) -> dict[str, Any]:
    kind, name, question = subject_of(path, data)
    params: dict[str, Any] = {"question": question}
    if kind:
        params.update(kind=kind, name=name)
    return params


def _missing(loc: KeyPath, data: dict[str, Any], positions: SourceMap) -> DefinitionError:
    parent = loc[:-1]
    return make_error(
        "missing_key", positions.value_at(parent), key=str(loc[-1]), **_subject(parent, data)
    )


def _fields_at(path: KeyPath) -> list[str]:
    """The keys a mapping at ``path`` may hold."""
    model: type[pydantic.BaseModel] = Survey
    for part in reversed(path):
        if isinstance(part, str):
            model = MODEL_OF_LIST.get(part, Survey)
            break
    return [name for name in model.model_fields if name not in _LOADER_KEYS]


def _unknown_key(path: KeyPath, positions: SourceMap) -> DefinitionError:
    key = str(path[-1])
    allowed = _fields_at(path[:-1])
    close = difflib.get_close_matches(key, allowed, n=1, cutoff=0.6)
    if close:
        advice = words(N_("definition.advice.did_you_mean"), name=close[0])
    else:
        advice = words(N_("definition.advice.allowed_keys"), keys=", ".join(allowed))
    context = ITEM_KINDS.get(_container(path[:-1]), ITEM_KINDS["survey"])
    return make_error(
        "unknown_key", positions.key_at(path), key=key, context=context, advice=advice
    )


def _container(path: KeyPath) -> str:
    for part in reversed(path):
        if isinstance(part, str):
            return part
    return "survey"


def _bad_value(
    path: KeyPath, problem: Any, data: dict[str, Any], positions: SourceMap
) -> DefinitionError:
    value = _get(data, path)
    key = str(path[-1]) if isinstance(path[-1], str) else str(path[-2])
    pos = positions.value_at(path)
    subject = _subject(path, data)
    if key == "type" and _container(path[:-1]) == "questions":
        names = [t.value for t in QuestionType]
        close = difflib.get_close_matches(str(value), names, n=1, cutoff=0.5)
        advice = (
            words(N_("definition.advice.did_you_mean"), name=close[0])
            if close
            else words(N_("definition.advice.use_one_of"), names=", ".join(names))
        )
        return make_error("unknown_question_type", pos, value=str(value), advice=advice, **subject)
    allowed = str(problem.get("ctx", {}).get("expected", "")).replace("'", "")
    return make_error("bad_value", pos, key=key, value=str(value), allowed=allowed, **subject)


def _wrong_type(
    path: KeyPath, group: list[Any], data: dict[str, Any], positions: SourceMap
) -> DefinitionError:
    value = _get(data, path)
    key = next((str(p) for p in reversed(path) if isinstance(p, str)), "(file)")
    expected = expected_words([p["type"] for p in group], key)
    found = describe_value(value)
    if isinstance(value, bool | int | float) and "text" in expected["en"]:
        advice = words(N_("definition.advice.quote_the_value"))
    else:
        advice = words(N_("definition.advice.write_expected"), expected=expected)
    return make_error(
        "wrong_type",
        positions.value_at(path),
        key=key,
        expected=expected,
        found=found,
        advice=advice,
        **_subject(path, data),
    )
