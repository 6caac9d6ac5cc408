"""In Chromium: an analyst exports a run's microdata as SPSS, Stata and Parquet from the
Exports page, watches each job finish in a real queue, downloads the zips, and the files read
back (pyreadstat, pandas) with the same values and labels. axe-core checks the new pages."""

from __future__ import annotations

import io
import json
import sys
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from workspace_support import PASSWORD, add_responses, queue_worker

from demo import DEMO_BENCHMARKS_CSV
from observatory import EstimateRequest
from observatory.jobs import JobQueue, make_huey
from services import Services
from webapp import create_app

sys.path.append(str(Path(__file__).resolve().parents[1] / "webapp"))
from browser_flow import PageChecks
from browser_support import CHROMIUM, LiveServer, chromium

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not installed"),
]


@pytest.fixture
def run_id(services: Services, tmp_path: Path) -> Iterator[int]:
    """A finished run, and a worker thread consuming the SQLite queue."""
    url = services.settings.database_url
    assert url is not None
    add_responses(url, 90)
    services.observatory.load_benchmarks(DEMO_BENCHMARKS_CSV)
    huey = make_huey(redis_url=None, instance_dir=tmp_path)
    services._jobs = JobQueue(  # type: ignore[attr-defined]
        services.observatory,
        services.sessions,
        huey,
        export_dir=tmp_path / "exports",
        export_key=b"browser-tests",
    )
    with queue_worker(huey):
        run = services.jobs.request_run(EstimateRequest("victimisation", replicates=8), "ana")
        deadline = time.monotonic() + 120
        while services.jobs.run(run.id).status != "done" and time.monotonic() < deadline:
            time.sleep(0.1)
        assert services.jobs.run(run.id).status == "done"
        yield run.id


def _download(page: Any, base: str, fmt: str, checks: PageChecks | None) -> zipfile.ZipFile:
    """Ask for an export from the Exports page and download it (axe-core on both pages when
    ``checks`` is given)."""
    page.goto(f"{base}/analyst/exports")
    if checks is not None:
        checks.check(page, "exports")
    page.check(f"#format-{fmt}")
    page.select_option("#language", "en")
    page.click("text=Prepare the export")
    page.wait_for_url(f"{base}/analyst/exports/*")
    page.wait_for_selector("#download", timeout=120_000)
    if checks is not None:
        checks.check(page, "export job")
    with page.expect_download() as download:
        page.click("#download")
    return zipfile.ZipFile(io.BytesIO(Path(download.value.path()).read_bytes()))


def test_spss_stata_and_parquet_downloads_read_back_alike(
    services: Services, run_id: int, tmp_path: Path
) -> None:
    import pyarrow.parquet as pq
    import pyreadstat
    from axe_playwright_python.sync_playwright import Axe

    app = create_app(
        {
            "SECRET_KEY": "browser-secret-0123456789abcdef",
            "VIGIE_TESTING": True,
            "SESSION_COOKIE_SECURE": False,
            "WTF_CSRF_SSL_STRICT": False,
            "VIGIE_SERVICES": services,
        }
    )
    checks = PageChecks(Axe())
    files: dict[str, Path] = {}
    with LiveServer(app) as server, chromium() as browser:
        base = server.url
        context: Any = browser.new_context(accept_downloads=True, locale="en-CA")  # type: ignore[attr-defined]
        page = context.new_page()
        page.goto(f"{base}/analyst/login?lang=en")
        page.fill("#email", "ana@vigie.test")
        page.fill("#password", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_url(f"{base}/analyst/")
        page.click("nav >> text=Exports")
        page.wait_for_url(f"{base}/analyst/exports")
        for fmt, name in (("sav", "respondents.sav"), ("dta", "respondents.dta")):
            files[fmt] = tmp_path / name
            checked = checks if fmt == "sav" else None
            files[fmt].write_bytes(_download(page, base, fmt, checked).read(name))
        archive = _download(page, base, "parquet", None)
        files["parquet"] = tmp_path / "respondents.parquet"
        files["parquet"].write_bytes(archive.read("respondents.parquet"))
        context.close()
    assert checks.problems == []

    spss, spss_meta = pyreadstat.read_sav(str(files["sav"]), user_missing=True)
    stata, stata_meta = pyreadstat.read_dta(str(files["dta"]))
    parquet = pd.read_parquet(files["parquet"])
    assert len(spss) == len(stata) == len(parquet) == 90
    # The same values: codes in SPSS and Parquet; in Stata the missing codes are .s/.d/.r/.n.
    assert (
        list(spss["respondent_id"])
        == list(stata["respondent_id"])
        == list(parquet["respondent_id"])
    )
    for column in ("municipality", "gender", "walk_alone_dark", "age", "final_weight", "rw_1"):
        np.testing.assert_allclose(spss[column], parquet[column])
        shown = stata[column].notna().to_numpy()
        np.testing.assert_allclose(stata[column][shown], parquet[column][shown])
        if column not in ("final_weight", "rw_1"):  # declared missing: 96-99 (age: 996-999)
            assert list(~shown) == list(parquet[column] >= 96)
    assert (parquet["walk_more_if_safer"] == 99).any() or (
        parquet["walk_more_if_safer"] == 96
    ).any()
    assert stata["crime_compared"].isna().all()  # never asked in these responses: .n / .s
    # The same labels: the questionnaire's, in the export's language (English here).
    walk_en = {1: "Very safe", 3: "Somewhat unsafe", 97: None}
    spss_walk = spss_meta.variable_value_labels["walk_alone_dark"]
    stata_walk = stata_meta.variable_value_labels["walk_alone_dark"]
    codebook = json.loads(pq.read_schema(files["parquet"]).metadata[b"vigie.codebook"])
    for code, label in walk_en.items():
        if label is not None:
            assert spss_walk[code] == stata_walk[code] == label
            assert codebook["walk_alone_dark"]["values"][str(code)]["en"] == label
    assert (
        spss_meta.column_names_to_labels["municipality"]
        == stata_meta.column_names_to_labels["municipality"]
        == "Which municipality do you live in?"
    )
    assert spss_meta.missing_ranges["walk_alone_dark"] == [{"lo": 96.0, "hi": 99.0}]
    assert (
        stata_meta.variable_value_labels["walk_alone_dark"]["n"]
        == "Not stated (asked, not answered)"
    )
