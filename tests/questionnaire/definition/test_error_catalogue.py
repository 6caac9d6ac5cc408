"""The catalogue of broken definitions: each file says which errors it must give.

Every file in tests/data/definitions/broken/ starts with lines
``# expect: CODE LINE[:COLUMN] [FILE]`` (FILE relative to the broken folder,
when the error lies in an included block). Loading the file must report
exactly those errors, no more and no fewer.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from questionnaire.definition.errors import CODES
from questionnaire.loader import check_files, load_file

BROKEN = Path(__file__).resolve().parents[2] / "data" / "definitions" / "broken"
EXPECT = re.compile(
    r"^# expect: (?P<code>[a-z_]+) (?P<line>\d+)(?::(?P<col>\d+))?(?: (?P<file>\S+))?"
)
#: Codes that no definition file can show: the file itself is missing or unreadable.
FILE_LEVEL_CODES = {"file_not_found", "file_unreadable"}


def expectations(path: Path) -> list[tuple[str, str, int, int | None]]:
    """``(code, file, line, column or None)`` from the header of ``path``."""
    found = []
    for text in path.read_text(encoding="utf-8").splitlines():
        match = EXPECT.match(text)
        if match is None:
            continue
        file = str(path.parent / match["file"]) if match["file"] else str(path)
        column = int(match["col"]) if match["col"] else None
        found.append((match["code"], file, int(match["line"]), column))
    return found


BROKEN_FILES = sorted(BROKEN.glob("*.yaml"))


@pytest.mark.parametrize("path", BROKEN_FILES, ids=lambda p: p.stem)
def test_broken_definition_reports_exactly_its_expected_errors(path: Path) -> None:
    expected = expectations(path)
    assert expected, f"{path.name} has no '# expect:' header"
    result = load_file(path)
    assert result.survey is None
    got = sorted((e.code, e.file, e.line) for e in result.errors)
    assert got == sorted((code, file, line) for code, file, line, _ in expected)
    for code, file, line, column in expected:
        if column is not None:
            columns = [
                e.column for e in result.errors if (e.code, e.file, e.line) == (code, file, line)
            ]
            assert column in columns, f"{code} at {line}: columns {columns}, expected {column}"


def test_every_code_of_the_catalogue_has_a_broken_definition() -> None:
    shown = {code for path in BROKEN_FILES for code, *_ in expectations(path)}
    assert set(CODES) - FILE_LEVEL_CODES - shown == set()
    assert shown <= set(CODES)


def test_files_named_after_a_code_show_that_code() -> None:
    for path in BROKEN_FILES:
        if path.stem in CODES:
            assert path.stem in {code for code, *_ in expectations(path)}, path.name


def test_a_file_with_several_problems_reports_them_all_sorted() -> None:
    path = BROKEN / "several_problems.yaml"
    errors = load_file(path).errors
    assert len(errors) == len(expectations(path)) >= 8
    assert errors == sorted(errors, key=lambda e: (e.file, e.line, e.column, e.code))
    assert len({e.code for e in errors}) >= 8


def test_check_files_gathers_the_errors_of_every_file() -> None:
    paths = [BROKEN / "bad_name.yaml", BROKEN / "bad_bounds.yaml"]
    codes = [e.code for e in check_files(paths)]
    assert codes == ["bad_name", "bad_bounds"]


def test_errors_name_the_question_they_are_about() -> None:
    (error,) = load_file(BROKEN / "missing_translation.yaml").errors
    assert error.question == "walk_alone_dark"
    assert str(error).endswith(
        "[missing_translation] question 'walk_alone_dark': label has no 'en' text. "
        "Fix: add an 'en:' entry."
    )


def test_every_code_has_french_and_english_texts_with_the_same_placeholders() -> None:
    from string import Formatter

    from questionnaire.definition.error_catalogue import CATALOGUE

    def fields(template: str) -> set[str]:
        return {name for _, name, _, _ in Formatter().parse(template) if name}

    for code, entry in CATALOGUE.items():
        assert entry.description, code
        for texts in (entry.message, entry.hint):
            assert set(texts) == {"en", "fr"}, code
            assert texts["en"].strip() and texts["fr"].strip(), code
            assert fields(texts["en"]) == fields(texts["fr"]), code


def test_the_documentation_lists_every_code() -> None:
    doc = (Path(__file__).resolve().parents[3] / "docs" / "definition-errors.md").read_text(
        encoding="utf-8"
    )
    assert [code for code in CODES if f"| `{code}` |" not in doc] == []
