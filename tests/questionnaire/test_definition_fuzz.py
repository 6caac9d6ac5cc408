"""Whatever bytes a definition file holds, loading it gives definition errors, quickly.

Hypothesis feeds arbitrary bytes, and YAML-shaped text built from the
fragments that broke the reader before (aliases, deep nesting, huge numbers,
control characters, include paths, patterns, infinite bounds), as a
definition file. Each example must end with a survey or with
:class:`DefinitionError` values of catalogued codes, never an exception.

Each example runs under a per-example deadline (Hypothesis' ``deadline``) and
a watchdog timer that interrupts an example still running after
:data:`HANG_SECONDS`, so a hang fails the test instead of stalling the suite.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path

from definition_support import VALID, watchdog
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from questionnaire.definition.errors import CODES, DefinitionError
from questionnaire.loader import load_file

#: An example still running after this many seconds is a hang.
HANG_SECONDS = 20
#: Hypothesis fails an example slower than this (generous: the machine may be shared).
DEADLINE = dt.timedelta(seconds=5)

FRAGMENTS = [
    "a: &a [x, x, x, x, x, x, x, x, x]\n",
    "b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n",
    "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\n",
    "d: [*c, *c, *c, *c, *c, *c, *c, *c, *c]\n",
    "<<: *a\n",
    "[" * 3000 + "]" * 3000 + "\n",
    "x: " + "[" * 300 + "\n",
    "{a: " * 500 + "1" + "}" * 500 + "\n",
    "        min: " + "9" * 5000 + "\n",
    "        max: .inf\n",
    "        min: .nan\n",
    "        max: 1e400\n",
    "        min: -.inf\n",
    '        pattern: "(a|aa)+$"\n',
    '        pattern: "(\\\\w+\\\\s?)+$"\n',
    '        pattern: "(["\n',
    "  - include: /etc/passwd\n",
    "  - include: ../../../../etc/hostname\n",
    "  - include: \x00\n",
    "id: " + "x" * 500 + "\n",
    'version: "' + "9" * 100 + '"\n',
    "        name: " + "a" * 300 + "\n",
    "\x00",
    "\x1b[31m",
    "\ufeff",
    "\t",
    "date: 2023-02-30\n",
    "when: 2001-12-14t21:59:43.10-99:00\n",
    "n: 0x" + "f" * 5000 + "\n",
    "n: 0o" + "7" * 5000 + "\n",
    "n: 1_000_000_000_000_000_000_000\n",
    "n: 190:20:30\n",
    "!!python/object:os.system ls\n",
    "? [a, b]\n: c\n",
    "&x a: *x\n",
    "- *undefined\n",
    "%YAML 1.1\n---\n",
    "--- |\n  text\n...\n",
    "'",
    '"\\xff\\ud800"\n',
]


def load_bytes(data: bytes) -> list[DefinitionError]:
    """Load ``data`` as a definition file; the errors (checked to be catalogued)."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "fuzz.yaml"
        path.write_bytes(data)
        with watchdog(HANG_SECONDS):
            result = load_file(path)
    assert result.survey is not None or result.errors
    for error in result.errors:
        assert isinstance(error, DefinitionError)
        assert error.code in CODES, error.code
        assert error.line >= 1 and error.column >= 1
        assert error.render("fr") and error.render("en")
    return result.errors


@st.composite
def yaml_shaped(draw: st.DrawFn) -> bytes:
    """The valid definition with fragments spliced in at line boundaries."""
    lines = VALID.splitlines(keepends=True)
    for _ in range(draw(st.integers(min_value=1, max_value=4))):
        at = draw(st.integers(min_value=0, max_value=len(lines)))
        lines.insert(at, draw(st.sampled_from(FRAGMENTS)))
    text = "".join(lines)
    if draw(st.booleans()):
        cut = draw(st.integers(min_value=0, max_value=len(text)))
        text = text[:cut] + draw(st.text(max_size=20)) + text[cut:]
    return text.encode("utf-8", errors="surrogatepass")


FUZZ = settings(
    max_examples=150,
    deadline=DEADLINE,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    derandomize=True,
)


@FUZZ
@given(st.binary(max_size=4000))
def test_arbitrary_bytes_give_only_definition_errors(data: bytes) -> None:
    load_bytes(data)


@FUZZ
@given(yaml_shaped())
def test_yaml_shaped_hostile_text_gives_only_definition_errors(data: bytes) -> None:
    load_bytes(data)


@FUZZ
@given(st.lists(st.sampled_from(FRAGMENTS), min_size=1, max_size=6))
def test_fragments_alone_give_only_definition_errors(fragments: list[str]) -> None:
    load_bytes("".join(fragments).encode("utf-8", errors="surrogatepass"))


def test_the_valid_definition_loads() -> None:
    assert load_bytes(VALID.encode("utf-8")) == []
