"""Between HTML form fields and the raw answers the intake service reads.

The form posts each answer under its answer path (``incident[2].reported``):
one string, or several for checkboxes (a number question's "don't know" box
shares the number's name, so the service sees both and tells which one
counts). Nothing here decides whether an answer is valid.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from typing import Final

from werkzeug.datastructures import MultiDict

#: Form fields that are not answers.
CONTROL_FIELDS: Final = frozenset({"csrf_token", "page", "confirm", "request_key", "action"})
#: Longest answer path accepted as a field name.
MAX_PATH_LENGTH: Final = 200

_NOT_ID: Final = re.compile(r"[^A-Za-z0-9]+")

#: A raw answer: one string, several, or nothing.
Raw = str | list[str] | None


def field_id(path: str) -> str:
    """The HTML id of an answer's field: ``incident[2].reported`` -> ``f-incident-2-reported``."""
    return "f-" + _NOT_ID.sub("-", path).strip("-")


def posted_answers(form: MultiDict[str, str]) -> dict[str, Raw]:
    """The answers of a posted page, by path (one string, or a list for several values)."""
    answers: dict[str, Raw] = {}
    for name in form:
        if name in CONTROL_FIELDS or len(name) > MAX_PATH_LENGTH:
            continue
        values = form.getlist(name)
        answers[name] = values[0] if len(values) == 1 else values
    return answers


def confirmed_paths(form: MultiDict[str, str]) -> tuple[str, ...]:
    """The paths whose warning the respondent saw and confirms by posting again."""
    return tuple(path for path in form.getlist("confirm") if 0 < len(path) <= MAX_PATH_LENGTH)


def form_value(value: object) -> str | list[str]:
    """A stored answer as the form shows it again (``""`` for a question left unanswered)."""
    if value is None or repr(value) == "SKIPPED":
        return ""
    if isinstance(value, tuple):
        return [str(item) for item in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def shown_values(page: list[object], typed: Mapping[str, Raw] | None) -> dict[str, str | list[str]]:
    """What each field shows: what was just typed (a page sent back), else the stored answer."""
    shown: dict[str, str | list[str]] = {}
    for prompt in page:
        path = str(getattr(prompt, "path", ""))
        if typed is not None and path in typed:
            raw = typed[path]
            shown[path] = "" if raw is None else raw
        elif typed is not None:
            shown[path] = ""
        else:
            shown[path] = form_value(getattr(prompt, "current", None))
    return shown


def text_blocks(text: str) -> list[tuple[str, list[str]]]:
    """A questionnaire text as paragraphs and bullet lists: ``[("p", [line]), ("ul", items)]``."""
    blocks: list[tuple[str, list[str]]] = []
    for line in (part.strip() for part in text.split("\n")):
        if not line:
            continue
        if line.startswith(("•", "- ")):
            item = line.lstrip("•- ").strip()
            if blocks and blocks[-1][0] == "ul":
                blocks[-1][1].append(item)
            else:
                blocks.append(("ul", [item]))
        else:
            blocks.append(("p", [line]))
    return blocks
