"""The data page: census benchmarks (errors by line, all or nothing, audited) and questionnaire
definitions (the checker's errors, registration, explicit activation of a new version).

The questionnaires come from a copy of survey_defs/ in tmp_path: activation rewrites the
folder's file.
"""

from __future__ import annotations

import io
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from flask.testing import FlaskClient
from werkzeug.test import TestResponse
from workspace_support import DEFS, PASSWORD, csrf_token, sign_in

from demo import DEMO_BENCHMARKS_CSV
from observatory.database import upgrade_database
from services import Services, Settings, build_services

SECRET = "analyst-tests-secret-0123456789abcdef"


@pytest.fixture
def services(database_url: str, tmp_path: Path) -> Iterator[Services]:
    """The workspace's services over a copy of the shipped questionnaires."""
    defs = tmp_path / "defs"
    shutil.copytree(DEFS, defs)
    upgrade_database(database_url)
    settings = Settings(
        database_url=database_url, survey_defs=defs, secret_key=SECRET, testing=True
    )
    with build_services(settings) as built:
        accounts = built.observatory.accounts
        accounts.use_hasher(PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))
        accounts.create_user("ana@vigie.test", "analyst", password=PASSWORD)
        accounts.create_user(
            "partner@locataires.test", "partner", organisation="Locataires", password=PASSWORD
        )
        yield built


def _send(client: FlaskClient, path: str, name: str, content: bytes, **fields: str) -> TestResponse:
    token = csrf_token(client, "/analyst/data")
    data = {"csrf_token": token, "file": (io.BytesIO(content), name), **fields}
    return client.post(path, data=data, content_type="multipart/form-data")


def _text(answer: TestResponse) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", answer.get_data(as_text=True)))


def test_benchmarks_load_all_or_nothing_with_errors_by_line_for_analysts_only(
    client: FlaskClient, services: Services
) -> None:
    sign_in(client, "ana@vigie.test")
    good = DEMO_BENCHMARKS_CSV.read_bytes()
    lines = good.decode().splitlines()
    broken = "\n".join([*lines[:3], lines[3].replace(",2021", ",twenty"), *lines[4:], "x,y"])
    refused = _send(client, "/analyst/data/benchmarks?lang=en", "census.csv", broken.encode())
    assert refused.status_code == 400
    text = _text(refused)
    assert "census.csv was not loaded" in text
    assert re.search(r"line 4\b", text) and re.search(rf"line {len(lines) + 1}\b", text)
    # Nothing was stored: the good file now loads without "replace".
    loaded = _send(client, "/analyst/data/benchmarks?lang=en", "census.csv", good)
    assert loaded.status_code == 200
    rows = len(lines) - 1
    assert f"census.csv is loaded: {rows} counts" in _text(loaded)
    again = _send(client, "/analyst/data/benchmarks?lang=en", "census.csv", good)
    assert again.status_code == 400  # already stored for this source and year
    replaced = _send(client, "/analyst/data/benchmarks", "census.csv", good, replace="1")
    assert replaced.status_code == 200
    audit = services.observatory.accounts.audit_log(action="benchmarks_uploaded")
    assert [(e.actor_email, e.target, e.detail["rows"]) for e in audit] == [
        ("ana@vigie.test", "census.csv", rows)
    ] * 2
    assert {e.detail["replaced"] for e in audit} == {0, rows}
    # Partners are refused everywhere on the page.
    partner = client.application.test_client()
    sign_in(partner, "partner@locataires.test")
    assert partner.get("/analyst/data").status_code == 403
    token = csrf_token(partner, "/analyst/tokens")
    for path in (
        "/analyst/data/benchmarks",
        "/analyst/data/questionnaires",
        "/analyst/data/questionnaires/activate",
    ):
        assert partner.post(path, data={"csrf_token": token}).status_code == 403


def test_uploads_without_a_file_a_token_or_within_limits_are_refused_clearly(
    client: FlaskClient, services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    sign_in(client, "ana@vigie.test")
    token = csrf_token(client, "/analyst/data")
    empty = client.post("/analyst/data/benchmarks?lang=en", data={"csrf_token": token})
    assert empty.status_code == 400 and "Choose a file to send." in _text(empty)
    forged = client.post(
        "/analyst/data/benchmarks",
        data={"file": (io.BytesIO(DEMO_BENCHMARKS_CSV.read_bytes()), "census.csv")},
        content_type="multipart/form-data",
    )
    assert forged.status_code == 400
    assert services.observatory.accounts.audit_log(action="benchmarks_uploaded") == []
    # A smaller limit than the real one (512 kB): the test client spools bigger bodies to files.
    monkeypatch.setattr("webapp.analyst.data.MAX_DEFINITION_BYTES", 100 * 1024)
    huge = _send(client, "/analyst/data/questionnaires?lang=en", "big.yaml", b"#" * 200_000)
    assert huge.status_code == 413 and "The file is too large: at most 100 kB." in _text(huge)
    just_over = _send(client, "/analyst/data/questionnaires?lang=en", "big.yaml", b"#" * 102_500)
    assert just_over.status_code == 413
    binary = _send(client, "/analyst/data/benchmarks?lang=en", "census.csv", b"\xff\xfe\x00bad")
    assert binary.status_code == 400 and "census.csv was not loaded" in _text(binary)
    garbage = _send(client, "/analyst/data/questionnaires?lang=en", "q.yaml", b"\xff: [\x00")
    assert garbage.status_code == 400 and "q.yaml" in _text(garbage)


def _edited(old: str, new: str) -> bytes:
    text = (DEFS / "perceived_safety.yaml").read_text(encoding="utf-8")
    assert old in text
    return text.replace(old, new, 1).encode()


def test_a_broken_definition_shows_the_checkers_errors_a_clean_one_waits_for_activation(
    client: FlaskClient, services: Services
) -> None:
    sign_in(client, "ana@vigie.test")
    broken = _edited('version: "1.0"', 'version: "1.1"\nunknown_part: 3')
    answer = _send(client, "/analyst/data/questionnaires?lang=en", "perceived_v2.yaml", broken)
    assert answer.status_code == 400
    page = answer.get_data(as_text=True)
    rows = re.findall(
        r"<tr>\s*<th scope=\"row\"><code>([^<]+)</code></th>\s*<td><code>([^<]+)</code>", page
    )
    assert ("perceived_v2.yaml:10:1", "unknown_key") in rows, rows
    assert "How to fix it" in page
    assert not list((services.settings.survey_defs).glob("*.pending"))
    served = services.registry.current("perceived_safety").survey.content_hash
    new = _edited('version: "1.0"', 'version: "1.1"')
    answer = _send(client, "/analyst/data/questionnaires?lang=en", "perceived_v2.yaml", new)
    assert answer.status_code == 200
    assert "Version 1.1 of perceived_safety" in _text(answer)
    assert services.registry.current("perceived_safety").survey.content_hash == served
    page = client.get("/analyst/data?lang=en").get_data(as_text=True)
    key = re.search(r'name="key" value="([0-9a-f]{12})"', page)
    assert key is not None and "waiting for activation" in page
    token = csrf_token(client, "/analyst/data")
    activated = client.post(
        "/analyst/data/questionnaires/activate",
        data={"csrf_token": token, "survey": "perceived_safety", "key": key.group(1)},
    )
    assert activated.status_code == 303
    now = services.registry.current("perceived_safety").survey
    assert now.version == "1.1" and now.content_hash.startswith(key.group(1))
    folder = services.settings.survey_defs
    assert 'version: "1.1"' in (folder / "perceived_safety.yaml").read_text(encoding="utf-8")
    assert not list(folder.glob("*.pending"))
    shown = _text(client.get(activated.headers["Location"] + "&lang=en"))
    assert "The new version of perceived_safety is served from now on." in shown
    again = client.post(
        "/analyst/data/questionnaires/activate",
        data={"csrf_token": token, "survey": "perceived_safety", "key": key.group(1)},
    )
    assert again.status_code == 400
    actions = [e.action for e in services.observatory.accounts.audit_log()]
    assert "questionnaire_uploaded" in actions and "questionnaire_activated" in actions


def test_a_new_questionnaire_is_served_at_once_and_the_same_one_changes_nothing(
    client: FlaskClient, services: Services
) -> None:
    sign_in(client, "ana@vigie.test")
    other = _edited("id: perceived_safety", "id: quick_pulse")
    answer = _send(client, "/analyst/data/questionnaires?lang=en", "pulse.yaml", other)
    assert answer.status_code == 200 and "is registered and served from now on" in _text(answer)
    assert "quick_pulse" in services.registry.survey_ids()
    assert (services.settings.survey_defs / "quick_pulse.yaml").exists()
    same = (DEFS / "perceived_safety.yaml").read_bytes()
    unchanged = _send(client, "/analyst/data/questionnaires?lang=en", "p.yaml", same)
    assert unchanged.status_code == 200 and "nothing changed" in _text(unchanged)
    # A folder the app cannot write to is a message, not a 500.
    services.observatory.questionnaires.folder = services.settings.survey_defs / "missing"
    refused = _send(client, "/analyst/data/questionnaires?lang=en", "pulse.yaml", other)
    assert refused.status_code == 400 and "cannot be written to" in _text(refused)
