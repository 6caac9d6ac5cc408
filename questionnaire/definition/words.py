"""Words for shape errors: what a part of a definition is, what a value looks like.

Shared by :mod:`questionnaire.definition.shape` and :mod:`questionnaire.checks.survey`; every
phrase exists in English and French.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel

from i18n import LANGUAGES, N_, MessageTable
from questionnaire.definition.errors import words
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
ITEM_KINDS: Mapping[str, Mapping[str, str]] = MessageTable(
    "definition.word.item.",
    (
        N_("definition.word.item.survey"),
        N_("definition.word.item.sections"),
        N_("definition.word.item.questions"),
        N_("definition.word.item.choices"),
        N_("definition.word.item.constraints"),
        N_("definition.word.item.repeat"),
        N_("definition.word.item.calculations"),
        N_("definition.word.item.indicators"),
        N_("definition.word.item.weighting"),
        N_("definition.word.item.eligibility"),
    ),
)

#: What a pydantic error type says the key expected.
_EXPECTED: Mapping[str, str] = {
    "string_type": N_("definition.word.text"),
    "int_type": N_("definition.word.whole_number"),
    "float_type": N_("definition.word.number"),
    "bool_type": N_("definition.word.true_or_false"),
    "list_type": N_("definition.word.list"),
    "model_type": N_("definition.word.mapping"),
    "model_attributes_type": N_("definition.word.mapping"),
    "literal_error": N_("definition.word.soft"),
    "enum": N_("definition.word.allowed_value"),
}
_NUMBER_OR_TEXT = {_EXPECTED["int_type"], _EXPECTED["float_type"], _EXPECTED["string_type"]}


def expected_words(error_types: list[str], key: str) -> dict[str, str]:
    """What the key expected, from the pydantic error types of its alternatives."""
    wanted: list[str] = []
    for kind in error_types:
        if kind == "dict_type":
            msgid = (
                N_("definition.word.local_text")
                if key in LOCAL_TEXT_KEYS
                else N_("definition.word.mapping")
            )
        else:
            msgid = _EXPECTED.get(kind, N_("definition.word.other_kind"))
        if msgid not in wanted:
            wanted.append(msgid)
    if set(wanted) == _NUMBER_OR_TEXT:
        return words(N_("definition.word.number_or_text"))
    alternatives = [words(msgid) for msgid in wanted]
    joiner = words(N_("definition.word.or"))
    return {
        language: f" {joiner[language]} ".join(alt[language] for alt in alternatives)
        for language in LANGUAGES
    }


def describe_value(value: Any) -> dict[str, str]:
    """What a value read from YAML looks like, in both languages."""
    if value is None:
        return words(N_("definition.word.null"))
    if isinstance(value, bool):
        return words(N_("definition.word.the_boolean"), value=str(value).lower())
    if isinstance(value, int | float):
        return words(N_("definition.word.the_number"), value=str(value))
    if isinstance(value, str):
        shown = value if len(value) <= 30 else value[:27] + "..."
        return words(N_("definition.word.the_text"), value=shown)
    if isinstance(value, list):
        return words(N_("definition.word.list"))
    if isinstance(value, dict):
        return words(N_("definition.word.a_mapping"))
    return dict.fromkeys(LANGUAGES, type(value).__name__)


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
