# ruff: noqa: F811 - fixture arguments named after the fixtures imported from db_fixtures
"""The R snippet shipped with a microdata export gives back the run's published figures.

``tests/data/r_svrepdesign/`` holds the snippet (``svrepdesign.R``) of the CSV export of a
small deterministic run, exactly as Vigie wrote it, and what R 4 with the ``survey`` package
printed when it ran it beside that export's ``respondents.csv`` (``svrepdesign.Rout``; see
the folder's README). This test never runs R: it makes the same run and export again, checks
that they are byte for byte what R read, and that the run's published direct estimate and SE
are R's, to the digits R printed.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import itertools
import re
import zipfile
from pathlib import Path

import numpy as np
import pytest
from db_fixtures import database_url  # noqa: F401

from demo import DEMO_BENCHMARKS_CSV
from observatory import EstimateRequest
from observatory.database import upgrade_database
from observatory.jobs import JobQueue, make_huey
from services import Settings, build_services

DEFS = Path(__file__).resolve().parents[2] / "survey_defs"
RECORDED = Path(__file__).resolve().parents[1] / "data" / "r_svrepdesign"
KEY = b"r" * 32
RESPONDENTS = 240
REPLICATES = 16
SEED = 7
START = dt.datetime(2026, 11, 2, 14, 0, tzinfo=dt.UTC)


def store_fixed_responses(url: str) -> None:
    """240 completed victimisation responses in Montréal, every id and date fixed."""
    import storage.responses
    from questionnaire.loader import load_survey
    from storage.answers import record_answer
    from storage.engine import make_engine, make_session_factory
    from storage.responses import create_response, update_response_state
    from storage.surveys import register_survey_version

    rng = np.random.default_rng(11)
    ids = (f"{i:032x}" for i in itertools.count(1))
    engine = make_engine(url)
    real = storage.responses.new_response_id
    storage.responses.new_response_id = lambda: next(ids)
    try:
        with make_session_factory(engine).begin() as session:
            version = register_survey_version(session, load_survey(DEFS / "victimisation.yaml"))
            for i in range(RESPONDENTS):
                response = create_response(
                    session,
                    version_id=version.id,
                    channel="telegram" if i % 3 == 0 else "web",
                    language="fr",
                    now=START,
                )
                answers = {
                    "age": int(rng.integers(15, 90)),
                    "gender": ("woman", "man")[int(rng.integers(2))],
                    "municipality": "2466023",
                    "household_size": ("p1", "p2", "p3_plus")[int(rng.integers(3))],
                    "language_spoken": ("french", "english")[int(rng.integers(2))],
                    "walk_alone_dark": ("very_safe", "somewhat_unsafe")[int(rng.integers(2))],
                }
                for path, value in answers.items():
                    record_answer(session, response.id, path, value, now=START)
                update_response_state(
                    session, response.id, expected_row_version=1, status="completed", now=START
                )
    finally:
        storage.responses.new_response_id = real
        engine.dispose()


def fixed_export(url: str, instance: Path) -> tuple[dict[str, bytes], dict[str, float]]:
    """The CSV export's ``respondents.csv`` and ``svrepdesign.R`` of the fixed run, and the
    run's published direct estimate and SE of the snippet's example."""
    upgrade_database(url)
    store_fixed_responses(url)
    settings = Settings(database_url=url, survey_defs=DEFS, instance_dir=instance)
    with build_services(settings, eager=False) as services:
        services.observatory.load_benchmarks(DEMO_BENCHMARKS_CSV)
        huey = make_huey(redis_url=None, instance_dir=instance, immediate=True)
        jobs = JobQueue(
            services.observatory,
            services.sessions,
            huey,
            export_dir=instance / "exports",
            export_key=KEY,
        )
        request = EstimateRequest("victimisation", replicates=REPLICATES, seed=SEED)
        run = jobs.request_run(request, "ana@vigie.test")
        assert jobs.run(run.id).status == "done"
        job = jobs.exports.request(run.id, "csv", "fr", "ana@vigie.test")
        assert jobs.exports.job(job.id).status == "done"
        _job, path = jobs.exports.archive(job.id)
        archive = zipfile.ZipFile(io.BytesIO(path.read_bytes()))
        files = {name: archive.read(name) for name in ("respondents.csv", "svrepdesign.R")}
        snippet = files["svrepdesign.R"].decode()
        indicator = re.search(r"svyratio\(~n_(\w+),", snippet)
        assert indicator is not None, snippet
        results = jobs.results(run.id)
        row = results[
            (results["indicator"] == indicator.group(1))
            & (results["municipality"] == "2466023")
            & (results["channel"] == "all")
        ].iloc[0]
        assert row["method"] == "direct"
        published = {"estimate": float(row["estimate"]), "se": float(row["se"])}
    return files, published


def _printed(output: str) -> dict[str, str]:
    """R's printed named vector: each name (``estimate.n_x/d_x``, ``se.n_x/d_x``) on its
    line, its value on the next (the names are too long to share a line)."""
    lines = [line.strip() for line in output.splitlines() if line.strip()]
    found = {}
    for name, value in itertools.pairwise(lines):
        for key in ("estimate", "se"):
            if name.startswith(f"{key}.n_") and re.fullmatch(r"-?\d+(\.\d+)?", value):
                found[key] = value
    assert set(found) == {"estimate", "se"}, output
    return found


def _same_to_printed_digits(value: float, printed: str) -> bool:
    decimals = len(printed.split(".")[1]) if "." in printed else 0
    return f"{value:.{decimals}f}" == printed


def test_the_shipped_r_snippet_gives_the_run_s_estimate_and_se(
    database_url: str, tmp_path: Path
) -> None:
    if not database_url.startswith("sqlite"):
        pytest.skip("one database is enough: the figures do not depend on it")
    files, published = fixed_export(database_url, tmp_path)
    recorded = (RECORDED / "svrepdesign.R").read_bytes()
    assert files["svrepdesign.R"] == recorded  # the very snippet R ran
    digest = hashlib.sha256(files["respondents.csv"]).hexdigest()
    readme = (RECORDED / "README.md").read_text()
    assert f"sha256 {digest}" in readme  # the very data R read
    printed = _printed((RECORDED / "svrepdesign.Rout").read_text())
    for name in ("estimate", "se"):
        assert _same_to_printed_digits(published[name], printed[name]), (published, printed)
    # The snippet's own comment quotes the same figures.
    quoted = f"estimate {published['estimate']:.4f}, SE {published['se']:.4f}"
    assert quoted in recorded.decode()
