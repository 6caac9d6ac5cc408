"""The export pages: an analyst asks for an export, follows its job and downloads the zip (each
request and download audited); partners and anonymous visitors reach none of it."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from workspace_support import add_responses, csrf_token, immediate_queue, sign_in

from demo import DEMO_BENCHMARKS_CSV
from observatory import EstimateRequest
from observatory.jobs import JobQueue
from services import Services


@pytest.fixture
def queue(services: Services, tmp_path: Path) -> JobQueue:
    """A queue that works at once, its exports in ``tmp_path``."""
    return immediate_queue(
        services, tmp_path, export_dir=tmp_path / "exports", export_key=b"analyst-tests"
    )


@pytest.fixture
def run_id(services: Services, queue: JobQueue) -> int:
    """A finished run of 90 respondents."""
    url = services.settings.database_url
    assert url is not None
    add_responses(url, 90)
    services.observatory.load_benchmarks(DEMO_BENCHMARKS_CSV)
    run = queue.request_run(EstimateRequest("victimisation", replicates=6), "ana")
    assert services.jobs.run(run.id).status == "done"
    return run.id


def test_an_analyst_exports_a_run_and_the_download_is_audited(
    client: FlaskClient, services: Services, run_id: int
) -> None:
    assert sign_in(client, "ana@vigie.test") == 303
    page = client.get("/analyst/exports").get_data(as_text=True)
    assert f'<option value="{run_id}">' in page and 'value="sav"' in page
    token = csrf_token(client, "/analyst/exports")
    form = {"run": str(run_id), "format": "dta", "language": "en", "csrf_token": token}
    asked = client.post("/analyst/exports", data=form)
    assert asked.status_code == 303
    job_url = asked.headers["Location"]
    job_page = client.get(job_url).get_data(as_text=True)
    link = re.search(r'href="(/analyst/exports/[0-9a-f]{32}/download)"', job_page)
    assert link is not None, job_page
    with client.get(link.group(1)) as download:  # a file answer: closed after reading
        assert download.status_code == 200 and download.mimetype == "application/zip"
        disposition = download.headers["Content-Disposition"]
        body = download.data
    assert f"vigie-victimisation-run{run_id}-dta.zip" in disposition
    names = zipfile.ZipFile(io.BytesIO(body)).namelist()
    assert {"respondents.dta", "incident.dta", "codebook.csv", "svyset.do"} <= set(names)
    (event,) = services.observatory.accounts.audit_log(action="microdata_export")
    assert (event.actor_email, event.target) == ("ana@vigie.test", f"run {run_id}")
    assert event.detail["format"] == "dta" and event.detail["survey"] == "victimisation"
    (asked_event,) = services.observatory.accounts.audit_log(action="microdata_export_requested")
    assert asked_event.detail["format"] == "dta" and asked_event.actor_email == "ana@vigie.test"


def test_bad_export_requests_get_a_clear_page_not_an_error(
    client: FlaskClient, queue: JobQueue
) -> None:
    sign_in(client, "ana@vigie.test")
    token = csrf_token(client, "/analyst/exports")
    for form, words in (
        ({"run": "abc", "format": "csv"}, "Choisissez un calcul et un format."),
        ({"run": "1", "format": "xlsx"}, "inconnu « xlsx »"),
        ({"run": "999", "format": "csv"}, "999"),
    ):
        answer = client.post("/analyst/exports", data=form | {"csrf_token": token})
        assert answer.status_code == 400
        assert words in answer.get_data(as_text=True)
    assert client.get("/analyst/exports/" + "0" * 32).status_code == 404
    assert client.get("/analyst/exports/nothing/download").status_code == 404


def test_partners_and_visitors_reach_no_export(
    app: Flask, client: FlaskClient, queue: JobQueue
) -> None:
    # The URL-map walk of test_access.py covers the export pages too.
    rules = {rule.rule for rule in app.url_map.iter_rules()}
    assert {
        "/analyst/exports", "/analyst/exports/<job_id>", "/analyst/exports/<job_id>/download",
    } <= rules  # fmt: skip
    from test_access import _urls

    assert ("GET", "/analyst/exports/x/download") in _urls(app)
    job = queue.exports.store.create(1, "victimisation", "csv", "fr", "ana@vigie.test", 3)
    queue.exports.store.archive(job.id).write_bytes(b"PK")
    queue.exports.store.update(job, status="done")
    urls = ("/analyst/exports", f"/analyst/exports/{job.id}", f"/analyst/exports/{job.id}/download")
    for url in urls:
        anonymous = app.test_client().get(url)
        assert anonymous.status_code == 303
        assert anonymous.headers["Location"].startswith("/analyst/login")
    sign_in(client, "partner@locataires.test")
    for url in urls:
        assert client.get(url).status_code == 403
    assert client.post("/analyst/exports", data={"run": "1"}).status_code in (400, 403)
    home = client.get("/analyst/").get_data(as_text=True)
    assert "/analyst/exports" not in home
