"""Checks relating parts of a definition: scopes, repeats, weighting, texts."""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

from questionnaire.checks.calculations import find_cycles
from questionnaire.checks.survey import suggest_name
from questionnaire.checks.texts import find_pipes
from questionnaire.definition.errors import DefinitionError
from questionnaire.loader import load_file

HEAD = """\
id: case
version: "1"
languages: [fr, en]
title: {fr: "Cas", en: "Case"}
"""

MakeDefinition = Callable[..., list[DefinitionError]]


def q(name: str, qtype: str = "integer", **extra: str) -> str:
    """One question in flow style (``extra`` values are written as YAML)."""
    more = "".join(f", {key}: {value}" for key, value in extra.items())
    return f"{{name: {name}, type: {qtype}, label: {{fr: 'x', en: 'x'}}{more}}}"


@pytest.fixture
def check(tmp_path: Path) -> MakeDefinition:
    """Factory: write a definition from its sections' YAML and return its errors."""

    def make(sections: str, tail: str = "", head: str = HEAD) -> list[DefinitionError]:
        path = tmp_path / "case.yaml"
        text = head + "sections:\n" + textwrap.indent(textwrap.dedent(sections), "  ") + tail
        path.write_text(text, encoding="utf-8")
        return load_file(path).errors

    return make


def codes(errors: list[DefinitionError]) -> list[str]:
    return [e.code for e in errors]


def section(name: str, *questions: str, extra: str = "") -> str:
    body = "".join(f"\n    - {text}" for text in questions)
    return f"- name: {name}\n  title: {{fr: 'x', en: 'x'}}{extra}\n  questions:{body}\n"


REPEAT = "\n  repeat: {name: incident, count: 'times', max: 3}"


def test_repeat_members_are_visible_inside_only(check: MakeDefinition) -> None:
    sections = (
        section("s1", q("times"))
        + section(
            "s2",
            q("when", "year_month"),
            q("n", relevant='"when != null and index > 1"'),
            extra=REPEAT,
        )
        + section("s3", q("after", relevant='"when != null"'))
    )
    errors = check(sections)
    assert codes(errors) == ["unknown_reference"]
    assert "count(incident, ...)" in errors[0].hint
    assert errors[0].question == "after"


def test_count_and_sum_over_a_repeat_outside_it(check: MakeDefinition) -> None:
    sections = (
        section("s1", q("times"))
        + section("s2", q("loss"), extra=REPEAT)
        + section(
            "s3",
            q("after", relevant='"sum(incident, coalesce(loss, 0)) > 10 and count(incident) > 1"'),
        )
    )
    assert check(sections) == []


def test_relevant_in_a_repeat_may_not_read_a_later_member(check: MakeDefinition) -> None:
    sections = section("s1", q("times")) + section(
        "s2", q("first", relevant='"second > 1"'), q("second"), extra=REPEAT
    )
    assert codes(check(sections)) == ["forward_reference"]


def test_repeat_count_may_not_read_its_own_questions(check: MakeDefinition) -> None:
    extra = "\n  repeat: {name: incident, count: 'inside', max: 3}"
    sections = section("s1", q("times")) + section("s2", q("inside"), extra=extra)
    assert codes(check(sections)) == ["unknown_reference"]


def test_repeat_with_both_count_and_another_and_max_zero(check: MakeDefinition) -> None:
    extra = "\n  repeat: {name: incident, count: '2', another: {fr: 'x', en: 'x'}, max: 0}"
    errors = check(section("s1", q("times"), extra=extra))
    assert codes(errors) == ["bad_repeat", "bad_repeat"]


def test_another_clashes_with_a_question_named_another(check: MakeDefinition) -> None:
    extra = "\n  repeat: {name: incident, another: {fr: 'x', en: 'x'}, max: 3}"
    errors = check(section("s1", q("another", "yes_no"), extra=extra))
    assert codes(errors) == ["duplicate_name"]


def test_constraints_see_value_and_relevant_does_not(check: MakeDefinition) -> None:
    constraint = "[{expression: 'value >= 0 and value < 120', message: {fr: 'x', en: 'x'}}]"
    assert check(section("s1", q("age", constraints=constraint))) == []
    errors = check(section("s1", q("age", relevant="'value > 1'")))
    assert codes(errors) == ["unknown_reference"]
    assert "constraints" in errors[0].hint


def test_reference_date_needs_a_reference_period(check: MakeDefinition) -> None:
    sections = section("s1", q("when", "date", min="reference_date", max="today"))
    assert codes(check(sections)) == ["unknown_reference"]
    assert check(sections, head=HEAD + "reference_period_months: 12\n") == []


def test_date_bound_expression_must_give_a_date(check: MakeDefinition) -> None:
    errors = check(section("s1", q("when", "date", min="\"'yesterday'\"")))
    assert codes(errors) == ["type_mismatch"]
    assert check(section("s1", q("when", "date", min="'2024-01-01'", max="'2025-12-31'"))) == []
    errors = check(section("s1", q("when", "date", min="'2025-01-01'", max="'2024-12-31'")))
    assert codes(errors) == ["bad_bounds"]


def test_relevant_must_be_a_condition(check: MakeDefinition) -> None:
    errors = check(section("s1", q("a", "yes_no"), q("b", relevant="'a'")))
    assert codes(errors) == ["type_mismatch"]
    assert "condition" in errors[0].message


def test_section_relevant_constant_false_makes_its_questions_unreachable(
    check: MakeDefinition,
) -> None:
    sections = section("s1", q("a"), extra="\n  relevant: 'false'") + section(
        "s2", q("b", relevant="'answered(a)'"), q("c", relevant="'a > 1 or true'")
    )
    errors = check(sections)
    assert [(e.code, e.line) for e in errors] == [
        ("unreachable_question", 8),
        ("unreachable_question", 14),
    ]


def test_calculations_in_any_order_and_through_calculations(check: MakeDefinition) -> None:
    tail = (
        "calculations:\n"
        "  - {name: doubled, expression: 'base * 2'}\n"
        "  - {name: base, expression: 'coalesce(times, 0)'}\n"
    )
    sections = section("s1", q("times"), q("later", relevant="'doubled > 2'"))
    assert check(sections, tail) == []
    sections = section("s1", q("early", relevant="'doubled > 2'"), q("times"))
    errors = check(sections, tail)
    assert codes(errors) == ["forward_reference"]
    assert "'doubled'" in errors[0].message


def test_weighting_by_a_calculation_and_by_non_categorical_names(check: MakeDefinition) -> None:
    municipality = q(
        "municipality", "single_choice", choices="[{code: a, label: {fr: 'a', en: 'a'}}]"
    )
    sections = section("s1", q("age"), municipality)
    tail = (
        "calculations:\n"
        "  - {name: age_group, expression: \"if(age < 25, '15_24', '25_plus')\"}\n"
        "  - {name: age_doubled, expression: 'age * 2'}\n"
        "weighting:\n  domain: municipality\n  margins:\n    - [age_group]\n"
    )
    assert check(sections, tail) == []
    errors = check(sections, tail + "    - [age, age_doubled, age_group, age_group]\n")
    assert codes(errors) == [
        "weighting_not_categorical",
        "weighting_not_categorical",
        "bad_weighting",
    ]


def test_pipes_inside_a_repeat_and_literal_braces(check: MakeDefinition) -> None:
    label = "{fr: 'Incident {index}: {when} {{ok}}', en: 'Incident {index} ({times})'}"
    title = "{fr: '{index}/{count}', en: '{index}/{count}'}"
    extra = f"\n  repeat: {{name: incident, count: 'times', max: 3, title: {title}}}"
    sections = section("s1", q("times")) + section(
        "s2", q("when", "year_month"), q("n", "text", label=label), extra=extra
    ).replace("label: {fr: 'x', en: 'x'}, label:", "label:")
    assert check(sections) == []
    outside = section("s3", q("m", "text", label="{fr: '{when}', en: '{count}'}")).replace(
        "label: {fr: 'x', en: 'x'}, label:", "label:"
    )
    assert codes(check(sections + outside)) == ["unknown_pipe", "unknown_pipe"]


def test_notes_take_no_answer_keys(check: MakeDefinition) -> None:
    errors = check(section("s1", q("intro", "note", required="true", special="[dont_know]")))
    assert codes(errors) == ["key_not_for_type", "special_not_allowed"]


def test_rating_needs_whole_number_bounds(check: MakeDefinition) -> None:
    assert codes(check(section("s1", q("r", "rating")))) == ["bad_bounds"]
    assert codes(check(section("s1", q("r", "rating", min="1", max="4.5")))) == ["bad_bounds"]
    assert check(section("s1", q("r", "rating", min="1", max="5"))) == []


def test_choice_code_special_clash_and_duplicate_export(check: MakeDefinition) -> None:
    choices = (
        "[{code: dont_know, export: 1, label: {fr: 'a', en: 'a'}},"
        " {code: b, export: 1, label: {fr: 'b', en: 'b'}}]"
    )
    errors = check(section("s1", q("c", "single_choice", special="[dont_know]", choices=choices)))
    assert codes(errors) == ["duplicate_choice", "duplicate_export"]


def test_eligibility_and_indicator_expressions_are_checked(check: MakeDefinition) -> None:
    tail = (
        "eligibility:\n  - {expression: 'age >= 15 and adult', message: {fr: 'x', en: 'x'}}\n"
        "indicators:\n  - {name: share, label: {fr: 'x', en: 'x'}, unit: percent,"
        " numerator: 'age > 20', denominator: \"'x'\"}\n"
    )
    errors = check(section("s1", q("age")), tail)
    assert codes(errors) == ["unknown_reference", "type_mismatch"]


def test_reserved_and_context_names(check: MakeDefinition) -> None:
    errors = check(section("today", q("value"), q("and")))
    assert codes(errors) == ["reserved_name", "reserved_name", "reserved_name"]


def test_suggest_name() -> None:
    assert suggest_name("WalkAlone") == "walk_alone"
    assert suggest_name("Walk alone-dark") == "walk_alone_dark"
    assert suggest_name("2nd") == "q_2nd"
    assert suggest_name("!!") == "name"


def test_find_pipes() -> None:
    assert find_pipes("a {b} {{c}} {d_1}") == ([("b", 2), ("d_1", 12)], [])
    assert find_pipes("x } { y") == ([], [2, 4])


def test_find_cycles() -> None:
    graph = {"a": ["b"], "b": ["c"], "c": ["a"], "d": ["d"], "e": ["a"]}
    assert find_cycles(graph) == [["a", "b", "c", "a"], ["d", "d"]]
    assert find_cycles({"a": ["b"], "b": []}) == []
