"""The shared table of raw answers (tests/data/answer_cases.yaml) sent through the web form.

Every case a web form can produce is posted as a browser would (the case's
question alone on its page, the answers it needs on the page before): the
value stored must be the table's, and a refused input must come back on the
page with the intake service's own error (same code, same sentence, soft as a
warning). Notes take no field on the web, so their cases are the chat's.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml
from flask import Flask
from intake_support import Clock
from sqlalchemy.orm import Session, sessionmaker
from web_support import TEST_SECRET, Resident, make_test_app

from intake.registry import SurveyRegistry
from intake.service import IntakeService
from intake.settings import IntakeSettings
from questionnaire.definition.model import Question, Section, Survey
from questionnaire.definition.values import Value, value_from_json, value_to_json
from storage.answers import load_answers
from webapp.survey.fields import field_id

TABLE = Path(__file__).resolve().parent.parent / "data" / "answer_cases.yaml"
DATA = yaml.safe_load(TABLE.read_text("utf-8"))
STARTED = dt.datetime.fromisoformat(DATA["context"]["started_on"] + "T12:00:00+00:00")
TODAY = dt.datetime.fromisoformat(DATA["context"]["today"] + "T12:00:00+00:00")


def question(name: str) -> Question:
    definition = DATA["questions"][name]
    return Question.model_validate({"name": name, "label": {"fr": name, "en": name}, **definition})


def web_cases() -> list[dict[str, Any]]:
    return [
        row
        for row in DATA["cases"]
        if "web" in row.get("channels", ["web", "telegram"])
        and DATA["questions"][row["question"]]["type"] != "note"
    ]


def survey_id(row: Mapping[str, Any]) -> str:
    """``case_<question>``, or ``case_<question>__<given>`` when the case needs earlier answers."""
    given = "_".join(sorted(row.get("answers", {})))
    return f"case_{row['question']}" + (f"__{given}" if given else "")


def case_surveys() -> list[Survey]:
    """One questionnaire per question and set of needed answers: those first, then the question."""
    needs = {
        survey_id(row): (row["question"], sorted(row.get("answers", {}))) for row in web_cases()
    }
    referenced: dict[str, set[str]] = {}
    for name, given in needs.values():
        referenced.setdefault(name, set()).update(given)
    surveys = []
    for key, (name, given) in sorted(needs.items()):
        asked = Section(name="asked", title={"fr": "B", "en": "B"}, questions=[question(name)])
        if given:
            before = [question(n) for n in given]
            sections = [
                Section(name="given", title={"fr": "A", "en": "A"}, questions=before),
                asked,
            ]
        else:
            # Names the question's rules refer to come after it, unanswered.
            after = [question(n) for n in sorted(referenced[name])]
            later = Section(name="later", title={"fr": "C", "en": "C"}, questions=after)
            sections = [asked, later] if after else [asked]
        surveys.append(
            Survey(
                id=key,
                version="1",
                languages=["fr", "en"],
                title={"fr": name, "en": name},
                reference_period_months=DATA["reference_period_months"],
                sections=sections,
            )
        )
    return surveys


def raw_text(value: Value) -> str:
    shown = value_to_json(value)
    return str(shown if not isinstance(shown, dict) else next(iter(shown.values())))


def form_fields(name: str, raw: str | list[str] | None) -> dict[str, Any]:
    return {} if raw is None else {name: raw}


def shown_error(page: str, name: str) -> tuple[str, str, str] | None:
    """(code, css class, text) of the message shown under field ``name``."""
    match = re.search(
        rf'<p id="{field_id(name)}-error" class="([a-z-]+)" data-code="([a-z_]+)">(.*?)</p>',
        page,
        re.S,
    )
    if match is None:
        return None
    text = re.sub(r"<[^>]+>.*?</span>", "", match.group(3), count=1)
    return match.group(2), match.group(1), html.unescape(text).strip()


def run_case(
    row: Mapping[str, Any], app: Flask, service: IntakeService, clock: Clock
) -> tuple[Resident, str, Any]:
    """Post the case through the web form; also through the service, for comparison."""
    name, language = row["question"], row["language"]
    clock.now = STARTED
    someone = Resident(app.test_client(), language)
    someone.start(survey_id(row))
    with someone.client.session_transaction() as session:
        rid = session["rid"]
    direct = service.start(survey_id(row), "web", language).response_id
    clock.now = TODAY
    given = {k: raw_text(value_from_json(v)) for k, v in row.get("answers", {}).items()}
    if given:
        someone.answer(given)
        service.submit_page(direct, next(iter(given)), given)
    fields = form_fields(name, row["raw"])
    if row.get("warned"):
        someone.answer(fields)
        service.submit_page(direct, name, fields)
    someone.answer(fields)
    turn = service.submit_page(direct, name, fields)
    return someone, rid, turn


def test_the_web_form_reads_every_case_as_the_intake_service_does(
    session_factory: sessionmaker[Session],
) -> None:
    clock = Clock(STARTED)
    registry = SurveyRegistry(session_factory)
    registry.register_all(case_surveys())
    settings = IntakeSettings(secret_key=TEST_SECRET, abandon_after_days=30, testing=True)
    service = IntakeService(session_factory, registry, settings, clock=clock)
    app = make_test_app(service)
    failures = []
    cases = web_cases()
    assert len(cases) > 100
    for row in cases:
        someone, rid, turn = run_case(row, app, service, clock)
        name = row["question"]
        with session_factory() as session:
            stored = load_answers(session, rid)
        shown = shown_error(someone.page, name)
        if "value" in row:
            expected = value_from_json(row["value"])
            if stored.get(name) != expected or type(stored.get(name)) is not type(expected):
                failures.append((row, "stored", stored.get(name), shown))
            if name in turn.field_errors:
                failures.append((row, "service refused", turn.field_errors[name]))
            continue
        notice = turn.field_errors.get(name)
        if notice is None or notice.code != row["error"]:
            failures.append((row, "service", notice, turn.prompt and turn.prompt.path, turn.error))
            continue
        wanted_class = "warning-message" if row.get("soft") else "error-message"
        if shown is None or shown[0] != row["error"] or shown[1] != wanted_class:
            failures.append((row, "shown", shown))
        elif shown[2] != notice.text:
            failures.append((row, "text", shown[2], notice.text))
        if name in stored:
            failures.append((row, "refused but stored", stored[name]))
    assert failures == [], "\n".join(map(repr, failures[:10]))
