"""The typed model of a questionnaire definition.

A YAML file in ``survey_defs/`` is read by :mod:`questionnaire.loader` into
these pydantic models. The models only describe *shape*; every rule that
relates one part of a definition to another (names unique, translations
complete, expressions that refer to known questions, ...) is checked by the
loader's checks and reported with an error code from
:mod:`questionnaire.definition.errors`.

Values that respondents give are described in :mod:`questionnaire.definition.values`.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from functools import cached_property
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

#: A text in every declared language, e.g. ``{"fr": "Âge", "en": "Age"}``.
LocalText = dict[str, str]

#: Choice codes are stored, exported and sent as Telegram callback data,
#: whose limit is 64 bytes.
MAX_CHOICE_CODE_BYTES = 64


class QuestionType(StrEnum):
    """Every kind of question a definition may declare (the field registry)."""

    SINGLE_CHOICE = "single_choice"
    MULTIPLE_CHOICE = "multiple_choice"
    YES_NO = "yes_no"
    INTEGER = "integer"
    DECIMAL = "decimal"
    TEXT = "text"
    LONG_TEXT = "long_text"
    DATE = "date"
    YEAR_MONTH = "year_month"
    RATING = "rating"
    NOTE = "note"
    CONSENT = "consent"


#: Types whose answers are one or more of the question's declared choices.
CHOICE_TYPES = frozenset({QuestionType.SINGLE_CHOICE, QuestionType.MULTIPLE_CHOICE})
#: Types that take no answer at all.
DISPLAY_TYPES = frozenset({QuestionType.NOTE})


class SpecialCode(StrEnum):
    """Answers that are answers, never missing data, with fixed export codes."""

    DONT_KNOW = "dont_know"
    PREFER_NOT = "prefer_not"


#: Export codes of special answers and of the two kinds of absence, shared by
#: every questionnaire (the usual 96-99 convention of social surveys).
SPECIAL_EXPORT_CODES: dict[str, int] = {
    "valid_skip": 96,  # the question did not apply to this respondent
    SpecialCode.DONT_KNOW: 97,
    SpecialCode.PREFER_NOT: 98,
    "not_stated": 99,  # the question applied but got no answer
}


class _Strict(BaseModel):
    """Definitions reject unknown keys: a typo must not pass silently."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class SourcePos(_Strict):
    """Where a node stands in its YAML file (1-based line and column)."""

    file: str
    line: int
    column: int


class Choice(_Strict):
    #: Stable code, stored and exported; at most 64 bytes in UTF-8.
    code: str
    label: LocalText
    #: Numeric code used in exports (SPSS/Stata style); optional.
    export: int | None = None
    #: Selecting it clears and forbids every other choice ("none of these").
    exclusive: bool = False
    pos: SourcePos | None = Field(default=None, exclude=True)


class Constraint(_Strict):
    #: Expression that must be true for the answer to be accepted; ``value``
    #: names the answer being checked.
    expression: str
    message: LocalText
    #: A soft constraint warns once, then accepts the same answer if repeated.
    soft: bool = False
    pos: SourcePos | None = Field(default=None, exclude=True)


class Question(_Strict):
    #: Stable identifier: lower snake case, unique in the questionnaire.
    name: str
    type: QuestionType
    label: LocalText
    hint: LocalText | None = None
    #: ``True``: must be answered; ``"soft"``: warn once then accept a skip;
    #: ``False``: may be skipped freely.
    required: bool | Literal["soft"] = False
    #: Skip logic: the question is asked only when this expression is true.
    relevant: str | None = None
    constraints: list[Constraint] = Field(default_factory=list)
    #: Special answers offered beside the ordinary ones.
    special: list[SpecialCode] = Field(default_factory=list)
    #: Sensitive questions are asked on the web only, behind the quick exit.
    sensitive: bool = False
    #: Choices (single_choice, multiple_choice).
    choices: list[Choice] = Field(default_factory=list)
    #: Bounds: numbers for integer/decimal/rating, expressions or ISO dates
    #: (``"2024-01-01"``, ``"reference_date"``, ``"today"``) for date and
    #: year_month.
    min: int | float | str | None = None
    max: int | float | str | None = None
    #: Text length limit and optional full-match regular expression.
    max_length: int | None = None
    pattern: str | None = None
    #: Rating scales: labels of the two ends (``min`` and ``max`` give range).
    min_label: LocalText | None = None
    max_label: LocalText | None = None
    pos: SourcePos | None = Field(default=None, exclude=True)


class Repeat(_Strict):
    """A section asked once per instance (e.g. one incident report each)."""

    #: Prefix of answer paths: ``incident[2].reported``.
    name: str
    #: Number of instances, an expression over earlier answers (capped by max).
    count: str | None = None
    #: Or: ask "another one?" after each instance, with this label.
    another: LocalText | None = None
    max: int
    #: Title of each instance; ``{index}`` and ``{count}`` are piped in.
    title: LocalText | None = None
    pos: SourcePos | None = Field(default=None, exclude=True)


class Section(_Strict):
    """A group of questions: one page on the web, a heading in the chat."""

    name: str
    title: LocalText
    intro: LocalText | None = None
    relevant: str | None = None
    #: Every question of the section is sensitive (web only).
    sensitive: bool = False
    repeat: Repeat | None = None
    questions: list[Question]
    pos: SourcePos | None = Field(default=None, exclude=True)


class Calculation(_Strict):
    """A value computed from answers, usable in expressions and labels."""

    name: str
    expression: str
    pos: SourcePos | None = Field(default=None, exclude=True)


class IndicatorUnit(StrEnum):
    PERCENT = "percent"
    PER_1000 = "per_1000"


class Indicator(_Strict):
    """A published figure: weighted sum(numerator) / weighted sum(denominator).

    Both are expressions evaluated once per respondent; a respondent whose
    denominator is null or 0 is outside the indicator's population.
    """

    name: str
    label: LocalText
    description: LocalText | None = None
    unit: IndicatorUnit
    numerator: str
    denominator: str
    #: Whose rate it is: persons aged 15+ or households.
    population: Literal["person", "household"] = "person"
    pos: SourcePos | None = Field(default=None, exclude=True)


class Weighting(_Strict):
    """How responses are calibrated to census margins.

    ``domain`` names the question holding the municipality code; each entry of
    ``margins`` lists the questions crossed in one margin, calibrated within
    each domain (e.g. ``[age_group, gender]``). Benchmark categories use the
    questions' choice codes.
    """

    domain: str
    margins: list[list[str]]
    pos: SourcePos | None = Field(default=None, exclude=True)


class Eligibility(_Strict):
    """A rule a respondent must meet to go on (age 15+, consent given).

    Evaluated after every answer once all the questions it names are
    answered; when it is false the conversation ends as *screened out* and the
    respondent sees ``message``.
    """

    expression: str
    message: LocalText
    pos: SourcePos | None = Field(default=None, exclude=True)


class Survey(_Strict):
    """A whole questionnaire, as loaded from one YAML file (with its includes)."""

    #: Stable name of the questionnaire (``victimisation``).
    id: str
    #: Version declared by its authors; answers point at (id, version, hash).
    version: str
    #: Declared languages; every text must exist in each. The first is the
    #: default.
    languages: list[str]
    title: LocalText
    description: LocalText | None = None
    #: Length of the reference period: ``reference_date`` = start - N months.
    reference_period_months: int | None = None
    eligibility: list[Eligibility] = Field(default_factory=list)
    sections: list[Section]
    calculations: list[Calculation] = Field(default_factory=list)
    indicators: list[Indicator] = Field(default_factory=list)
    weighting: Weighting | None = None
    #: SHA-256 of the definition's canonical JSON (set by the loader).
    content_hash: str = ""
    pos: SourcePos | None = Field(default=None, exclude=True)

    # -- lookups -------------------------------------------------------------

    def questions(self) -> list[Question]:
        """Every question in definition order."""
        return [q for s in self.sections for q in s.questions]

    @cached_property
    def _by_name(self) -> dict[str, tuple[Question, Section]]:
        # The model is frozen, so the index is built once per definition.
        return {q.name: (q, s) for s in self.sections for q in s.questions}

    def model_copy(self, *, update: Mapping[str, Any] | None = None, deep: bool = False) -> Survey:
        """A copy whose question index is rebuilt from its own sections."""
        copy = super().model_copy(update=update, deep=deep)
        copy.__dict__.pop("_by_name", None)
        return copy

    def has_question(self, name: str) -> bool:
        return name in self._by_name

    def question(self, name: str) -> Question:
        """The question called ``name``; ``KeyError`` if there is none."""
        return self._by_name[name][0]

    def section_of(self, name: str) -> Section:
        """The section holding question ``name``; ``KeyError`` if there is none."""
        return self._by_name[name][1]
