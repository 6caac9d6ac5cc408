# ruff: noqa: F811 - fixture arguments named after the fixtures imported from db_fixtures
"""Microdata exports: values, labels and missing codes in every format, pseudonymous ids, the
incident file, and replicate weights that give back the run's standard error."""

from __future__ import annotations

import datetime as dt
import io
import json
import zipfile
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from db_fixtures import database_url  # noqa: F401

from demo import DEMO_BENCHMARKS_CSV
from observatory import EstimateRequest, ObservatoryError
from observatory.database import upgrade_database
from observatory.jobs import JobQueue, make_huey
from questionnaire.definition.model import SpecialCode
from questionnaire.definition.values import SKIPPED, Special
from services import Services, Settings, build_services

DEFS = Path(__file__).resolve().parents[2] / "survey_defs"
KEY = b"k" * 32
MUNICIPALITIES = ("2466023", "2423027", "2499901")
DONT_KNOW = Special(SpecialCode.DONT_KNOW)
PREFER_NOT = Special(SpecialCode.PREFER_NOT)


def answers_of(i: int, rng: np.random.Generator) -> dict[str, object]:
    """A victimisation respondent with special answers, skips, a multiple choice and,
    every fourth one, a break-in reported in the incident loop."""
    victim = i % 4 == 0
    answers: dict[str, object] = {
        "age": int(rng.integers(15, 90)),
        "consent": "yes",
        "gender": ("woman", "man")[i % 2],
        "municipality": MUNICIPALITIES[i % 3],
        "household_size": ("p1", "p2", "p3_plus")[int(rng.integers(3))],
        "language_spoken": ("french", "english")[int(rng.integers(2))],
        "walk_alone_dark": ("very_safe", "somewhat_unsafe")[int(rng.integers(2))],
        "crime_compared": DONT_KNOW if i % 5 == 0 else "lower",
        "safety_satisfaction": SKIPPED
        if i % 7 == 0
        else ("very_satisfied", "somewhat_dissatisfied")[int(rng.integers(2))],
        "avoidance_behaviours": ("avoid_places", "stay_home_night") if i % 2 else ("none",),
        "education": PREFER_NOT if i % 6 == 0 else "university",
        "break_in": "yes" if victim else "no",
    }
    if victim:
        answers["break_in_times"] = 1 + i % 3
        answers["incident[1].incident_type"] = "break_in"
        answers["incident[1].location"] = DONT_KNOW if i % 8 == 0 else "home"
        answers["incident[1].police_found_out"] = ("told", "no")[(i // 4) % 2]
    return answers


def store_responses(url: str, n: int, seed: int = 0) -> None:
    from questionnaire.loader import load_survey
    from storage.answers import record_answer
    from storage.engine import make_engine, make_session_factory
    from storage.responses import create_response, update_response_state
    from storage.surveys import register_survey_version

    rng = np.random.default_rng(seed)
    engine = make_engine(url)
    try:
        with make_session_factory(engine).begin() as session:
            version = register_survey_version(session, load_survey(DEFS / "victimisation.yaml"))
            for i in range(n):
                response = create_response(
                    session,
                    version_id=version.id,
                    channel="telegram" if i % 3 == 1 else "web",
                    language="fr",
                )
                for path, value in answers_of(i, rng).items():
                    record_answer(session, response.id, path, value)  # type: ignore[arg-type]
                update_response_state(
                    session, response.id, expected_row_version=1, status="completed"
                )
    finally:
        engine.dispose()


def _queue(url: str, tmp_path: Path, respondents: int) -> Iterator[tuple[JobQueue, Services]]:
    upgrade_database(url)
    store_responses(url, respondents)
    settings = Settings(database_url=url, survey_defs=DEFS, instance_dir=tmp_path)
    with build_services(settings, eager=False) as services:
        services.observatory.load_benchmarks(DEMO_BENCHMARKS_CSV)
        huey = make_huey(redis_url=None, instance_dir=tmp_path, immediate=True)
        jobs = JobQueue(
            services.observatory,
            services.sessions,
            huey,
            export_dir=tmp_path / "exports",
            export_key=KEY,
        )
        yield jobs, services


@pytest.fixture
def queue(database_url: str, tmp_path: Path) -> Iterator[tuple[JobQueue, Services]]:
    """150 respondents, a queue that works at once (huey's immediate mode)."""
    yield from _queue(database_url, tmp_path, 150)


def _export(jobs: JobQueue, run_id: int, fmt: str, language: str = "fr") -> zipfile.ZipFile:
    job = jobs.exports.request(run_id, fmt, language, "ana@vigie.test")
    done = jobs.exports.job(job.id)
    assert done.status == "done", done.error
    _job, path = jobs.exports.archive(job.id)
    return zipfile.ZipFile(io.BytesIO(path.read_bytes()))


def _read(archive: zipfile.ZipFile, name: str, tmp_path: Path) -> Path:
    target = tmp_path / name
    target.write_bytes(archive.read(name))
    return target


def test_an_export_holds_the_run_s_answers_codes_and_weights_until_the_data_change(
    queue: tuple[JobQueue, Services], tmp_path: Path, database_url: str
) -> None:
    import pyreadstat

    jobs, _services = queue
    run = jobs.request_run(EstimateRequest("victimisation", replicates=12, seed=5), "ana")
    assert jobs.run(run.id).status == "done"
    results = jobs.results(run.id)

    archive = _export(jobs, run.id, "csv")
    assert set(archive.namelist()) == {
        "respondents.csv", "incident.csv", "codebook.csv", "svrepdesign.R", "svyset.do",
    }  # fmt: skip
    people = pd.read_csv(io.BytesIO(archive.read("respondents.csv")))
    incidents = pd.read_csv(io.BytesIO(archive.read("incident.csv")))
    codebook = pd.read_csv(io.BytesIO(archive.read("codebook.csv")), dtype=str)

    # One row per respondent, pseudonymous ids, no identifying column.
    assert len(people) == 150 and people["respondent_id"].is_unique
    assert people["respondent_id"].str.fullmatch(r"[0-9a-f]{16}").all()
    for column in ("response_id", "chat_id", "resume_token_hash", "campaign_id", "comment"):
        assert column not in people.columns
    # Codes: choices by their export code, specials and skips by 96-99, counts 996-999.
    montreal = people["municipality"] == 1
    assert montreal.sum() == 50
    assert set(people["crime_compared"]) == {97, 3}  # don't know / "lower" (export 3)
    assert (people["safety_satisfaction"] == 99).sum() == len(range(0, 150, 7))  # skipped
    assert (people["education"] == 98).sum() == len(range(0, 150, 6))
    assert set(people["avoidance_behaviours_none"]) == {0, 1}
    assert set(people["break_in_times"]) == {1, 2, 3, 996}  # 996: valid skip (no break-in)
    assert set(people["vehicle_theft"]) == {96}  # no vehicle: never asked
    # The incident loop: one row per reported incident, keyed by the respondent id.
    # (as many reports as break-ins, 1 + i % 3; only the first one was described).
    assert len(incidents) == sum(1 + i % 3 for i in range(0, 150, 4))
    assert set(incidents["respondent_id"]) <= set(people["respondent_id"])
    first = incidents["instance"] == 1
    assert first.sum() == len(range(0, 150, 4)) and set(incidents["instance"]) == {1, 2, 3}
    assert set(incidents.loc[first, "location"]) == {1, 97}
    assert set(incidents.loc[~first, "location"]) == {99}  # applied, not answered
    # The codebook: labels in both languages, value labels, missing codes with Stata letters.
    walk = codebook[codebook["variable"] == "walk_alone_dark"]
    assert walk.iloc[0]["label_en"].startswith("When you walk alone in your neighbourhood")
    assert "Don't know" in set(codebook["value_label_en"].dropna())
    assert set(walk["missing"].dropna()) == {
        "valid_skip (Stata .s)", "dont_know (Stata .d)", "prefer_not (Stata .r)",
        "not_stated (Stata .n)",
    }  # fmt: skip

    # The snippets' formula on the exported weights gives the run's direct estimate and SE.
    replicates = [c for c in people.columns if c.startswith("rw_")]
    assert len(replicates) == 12
    snippet = archive.read("svrepdesign.R").decode()
    assert (
        'type = "bootstrap"' in snippet and "scale = 1 / 12" in snippet and "mse = TRUE" in snippet
    )
    stata = archive.read("svyset.do").decode()
    assert "bsrweight(rw_01-rw_12) vce(bootstrap) bsn(1) mse" in stata
    row = results[
        (results["indicator"] == "prevalence_break_in")
        & (results["municipality"] == "2466023")
        & (results["channel"] == "all")
    ].iloc[0]
    inside = montreal & people["d_prevalence_break_in"].notna()
    y = people.loc[inside, "n_prevalence_break_in"].to_numpy()
    x = people.loc[inside, "d_prevalence_break_in"].to_numpy()
    w = people.loc[inside, "final_weight"].to_numpy()
    theta = 100 * (w @ y) / (w @ x)
    reps = people.loc[inside, replicates].to_numpy()
    thetas = 100 * (y @ reps) / (x @ reps)
    se = float(np.sqrt(np.mean((thetas - theta) ** 2)))
    assert theta == pytest.approx(row["direct_estimate"], rel=1e-9)
    assert se == pytest.approx(row["direct_se"], rel=1e-9)
    assert se > 0

    # The same values in Parquet, SPSS and Stata, with their labels and declared missing values.
    parquet = _read(_export(jobs, run.id, "parquet"), "respondents.parquet", tmp_path)
    from_parquet = pd.read_parquet(parquet)
    pd.testing.assert_frame_equal(from_parquet, people, check_dtype=False)
    import pyarrow.parquet as pq

    meta = json.loads(pq.read_schema(parquet).metadata[b"vigie.codebook"])
    assert meta["crime_compared"]["missing"]["97"] == "dont_know"

    sav = _read(_export(jobs, run.id, "sav", "en"), "respondents.sav", tmp_path)
    spss, spss_meta = pyreadstat.read_sav(str(sav), user_missing=True)
    pd.testing.assert_frame_equal(spss[people.columns], people, check_dtype=False)
    assert spss_meta.missing_ranges["crime_compared"] == [{"lo": 96.0, "hi": 99.0}]
    assert spss_meta.missing_ranges["break_in_times"] == [{"lo": 996.0, "hi": 999.0}]
    assert spss_meta.variable_value_labels["crime_compared"][97.0] == "Don't know"
    assert spss_meta.column_names_to_labels["final_weight"] == "Final weight"

    dta = _read(_export(jobs, run.id, "dta", "fr"), "respondents.dta", tmp_path)
    stata_frame, stata_meta = pyreadstat.read_dta(str(dta), user_missing=True)
    assert set(stata_frame["crime_compared"]) == {"d", 3.0}  # .d: don't know
    assert set(stata_frame["education"]) - {"r"} and "r" in set(stata_frame["education"])
    assert stata_meta.variable_value_labels["crime_compared"]["d"] == "Je ne sais pas"
    assert stata_meta.variable_value_labels["municipality"][1] == "Montréal"
    plain, _meta = pyreadstat.read_dta(str(dta))
    assert plain["crime_compared"].isna().sum() == (people["crime_compared"] == 97).sum()
    np.testing.assert_allclose(plain["final_weight"], people["final_weight"])

    _refusals(jobs, run.id, database_url)


def _refusals(jobs: JobQueue, run_id: int, database_url: str) -> None:
    """A bad format, an unknown job, a stalled job taken up again, then an outdated run."""
    with pytest.raises(ObservatoryError) as missing:
        jobs.exports.request(999, "csv", "fr", "ana")
    assert missing.value.code == "no_run"
    with pytest.raises(ObservatoryError) as bad:
        jobs.exports.request(run_id, "xlsx", "fr", "ana")
    assert bad.value.code == "export_bad_format"
    with pytest.raises(ObservatoryError) as unknown:
        jobs.exports.job("../../etc/passwd")
    assert unknown.value.code == "no_export"
    # A worker that stopped beating two minutes ago: its export is queued again, and done.
    job = jobs.exports.store.create(run_id, "victimisation", "csv", "fr", "ana", 6)
    before = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=2)
    jobs.exports.store.save(replace(job, status="running", updated_at=before.isoformat()))
    assert jobs.requeue_stale() == []  # no estimate run to take up again
    assert jobs.exports.job(job.id).status == "done"
    # New responses: the run's weights no longer fit the data.
    store_responses(database_url, 3, seed=9)
    with pytest.raises(ObservatoryError) as outdated:
        jobs.exports.request(run_id, "csv", "fr", "ana")
    assert outdated.value.code == "export_run_outdated"
    assert "Start a new run" in outdated.value.render("en")


def test_free_text_is_never_exported_and_the_codebook_says_so(tmp_path: Path) -> None:
    from observatory.exports.codebook import build_codebook
    from observatory.exports.writers import write_codebook
    from questionnaire.loader import load_survey

    survey = load_survey(Path(__file__).parent / "data" / "defs" / "town_safety.yaml")
    codebook = build_codebook(survey)
    assert survey.question("comment").type == "text"
    assert "comment" not in {v.question for v in codebook.variables()}
    assert [v.question for v in codebook.withheld] == ["comment"]
    write_codebook(codebook.variables(), codebook.withheld, tmp_path / "codebook.csv")
    rows = pd.read_csv(tmp_path / "codebook.csv", dtype=str)
    assert list(rows.loc[rows["type"] == "withheld", "question"]) == ["comment"]
