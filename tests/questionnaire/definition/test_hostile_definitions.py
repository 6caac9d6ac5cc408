"""Hostile definition files: a definition error at the line concerned, never a traceback or a hang.

One test per class of hostile input; each case is an example of its class.
A watchdog interrupts any load still running after a few seconds, so a
regression fails instead of hanging the suite (no timed assertion).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from definition_support import VALID, watchdog

from questionnaire.definition.errors import DefinitionError
from questionnaire.definition.limits import (
    MAX_NAME_LENGTH,
    MAX_SURVEY_ID_LENGTH,
    MAX_VERSION_LENGTH,
)
from questionnaire.definition.yaml_limits import MAX_DEPTH, MAX_EXPANDED_VALUES
from questionnaire.loader import load_file

HANG_SECONDS = 30


def _load(folder: Path, text: str | bytes, name: str = "q.yaml") -> list[DefinitionError]:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, str):
        path.write_text(text, encoding="utf-8")
    else:
        path.write_bytes(text)
    with watchdog(HANG_SECONDS):
        result = load_file(path)
    assert result.survey is None
    for error in result.errors:
        assert error.render("fr") != error.render("en")
    return result.errors


def _codes(errors: list[DefinitionError]) -> list[tuple[str, int]]:
    return [(e.code, e.line) for e in errors]


def _billion_laughs(levels: int) -> str:
    lines = ["l0: &l0 [ha, ha, ha, ha, ha, ha, ha, ha, ha, ha]"]
    for level in range(1, levels):
        refs = ", ".join([f"*l{level - 1}"] * 10)
        lines.append(f"l{level}: &l{level} [{refs}]")
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize("levels", [6, 9, 12])
def test_nested_aliases_stop_at_the_alias_that_crosses_the_budget(
    tmp_path: Path, levels: int
) -> None:
    text = _billion_laughs(levels)
    assert len(text.encode()) < 1500
    errors = _load(tmp_path, text)
    # 10^5 values are reached on the line of level 5, whatever the number of levels.
    assert _codes(errors) == [("alias_budget", 5)]
    assert str(MAX_EXPANDED_VALUES) in errors[0].render("en")


def test_merge_keys_count_against_the_budget_too(tmp_path: Path) -> None:
    lines = ["m0: &m0 {" + ", ".join(f"k{i}: {i}" for i in range(10)) + "}"]
    for level in range(1, 9):
        merged = ", ".join([f"*m{level - 1}"] * 10)
        lines.append(f"m{level}: &m{level} [{merged}]")
    lines.append("x: {<<: *m8}")
    assert [c for c, _ in _codes(_load(tmp_path, "\n".join(lines)))] == ["alias_budget"]


def test_aliases_within_the_budget_still_work(tmp_path: Path) -> None:
    text = VALID.replace(
        'title: {fr: "Essai", en: "Test"}', 'title: &both {fr: "Essai", en: "Test"}'
    ).replace('    title: {fr: "Section", en: "Section"}', "    title: *both")
    path = tmp_path / "ok.yaml"
    path.write_text(text, encoding="utf-8")
    assert load_file(path).errors == []


@pytest.mark.parametrize(
    "text",
    [
        "x: " + "[" * 5000 + "]" * 5000 + "\n",
        "x: " + "{a: " * 3000 + "1" + "}" * 3000 + "\n",
        "".join(f"{'  ' * i}k{i}:\n" for i in range(MAX_DEPTH + 10)) + "  " * 70 + "end: 1\n",
        "x:\n" + "".join(f"{'  ' * i}- \n" for i in range(1, 300)),
    ],
    ids=["flow-lists", "flow-mappings", "block-mappings", "block-lists"],
)
def test_deep_nesting_is_too_deep_not_a_recursion_error(tmp_path: Path, text: str) -> None:
    errors = _load(tmp_path, text)
    assert [c for c, _ in _codes(errors)] in (["too_deep"], ["yaml_syntax"])


def test_an_alias_to_a_deep_value_inside_deep_values_is_too_deep(tmp_path: Path) -> None:
    deep = "[" * 40 + "1" + "]" * 40
    text = f"a: &a {deep}\nb: &b " + "[" * 30 + "*a" + "]" * 30 + "\n"
    assert [c for c, _ in _codes(_load(tmp_path, text))] == ["too_deep"]


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("        max: " + "9" * 5000, "number_too_large"),
        ("        max: -" + "9" * 4299, "number_too_large"),
        ("        max: 9223372036854775808", "number_too_large"),
        ("        max: 0x" + "f" * 5000, "number_too_large"),
        ("        max: 0" + "7" * 3000, "number_too_large"),
        ("        max: 1_" + "000_" * 10 + "000", "number_too_large"),
        ("        max: .inf", "not_finite"),
        ("        max: -.Inf", "not_finite"),
        ("        max: .NaN", "not_finite"),
        ("        max: 1.5e+400", "not_finite"),
        ("        max: 1e400", "bad_bounds"),  # YAML 1.1: text, not a number
        ("        max: -1.0e+999", "not_finite"),
    ],
)
def test_huge_and_infinite_numbers_are_refused_at_their_line(
    tmp_path: Path, line: str, expected: str
) -> None:
    text = VALID.replace("        max: 120", line)
    errors = _load(tmp_path, text)
    assert _codes(errors) == [(expected, 13)]


def test_a_huge_number_anywhere_is_refused(tmp_path: Path) -> None:
    text = VALID.replace('version: "1.0"', "version: " + "1" * 5000)
    assert ("number_too_large", 2) in _codes(_load(tmp_path, text))


def test_a_quoted_infinite_bound_is_a_bad_bound(tmp_path: Path) -> None:
    errors = _load(tmp_path, VALID.replace("        max: 120", '        max: "inf"'))
    assert _codes(errors) == [("bad_bounds", 13)]


@pytest.mark.parametrize("character", ["\x00", "\x1b", "\x07", "\x7f", "\ufffe", "\x8f"])
def test_a_control_character_in_the_file_is_named_with_its_place(
    tmp_path: Path, character: str
) -> None:
    text = VALID.replace('label: {fr: "Âge ?"', f'label: {{fr: "Âge{character} ?"')
    errors = _load(tmp_path, text)
    assert [(e.code, e.line, e.column) for e in errors] == [("control_character", 11, 25)]
    assert f"U+{ord(character):04X}" in errors[0].message


@pytest.mark.parametrize("escape", ["\\0", "\\e", "\\x07", "\\u001b", "\\x85"])
def test_a_control_character_written_as_an_escape_is_refused(tmp_path: Path, escape: str) -> None:
    text = VALID.replace('label: {fr: "Âge ?"', f'label: {{fr: "Âge{escape}"')
    assert _codes(_load(tmp_path, text)) == [("control_character", 11)]
    keyed = VALID.replace("      - name: age", f'      - "na{escape}me": age\n        name: age')
    assert ("control_character", 9) in _codes(_load(tmp_path, keyed, "keyed.yaml"))


def test_bytes_that_are_not_utf8_and_huge_files_are_refused(tmp_path: Path) -> None:
    assert _codes(_load(tmp_path, b"id: \xff\xfe\n")) == [("file_unreadable", 1)]
    big = VALID + "# " + "x" * 1_000_000 + "\n"
    assert _codes(_load(tmp_path, big, "big.yaml")) == [("file_too_large", 1)]


@pytest.mark.parametrize(
    ("key", "value", "limit"),
    [
        ("id", "i" * (MAX_SURVEY_ID_LENGTH + 1), MAX_SURVEY_ID_LENGTH),
        ("version", '"' + "1" * (MAX_VERSION_LENGTH + 1) + '"', MAX_VERSION_LENGTH),
    ],
)
def test_an_id_or_version_longer_than_its_column_is_reported_with_the_limit(
    tmp_path: Path, key: str, value: str, limit: int
) -> None:
    line = next(i for i, text in enumerate(VALID.splitlines(), 1) if text.startswith(key))
    original = VALID.splitlines()[line - 1]
    errors = _load(tmp_path, VALID.replace(original, f"{key}: {value}"))
    assert _codes(errors) == [("too_long", line)]
    assert f"at most {limit}" in errors[0].render("en")


def test_a_name_longer_than_its_column_is_reported(tmp_path: Path) -> None:
    name = "n" * (MAX_NAME_LENGTH + 1)
    errors = _load(tmp_path, VALID.replace("name: postcode", f"name: {name}"))
    assert _codes(errors) == [("too_long", 14)]
    assert errors[0].question == name


def test_names_ids_and_versions_at_their_limits_load(tmp_path: Path) -> None:
    text = (
        VALID.replace("id: fuzz", "id: " + "i" * MAX_SURVEY_ID_LENGTH)
        .replace('version: "1.0"', 'version: "' + "1" * MAX_VERSION_LENGTH + '"')
        .replace("name: postcode", "name: " + "p" * MAX_NAME_LENGTH)
    )
    path = tmp_path / "limits.yaml"
    path.write_text(text, encoding="utf-8")
    assert load_file(path).errors == []


@pytest.mark.parametrize(
    "pattern",
    ["(a|aa)+$", "(a+)+b", "(\\\\w+\\\\s?)+$", "([a-z]+)*@", "(x+x+)+y", "(?:a*)*"],
)
def test_patterns_prone_to_catastrophic_backtracking_are_refused(
    tmp_path: Path, pattern: str
) -> None:
    text = VALID.replace('pattern: "[A-Z][0-9][A-Z] ?[0-9][A-Z][0-9]"', f'pattern: "{pattern}"')
    assert _codes(_load(tmp_path, text)) == [("pattern_backtracking", 17)]


def _project(tmp_path: Path, include: str) -> Path:
    folder = tmp_path / "surveys"
    (folder / "blocks").mkdir(parents=True)
    (tmp_path / "outside.yaml").write_text("questions: []\n", encoding="utf-8")
    text = VALID + f"  - include: {include}\n"
    (folder / "main.yaml").write_text(text, encoding="utf-8")
    return folder / "main.yaml"


@pytest.mark.parametrize(
    "include",
    [
        "/etc/passwd",
        "../outside.yaml",
        "blocks/../../outside.yaml",
        '"/dev/zero"',
        "/proc/self/environ",
    ],
)
def test_an_include_outside_the_folder_is_refused_at_the_include_line(
    tmp_path: Path, include: str
) -> None:
    main = _project(tmp_path, include)
    with watchdog(HANG_SECONDS):
        errors = load_file(main).errors
    assert [(e.code, e.file, e.line) for e in errors] == [("include_outside", str(main), 18)]
    assert "passwd" not in "".join(e.render("en") for e in errors if "root:" in e.message)


def test_a_symbolic_link_leading_outside_is_refused(tmp_path: Path) -> None:
    main = _project(tmp_path, "blocks/link.yaml")
    os.symlink(tmp_path / "outside.yaml", main.parent / "blocks" / "link.yaml")
    assert [(e.code, e.line) for e in load_file(main).errors] == [("include_outside", 18)]


@pytest.mark.parametrize("include", ['"bl\\0ocks/x.yaml"', '"' + "x" * 5000 + '"'])
def test_an_include_path_that_cannot_be_a_file_is_not_found(tmp_path: Path, include: str) -> None:
    codes = {e.code for e in load_file(_project(tmp_path, include)).errors}
    assert codes <= {"include_not_found", "control_character"} and codes
