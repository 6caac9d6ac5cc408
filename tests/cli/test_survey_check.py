"""``vigie survey check``: every problem on its own line, a summary per file."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from vigie_cli.main import cli

DEFINITIONS = Path(__file__).resolve().parent.parent / "data" / "definitions"


def run(*args: str) -> tuple[int, list[str]]:
    result = CliRunner().invoke(cli, ["survey", "check", *args], env={"VIGIE_LANGUAGE": "en"})
    assert result.exception is None or isinstance(result.exception, SystemExit)
    return result.exit_code, result.output.splitlines()


def test_valid_files_give_ok_summaries_and_exit_0() -> None:
    minimal = str(DEFINITIONS / "valid" / "minimal.yaml")
    repeat = str(DEFINITIONS / "valid" / "with_repeat.yaml")
    code, lines = run(minimal, repeat)
    assert code == 0
    assert len(lines) == 2
    assert lines[0].startswith(f"{minimal}: OK (version 1.0, 3 questions, hash ")
    assert lines[1].startswith(f"{repeat}: OK (version 2.1, 7 questions, hash ")
    assert lines[0].endswith(")") and len(lines[0].rsplit("hash ", 1)[1]) == 9


def test_errors_are_listed_before_the_summaries_and_exit_1() -> None:
    broken = str(DEFINITIONS / "broken" / "several_problems.yaml")
    minimal = str(DEFINITIONS / "valid" / "minimal.yaml")
    code, lines = run(broken, minimal)
    assert code == 1
    problems = [line for line in lines if line.startswith(f"{broken}:") and ": [" in line]
    assert len(problems) == 10
    assert problems[0] == (
        f"{broken}:13:1: [missing_key] required key 'version' is missing. Fix: add 'version:'."
    )
    assert lines[-2:] == [f"{broken}: 10 problems", lines[-1]]
    assert lines[-1].startswith(f"{minimal}: OK")


def test_missing_and_non_yaml_files_are_error_lines(tmp_path: Path) -> None:
    not_yaml = tmp_path / "notes.txt"
    not_yaml.write_text("key: [unclosed\n", encoding="utf-8")
    missing = tmp_path / "missing.yaml"
    code, lines = run(str(missing), str(not_yaml))
    assert code == 1
    assert lines[0].startswith(f"{missing}:1:1: [file_not_found]")
    assert lines[1].startswith(f"{not_yaml}:2:1: [yaml_syntax]")
    assert lines[2:] == [f"{missing}: 1 problem", f"{not_yaml}: 1 problem"]


def test_messages_in_french() -> None:
    broken = str(DEFINITIONS / "broken" / "missing_translation.yaml")
    code, lines = run("--language", "fr", broken)
    assert code == 1
    assert lines == [
        f"{broken}:16:9: [missing_translation] question 'walk_alone_dark': label n'a pas de "
        "texte 'en'. Correction: ajoutez une entrée 'en:'.",
        f"{broken} : 1 problème",
    ]


def test_no_file_is_a_usage_error() -> None:
    result = CliRunner().invoke(cli, ["survey", "check"])
    assert result.exit_code == 2
