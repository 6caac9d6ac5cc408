"""``vigie survey simulate FILE --paths N``, run through click's test runner."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from vigie_cli.main import cli

DEFINITIONS = Path(__file__).resolve().parent.parent / "data" / "definitions" / "navigation"
TODAY = "2025-06-15"


def run(*args: str) -> tuple[int, str]:
    """Run ``vigie survey simulate`` with ``args``; (exit code, output)."""
    result = CliRunner().invoke(
        cli, ["survey", "simulate", *args, "--today", TODAY], env={"VIGIE_LANGUAGE": "en"}
    )
    return result.exit_code, result.output


def test_a_clean_definition_prints_a_summary_and_succeeds() -> None:
    code, output = run(str(DEFINITIONS / "repeats.yaml"), "--paths", "40", "--seed", "2")
    assert code == 0, output
    lines = output.splitlines()
    assert lines[0].startswith("nav_repeats (") and "40 simulated paths on web, seed 2" in lines[0]
    assert "  completed: 40, screened out: 0, stopped: 0" in lines
    assert any(line.startswith("  questions answered per path: min ") for line in lines)
    assert "  questions never reached: none" in lines
    assert "  problems: 0" in lines
    assert lines[-1] == "OK"


def test_problems_and_unreached_questions_fail() -> None:
    code, output = run(str(DEFINITIONS / "unanswerable.yaml"), "--paths", "30")
    assert code == 1
    assert "  questions never reached: never_asked" in output
    assert "[unanswerable] impossible:" in output
    assert output.splitlines()[-1] == "FAILED"


def test_sensitive_questions_unreached_on_telegram_are_expected() -> None:
    code, output = run(str(DEFINITIONS / "basic.yaml"), "--paths", "40", "--channel", "telegram")
    assert code == 0, output
    assert "  not asked on this channel by design (sensitive): partner_violence" in output
    assert "  questions never reached: none" in output


def test_messages_in_french() -> None:
    code, output = run(str(DEFINITIONS / "unanswerable.yaml"), "--paths", "20", "--language", "fr")
    assert code == 1
    assert "parcours simulés sur web" in output
    assert "questions jamais atteintes : never_asked" in output
    assert output.splitlines()[-1] == "ÉCHEC"


def test_the_same_seed_prints_the_same_summary() -> None:
    args = (str(DEFINITIONS / "repeats.yaml"), "--paths", "25", "--seed", "9")
    assert run(*args) == run(*args)


def test_a_definition_that_does_not_load_prints_its_errors(tmp_path: Path) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text("id: broken\nversion: '1'\nlanguages: [fr, en]\n", encoding="utf-8")
    code, output = run(str(broken), "--paths", "5")
    assert code == 1
    assert "broken.yaml:" in output and "[missing_key]" in output
    assert "simulated paths" not in output


def test_a_missing_file_is_an_error_line(tmp_path: Path) -> None:
    code, output = run(str(tmp_path / "nowhere.yaml"), "--paths", "5")
    assert code == 1
    assert "nowhere.yaml" in output
    assert "Traceback" not in output


@pytest.mark.parametrize("channel", ["web", "telegram"])
def test_shipped_perceived_safety(survey_defs: Path, channel: str) -> None:
    path = str(survey_defs / "perceived_safety.yaml")
    code, output = run(path, "--paths", "100", "--channel", channel)
    assert code == 0, output
    assert "  problems: 0" in output
