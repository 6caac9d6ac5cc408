"""Each respondent's answers as the numbers of the codebook (:mod:`observatory.exports.codebook`).

A cell is the code of the answer given; without one, the reason: the question did not apply
to this respondent (valid skip: its section, its condition or its channel kept it away), or
it applied and got no answer (not stated: skipped, or not reached in a partial response).
Whether a question applied is decided by the questionnaire's own navigation
(:func:`questionnaire.navigation.applicability.applicable_slots`).

Respondent ids are pseudonyms: a keyed hash of the response, so that an export never shows
the database's identifier (which the respondent's browser or chat also holds) and two
exports of the same data agree on who is who.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
from collections.abc import Iterable

from observatory.exports.codebook import (
    CHANNEL_CODES,
    LANGUAGE_CODES,
    RESPONDENT_FILE,
    STATUS_CODES,
    Codebook,
    Variable,
    choice_code,
)
from questionnaire.answers.run_context import RunContext
from questionnaire.definition.model import QuestionType, Survey
from questionnaire.definition.values import SKIPPED, Answers, Special, Value, YearMonth
from questionnaire.navigation.applicability import applicable_slots, iter_slots
from storage.records import ResponseRecord

Cell = float | str | None


def pseudonym(key: bytes, response_id: str) -> str:
    """The respondent id of an export: 16 hex digits of HMAC-SHA256(key, response id)."""
    digest = hmac.new(key, f"vigie-export:{response_id}".encode(), hashlib.sha256)
    return digest.hexdigest()[:16]


def _number(variable: Variable, survey: Survey, value: Value) -> Cell:
    """The code of an ordinary answer (``None``: a value the variable cannot hold)."""
    question = survey.question(variable.question)
    if question.type == QuestionType.MULTIPLE_CHOICE:
        return 1.0 if isinstance(value, tuple) and variable.choice in value else 0.0
    if question.type == QuestionType.SINGLE_CHOICE:
        for position, choice in enumerate(question.choices):
            if choice.code == value:
                return choice_code(question, position)
        return None
    if question.type in (QuestionType.YES_NO, QuestionType.CONSENT):
        return {"yes": 1.0, "no": 2.0}.get(str(value))
    if isinstance(value, YearMonth):
        return float(value.year * 100 + value.month)
    if isinstance(value, dt.date):
        return float(value.year * 10000 + value.month * 100 + value.day)
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    return None


def cell(variable: Variable, survey: Survey, answers: Answers, path: str, applies: bool) -> Cell:
    """The export value of one variable at one answer path."""
    if path not in answers:
        return variable.missing["not_stated" if applies else "valid_skip"]
    value = answers[path]
    if value is SKIPPED:
        return variable.missing["not_stated"]
    if isinstance(value, Special):
        return variable.missing[str(value.code)]
    found = _number(variable, survey, value)
    return variable.missing["not_stated"] if found is None else found


def respondent_cells(
    codebook: Codebook,
    survey: Survey,
    record: ResponseRecord,
    answers: Answers,
    key: bytes,
) -> dict[str, list[dict[str, Cell]]]:
    """One respondent's rows, file by file (one row in ``respondents``, one per instance in
    each repeat file)."""
    ctx = RunContext(
        started_on=record.started_at.date(), channel=str(record.channel), language=record.language
    )
    applying = {slot.path for slot in applicable_slots(survey, answers, ctx)}
    instances: dict[str, set[int]] = {}
    for slot in iter_slots(survey, answers, ctx):
        if slot.repeat is not None and slot.index is not None:
            instances.setdefault(slot.repeat, set()).add(slot.index)
    ident = pseudonym(key, record.id)
    rows: dict[str, list[dict[str, Cell]]] = {}
    for file, variables in codebook.files.items():
        if file == RESPONDENT_FILE:
            row: dict[str, Cell] = {
                "respondent_id": ident,
                "channel": CHANNEL_CODES.get(str(record.channel)),
                "language": LANGUAGE_CODES.get(record.language),
                "status": STATUS_CODES.get(str(record.status)),
                "started_on": record.started_at.date().isoformat(),
            }
            for variable in variables[len(row) :]:
                row[variable.name] = cell(
                    variable, survey, answers, variable.question, variable.question in applying
                )
            rows[file] = [row]
            continue
        rows[file] = []
        for index in sorted(instances.get(file, ())):
            row = {"respondent_id": ident, "instance": float(index)}
            for variable in variables[len(row) :]:
                path = f"{file}[{index}].{variable.question}"
                row[variable.name] = cell(variable, survey, answers, path, path in applying)
            rows[file].append(row)
    return rows


def collect_rows(
    codebook: Codebook,
    survey: Survey,
    responses: Iterable[tuple[ResponseRecord, Answers]],
    key: bytes,
) -> dict[str, list[dict[str, Cell]]]:
    """Every respondent's rows, file by file, in the order of ``responses``."""
    files: dict[str, list[dict[str, Cell]]] = {name: [] for name in codebook.files}
    for record, answers in responses:
        for file, rows in respondent_cells(codebook, survey, record, answers, key).items():
            files[file].extend(rows)
    return files
