"""Writing one benchmark's section of docs/benchmarks.md, leaving the others alone."""

from __future__ import annotations

from pathlib import Path


def replace_section(doc: Path, heading: str, body: str) -> None:
    """Replace the section that starts with the line ``heading`` by ``body``, or append it.

    ``body`` starts with ``heading`` itself; a section runs to the next ``## `` line.
    """
    existing = doc.read_text(encoding="utf-8") if doc.exists() else "# Benchmarks\n"
    lines = existing.splitlines()
    start = next((i for i, line in enumerate(lines) if line.strip() == heading), None)
    if start is None:
        new = existing.rstrip("\n") + "\n\n" + body
    else:
        end = next(
            (i for i in range(start + 1, len(lines)) if lines[i].startswith("## ")), len(lines)
        )
        after = "\n".join(lines[end:])
        new = (
            "\n".join(lines[:start]) + "\n" + body.rstrip("\n") + ("\n\n" + after if after else "")
        )
    doc.write_text(new.rstrip("\n") + "\n", encoding="utf-8")
