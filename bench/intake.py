"""Answers recorded per second through the intake service (run by hand).

Walks random respondents through ``survey_defs/perceived_safety.yaml`` with
:class:`intake.service.IntakeService` — the same calls the channels make, one
transaction per answer — on a SQLite file (WAL) and on PostgreSQL, with one
thread and with four, and prints a Markdown table. With ``--write`` (the
default) the table replaces the "Intake" section of ``docs/benchmarks.md``,
with the date, the machine and the command.

    .venv/bin/python bench/intake.py [--respondents 80] [--postgres URL] [--no-write]

PostgreSQL is measured when ``--postgres`` or ``VIGIE_TEST_DATABASE_URL``
gives a server; the benchmark works in a schema of its own, dropped at the end.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import random
import shlex
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

# Run as a script, this file's folder comes first on sys.path and its name
# would hide the ``intake`` package: put the project root there instead.
_HERE = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != _HERE]
sys.path.insert(0, str(_HERE.parent))
sys.path.append(str(_HERE))  # after the project: for benchdoc only

from benchdoc import replace_section  # noqa: E402
from sqlalchemy import make_url, text  # noqa: E402

from intake.registry import SurveyRegistry  # noqa: E402
from intake.service import IntakeService  # noqa: E402
from intake.settings import IntakeSettings  # noqa: E402
from intake.walker import Picker, RandomResident, walk  # noqa: E402
from questionnaire.answers.names import expression_names  # noqa: E402
from questionnaire.answers.reading import AnswerError, read_answer  # noqa: E402
from questionnaire.answers.run_context import RunContext  # noqa: E402
from questionnaire.answers.scope import AnswerScope  # noqa: E402
from questionnaire.definition.model import Survey  # noqa: E402
from questionnaire.definition.values import Answers  # noqa: E402
from questionnaire.loader import load_survey  # noqa: E402
from questionnaire.navigation.next import screened_out  # noqa: E402
from questionnaire.navigation.prompts import Prompt  # noqa: E402
from questionnaire.simulation.sampling import RawAnswer, random_raw_answer  # noqa: E402
from storage.engine import make_engine, make_session_factory  # noqa: E402
from storage.migrate import upgrade  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
SURVEY = ROOT / "survey_defs" / "perceived_safety.yaml"
DOC = ROOT / "docs" / "benchmarks.md"
HEADING = "## Intake"
THREAD_COUNTS = (1, 4)
#: Tries at a random valid answer before skipping a respondent's question.
TRIES = 30


@dataclass(frozen=True)
class Measure:
    database: str
    threads: int
    respondents: int
    answers: int
    seconds: float

    @property
    def rate(self) -> float:
        return self.answers / self.seconds if self.seconds else 0.0


def eligible_picker(survey: Survey) -> Picker:
    """Answers to the eligibility questions that keep the respondent in.

    The benchmark measures whole walks: respondents are not screened out. Other
    questions are answered at random by :class:`intake.walker.RandomResident`.
    """
    screening = {n for rule in survey.eligibility for n in expression_names(rule.expression)}
    known: Answers = {}

    def pick(prompt: Prompt, rng: random.Random) -> RawAnswer | None:
        if prompt.name not in screening:
            return None
        ctx = RunContext(dt.date.today(), "web", "fr")
        scope = AnswerScope(survey, dict(known), ctx)
        question = survey.question(prompt.name)
        for _ in range(TRIES):
            raw = random_raw_answer(question, scope, rng)
            try:
                value = read_answer(question, raw, scope=scope, language="fr", warned=True)
            except AnswerError:
                continue
            if screened_out(survey, {**known, question.name: value}, ctx) is None:
                known[question.name] = value
                return raw
        raise RuntimeError(f"no eligible answer to {prompt.name}")

    return pick


def walk_respondent(service: IntakeService, survey: Survey, rng: random.Random) -> int:
    """One random respondent from start to end with the walker; returns the answers stored."""
    first = service.start(survey.id, "web", rng.choice(survey.languages))
    resident = RandomResident(survey, rng, pick=eligible_picker(survey), max_tries=TRIES)
    walked = walk(service, first, resident)
    if not walked.last.finished:
        raise RuntimeError(f"no valid random answer for {walked.last.prompt}")
    return resident.answered + 1  # the last answer ended the walk


def measure(url: str, label: str, threads: int, respondents: int, survey: Survey) -> Measure:
    """Run ``respondents`` walks over ``threads`` threads on the database at ``url``."""
    engine = make_engine(url)
    try:
        upgrade(engine)
        sessions = make_session_factory(engine)
        registry = SurveyRegistry(sessions)
        registry.register(survey)
        settings = IntakeSettings(secret_key=uuid.uuid4().hex, testing=False)
        service = IntakeService(sessions, registry, settings)
        walk_respondent(service, survey, random.Random(0))  # warm-up, not counted
        barrier = threading.Barrier(threads)

        def worker(seed: int) -> int:
            rng = random.Random(seed)
            barrier.wait()
            share = respondents // threads
            return sum(walk_respondent(service, survey, rng) for _ in range(share))

        started = time.perf_counter()
        with ThreadPoolExecutor(threads) as pool:
            answers = sum(pool.map(worker, range(1, threads + 1)))
        seconds = time.perf_counter() - started
    finally:
        engine.dispose()
    return Measure(label, threads, respondents, answers, seconds)


@contextmanager
def sqlite_url() -> Iterator[str]:
    with tempfile.TemporaryDirectory(prefix="vigie-bench-") as folder:
        yield f"sqlite:///{Path(folder) / 'bench.db'}"


@contextmanager
def postgres_url(server: str) -> Iterator[str]:
    schema = f"vigie_bench_{uuid.uuid4().hex}"
    admin = make_engine(server)
    try:
        with admin.begin() as connection:
            connection.execute(text(f'CREATE SCHEMA "{schema}"'))
        separator = "&" if "?" in server else "?"
        yield f"{server}{separator}options=-csearch_path%3D{schema}"
    finally:
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        admin.dispose()


def table(measures: list[Measure]) -> str:
    lines = [
        "| database | threads | respondents | answers | seconds | answers/s |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for m in measures:
        lines.append(
            f"| {m.database} | {m.threads} | {m.respondents} | {m.answers} "
            f"| {m.seconds:.2f} | {m.rate:.0f} |"
        )
    return "\n".join(lines)


def section(measures: list[Measure], command: str, postgres_note: str) -> str:
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    machine = (
        f"{os.cpu_count()} CPU (nproc), Python {platform.python_version()}, "
        f"{platform.system()} {platform.machine()}, load average {load:.1f} at the end"
    )
    return "\n".join(
        [
            HEADING,
            "",
            f"Measured {dt.date.today().isoformat()} on {machine}; the machine was shared "
            "with other work, so figures are indicative.",
            "",
            f"Command: `{command}`",
            "",
            "Random respondents walk `survey_defs/perceived_safety.yaml` through "
            "`IntakeService.start`/`submit` (the walker of `intake/walker.py`): every "
            "answer is validated, stored and "
            "committed in its own transaction (answer, pruning, compare-and-set of "
            "the position), exactly as the channels do. A soft warning is "
            "confirmed by submitting again; only stored answers are counted.",
            "",
            table(measures),
            "",
            postgres_note,
            "",
        ]
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--respondents", type=int, default=80)
    parser.add_argument("--postgres", default=os.environ.get("VIGIE_TEST_DATABASE_URL"))
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args(argv)
    survey = load_survey(SURVEY)
    measures: list[Measure] = []
    for threads in THREAD_COUNTS:
        with sqlite_url() as url:
            measures.append(measure(url, "SQLite (file, WAL)", threads, args.respondents, survey))
    note = "PostgreSQL: not measured (no server given)."
    if args.postgres:
        for threads in THREAD_COUNTS:
            with postgres_url(args.postgres) as url:
                measures.append(measure(url, "PostgreSQL", threads, args.respondents, survey))
        note = "PostgreSQL: a local server on the same machine (psycopg 3)."
    print(table(measures))
    if not args.no_write:
        shown = [
            make_url(a).render_as_string(hide_password=True) if "://" in a else a for a in sys.argv
        ]
        prefix = []
        if args.postgres and not any(a.startswith("--postgres") for a in sys.argv):
            hidden = make_url(args.postgres).render_as_string(hide_password=True)
            prefix = [f"VIGIE_TEST_DATABASE_URL={hidden}"]
        command = " ".join(shlex.quote(a) for a in [*prefix, ".venv/bin/python", *shown])
        replace_section(DOC, HEADING, section(measures, command, note))
        print(f"\nwritten to {DOC.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
