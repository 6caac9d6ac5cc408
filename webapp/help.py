"""Help resources shown at the end (victim services, crisis lines), per deployment.

A JSON list, bilingual, read from ``VIGIE_HELP_RESOURCES`` or the shipped
``webapp/help_resources.json``::

    [{"name": {"fr": "...", "en": "..."}, "phone": "811",
      "description": {"fr": "...", "en": "..."}, "url": "https://..."}]

A file that cannot be read or does not have this shape stops the app at start
(a deployment error, not something a resident should meet).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from i18n import DEFAULT_LANGUAGE

SHIPPED = Path(__file__).resolve().parent / "help_resources.json"


@dataclass(frozen=True)
class HelpResource:
    """One resource, already in the page's language."""

    name: str
    description: str
    phone: str | None
    url: str | None


def _text(entry: dict[str, object], key: str, language: str) -> str:
    value = entry.get(key)
    if isinstance(value, str):
        return value
    if not isinstance(value, dict):
        raise ValueError(f"help resource: {key!r} must be a text or a {{language: text}} map")
    text = value.get(language) or value.get(DEFAULT_LANGUAGE) or ""
    return str(text)


@cache
def _entries(path: str) -> tuple[dict[str, object], ...]:
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    if not isinstance(data, list) or not all(isinstance(entry, dict) for entry in data):
        raise ValueError(f"{path}: help resources must be a JSON list of objects")
    return tuple(data)


def help_resources(path: str | None, language: str) -> list[HelpResource]:
    """The resources of ``path`` (the shipped list by default) in ``language``."""
    resources = []
    for entry in _entries(str(path or SHIPPED)):
        phone, url = entry.get("phone"), entry.get("url")
        resources.append(
            HelpResource(
                name=_text(entry, "name", language),
                description=_text(entry, "description", language),
                phone=str(phone) if phone else None,
                url=str(url) if url else None,
            )
        )
    return resources
