# ruff: noqa: F811 - test arguments named after the fixtures imported from db_fixtures
"""``vigie demo``: the demonstration database and the summary of a results file."""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner
from db_fixtures import database_url  # noqa: F401

from analysis.results import RESULT_COLUMNS
from demo.population import (
    AGE_GENDER,
    SMALL_POPULATION,
    build_population,
    draw_profile,
)
from demo.store import DEMO_MARK, HELD_STATUSES
from questionnaire.answers.run_context import RunContext
from questionnaire.loader import load_survey
from questionnaire.navigation.next import prune, status
from storage import migrate
from storage.analysis_source import iter_responses_for_analysis
from storage.campaigns import count_responses_by_campaign, list_campaigns
from storage.engine import make_engine, make_session_factory
from storage.records import ResponseStatus
from storage.responses import create_response
from storage.surveys import register_survey_version
from vigie_cli.demo_messages import MESSAGES
from vigie_cli.main import cli

ALL_STATUSES = (*HELD_STATUSES, ResponseStatus.ERASED)
Invoke = Callable[..., tuple[int, str]]


@pytest.fixture
def invoke(database_url: str, survey_defs: Path) -> Invoke:
    """Factory: ``invoke("populate", "--respondents", "60", language="en")`` on the test base."""

    def run(*args: str, language: str = "en") -> tuple[int, str]:
        command = ["demo", *args]
        if args and args[0] == "populate":
            command += ["--survey-defs", str(survey_defs)]
        result = CliRunner().invoke(
            cli, command, env={"DATABASE_URL": database_url, "VIGIE_LANGUAGE": language}
        )
        return result.exit_code, result.output

    return run


def _responses(url: str, survey_id: str, statuses: tuple[ResponseStatus, ...] = HELD_STATUSES):
    engine = make_engine(url)
    try:
        with make_session_factory(engine)() as session:
            return list(iter_responses_for_analysis(session, survey_id, statuses))
    finally:
        engine.dispose()


def _campaign_counts(url: str, survey_id: str) -> list[tuple[str, str | None, int, int]]:
    engine = make_engine(url)
    try:
        with make_session_factory(engine)() as session:
            return [
                (c.organisation, c.municipality_code, started, done)
                for c, started, done in count_responses_by_campaign(session, survey_id)
            ]
    finally:
        engine.dispose()


def test_populate_creates_campaigns_and_responses(database_url: str, invoke: Invoke) -> None:
    code, output = invoke("populate", "--survey", "perceived_safety", "--respondents", "60")
    assert code == 0, output
    assert "Demonstration population benchmarks loaded: 240 counts." in output
    assert "perceived_safety: 60 demonstration respondents" in output
    counts = _campaign_counts(database_url, "perceived_safety")
    assert len(counts) == 4
    assert all(DEMO_MARK in organisation for organisation, *_ in counts)
    assert [preset for _, preset, _, _ in counts].count("2443027") == 1
    assert sum(started for *_, started, _ in counts) == 60
    responses = _responses(database_url, "perceived_safety")
    assert len(responses) == 60
    statuses = Counter(record.status for record, _ in responses)
    assert statuses[ResponseStatus.COMPLETED] > 30
    assert statuses[ResponseStatus.IN_PROGRESS] >= 1
    assert {record.channel for record, _ in responses} == {"web", "telegram"}
    started = sorted(record.started_at for record, _ in responses)
    assert (started[-1] - started[0]).days >= 20
    for organisation, *_ in counts:
        assert organisation in output
    assert _responses(database_url, "victimisation") == []


def test_populate_twice_adds_nothing_and_replace_starts_over(
    database_url: str, invoke: Invoke
) -> None:
    args = ("populate", "--survey", "perceived_safety", "--respondents", "60")
    assert invoke(*args)[0] == 0
    first = sorted(record.id for record, _ in _responses(database_url, "perceived_safety"))
    code, output = invoke(*args, language="fr")
    assert code == 0, output
    assert "la démonstration est déjà là (60 réponses)" in output
    assert "Repères de population déjà chargés" in output
    again = sorted(record.id for record, _ in _responses(database_url, "perceived_safety"))
    assert again == first
    assert len(_campaign_counts(database_url, "perceived_safety")) == 4
    code, output = invoke(*args, "--replace")
    assert code == 0, output
    assert "perceived_safety: 60 demonstration responses erased." in output
    replaced = _responses(database_url, "perceived_safety")
    assert len(replaced) == 60
    assert not {record.id for record, _ in replaced} & set(first)
    erased = _responses(database_url, "perceived_safety", (ResponseStatus.ERASED,))
    assert len(erased) == 60
    assert len(_campaign_counts(database_url, "perceived_safety")) == 4


def test_populate_refuses_a_database_with_other_responses(
    database_url: str, invoke: Invoke, survey_defs: Path
) -> None:
    engine = make_engine(database_url)
    try:
        migrate.upgrade(engine)
        with make_session_factory(engine).begin() as session:
            survey = load_survey(survey_defs / "perceived_safety.yaml")
            version = register_survey_version(session, survey)
            create_response(session, version.id, "web", "fr")
    finally:
        engine.dispose()
    code, output = invoke("populate", "--respondents", "5")
    assert code == 1
    assert "holds 1 response(s) that are not demonstration responses" in output
    engine = make_engine(database_url)
    try:
        with make_session_factory(engine)() as session:
            assert list_campaigns(session) == []
    finally:
        engine.dispose()
    assert len(_responses(database_url, "perceived_safety", ALL_STATUSES)) == 1


def test_stored_answers_agree_with_navigation(
    database_url: str, invoke: Invoke, survey_defs: Path
) -> None:
    code, output = invoke("populate", "--survey", "victimisation", "--respondents", "40")
    assert code == 0, output
    survey = load_survey(survey_defs / "victimisation.yaml")
    sensitive = {q.name for s in survey.sections if s.sensitive for q in s.questions}
    checked = Counter[str]()
    for record, answers in _responses(database_url, "victimisation"):
        ctx = RunContext(
            started_on=record.started_at.date(), channel=record.channel, language=record.language
        )
        assert status(survey, answers, ctx) == record.status.value
        assert prune(survey, answers, ctx) == answers
        if record.status is ResponseStatus.IN_PROGRESS:
            assert record.current_path is not None
        else:
            assert record.current_path is None
        if record.channel == "telegram":
            assert not sensitive & set(answers)
        checked[record.status.value] += 1
    assert checked["completed"] > 20
    assert sum(checked.values()) == 40


def test_population_is_biased_as_documented() -> None:
    rows = []
    for code, name, people in (("1", "Big", 90_000), ("2", "City", 30_000), ("3", "Tiny", 800)):
        for cell, share in (("a15_24*woman", 0.5), ("a65_plus*man", 0.5)):
            rows.append((code, name, AGE_GENDER, cell, people * share))
        rows.append((code, name, "household_size", "p1", people))
        rows.append((code, name, "language_spoken", "english", people))
    frame = pd.DataFrame(
        rows, columns=["municipality", "municipality_name", "variable", "category", "count"]
    )
    population = build_population(frame, ["1", "2", "3", "4"])
    weights = population.draw_weights
    assert sum(weights.values()) == pytest.approx(1.0)
    assert set(population.municipalities) == {"1", "2", "3"}
    assert population.municipalities["3"].population < SMALL_POPULATION
    assert weights["3"] == pytest.approx(0.010)
    assert weights["1"] / weights["2"] == pytest.approx(3.0)
    rng = random.Random(7)
    profiles = [draw_profile(population, rng) for _ in range(2_000)]
    women = sum(p.gender == "woman" for p in profiles) / len(profiles)
    young = sum(p.age_group == "a15_24" for p in profiles) / len(profiles)
    assert 0.59 < women < 0.69
    assert young < 0.08
    assert {p.household_size for p in profiles if p.municipality == "1"} == {"p1"}
    assert all(p.language == "en" for p in profiles if p.municipality in ("1", "2", "3"))


def _results_csv(path: Path) -> Path:
    """A small results table: the pooled row and three municipalities of one indicator."""
    base = dict.fromkeys(RESULT_COLUMNS, "")
    rows = []
    for municipality, name, estimate, cv, flag, method, n in (
        ("ALL", "All municipalities", 26.54, 5.4, "", "direct", 900),
        ("2466023", "Montréal", 32.31, 7.3, "", "direct", 400),
        ("2437067", "Trois-Rivières", 27.0, 21.7, "E", "eblup", 30),
        ("2499901", "Saint-Exemple (fictive)", 19.2, 645.1, "F", "synthetic", 0),
    ):
        rows.append(
            {
                **base,
                "municipality": municipality,
                "municipality_name": name,
                "channel": "all",
                "indicator": "unsafe_after_dark",
                "unit": "percent",
                "estimate": estimate,
                "ci_low": estimate - 4,
                "ci_high": estimate + 4,
                "cv": cv,
                "flag": flag,
                "method": method,
                "n": n,
            }
        )
    rows.append({**rows[1], "channel": "web", "estimate": 99.0})
    file = path / "results.csv"
    pd.DataFrame(rows, columns=list(RESULT_COLUMNS)).to_csv(file, index=False)
    return file


def test_summary_prints_estimates_flags_and_methods(invoke: Invoke, tmp_path: Path) -> None:
    file = _results_csv(tmp_path)
    code, output = invoke("summary", str(file))
    assert code == 0, output
    lines = output.splitlines()
    montreal = next(line for line in lines if "Montréal" in line)
    assert montreal.split()[1:5] == ["32.3", "28.3", "–", "36.3"]
    assert "direct" in montreal
    trois = next(line for line in lines if "Trois-Rivières" in line)
    assert trois.split()[-3:] == ["E", "EBLUP", "30"]
    fictive = next(line for line in lines if "Saint-Exemple" in line)
    assert "19.2" not in fictive and fictive.split()[-3:] == ["F", "synthetic", "0"]
    assert "99.0" not in output
    assert "E = use with caution; F = too unreliable to be published." in output
    assert (
        f"Full results (5 rows: every municipality, every indicator, by channel): {file}" in output
    )

    code, output = invoke("summary", str(file), language="fr")
    assert code == 0, output
    assert "Toutes les municipalités" in output and "32,3" in output
    assert "synthétique" in output and "Cotes : E = à utiliser avec prudence" in output


def test_summary_refuses_files_it_cannot_read(invoke: Invoke, tmp_path: Path) -> None:
    file = _results_csv(tmp_path)
    code, output = invoke("summary", str(file), "--indicator", "reporting_rate")
    assert code == 1
    assert "none of the requested indicators (reporting_rate)" in output
    other = tmp_path / "other.csv"
    other.write_text("a,b\n1,2\n", encoding="utf-8")
    code, output = invoke("summary", str(other))
    assert code == 1
    assert "not a results table" in output


def test_every_demo_message_exists_in_french_and_english() -> None:
    for code, texts in MESSAGES.items():
        assert set(texts) == {"fr", "en"}, code
        assert all(text.strip() for text in texts.values()), code
