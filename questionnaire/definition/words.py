"""Words for shape errors: what a part of a definition is, what a value looks like.

Shared by :mod:`questionnaire.definition.shape` and :mod:`questionnaire.checks.survey`; every
phrase exists in English and French.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel

from questionnaire.definition.errors import both
from questionnaire.definition.model import (
    Calculation,
    Choice,
    Constraint,
    Eligibility,
    Indicator,
    Question,
    Repeat,
    Section,
    Survey,
    Weighting,
)
from questionnaire.definition.source import KeyPath

#: Keys whose values are texts per language (``{fr: ..., en: ...}``).
LOCAL_TEXT_KEYS = frozenset(
    {
        "title",
        "description",
        "label",
        "hint",
        "intro",
        "message",
        "min_label",
        "max_label",
        "another",
    }
)

#: The model of the mapping found under each key of a definition.
MODEL_OF_LIST: Mapping[str, type[BaseModel]] = {
    "sections": Section,
    "questions": Question,
    "choices": Choice,
    "constraints": Constraint,
    "repeat": Repeat,
    "calculations": Calculation,
    "indicators": Indicator,
    "weighting": Weighting,
    "eligibility": Eligibility,
    "survey": Survey,
}

#: "in a question", "in a section", ... by the key holding the mapping.
ITEM_KINDS: Mapping[str, Mapping[str, str]] = {
    "survey": both("the survey", "le questionnaire"),
    "sections": both("a section", "une section"),
    "questions": both("a question", "une question"),
    "choices": both("a choice", "un choix"),
    "constraints": both("a constraint", "une contrainte"),
    "repeat": both("a repeat", "une répétition"),
    "calculations": both("a calculation", "un calcul"),
    "indicators": both("an indicator", "un indicateur"),
    "weighting": both("the weighting", "la pondération"),
    "eligibility": both("an eligibility rule", "une règle d'admissibilité"),
}

_EXPECTED: Mapping[str, tuple[str, str]] = {
    "string_type": ("text", "du texte"),
    "int_type": ("a whole number", "un nombre entier"),
    "float_type": ("a number", "un nombre"),
    "bool_type": ("true or false", "true ou false"),
    "list_type": ("a list", "une liste"),
    "model_type": ("a mapping of keys", "un bloc de clés"),
    "model_attributes_type": ("a mapping of keys", "un bloc de clés"),
    "literal_error": ("soft", "soft"),
    "enum": ("one of the allowed values", "une des valeurs permises"),
}


def expected_words(error_types: list[str], key: str) -> dict[str, str]:
    """What the key expected, from the pydantic error types of its alternatives."""
    en: list[str] = []
    fr: list[str] = []
    for kind in error_types:
        if kind == "dict_type":
            pair = (
                ("a text per language, e.g. {fr: ..., en: ...}", "un texte par langue")
                if key in LOCAL_TEXT_KEYS
                else ("a mapping of keys", "un bloc de clés")
            )
        else:
            pair = _EXPECTED.get(kind, ("a value of another kind", "une valeur d'un autre type"))
        if pair[0] not in en:
            en.append(pair[0])
            fr.append(pair[1])
    if set(en) == {"a whole number", "a number", "text"}:
        return both("a number or a text (a date or an expression)", "un nombre ou un texte")
    return both(" or ".join(en), " ou ".join(fr))


def describe_value(value: Any) -> dict[str, str]:
    """What a value read from YAML looks like, in both languages."""
    if value is None:
        return both("nothing (null)", "rien (null)")
    if isinstance(value, bool):
        return both(f"the boolean {str(value).lower()}", f"le booléen {str(value).lower()}")
    if isinstance(value, int | float):
        return both(f"the number {value}", f"le nombre {value}")
    if isinstance(value, str):
        shown = value if len(value) <= 30 else value[:27] + "..."
        return both(f"the text '{shown}'", f"le texte '{shown}'")
    if isinstance(value, list):
        return both("a list", "une liste")
    if isinstance(value, dict):
        return both("a mapping", "un bloc de clés")
    return both(type(value).__name__, type(value).__name__)


_SUBJECT_KINDS = {
    "sections": "section",
    "questions": "question",
    "calculations": "calculation",
    "indicators": "indicator",
    "eligibility": "eligibility",
    "weighting": "weighting",
}


def subject_of(path: KeyPath, data: Any) -> tuple[str | None, str | None, str | None]:
    """``(kind, name, question)`` of the innermost named part containing ``path``.

    ``kind`` is ``question``, ``section``, ...; ``name`` its name (or its
    number for an eligibility rule); ``question`` the question's name if the
    path lies inside one.
    """
    kind: str | None = None
    name: str | None = None
    question: str | None = None
    node = data
    for i, part in enumerate(path):
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            break
        container = path[i - 1] if i > 0 else None
        if isinstance(part, int) and isinstance(container, str) and container in _SUBJECT_KINDS:
            kind = _SUBJECT_KINDS[container]
            raw = node.get("name") if isinstance(node, dict) else None
            name = raw if isinstance(raw, str) else str(part + 1)
            if kind == "question":
                question = name
        elif part == "weighting":
            kind, name = "weighting", None
    return kind, name, question
