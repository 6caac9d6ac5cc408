"""Loading valid definitions: the model, positions, includes and the content hash."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from questionnaire.definition.errors import DefinitionError, DefinitionErrors
from questionnaire.definition.model import QuestionType
from questionnaire.loader import check_files, content_hash, load_survey

DEFINITIONS = Path(__file__).resolve().parent.parent / "data" / "definitions"
VALID = DEFINITIONS / "valid"


@pytest.fixture
def write_file(tmp_path: Path) -> Callable[[str, str], Path]:
    """Factory: write ``text`` to ``name`` in a temporary folder."""

    def write(name: str, text: str) -> Path:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return path

    return write


def test_minimal_definition_loads_with_positions() -> None:
    survey = load_survey(VALID / "minimal.yaml")
    assert survey.id == "minimal"
    assert [q.name for q in survey.questions()] == ["age_15_plus", "walk_alone_dark", "why_unsafe"]
    question = survey.question("why_unsafe")
    assert question.pos is not None
    assert (question.pos.line, question.pos.column) == (26, 9)
    assert question.pos.file.endswith("minimal.yaml")
    choice = survey.question("walk_alone_dark").choices[1]
    assert choice.pos is not None and (choice.pos.line, choice.pos.column) == (25, 13)
    assert survey.pos is not None and survey.pos.line == 2
    assert survey.eligibility[0].pos is not None and survey.eligibility[0].pos.line == 8
    assert len(survey.content_hash) == 64


def test_definition_with_repeat_and_include_loads() -> None:
    survey = load_survey(VALID / "with_repeat.yaml")
    assert [s.name for s in survey.sections] == ["screener", "incident_report", "household"]
    repeat = survey.sections[1].repeat
    assert repeat is not None and repeat.name == "incident"
    assert repeat.pos is not None and repeat.pos.line == 29
    household = survey.sections[2]
    assert household.pos is not None and household.pos.file.endswith("blocks/household.yaml")
    assert household.questions[1].pos is not None and household.questions[1].pos.line == 12
    assert [c.name for c in survey.calculations] == ["reported_incidents", "household_size"]
    block_calc = survey.calculations[1].pos
    assert block_calc is not None and block_calc.file.endswith("household.yaml")
    assert survey.question("police_satisfaction").type is QuestionType.RATING
    assert survey.indicators[0].pos is not None and survey.indicators[0].pos.line == 63
    assert survey.weighting is not None and survey.weighting.pos is not None


def test_hash_is_stable_under_reformatting() -> None:
    plain = load_survey(VALID / "minimal.yaml")
    reformatted = load_survey(VALID / "minimal_reformatted.yaml")
    assert plain.content_hash == reformatted.content_hash
    assert plain.content_hash == content_hash(plain)


def test_hash_changes_with_content(write_file: Callable[[str, str], Path]) -> None:
    text = (VALID / "minimal.yaml").read_text(encoding="utf-8")
    changed = write_file("changed.yaml", text.replace("max_length: 200", "max_length: 201"))
    assert load_survey(changed).content_hash != load_survey(VALID / "minimal.yaml").content_hash


def test_load_survey_raises_every_error_sorted() -> None:
    with pytest.raises(DefinitionErrors) as caught:
        load_survey(DEFINITIONS / "broken" / "several_problems.yaml")
    errors = caught.value.errors
    assert len(errors) >= 8
    assert errors == sorted(errors, key=DefinitionError.sort_key)
    text = str(caught.value)
    assert text.splitlines()[0] == f"{len(errors)} problems in the definition:"
    assert all(str(e) in text for e in errors)


def test_missing_file_is_an_error_not_an_exception(tmp_path: Path) -> None:
    (error,) = check_files([tmp_path / "nowhere.yaml"])
    assert error.code == "file_not_found"
    assert (error.line, error.column) == (1, 1)


def test_a_directory_is_unreadable(tmp_path: Path) -> None:
    (error,) = check_files([tmp_path])
    assert error.code == "file_unreadable"


def test_non_utf8_file_is_unreadable(tmp_path: Path) -> None:
    path = tmp_path / "latin1.yaml"
    path.write_bytes("title: {fr: 'Sécurité'}".encode("latin-1"))
    (error,) = check_files([path])
    assert error.code == "file_unreadable"


def test_empty_file_and_list_file_are_wrong_type(write_file: Callable[[str, str], Path]) -> None:
    for name, text in (("empty.yaml", "# nothing\n"), ("list.yaml", "- a\n- b\n")):
        (error,) = check_files([write_file(name, text)])
        assert error.code == "wrong_type"
        assert error.file.endswith(name)


def test_definition_may_not_write_loader_keys(write_file: Callable[[str, str], Path]) -> None:
    text = (VALID / "minimal.yaml").read_text(encoding="utf-8")
    path = write_file("hash.yaml", text + 'content_hash: "abc"\n')
    (error,) = check_files([path])
    assert (error.code, error.line) == ("unknown_key", 31)


def test_errors_render_in_french() -> None:
    (error,) = check_files([DEFINITIONS / "broken" / "missing_translation.yaml"])
    french = error.render("fr")
    assert "[missing_translation] question 'walk_alone_dark': label n'a pas de texte 'en'" in french
    assert "Correction: ajoutez une entrée 'en:'" in french
    assert error.render("en") == str(error)
