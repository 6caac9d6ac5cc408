"""The kinds of values expressions handle, and the kind of each question.

The loader builds an environment (name -> :class:`ExprType`) from a survey
with :func:`type_of_question`, :func:`type_of_repeat` and
:func:`context_types`, and passes it to
:func:`questionnaire.expressions.check_types`.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from questionnaire.definition.model import Question, QuestionType, Section


class Kind(StrEnum):
    """What kind of value an expression gives."""

    NUMBER = "number"
    TEXT = "text"
    BOOL = "bool"
    DATE = "date"
    YEAR_MONTH = "year_month"
    #: One code of a single choice, yes/no or consent question.
    CHOICE = "choice"
    #: The selection of a multiple choice question.
    CHOICES = "choices"
    REPEAT = "repeat"
    LIST = "list"
    NULL = "null"
    #: Unknown in advance; fits anywhere.
    ANY = "any"


class FrozenMapping(Mapping[str, "ExprType"]):
    """An immutable, hashable mapping (a repeat's questions by name)."""

    __slots__ = ("_items",)

    def __init__(self, items: Mapping[str, ExprType] | Iterable[tuple[str, ExprType]] = ()) -> None:
        self._items: dict[str, ExprType] = dict(items)

    def __getitem__(self, key: str) -> ExprType:
        return self._items[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._items)

    def __len__(self) -> int:
        return len(self._items)

    def __hash__(self) -> int:
        return hash(frozenset(self._items.items()))

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Mapping) and dict(self.items()) == dict(other.items())

    def __repr__(self) -> str:
        return f"FrozenMapping({self._items!r})"


@dataclass(frozen=True)
class ExprType:
    """The type of a name or an expression.

    ``codes``: a choice question's declared codes; ``specials``: the special
    answers it offers (``dont_know``, ``prefer_not``); ``members``: a repeat's
    questions (any mapping given is frozen, so the type stays hashable).
    """

    kind: Kind
    codes: frozenset[str] = frozenset()
    specials: frozenset[str] = frozenset()
    members: Mapping[str, ExprType] = field(default_factory=FrozenMapping)

    def __post_init__(self) -> None:
        if not isinstance(self.members, FrozenMapping):
            object.__setattr__(self, "members", FrozenMapping(self.members))
        object.__setattr__(self, "codes", frozenset(self.codes))
        object.__setattr__(self, "specials", frozenset(self.specials))

    def describe(self) -> str:
        """The type in words, for error messages: ``a choice (high, low)``."""
        if self.kind in (Kind.CHOICE, Kind.CHOICES) and self.codes:
            what = "a choice" if self.kind is Kind.CHOICE else "a multiple choice"
            return f"{what} ({', '.join(sorted(self.codes))})"
        return _DESCRIPTIONS[self.kind]


_DESCRIPTIONS = {
    Kind.NUMBER: "a number",
    Kind.TEXT: "a text",
    Kind.BOOL: "true/false",
    Kind.DATE: "a date",
    Kind.YEAR_MONTH: "a year and month",
    Kind.CHOICE: "a choice",
    Kind.CHOICES: "a multiple choice",
    Kind.REPEAT: "a repeat",
    Kind.LIST: "a list",
    Kind.NULL: "null",
    Kind.ANY: "any value",
}

_YES_NO = frozenset({"yes", "no"})

_KIND_OF_TYPE: dict[QuestionType, Kind] = {
    QuestionType.SINGLE_CHOICE: Kind.CHOICE,
    QuestionType.MULTIPLE_CHOICE: Kind.CHOICES,
    QuestionType.YES_NO: Kind.CHOICE,
    QuestionType.CONSENT: Kind.CHOICE,
    QuestionType.INTEGER: Kind.NUMBER,
    QuestionType.DECIMAL: Kind.NUMBER,
    QuestionType.RATING: Kind.NUMBER,
    QuestionType.TEXT: Kind.TEXT,
    QuestionType.LONG_TEXT: Kind.TEXT,
    QuestionType.DATE: Kind.DATE,
    QuestionType.YEAR_MONTH: Kind.YEAR_MONTH,
    QuestionType.NOTE: Kind.NULL,
}


def type_of_question(question: Question) -> ExprType:
    """The type of a question's answer in expressions.

    Single and multiple choices carry their codes; yes/no and consent are
    choices of ``yes``/``no``; notes, which take no answer, are null.
    """
    kind = _KIND_OF_TYPE[question.type]
    if question.type in (QuestionType.YES_NO, QuestionType.CONSENT):
        codes = _YES_NO
    elif kind in (Kind.CHOICE, Kind.CHOICES):
        codes = frozenset(choice.code for choice in question.choices)
    else:
        codes = frozenset()
    specials = frozenset(str(code) for code in question.special)
    return ExprType(kind, codes=codes, specials=specials)


def type_of_repeat(section: Section) -> ExprType:
    """The type of a repeated section's name: a repeat whose members are its
    questions, ``index`` and, when it asks "another?", the yes/no ``another``.
    """
    members: dict[str, ExprType] = {"index": ExprType(Kind.NUMBER)}
    if section.repeat is not None and section.repeat.another is not None:
        members["another"] = ExprType(Kind.CHOICE, codes=_YES_NO)
    members.update((q.name, type_of_question(q)) for q in section.questions)
    return ExprType(Kind.REPEAT, members=members)


def context_types(languages: Iterable[str], value: ExprType | None = None) -> dict[str, ExprType]:
    """The context names every expression may read.

    ``language`` is one of the survey's ``languages``; ``value`` (the answer a
    constraint checks) is included when its type is given.
    """
    names: dict[str, ExprType] = {
        "today": ExprType(Kind.DATE),
        "reference_date": ExprType(Kind.DATE),
        "reference_month": ExprType(Kind.YEAR_MONTH),
        "language": ExprType(Kind.CHOICE, codes=frozenset(languages)),
        "channel": ExprType(Kind.CHOICE, codes=frozenset({"web", "telegram"})),
    }
    if value is not None:
        names["value"] = value
    return names
