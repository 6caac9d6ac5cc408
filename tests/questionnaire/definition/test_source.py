"""Reading YAML with positions, and expanding includes."""

from __future__ import annotations

from pathlib import Path

from questionnaire.definition.includes import read_definition
from questionnaire.definition.model import SourcePos
from questionnaire.definition.source import SourceMap, read_yaml_text


def test_positions_of_keys_values_and_text_starts() -> None:
    doc = read_yaml_text('a:\n  b: [1, "two"]\n  c: plain text\n', "f.yaml")
    assert doc.errors == []
    assert doc.data == {"a": {"b": [1, "two"], "c": "plain text"}}
    values, keys = doc.positions.values, doc.positions.keys
    assert values[("a", "b", 1)] == SourcePos(file="f.yaml", line=2, column=10)
    assert keys[("a", "c")] == SourcePos(file="f.yaml", line=3, column=3)
    assert doc.positions.text_at(("a", "b", 1)) == SourcePos(file="f.yaml", line=2, column=11)
    assert doc.positions.text_at(("a", "c")) == SourcePos(file="f.yaml", line=3, column=6)


def test_multi_line_scalars_have_no_text_start() -> None:
    doc = read_yaml_text("a: |\n  one\n  two\n", "f.yaml")
    assert doc.data == {"a": "one\ntwo\n"}
    assert doc.positions.text_at(("a",)) is None
    assert doc.positions.value_at(("a",)).line == 1


def test_value_at_falls_back_to_the_nearest_ancestor() -> None:
    doc = read_yaml_text("a:\n  b: 1\n", "f.yaml")
    assert doc.positions.value_at(("a", "b", "missing", 3)).line == 2
    assert SourceMap().value_at(("x",)).file == "<unknown>"


def test_duplicate_keys_are_reported_with_both_lines() -> None:
    doc = read_yaml_text("a: 1\nb: 2\na: 3\n", "f.yaml")
    (error,) = doc.errors
    assert (error.code, error.line, error.column) == ("duplicate_key", 3, 1)
    assert "first at line 1" in error.message


def test_anchors_aliases_and_merge_keys_work_as_in_yaml() -> None:
    text = "base: &b {x: 1, y: 2}\ncopy: *b\nmerged:\n  <<: *b\n  y: 3\n"
    doc = read_yaml_text(text, "f.yaml")
    assert doc.errors == []
    assert doc.data["copy"] == {"x": 1, "y": 2}
    assert doc.data["merged"] == {"x": 1, "y": 3}


def test_tabs_give_a_syntax_error_that_says_so() -> None:
    (error,) = read_yaml_text("a: 1\n\tb: 2\n", "f.yaml").errors
    assert (error.code, error.line, error.column) == ("yaml_syntax", 2, 1)
    assert "tabs" in error.hint


def test_unknown_tags_are_syntax_errors() -> None:
    (error,) = read_yaml_text("a: !python/object 1\n", "f.yaml").errors
    assert (error.code, error.line) == ("yaml_syntax", 1)


def test_dates_stay_text() -> None:
    assert read_yaml_text("d: 2024-01-01\n", "f.yaml").data == {"d": "2024-01-01"}


def test_includes_keep_block_positions(tmp_path: Path) -> None:
    (tmp_path / "blocks").mkdir()
    (tmp_path / "blocks" / "b.yaml").write_text(
        "sections:\n  - name: from_block\n    questions: []\ncalculations:\n"
        "  - {name: c2, expression: '1'}\n",
        encoding="utf-8",
    )
    main = tmp_path / "main.yaml"
    main.write_text(
        "sections:\n  - name: first\n  - include: blocks/b.yaml\n  - name: last\n"
        "calculations:\n  - {name: c1, expression: '2'}\n",
        encoding="utf-8",
    )
    doc = read_definition(main, "main.yaml")
    assert doc.errors == []
    assert [s["name"] for s in doc.data["sections"]] == ["first", "from_block", "last"]
    assert [c["name"] for c in doc.data["calculations"]] == ["c1", "c2"]
    assert doc.positions.value_at(("sections", 1, "name")) == SourcePos(
        file="blocks/b.yaml", line=2, column=11
    )
    assert doc.positions.value_at(("sections", 2, "name")).file == "main.yaml"
    assert doc.positions.value_at(("sections", 2, "name")).line == 4
    assert doc.positions.value_at(("calculations", 1)).file == "blocks/b.yaml"


def test_include_entry_with_other_keys_and_bad_block(tmp_path: Path) -> None:
    (tmp_path / "block.yaml").write_text("questions: []\n", encoding="utf-8")
    main = tmp_path / "main.yaml"
    main.write_text("sections:\n  - include: block.yaml\n    name: x\n", encoding="utf-8")
    codes = sorted((e.code, e.file) for e in read_definition(main, "main.yaml").errors)
    assert codes == [
        ("missing_key", "block.yaml"),
        ("unknown_key", "block.yaml"),
        ("unknown_key", "main.yaml"),
    ]
