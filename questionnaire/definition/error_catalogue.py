"""The catalogue of definition errors: code -> description, message and fix.

The description (English, for ``docs/definition-errors.md``) is kept here;
the message and the fix, in French and English, are in the Vigie catalogs
under ``definition.<code>.message`` and ``definition.<code>.hint``. They are
templates filled with :meth:`str.format_map`; a parameter may itself be a
text per language. The words naming a message's subject (``question 'age'``)
are ``definition.subject.<kind>``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final

from i18n import N_, MessageTable
from questionnaire.definition.catalogue_entry import CatalogueEntry

#: Words naming the subject of a message (``question 'age': ...``), by kind.
SUBJECT_WORDS: Final = MessageTable(
    "definition.subject.",
    (
        N_("definition.subject.survey"),
        N_("definition.subject.section"),
        N_("definition.subject.question"),
        N_("definition.subject.repeat"),
        N_("definition.subject.calculation"),
        N_("definition.subject.indicator"),
        N_("definition.subject.eligibility"),
        N_("definition.subject.weighting"),
        N_("definition.subject.choice"),
        N_("definition.subject.block"),
    ),
)

#: Every code -> what it means (English; ``docs/definition-errors.md`` prints it).
DESCRIPTIONS: Final[Mapping[str, str]] = {
    "file_not_found": "the definition file does not exist",
    "file_unreadable": "the file cannot be read as UTF-8 text",
    "yaml_syntax": "the file is not valid YAML",
    "duplicate_key": "a key appears twice in the same mapping",
    "include_not_found": "an `include:` names a file that does not exist",
    "include_cycle": "a block includes, directly or not, a file that includes it",
    "unknown_key": "a key that this part of a definition does not have",
    "missing_key": "a required key is missing",
    "wrong_type": "a value of the wrong kind (text, number, list, mapping, ...)",
    "unknown_question_type": "a question `type` that Vigie does not know",
    "bad_value": "a value outside the allowed list (special answers, units, populations)",
    "bad_name": "a name that is not lower snake case (^[a-z][a-z0-9_]*$)",
    "reserved_name": "a name that is a word of the expression language",
    "duplicate_name": "two questions, sections, repeats, calculations or indicators share a name",
    "bad_languages": (
        "`languages` is empty, repeats a language or holds something that is no language code"
    ),
    "missing_translation": "a text lacks one of the declared languages",
    "unknown_language": "a text in a language the survey does not declare",
    "empty_text": "a text that is empty or blank",
    "unknown_pipe": "a piped {name} in a text names no question, calculation or context value",
    "bad_pipe": "a lone brace in a text",
    "choice_code_too_long": (
        "a choice code longer than 64 bytes in UTF-8 (Telegram's callback limit)"
    ),
    "bad_choice_code": "a choice code that is not ^[a-z0-9][a-z0-9_]*$",
    "duplicate_choice": (
        "two choices of a question share a code (or a choice takes a special answer's code)"
    ),
    "duplicate_export": "two choices share an export code, or one takes a reserved code 96-99",
    "choices_not_allowed": "choices on a question type that takes none",
    "choices_missing": "a single_choice or multiple_choice question without choices",
    "exclusive_not_allowed": "`exclusive` on a choice of a question that is not multiple_choice",
    "special_not_allowed": "special answers on a note or consent question",
    "key_not_for_type": (
        "a key that the question's type does not take (bounds, max_length, pattern, ...)"
    ),
    "bad_bounds": "bounds that contradict each other or do not suit the type",
    "bad_pattern": "`pattern` is not a valid regular expression",
    "bad_repeat": "a repeat without `count` nor `another`, with both, or with `max` below 1",
    "weighting_unknown_question": (
        "weighting names something that is no respondent-level question or calculation"
    ),
    "weighting_not_categorical": "weighting names a question or calculation without categories",
    "bad_weighting": "an empty margin, or a margin naming a question twice",
    "expression_syntax": "an expression that cannot be read",
    "unknown_reference": "an expression names something that is not defined where it is used",
    "type_mismatch": "an expression combines values of kinds that do not go together",
    "unknown_choice_code": (
        "an expression compares a choice question with a code it does not declare"
    ),
    "forward_reference": "a `relevant` or repeat `count` refers to a question asked at or after it",
    "circular_calculation": "calculations that refer to themselves through each other",
    "unreachable_question": "a question or section whose `relevant` can never be true",
}

#: The message and fix of every code, declared for ``make catalogs-update``.
MESSAGE_IDS: Final = (
    N_("definition.file_not_found.message"),
    N_("definition.file_not_found.hint"),
    N_("definition.file_unreadable.message"),
    N_("definition.file_unreadable.hint"),
    N_("definition.yaml_syntax.message"),
    N_("definition.yaml_syntax.hint"),
    N_("definition.duplicate_key.message"),
    N_("definition.duplicate_key.hint"),
    N_("definition.include_not_found.message"),
    N_("definition.include_not_found.hint"),
    N_("definition.include_cycle.message"),
    N_("definition.include_cycle.hint"),
    N_("definition.unknown_key.message"),
    N_("definition.unknown_key.hint"),
    N_("definition.missing_key.message"),
    N_("definition.missing_key.hint"),
    N_("definition.wrong_type.message"),
    N_("definition.wrong_type.hint"),
    N_("definition.unknown_question_type.message"),
    N_("definition.unknown_question_type.hint"),
    N_("definition.bad_value.message"),
    N_("definition.bad_value.hint"),
    N_("definition.bad_name.message"),
    N_("definition.bad_name.hint"),
    N_("definition.reserved_name.message"),
    N_("definition.reserved_name.hint"),
    N_("definition.duplicate_name.message"),
    N_("definition.duplicate_name.hint"),
    N_("definition.bad_languages.message"),
    N_("definition.bad_languages.hint"),
    N_("definition.missing_translation.message"),
    N_("definition.missing_translation.hint"),
    N_("definition.unknown_language.message"),
    N_("definition.unknown_language.hint"),
    N_("definition.empty_text.message"),
    N_("definition.empty_text.hint"),
    N_("definition.unknown_pipe.message"),
    N_("definition.unknown_pipe.hint"),
    N_("definition.bad_pipe.message"),
    N_("definition.bad_pipe.hint"),
    N_("definition.choice_code_too_long.message"),
    N_("definition.choice_code_too_long.hint"),
    N_("definition.bad_choice_code.message"),
    N_("definition.bad_choice_code.hint"),
    N_("definition.duplicate_choice.message"),
    N_("definition.duplicate_choice.hint"),
    N_("definition.duplicate_export.message"),
    N_("definition.duplicate_export.hint"),
    N_("definition.choices_not_allowed.message"),
    N_("definition.choices_not_allowed.hint"),
    N_("definition.choices_missing.message"),
    N_("definition.choices_missing.hint"),
    N_("definition.exclusive_not_allowed.message"),
    N_("definition.exclusive_not_allowed.hint"),
    N_("definition.special_not_allowed.message"),
    N_("definition.special_not_allowed.hint"),
    N_("definition.key_not_for_type.message"),
    N_("definition.key_not_for_type.hint"),
    N_("definition.bad_bounds.message"),
    N_("definition.bad_bounds.hint"),
    N_("definition.bad_pattern.message"),
    N_("definition.bad_pattern.hint"),
    N_("definition.bad_repeat.message"),
    N_("definition.bad_repeat.hint"),
    N_("definition.weighting_unknown_question.message"),
    N_("definition.weighting_unknown_question.hint"),
    N_("definition.weighting_not_categorical.message"),
    N_("definition.weighting_not_categorical.hint"),
    N_("definition.bad_weighting.message"),
    N_("definition.bad_weighting.hint"),
    N_("definition.expression_syntax.message"),
    N_("definition.expression_syntax.hint"),
    N_("definition.unknown_reference.message"),
    N_("definition.unknown_reference.hint"),
    N_("definition.type_mismatch.message"),
    N_("definition.type_mismatch.hint"),
    N_("definition.unknown_choice_code.message"),
    N_("definition.unknown_choice_code.hint"),
    N_("definition.forward_reference.message"),
    N_("definition.forward_reference.hint"),
    N_("definition.circular_calculation.message"),
    N_("definition.circular_calculation.hint"),
    N_("definition.unreachable_question.message"),
    N_("definition.unreachable_question.hint"),
)

CATALOGUE: Final[Mapping[str, CatalogueEntry]] = {
    code: CatalogueEntry(code, description) for code, description in DESCRIPTIONS.items()
}
