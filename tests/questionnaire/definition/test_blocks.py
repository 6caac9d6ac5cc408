"""Blocks: sections, questions, calculations and indicators written once.

The first tests build small questionnaires in a temporary folder; the last
ones check the shipped questionnaires, whose shared parts must be identical by
construction (the same block files), not by care.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from questionnaire.definition.model import Calculation, Indicator, Question, Survey
from questionnaire.loader import load_file, load_survey

SURVEY_DEFS = Path(__file__).resolve().parents[3] / "survey_defs"

HEADER = """\
id: with_blocks
version: "1.0"
languages: [fr, en]
title: {fr: "Essai", en: "Test"}
"""

#: A block of questions with one calculation and two indicators.
PERCEPTION_BLOCK = """\
# A block of questions.
questions:
  - name: walk_alone_dark
    type: single_choice
    label: {fr: "Le soir ?", en: "After dark?"}
    choices:
      - {code: safe, export: 1, label: {fr: "En sécurité", en: "Safe"}}
      - {code: unsafe, export: 2, label: {fr: "En insécurité", en: "Unsafe"}}
  - name: worry_home
    type: yes_no
    label: {fr: "Inquiet ?", en: "Worried?"}
calculations:
  - {name: feels_unsafe, expression: "walk_alone_dark == 'unsafe'"}
indicators:
  - name: unsafe_after_dark
    label: {fr: "Insécurité le soir", en: "Unsafe after dark"}
    unit: percent
    numerator: "walk_alone_dark == 'unsafe'"
    denominator: "walk_alone_dark in ['safe', 'unsafe']"
  - name: worried_at_home
    label: {fr: "Inquiétude", en: "Worry"}
    unit: percent
    numerator: "worry_home == 'yes'"
    denominator: "answered(worry_home)"
"""

#: A questionnaire whose section includes the block among its questions.
MAIN = (
    HEADER
    + """\
sections:
  - name: perceptions
    title: {fr: "Quartier", en: "Neighbourhood"}
    questions:
      - name: age
        type: integer
        label: {fr: "Âge ?", en: "Age?"}
      - include: blocks/perceptions.yaml
      - name: last
        type: yes_no
        label: {fr: "Fin ?", en: "End?"}
calculations:
  - {name: adult, expression: "age >= 18"}
indicators:
  - name: adults
    label: {fr: "Adultes", en: "Adults"}
    unit: percent
    numerator: "adult"
    denominator: "answered(age)"
"""
)


@pytest.fixture
def write_files(tmp_path: Path) -> Callable[[dict[str, str]], Path]:
    """Factory: write ``{relative path: text}`` in a temporary folder; the first file's path."""

    def write(files: dict[str, str]) -> Path:
        for name, text in files.items():
            path = tmp_path / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        return tmp_path / next(iter(files))

    return write


def _errors(path: Path) -> list[tuple[str, str, int]]:
    """``(code, file name relative to the questionnaire's folder, line)`` of each error."""
    result = load_file(path)
    assert result.survey is None
    folder = str(path.parent) + "/"
    return [(e.code, e.file.removeprefix(folder), e.line) for e in result.errors]


def test_a_block_of_questions_brings_its_calculations_and_indicators(
    write_files: Callable[[dict[str, str]], Path],
) -> None:
    main = write_files({"main.yaml": MAIN, "blocks/perceptions.yaml": PERCEPTION_BLOCK})
    survey = load_survey(main)
    assert [q.name for q in survey.questions()] == ["age", "walk_alone_dark", "worry_home", "last"]
    assert [c.name for c in survey.calculations] == ["adult", "feels_unsafe"]
    assert [i.name for i in survey.indicators] == ["adults", "unsafe_after_dark", "worried_at_home"]
    walk = survey.question("walk_alone_dark").pos
    assert walk is not None and walk.file.endswith("blocks/perceptions.yaml") and walk.line == 3
    last = survey.question("last").pos
    assert last is not None and last.file.endswith("main.yaml") and last.line == 13
    indicator = survey.indicators[2].pos
    assert indicator is not None and indicator.file.endswith("blocks/perceptions.yaml")
    assert indicator.line == 20
    section = survey.sections[0].pos
    assert section is not None and section.file.endswith("main.yaml") and section.line == 6


def test_a_block_of_sections_may_hold_indicators(
    write_files: Callable[[dict[str, str]], Path],
) -> None:
    block = """\
sections:
  - name: neighbourhood
    title: {fr: "Quartier", en: "Neighbourhood"}
    questions:
      - {name: worry_home, type: yes_no, label: {fr: "Inquiet ?", en: "Worried?"}}
calculations:
  - {name: worried, expression: "worry_home == 'yes'"}
indicators:
  - name: worried_at_home
    label: {fr: "Inquiétude", en: "Worry"}
    unit: percent
    numerator: "worried"
    denominator: "answered(worry_home)"
"""
    main = write_files(
        {
            "main.yaml": HEADER + "sections:\n  - include: blocks/neighbourhood.yaml\n",
            "blocks/neighbourhood.yaml": block,
        }
    )
    survey = load_survey(main)
    assert [s.name for s in survey.sections] == ["neighbourhood"]
    assert [c.name for c in survey.calculations] == ["worried"]
    assert [i.name for i in survey.indicators] == ["worried_at_home"]
    pos = survey.indicators[0].pos
    assert pos is not None and pos.file.endswith("blocks/neighbourhood.yaml") and pos.line == 9


def test_a_broken_block_indicator_is_reported_at_the_block_line(
    write_files: Callable[[dict[str, str]], Path],
) -> None:
    broken = PERCEPTION_BLOCK.replace(
        "numerator: \"worry_home == 'yes'\"", "numerator: \"worry_at_home == 'yes'\""
    ).replace('unit: percent\n    numerator: "walk', 'unit: percents\n    numerator: "walk')
    main = write_files({"main.yaml": MAIN, "blocks/perceptions.yaml": broken})
    assert sorted(_errors(main)) == [
        ("bad_value", "blocks/perceptions.yaml", 17),
        ("unknown_reference", "blocks/perceptions.yaml", 23),
    ]


def test_an_expression_error_in_a_block_points_at_the_column_in_the_block(
    write_files: Callable[[dict[str, str]], Path],
) -> None:
    broken = PERCEPTION_BLOCK.replace("answered(worry_home)", "answered(worry_home")
    main = write_files({"main.yaml": MAIN, "blocks/perceptions.yaml": broken})
    errors = load_file(main).errors
    assert [(e.code, e.line) for e in errors] == [("expression_syntax", 24)]
    assert errors[0].file.endswith("blocks/perceptions.yaml")
    text_start = len('    denominator: "') + 1  # columns count from 1
    assert text_start <= errors[0].column <= text_start + len("answered(worry_home")


def test_blocks_append_in_include_order_a_file_before_its_own_includes(
    write_files: Callable[[dict[str, str]], Path],
) -> None:
    def indicator(name: str) -> str:
        return (
            f"  - {{name: {name}, label: {{fr: x, en: x}}, unit: percent, "
            "numerator: 'age >= 18', denominator: 'answered(age)'}\n"
        )

    outer = (
        "sections:\n  - name: outer\n    title: {fr: A, en: A}\n    questions:\n"
        "      - {name: age, type: integer, label: {fr: Âge, en: Age}}\n"
        "      - include: inner.yaml\n"
        "  - include: second.yaml\n"
        "indicators:\n" + indicator("from_outer")
    )
    inner = "questions:\n  - {name: inner_q, type: yes_no, label: {fr: Q, en: Q}}\n"
    inner += "indicators:\n" + indicator("from_inner")
    second = "sections:\n  - name: second\n    title: {fr: B, en: B}\n    questions:\n"
    second += "      - {name: second_q, type: yes_no, label: {fr: Q, en: Q}}\n"
    second += "indicators:\n" + indicator("from_second")
    main = write_files(
        {
            "main.yaml": HEADER
            + "sections:\n  - include: blocks/outer.yaml\nindicators:\n"
            + indicator("from_main"),
            "blocks/outer.yaml": outer,
            "blocks/inner.yaml": inner,
            "blocks/second.yaml": second,
        }
    )
    survey = load_survey(main)
    assert [q.name for q in survey.questions()] == ["age", "inner_q", "second_q"]
    names = [i.name for i in survey.indicators]
    assert names == ["from_main", "from_outer", "from_inner", "from_second"]
    inner_q = survey.question("inner_q").pos
    assert inner_q is not None and inner_q.file.endswith("blocks/inner.yaml")


def test_a_block_must_hold_what_its_place_needs(
    write_files: Callable[[dict[str, str]], Path],
) -> None:
    main = write_files(
        {
            "main.yaml": MAIN,
            "blocks/perceptions.yaml": "sections: []\ncalculations: {}\nweighting: {}\n",
        }
    )
    assert sorted(_errors(main)) == [
        ("missing_key", "blocks/perceptions.yaml", 1),
        ("unknown_key", "blocks/perceptions.yaml", 1),
        ("unknown_key", "blocks/perceptions.yaml", 3),
        ("wrong_type", "blocks/perceptions.yaml", 2),
    ]


def test_an_include_cycle_through_questions_is_reported(
    write_files: Callable[[dict[str, str]], Path],
) -> None:
    looping = "questions:\n  - include: perceptions.yaml\n"
    main = write_files({"main.yaml": MAIN, "blocks/perceptions.yaml": looping})
    assert _errors(main) == [("include_cycle", "blocks/perceptions.yaml", 2)]


def test_a_missing_block_among_questions_is_reported_where_it_is_named(
    write_files: Callable[[dict[str, str]], Path],
) -> None:
    main = write_files({"main.yaml": MAIN})
    assert ("include_not_found", "main.yaml", 12) in _errors(main)


# -- The shipped questionnaires ---------------------------------------------------

SHIPPED = sorted(SURVEY_DEFS.glob("*.yaml"))
#: Questions both questionnaires ask outside shared blocks: each has its own entry.
OWN_ENTRY_QUESTIONS = {"age", "consent", "quick_exit_note", "chat_privacy_note"}


@pytest.fixture(scope="module")
def shipped() -> dict[str, Survey]:
    """The two shipped questionnaires, loaded once."""
    return {
        name: load_survey(SURVEY_DEFS / f"{name}.yaml")
        for name in ("victimisation", "perceived_safety")
    }


def _by_block(survey: Survey) -> dict[str, dict[str, dict[str, Any]]]:
    """Block file name -> part name -> model dump, for questions, calculations, indicators."""
    parts: dict[str, dict[str, dict[str, Any]]] = {}
    entries: list[Question | Calculation | Indicator] = [
        *survey.questions(),
        *survey.calculations,
        *survey.indicators,
    ]
    for entry in entries:
        assert entry.pos is not None
        if "/blocks/" in entry.pos.file:
            block = entry.pos.file.rsplit("/blocks/", 1)[1]
            kind = type(entry).__name__
            parts.setdefault(block, {})[f"{kind}:{entry.name}"] = entry.model_dump(mode="json")
    return parts


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.stem)
def test_every_shipped_questionnaire_loads(path: Path) -> None:
    result = load_file(path)
    assert result.errors == []
    assert result.survey is not None and result.survey.id == path.stem


def test_every_shipped_block_is_included(shipped: dict[str, Survey]) -> None:
    used = {block for survey in shipped.values() for block in _by_block(survey)}
    assert used == {p.name for p in (SURVEY_DEFS / "blocks").glob("*.yaml")}


def test_shared_questions_and_indicators_are_identical(shipped: dict[str, Survey]) -> None:
    victimisation = _by_block(shipped["victimisation"])
    perceived = _by_block(shipped["perceived_safety"])
    shared = set(victimisation) & set(perceived)
    assert shared == {"perceptions.yaml", "avoidance.yaml", "demographics.yaml"}
    for block in shared:
        assert victimisation[block] == perceived[block], block
    perceptions = perceived["perceptions.yaml"]
    assert "Question:walk_alone_dark" in perceptions
    assert {k for k in perceptions if k.startswith("Indicator:")} == {
        "Indicator:unsafe_after_dark",
        "Indicator:does_not_walk_alone_dark",
        "Indicator:crime_increase_5y",
        "Indicator:dissatisfied_safety",
    }


def test_questions_asked_by_both_come_from_shared_blocks(shipped: dict[str, Survey]) -> None:
    victimisation = {q.name: q for q in shipped["victimisation"].questions()}
    perceived = {q.name: q for q in shipped["perceived_safety"].questions()}
    both_ask = set(victimisation) & set(perceived)
    outside = {n for n in both_ask if "/blocks/" not in str(perceived[n].pos)}
    assert outside == OWN_ENTRY_QUESTIONS
    for name in outside - {"consent"}:  # each consent states its own purpose and length
        assert victimisation[name].model_dump() == perceived[name].model_dump(), name
    indicators = {i.name for i in shipped["victimisation"].indicators}
    indicators &= {i.name for i in shipped["perceived_safety"].indicators}
    shared = _by_block(shipped["perceived_safety"])["perceptions.yaml"]
    assert {f"Indicator:{name}" for name in indicators} == {
        key for key in shared if key.startswith("Indicator:")
    }


def test_both_perception_sections_open_alike(shipped: dict[str, Survey]) -> None:
    sections = [
        next(s for s in survey.sections if s.name == "perceptions") for survey in shipped.values()
    ]
    first, second = (s.model_dump(exclude={"questions"}) for s in sections)
    assert first == second
    assert sections[0].questions[0].name == sections[1].questions[0].name == "crime_compared"
