"""Setting aside the parts of a definition whose shape is wrong.

So that one malformed question does not hide every other problem, the loader
drops what pydantic refused and validates again: an unknown key or a broken
optional key is removed; a broken required key removes the question, section,
calculation, indicator or rule that holds it (a broken choice or constraint
removes its question, a broken repeat its section). The names of removed
parts are remembered so that checks do not report references to them. Only
a broken ``languages`` or ``sections`` stops the checks altogether.
"""

from __future__ import annotations

from typing import Any

from questionnaire.definition.source import KeyPath, SourceMap
from questionnaire.definition.words import LOCAL_TEXT_KEYS, MODEL_OF_LIST

#: Keys holding lists of items that can be removed one by one.
_ITEM_LISTS = frozenset(
    {"sections", "questions", "choices", "constraints", "calculations", "indicators", "eligibility"}
)
#: Keys holding a single nested model.
_NESTED = frozenset({"repeat", "weighting"})
#: Placeholders for the survey's required scalar keys.
_PLACEHOLDERS = {"id": "unnamed", "version": "0"}

#: ``("drop", path)``: remove what is at path; ``("set", path, value)``.
Action = tuple[str, KeyPath, Any]


def _item_end(loc: KeyPath) -> int:
    """Length of the path of the innermost item (list element or nested model) in ``loc``."""
    end = 0
    for k, part in enumerate(loc):
        if (isinstance(part, int) and k > 0 and loc[k - 1] in _ITEM_LISTS and k == end + 1) or (
            part in _NESTED and k == end
        ):
            end = k + 1
    return end


def plan(problem: dict[str, Any], data: dict[str, Any]) -> Action | None:
    """What to remove or set for one pydantic problem; ``None``: nothing sensible."""
    loc: KeyPath = tuple(problem["loc"])
    end = _item_end(loc)
    item = loc[:end]
    if len(loc) == end:  # the item itself is of the wrong kind
        return ("drop", _escalate(item), None) if item else None
    field = loc[end]
    if problem["type"] == "extra_forbidden" and len(loc) == end + 1:
        return ("drop", loc, None)
    container = next((p for p in reversed(item) if isinstance(p, str)), "survey")
    model = MODEL_OF_LIST[container]
    info = model.model_fields.get(str(field))
    if info is not None and not info.is_required():
        return ("drop", (*item, field), None)
    if item:
        return ("drop", _escalate(item), None)
    if field in _PLACEHOLDERS:
        return ("set", (field,), _PLACEHOLDERS[str(field)])
    languages = data.get("languages")
    if (
        field == "title"
        and isinstance(languages, list)
        and all(isinstance(x, str) for x in languages)
    ):
        return ("set", ("title",), {lang: "-" for lang in languages})
    return None


def _escalate(item: KeyPath) -> KeyPath:
    """Choices and constraints are removed with their question, a repeat with its section."""
    if len(item) >= 2 and item[-2] in ("choices", "constraints"):
        return item[:-2]
    if item and item[-1] == "repeat":
        return item[:-1]
    return item


def repair(
    data: dict[str, Any], positions: SourceMap, problems: list[Any], left_out: set[str]
) -> bool:
    """Apply the plans of ``problems`` to ``data``; ``False`` if one has none."""
    actions = [plan(problem, data) for problem in problems]
    if any(action is None for action in actions):
        return False
    chosen = {action[1]: action for action in actions if action is not None}
    paths = [p for p in chosen if not any(o != p and p[: len(o)] == o for o in chosen)]
    for path in sorted(paths, key=lambda t: [str(p).zfill(6) for p in t], reverse=True):
        kind, _, value = chosen[path]
        parent = _get(data, path[:-1])
        last = path[-1]
        if kind == "set":
            parent[last] = value
            continue
        if isinstance(last, int):
            left_out.update(_names_in(parent[last]))
            del parent[last]
            _shift(positions, path[:-1], last)
        else:
            del parent[last]
    return True


def _get(data: Any, path: KeyPath) -> Any:
    for part in path:
        data = data[part]
    return data


def _names_in(item: Any) -> set[str]:
    """Every ``name`` found in a removed part (its questions, repeat, ...)."""
    names: set[str] = set()
    if isinstance(item, dict):
        if isinstance(item.get("name"), str):
            names.add(item["name"])
        for key, value in item.items():
            if key not in LOCAL_TEXT_KEYS:
                names |= _names_in(value)
    elif isinstance(item, list):
        for value in item:
            names |= _names_in(value)
    return names


def _shift(positions: SourceMap, parent: KeyPath, index: int) -> None:
    """Positions after removing item ``index`` of the list at ``parent``."""
    size = len(parent)
    for table in (positions.values, positions.keys, positions.text_starts):
        moved = {}
        for path in list(table):
            if len(path) > size and path[:size] == parent:
                position = path[size]
                if isinstance(position, int) and position >= index:
                    pos = table.pop(path)
                    if position > index:
                        moved[(*parent, position - 1, *path[size + 1 :])] = pos
        table.update(moved)
