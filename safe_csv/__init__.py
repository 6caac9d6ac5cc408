"""Every CSV file Vigie writes goes through here, so that no cell runs as a formula.

A spreadsheet opening a CSV file reads a cell that starts with ``=``, ``+``,
``-``, ``@``, a tab or a carriage return as a formula, and a formula can run
commands (``=cmd|' /C calc'!A0``) or send data away (``=HYPERLINK(...)``).
Anyone who can put text into Vigie (a municipality name in a census file, a
campaign's organisation, a free-text answer) could plant one in a file an
analyst later opens. Following OWASP's guidance on CSV injection
(https://owasp.org/www-community/attacks/CSV_Injection):

- a text cell that starts with one of those characters (or their full-width
  forms ``＝ ＋ － ＠``, which some spreadsheets fold) gets a single quote in
  front, which spreadsheets show as text and never evaluate;
- a cell that is a plain number (``-12``, ``+3.5``, ``-1e-3``) is left alone:
  it cannot call anything, and the result files stay numeric;
- quotes, separators and line breaks inside a cell are escaped by the
  :mod:`csv` module's quoting, so a cell cannot spill into its neighbours.

Readers of Vigie's own files get the text back with :func:`restore`.
Reading files in (census margins, names) refuses such cells instead:
:func:`is_formula` is the test both sides share.

Standard library only: every room (storage, analysis, observatory, the
channels) may import it. A test fails if code elsewhere writes CSV itself
(``csv.writer``, ``csv.DictWriter`` or ``DataFrame.to_csv``).
"""

from __future__ import annotations

import csv
import math
import re
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import IO, Any, Final, Protocol

#: First characters that make a spreadsheet read a cell as a formula.
FORMULA_STARTS: Final = frozenset("=+-@\t\r\n＝＋－＠")
#: What is put in front of such a cell.
ESCAPE: Final = "'"
#: A plain decimal number, which no spreadsheet runs.
_NUMBER: Final = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?")


def is_formula(text: str) -> bool:
    """Whether a spreadsheet could read ``text`` as a formula.

    Leading spaces are skipped (some spreadsheets do); plain numbers are not formulas.

    >>> is_formula("=1+1"), is_formula(" @SUM(A1)"), is_formula("-12.5"), is_formula("Lévis")
    (True, True, False, False)
    """
    if not text:
        return False
    stripped = text.lstrip(" ")
    if text[0] in FORMULA_STARTS or (stripped and stripped[0] in FORMULA_STARTS):
        return _NUMBER.fullmatch(text.strip()) is None
    return False


def neutralise(value: Any) -> Any:
    """``value`` as it may go into a CSV cell: formula-like text gets a leading quote.

    Anything but text (numbers, ``None``) is returned unchanged.
    """
    if isinstance(value, str) and is_formula(value):
        return ESCAPE + value
    return value


def restore(text: str) -> str:
    """The text a cell written by :func:`neutralise` stood for."""
    if text.startswith(ESCAPE) and is_formula(text[1:]):
        return text[1:]
    return text


def write_rows(handle: IO[str], header: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
    """Write ``header`` and ``rows`` as CSV to an open text ``handle``; return the row count.

    ``None`` and NaN become empty cells. Open the file with ``newline=""``.
    Lines end with ``\n``; a row holding a carriage return is written with
    every cell quoted (the :mod:`csv` module quotes only the characters of its
    line ending, and a lone ``\r`` would otherwise break the line).
    """
    writer = csv.writer(handle, lineterminator="\n")
    quoting_all = csv.writer(handle, lineterminator="\n", quoting=csv.QUOTE_ALL)
    count = 0
    for row in _with_header(header, rows):
        cells = [_cell(value) for value in row]
        if any(isinstance(cell, str) and "\r" in cell for cell in cells):
            quoting_all.writerow(cells)
        else:
            writer.writerow(cells)
        count += 1
    return count - 1


def _with_header(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> Iterator[Sequence[Any]]:
    yield header
    yield from rows


def write_csv(path: Path, header: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
    """Write a UTF-8 CSV file at ``path`` (see :func:`write_rows`); return the row count."""
    with path.open("w", encoding="utf-8", newline="") as handle:
        return write_rows(handle, header, rows)


class Frame(Protocol):
    """What :func:`write_frame` needs of a pandas ``DataFrame``."""

    @property
    def columns(self) -> Any: ...

    def itertuples(
        self, index: bool = ..., name: str | None = ...
    ) -> Iterable[tuple[Any, ...]]: ...


def write_frame(frame: Frame, path: Path) -> int:
    """Write a pandas ``DataFrame`` (no index) as a UTF-8 CSV file; return the row count."""
    header = [str(name) for name in frame.columns]
    return write_csv(path, header, frame.itertuples(index=False, name=None))


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, float) and math.isnan(value):
        return ""
    if type(value).__name__ in {"NAType", "NaTType"}:  # pandas' missing values
        return ""
    return neutralise(value)
