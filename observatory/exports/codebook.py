"""The variables of a microdata export, with their labels, value labels and missing codes.

One questionnaire gives one respondent file (every question outside a repeat) and one file
per repeat section (``incident``: one row per incident report, keyed by respondent and
instance number). How each question type becomes variables:

==================  =====================================================================
single_choice       one numeric variable: the choice's ``export`` code (else its position)
multiple_choice     one 0/1 variable per choice, ``<question>_<choice>``
yes_no, consent     1 yes, 2 no
integer, decimal,   the number itself
rating
date, year_month    ``YYYYMMDD`` / ``YYYYMM`` as a number
text, long_text     never exported: free text can identify a respondent (listed as withheld)
note                nothing (no answer)
==================  =====================================================================

Absences and special answers are declared missing values with fixed codes, the same in
every format: valid skip (the question did not apply) 96, don't know 97, prefer not to
answer 98, not stated (it applied, no answer) 99
(:data:`questionnaire.definition.model.SPECIAL_EXPORT_CODES`). A number
whose declared range reaches 96-99 takes the next free block above its maximum (996-999 for
a count up to 99). SPSS declares the block as a user-missing range; Stata gets extended
missing values with letters that say what they are: ``.s`` skip, ``.d`` don't know,
``.r`` refused (prefer not), ``.n`` not stated.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from i18n import LANGUAGES, N_, texts, translate
from questionnaire.answers.formatting import choice_label, special_label
from questionnaire.definition.model import Question, QuestionType, Survey

#: Why a cell holds no ordinary value, in code order.
REASONS = ("valid_skip", "dont_know", "prefer_not", "not_stated")
#: Stata extended missing letter of each reason.
STATA_LETTERS = {"valid_skip": "s", "dont_know": "d", "prefer_not": "r", "not_stated": "n"}
#: Types never exported (free text) and types without an answer.
WITHHELD = frozenset({QuestionType.TEXT, QuestionType.LONG_TEXT})
SILENT = frozenset({QuestionType.NOTE})
#: Longest variable name kept: Stata reads 32 characters, and the value-label set written for
#: a variable is named after it plus a number (up to 4 digits).
MAX_NAME = 28
RESPONDENT_FILE = "respondents"
WORDS = (
    N_("export.reason.valid_skip"),
    N_("export.reason.not_stated"),
    N_("export.value.chosen"),
    N_("export.value.not_chosen"),
    N_("export.variable.respondent_id"),
    N_("export.variable.instance"),
    N_("export.variable.channel"),
    N_("export.variable.language"),
    N_("export.variable.status"),
    N_("export.variable.started_on"),
    N_("export.variable.final_weight"),
    N_("export.variable.replicate_weight"),
    N_("export.variable.numerator"),
    N_("export.variable.denominator"),
    N_("export.status.completed"),
    N_("export.status.in_progress"),
    N_("export.status.abandoned"),
    N_("export.language.fr"),
    N_("export.language.en"),
)


@dataclass(frozen=True)
class Variable:
    """One column of one export file."""

    name: str
    #: ``respondents`` or the repeat's name.
    file: str
    #: ``numeric`` or ``string``.
    kind: str
    label: dict[str, str]
    #: Ordinary values and their labels, by language.
    values: dict[float, dict[str, str]] = field(default_factory=dict)
    #: Missing-value code of each reason (empty: the variable is never missing).
    missing: dict[str, float] = field(default_factory=dict)
    #: The question it comes from (``""`` for Vigie's own variables).
    question: str = ""
    #: For a multiple-choice dummy: the choice code it stands for.
    choice: str | None = None

    def missing_labels(self) -> dict[float, dict[str, str]]:
        """Labels of the missing codes."""
        return {code: reason_labels(reason) for reason, code in self.missing.items()}


def reason_labels(reason: str) -> dict[str, str]:
    """``{"fr": ..., "en": ...}`` of a reason for a missing value."""
    if reason in ("dont_know", "prefer_not"):
        return {language: special_label(reason, language) for language in LANGUAGES}
    return texts(f"export.reason.{reason}")


def missing_block(question: Question) -> dict[str, float]:
    """The four missing codes of a question: 96-99, unless its range may reach them."""
    base = 96.0
    low, high = question.min, question.max
    numeric = question.type in (QuestionType.INTEGER, QuestionType.DECIMAL, QuestionType.RATING)
    if numeric:
        reaches_low = not isinstance(low, int | float) or low <= 99
        reaches_high = not isinstance(high, int | float) or high >= 96
        if reaches_low and reaches_high:
            if isinstance(high, int | float):
                power = 100.0
                while power - 4 <= high:
                    power *= 10
                base = power - 4
            else:  # no declared maximum: codes below the smallest possible value
                floor = float(low) if isinstance(low, int | float) else 0.0
                base = min(-99.0, floor - 100.0)
    return {reason: base + offset for offset, reason in enumerate(REASONS)}


def export_name(*parts: str) -> str:
    """``part_part``, shortened to :data:`MAX_NAME` characters with a stable suffix if needed."""
    name = "_".join(parts)
    if len(name) <= MAX_NAME:
        return name
    import hashlib

    digest = hashlib.sha1(name.encode()).hexdigest()[:4]
    return f"{name[: MAX_NAME - 5]}_{digest}"


def choice_code(question: Question, position: int) -> float:
    """The export code of a question's choice: declared, else its 1-based position."""
    choice = question.choices[position]
    if all(c.export is not None for c in question.choices) and choice.export is not None:
        return float(choice.export)
    return float(position + 1)


def question_variables(question: Question, file: str) -> list[Variable]:
    """The variables one question gives (none for notes and free text)."""
    if question.type in WITHHELD or question.type in SILENT:
        return []
    label = {language: question.label.get(language, question.name) for language in LANGUAGES}
    missing = missing_block(question)
    if question.type == QuestionType.MULTIPLE_CHOICE:
        flags = {1.0: texts("export.value.chosen"), 0.0: texts("export.value.not_chosen")}
        return [
            Variable(
                export_name(question.name, choice.code),
                file,
                "numeric",
                {lang: f"{label[lang]} – {choice.label.get(lang, choice.code)}" for lang in label},
                flags,
                missing,
                question.name,
                choice.code,
            )
            for choice in question.choices
        ]
    values: dict[float, dict[str, str]] = {}
    if question.type == QuestionType.SINGLE_CHOICE:
        for position, choice in enumerate(question.choices):
            values[choice_code(question, position)] = {
                lang: choice_label(question, choice.code, lang) for lang in LANGUAGES
            }
    elif question.type in (QuestionType.YES_NO, QuestionType.CONSENT):
        for code, number in (("yes", 1.0), ("no", 2.0)):
            values[number] = {lang: choice_label(question, code, lang) for lang in LANGUAGES}
    name = export_name(question.name)
    return [Variable(name, file, "numeric", label, values, missing, question.name)]


@dataclass(frozen=True)
class Codebook:
    """Every variable of an export, file by file, and the questions withheld."""

    survey_id: str
    files: dict[str, list[Variable]]
    #: Free-text questions, never exported (listed in the codebook as ``withheld``).
    withheld: list[Variable]

    def variables(self) -> list[Variable]:
        return [v for variables in self.files.values() for v in variables]


def system_variables(file: str) -> list[Variable]:
    """Vigie's own leading columns of a file."""
    key = Variable("respondent_id", file, "string", texts("export.variable.respondent_id"))
    if file != RESPONDENT_FILE:
        return [key, Variable("instance", file, "numeric", texts("export.variable.instance"))]
    channel = {1.0: {"fr": "Web", "en": "Web"}, 2.0: {"fr": "Telegram", "en": "Telegram"}}
    language = {1.0: texts("export.language.fr"), 2.0: texts("export.language.en")}
    status = {
        1.0: texts("export.status.completed"),
        2.0: texts("export.status.in_progress"),
        3.0: texts("export.status.abandoned"),
    }
    return [
        key,
        Variable("channel", file, "numeric", texts("export.variable.channel"), channel),
        Variable("language", file, "numeric", texts("export.variable.language"), language),
        Variable("status", file, "numeric", texts("export.variable.status"), status),
        Variable("started_on", file, "string", texts("export.variable.started_on")),
    ]


CHANNEL_CODES = {"web": 1.0, "telegram": 2.0}
LANGUAGE_CODES = {"fr": 1.0, "en": 2.0}
STATUS_CODES = {"completed": 1.0, "in_progress": 2.0, "abandoned": 3.0}


def build_codebook(survey: Survey) -> Codebook:
    """The variables of ``survey``'s export (without weights and indicators: see
    :func:`weight_variables`)."""
    files: dict[str, list[Variable]] = {RESPONDENT_FILE: system_variables(RESPONDENT_FILE)}
    withheld: list[Variable] = []
    for section in survey.sections:
        file = section.repeat.name if section.repeat is not None else RESPONDENT_FILE
        if file not in files:
            files[file] = system_variables(file)
        for question in section.questions:
            if question.type in WITHHELD:
                label = {lang: question.label.get(lang, question.name) for lang in LANGUAGES}
                withheld.append(Variable("", file, "withheld", label, question=question.name))
            files[file].extend(question_variables(question, file))
    return Codebook(survey.id, files, withheld)


def weight_variables(survey: Survey, replicates: int) -> list[Variable]:
    """The final weight, the replicate weights and each indicator's numerator and denominator."""
    found = [
        Variable("final_weight", RESPONDENT_FILE, "numeric", texts("export.variable.final_weight"))
    ]
    width = len(str(replicates))
    for r in range(1, replicates + 1):
        found.append(
            Variable(
                f"rw_{r:0{width}d}",
                RESPONDENT_FILE,
                "numeric",
                texts("export.variable.replicate_weight", number=r),
            )
        )
    for indicator in survey.indicators:
        for prefix, msgid in (
            ("n", "export.variable.numerator"),
            ("d", "export.variable.denominator"),
        ):
            label = {
                lang: translate(lang, msgid, indicator=indicator.label.get(lang, indicator.name))
                for lang in LANGUAGES
            }
            found.append(
                Variable(export_name(prefix, indicator.name), RESPONDENT_FILE, "numeric", label)
            )
    return found
