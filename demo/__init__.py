"""Demonstration data: approximate or invented, never official (see docs/storage.md)."""

from pathlib import Path

#: The demonstration benchmarks loaded by ``vigie benchmarks load --demo``.
DEMO_BENCHMARKS_CSV = Path(__file__).resolve().parent / "benchmarks_demo.csv"
