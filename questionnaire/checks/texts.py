"""Checks of the texts: declared languages, translations, and piped names.

Every text (labels, hints, titles, messages, ...) must have a non-empty entry
for each declared language and none for others. ``{name}`` in a text pipes a
value: a question or calculation (the current repeat's questions and
``{index}`` inside a repeat; ``{count}`` too in a repeat's title), or
``{today}``, ``{reference_date}``, ``{reference_month}``, ``{language}``,
``{channel}``. ``{{`` and ``}}`` are literal braces.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from i18n import N_
from questionnaire.checks.context import CheckContext
from questionnaire.definition.errors import Param, words
from questionnaire.definition.model import LocalText, Section
from questionnaire.definition.source import KeyPath

LANGUAGE_CODE = re.compile(r"^[a-z]{2,3}$")
_PLACEHOLDER = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")
CONTEXT_PIPES = frozenset({"today", "reference_date", "reference_month", "language", "channel"})


@dataclass(frozen=True)
class PlacedText:
    """A text of the definition, where it is, whose it is, and what it may pipe."""

    text: LocalText
    path: KeyPath
    #: How messages name it: ``label``, ``title``, ``label of choice 'yes'``.
    key: Param
    subject: dict[str, Param]
    question: str | None
    #: Names a ``{name}`` in it may pipe besides the survey-wide ones.
    local_names: frozenset[str] = frozenset()


def find_pipes(text: str) -> tuple[list[tuple[str, int]], list[int]]:
    """``([(name, offset), ...], [offsets of lone braces])`` in ``text``."""
    pipes: list[tuple[str, int]] = []
    lone: list[int] = []
    i = 0
    while i < len(text):
        char = text[i]
        if char in "{}" and text[i : i + 2] in ("{{", "}}"):
            i += 2
            continue
        if char == "{":
            match = _PLACEHOLDER.match(text, i)
            if match:
                pipes.append((match.group(1), i))
                i = match.end()
                continue
            lone.append(i)
        elif char == "}":
            lone.append(i)
        i += 1
    return pipes, lone


def placed_texts(ctx: CheckContext) -> Iterator[PlacedText]:
    """Every text of the survey with its place."""
    survey = ctx.survey
    top: dict[str, Param] = {"kind": "survey", "name": survey.id}
    yield PlacedText(survey.title, ("title",), "title", top, None)
    if survey.description is not None:
        yield PlacedText(survey.description, ("description",), "description", top, None)
    for k, rule in enumerate(survey.eligibility):
        subject: dict[str, Param] = {"kind": "eligibility", "name": str(k + 1)}
        yield PlacedText(rule.message, ("eligibility", k, "message"), "message", subject, None)
    for _, section, spath in ctx.sections():
        yield from _section_texts(section, spath)
    for k, indicator in enumerate(survey.indicators):
        subject = {"kind": "indicator", "name": indicator.name}
        ipath: KeyPath = ("indicators", k)
        yield PlacedText(indicator.label, (*ipath, "label"), "label", subject, None)
        if indicator.description is not None:
            desc = indicator.description
            yield PlacedText(desc, (*ipath, "description"), "description", subject, None)


def _section_texts(section: Section, spath: KeyPath) -> Iterator[PlacedText]:
    local: frozenset[str] = frozenset()
    subject: dict[str, Param] = {"kind": "section", "name": section.name}
    if section.repeat is not None:
        repeat = section.repeat
        local = frozenset({q.name for q in section.questions} | {"index"})
        rsubject: dict[str, Param] = {"kind": "repeat", "name": repeat.name}
        rpath: KeyPath = (*spath, "repeat")
        if repeat.title is not None:
            yield PlacedText(
                repeat.title, (*rpath, "title"), "title", rsubject, None, local | {"count"}
            )
        if repeat.another is not None:
            yield PlacedText(repeat.another, (*rpath, "another"), "another", rsubject, None, local)
    yield PlacedText(section.title, (*spath, "title"), "title", subject, None, local)
    if section.intro is not None:
        yield PlacedText(section.intro, (*spath, "intro"), "intro", subject, None, local)
    for j, q in enumerate(section.questions):
        qpath: KeyPath = (*spath, "questions", j)
        qs: dict[str, Param] = {"kind": "question", "name": q.name}
        for key in ("label", "hint", "min_label", "max_label"):
            text = getattr(q, key)
            if text is not None:
                yield PlacedText(text, (*qpath, key), key, qs, q.name, local)
        for k, constraint in enumerate(q.constraints):
            key_words = words(N_("definition.word.constraint_message"), number=str(k + 1))
            cpath: KeyPath = (*qpath, "constraints", k, "message")
            yield PlacedText(constraint.message, cpath, key_words, qs, q.name, local)
        for k, choice in enumerate(q.choices):
            key_words = words(N_("definition.word.choice_label"), code=choice.code)
            cpath = (*qpath, "choices", k, "label")
            yield PlacedText(choice.label, cpath, key_words, qs, q.name, local)


def check_texts(ctx: CheckContext) -> None:
    """Languages, translations, empty texts and piped names."""
    languages = ctx.survey.languages
    sound = (
        bool(languages)
        and len(set(languages)) == len(languages)
        and all(LANGUAGE_CODE.match(lang) for lang in languages)
    )
    if not sound:
        ctx.add("bad_languages", ("languages",), value="[" + ", ".join(languages) + "]")
    declared = [lang for lang in dict.fromkeys(languages) if LANGUAGE_CODE.match(lang)]
    known = _survey_wide_names(ctx)
    for placed in placed_texts(ctx):
        _check_translations(ctx, placed, declared)
        _check_pipes(ctx, placed, known | placed.local_names)


def _survey_wide_names(ctx: CheckContext) -> frozenset[str]:
    names = {p.question.name for p in ctx.placed_questions() if p.repeat is None}
    names |= {c.name for c in ctx.survey.calculations}
    names |= CONTEXT_PIPES | ctx.left_out
    if ctx.survey.reference_period_months is None:
        names -= {"reference_date"}
    return frozenset(names)


def _check_translations(ctx: CheckContext, placed: PlacedText, declared: list[str]) -> None:
    for lang in declared:
        if lang not in placed.text:
            ctx.add(
                "missing_translation",
                placed.path,
                at_key=True,
                subject=placed.subject,
                question=placed.question,
                key=placed.key,
                language=lang,
            )
        elif not placed.text[lang].strip():
            ctx.add(
                "empty_text",
                (*placed.path, lang),
                subject=placed.subject,
                question=placed.question,
                key=placed.key,
                language=lang,
            )
    shown = "[" + ", ".join(declared) + "]"
    for lang in placed.text:
        if lang not in declared:
            ctx.add(
                "unknown_language",
                (*placed.path, lang),
                at_key=True,
                language=lang,
                declared=shown,
                subject=placed.subject,
                question=placed.question,
                key=placed.key,
            )


def _check_pipes(ctx: CheckContext, placed: PlacedText, known: frozenset[str]) -> None:
    for lang, text in placed.text.items():
        path = (*placed.path, lang)
        start = ctx.positions.text_at(path)
        pipes, lone = find_pipes(text)
        for name, offset in pipes:
            if name not in known:
                at = start.model_copy(update={"column": start.column + offset}) if start else None
                ctx.add(
                    "unknown_pipe",
                    path,
                    at=at,
                    question=placed.question,
                    key=placed.key,
                    value="{" + name + "}",
                    subject=placed.subject,
                )
        for offset in lone:
            at = start.model_copy(update={"column": start.column + offset}) if start else None
            ctx.add(
                "bad_pipe",
                path,
                at=at,
                question=placed.question,
                key=placed.key,
                offset=str(offset + 1),
                language=lang,
                subject=placed.subject,
            )
